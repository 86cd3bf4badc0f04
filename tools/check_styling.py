#!/usr/bin/env python3
"""Checks the GIS styling of a run's outputs (docs/outputs.md, "Using the outputs in QGIS and
Google Earth").

Runs `grenzfunk run` on a scenario with [analysis] twice (1 and 2 threads) and checks:
1. every .tif has a .qml side-car that is well-formed XML with QGIS's raster style structure
   (<qgis><pipe><rasterrenderer band="1" type="paletted"|"singlebandpseudocolor">), every file
   is in manifest.json;
2. class rasters (those with a colour table): GDAL reads the category names (from the
   .tif.aux.xml side-car) and the colour table ends at the highest category; the .qml palette
   has exactly the categories with their names and the colour table's colours;
3. gaps.gpkg: the layer_styles table is registered in gpkg_contents as "attributes", has one
   row for "gaps" with useAsDefault = 1, and its styleQML / styleSLD are well-formed and name
   the three gap statuses;
4. coverage.kmz: doc.kml parses, has the ground overlays whose PNGs are in the zip, one Point
   placemark per site, one sector polygon per cell, a ScreenOverlay;
5. every output file is byte-identical for 1 and 2 threads;
6. output.coverage_kmz = false writes no coverage.kmz.
Uses only Debian's python3 with python3-gdal (osgeo) and the standard library.
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

from osgeo import gdal, ogr

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(cli, scenario, out, threads):
    if os.path.exists(out):
        shutil.rmtree(out)
    subprocess.run([cli, "run", scenario, "--output", out, "--threads", str(threads), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)


def files_of(root):
    found = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                found[os.path.relpath(p, root)] = hashlib.sha256(f.read()).hexdigest()
    return found


def check_rasters(root, manifest_files):
    tifs = sorted(p for p in files_of(root) if p.endswith(".tif"))
    if not tifs:
        fail("no GeoTIFF in " + root)
    for tif in tifs:
        qml = tif[:-4] + ".qml"
        if qml not in manifest_files and not qml.startswith("regulator_package"):
            fail(qml + " not in manifest.json")
        path = os.path.join(root, qml)
        if not os.path.exists(path):
            fail(tif + ": no .qml side-car")
            continue
        try:
            doc = ET.parse(path).getroot()
        except ET.ParseError as e:
            fail(qml + ": not well-formed: " + str(e))
            continue
        renderer = doc.find("./pipe/rasterrenderer")
        if doc.tag != "qgis" or renderer is None or renderer.get("band") != "1":
            fail(qml + ": no <qgis><pipe><rasterrenderer band=\"1\">")
            continue
        ds = gdal.Open(os.path.join(root, tif))
        band = ds.GetRasterBand(1)
        table = band.GetColorTable()
        kind = renderer.get("type")
        if table is not None:
            names = band.GetCategoryNames()
            if not names:
                fail(tif + ": GDAL reads no category names (aux.xml missing?)")
                continue
            aux = tif + ".aux.xml"
            if aux not in manifest_files and not aux.startswith("regulator_package"):
                fail(aux + " not in manifest.json")
            if table.GetCount() != len(names):
                fail("%s: colour table of %d entries for %d categories" %
                     (tif, table.GetCount(), len(names)))
            if kind != "paletted":
                fail(qml + ": class raster without a paletted renderer")
                continue
            entries = renderer.findall("./colorPalette/paletteEntry")
            expected = [(v, n) for v, n in enumerate(names) if n]
            got = [(int(e.get("value")), e.get("label")) for e in entries]
            if got != expected:
                fail("%s: palette %s != categories %s" % (qml, got, expected))
            for e in entries:
                c = table.GetColorEntry(int(e.get("value")))
                if e.get("color") != "#%02x%02x%02x" % c[:3]:
                    fail("%s: value %s colour %s != colour table %s" %
                         (qml, e.get("value"), e.get("color"), c))
        elif kind == "singlebandpseudocolor":
            items = renderer.findall("./rastershader/colorrampshader/item")
            values = [float(i.get("value")) for i in items]
            if len(items) < 2 or values != sorted(values):
                fail(qml + ": colour ramp items missing or not ascending")
            for i in items:
                if not i.get("color", "").startswith("#") or i.get("label") is None:
                    fail(qml + ": item without colour or label")
        elif kind != "paletted":
            fail(qml + ": renderer type " + str(kind))


def check_gpkg(path):
    # Through GDAL/OGR, as QGIS reads it: a non-spatial layer with one row for "gaps".
    ds = ogr.Open(path)
    styles = ds.GetLayerByName("layer_styles")
    if styles is None or styles.GetGeomType() != ogr.wkbNone or styles.GetFeatureCount() != 1:
        fail("gaps.gpkg: OGR finds no layer_styles table with one row")
    else:
        row = styles.GetNextFeature()
        if row.GetField("f_table_name") != "gaps" or row.GetField("useAsDefault") != 1:
            fail("gaps.gpkg: OGR reads the style row as %s" % row.items())
    ds = None
    db = sqlite3.connect(path)
    kinds = dict(db.execute("select table_name, data_type from gpkg_contents"))
    if kinds.get("layer_styles") != "attributes":
        fail("gaps.gpkg: layer_styles not an attributes table in gpkg_contents: " + str(kinds))
    columns = [r[1] for r in db.execute("pragma table_info(layer_styles)")]
    for c in ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
              "styleName", "styleQML", "styleSLD", "useAsDefault", "description", "owner",
              "ui", "update_time"):
        if c not in columns:
            fail("gaps.gpkg: layer_styles lacks column " + c)
    rows = db.execute("select f_table_name, f_geometry_column, useAsDefault, styleQML, styleSLD "
                      "from layer_styles").fetchall()
    if len(rows) != 1:
        fail("gaps.gpkg: %d layer_styles rows" % len(rows))
        return
    table, geom, default, qml, sld = rows[0]
    geom_column = db.execute("select column_name from gpkg_geometry_columns "
                             "where table_name = 'gaps'").fetchone()
    if table != "gaps" or default != 1 or geom_column is None or geom != geom_column[0]:
        fail("gaps.gpkg: style row %s" % ((table, geom, default),))
    q = ET.fromstring(qml)
    values = [c.get("value") for c in q.findall("./renderer-v2/categories/category")]
    if q.find("./renderer-v2").get("attr") != "status" or \
            values != ["white_spot", "neighbour_only", "partly_neighbour"]:
        fail("gaps.gpkg: styleQML categories " + str(values))
    s = ET.fromstring(sld)
    ns = {"ogc": "http://www.opengis.net/ogc"}
    literals = [e.text for e in s.iter("{http://www.opengis.net/ogc}Literal")]
    if literals != values:
        fail("gaps.gpkg: styleSLD rules " + str(literals))


def check_kmz(root):
    path = os.path.join(root, "coverage.kmz")
    if not os.path.exists(path):
        fail("no coverage.kmz")
        return
    z = zipfile.ZipFile(path)
    names = z.namelist()
    if names[0] != "doc.kml":
        fail("coverage.kmz: first entry " + names[0])
    k = "{http://www.opengis.net/kml/2.2}"
    doc = ET.fromstring(z.read("doc.kml"))
    overlays = doc.findall(".//%sGroundOverlay" % k)
    if len(overlays) < 2:
        fail("coverage.kmz: %d ground overlays" % len(overlays))
    for o in overlays + doc.findall(".//%sScreenOverlay" % k):
        href = o.find("./%sIcon/%shref" % (k, k)).text
        if href not in names:
            fail("coverage.kmz: overlay image %s not in the zip" % href)
    if len(doc.findall(".//%sScreenOverlay" % k)) != 1:
        fail("coverage.kmz: no ScreenOverlay legend")
    with open(os.path.join(root, "cells.csv"), newline="") as f:
        cells = list(csv.DictReader(f))
    sites = {c["site_id"] for c in cells}
    points = doc.findall(".//%sPlacemark/%sPoint" % (k, k))
    if len(points) != len(sites):
        fail("coverage.kmz: %d site placemarks for %d sites" % (len(points), len(sites)))
    folders = {f.find("%sname" % k).text: f for f in doc.findall(".//%sFolder" % k)}
    sectors = [f for n, f in folders.items() if n.startswith("Sectors")]
    if not sectors or len(sectors[0].findall("./%sPlacemark/%sPolygon" % (k, k))) != len(cells):
        fail("coverage.kmz: not one sector polygon per cell")
    if "Gaps" in folders:
        styles = {p.find("%sstyleUrl" % k).text for p in folders["Gaps"].findall("%sPlacemark" % k)}
        if not styles <= {"#gap_white_spot", "#gap_neighbour_only", "#gap_partly_neighbour"}:
            fail("coverage.kmz: gap styles " + str(styles))
    for n in names:
        if n.endswith(".png") and not z.read(n).startswith(b"\x89PNG"):
            fail("coverage.kmz: %s is no PNG" % n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--grenzfunk", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    one, two = os.path.join(a.work, "threads1"), os.path.join(a.work, "threads2")
    run(a.grenzfunk, a.scenario, one, 1)
    run(a.grenzfunk, a.scenario, two, 2)
    with open(os.path.join(one, "manifest.json")) as f:
        manifest = {o["file"] for o in json.load(f)["outputs"]}
    check_rasters(one, manifest)
    check_gpkg(os.path.join(one, "gaps.gpkg"))
    check_kmz(one)
    # The switch: output.coverage_kmz = false writes no KMZ (a copy of the scenario with its
    # relative paths made absolute).
    base = os.path.dirname(os.path.abspath(a.scenario))
    with open(a.scenario) as f:
        text = f.read().replace('"../', '"' + base + '/../')
    no_kmz = os.path.join(a.work, "no_kmz.toml")
    with open(no_kmz, "w") as f:
        f.write(text + "\n[output]\ncoverage_kmz = false\n")
    off = os.path.join(a.work, "no_kmz")
    run(a.grenzfunk, no_kmz, off, 2)
    if os.path.exists(os.path.join(off, "coverage.kmz")):
        fail("output.coverage_kmz = false still wrote coverage.kmz")
    a1, a2 = files_of(one), files_of(two)
    if a1.keys() != a2.keys():
        fail("different files for 1 and 2 threads: %s" % sorted(a1.keys() ^ a2.keys()))
    for name in sorted(a1.keys() & a2.keys()):
        if a1[name] != a2[name]:
            fail(name + " differs between 1 and 2 threads")
    if failures:
        print("%d failures" % len(failures), file=sys.stderr)
        return 1
    print("styling checks passed: %d files" % len(a1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
