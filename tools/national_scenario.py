#!/usr/bin/python3
"""Synthetic national scenario at real macro-site density (docs/scale.md).

Writes SITES.csv (a grenzfunk sites file: three 65-degree sectors per site at 0/120/240 degrees)
and SCENARIO.toml. Sites lie on a jittered square lattice over a lon/lat box at a density in sites
per km2; the default is Germany's: about 80 000 macro sites over 357 600 km2 (0.224 per km2) in
its bounding box 5.9-15.0 E, 47.3-55.1 N. The jitter comes from a fixed seed, so the file is the
same on every run.

    /usr/bin/python3 tools/national_scenario.py OUT_DIR --terrain DEM.vrt [--density 0.224]
        [--box 5.9 47.3 15.0 55.1] [--radius-km 30] [--resolution-m 90]
"""
import argparse
import math
import os
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--terrain", required=True, help="terrain raster (e.g. a VRT of SRTM tiles)")
    ap.add_argument("--density", type=float, default=80000 / 357600, help="sites per km2")
    ap.add_argument("--box", type=float, nargs=4, default=[5.9, 47.3, 15.0, 55.1],
                    metavar=("LON0", "LAT0", "LON1", "LAT1"))
    ap.add_argument("--radius-km", type=float, default=30.0)
    ap.add_argument("--resolution-m", type=float, default=90.0)
    ap.add_argument("--crs", default="EPSG:25832")
    ap.add_argument("--seed", type=int, default=15)
    a = ap.parse_args()
    lon0, lat0, lon1, lat1 = a.box
    spacing_km = 1.0 / math.sqrt(a.density)
    rng = random.Random(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    sites = 0
    with open(os.path.join(a.out_dir, "sites.csv"), "w") as f:
        f.write("cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,"
                "mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,"
                "antenna_pattern,technology,operator,country\n")
        dlat = spacing_km / 111.2
        lat = lat0 + dlat / 2
        while lat < lat1:
            dlon = spacing_km / (111.2 * math.cos(math.radians(lat)))
            lon = lon0 + dlon / 2
            while lon < lon1:
                sites += 1
                y = lat + rng.uniform(-0.3, 0.3) * dlat
                x = lon + rng.uniform(-0.3, 0.3) * dlon
                for s in range(3):
                    f.write(f"N{sites:06d}-{s + 1},N{sites:06d},national site {sites},{y:.5f},"
                            f"{x:.5f},30,{120 * s},0,4,806,10,60,3gpp-65,LTE,synthetic,DE\n")
                lon += dlon
            lat += dlat
    with open(os.path.join(a.out_dir, "scenario.toml"), "w") as f:
        f.write(f'''name = "national_synthetic"
[terrain]
files = ["{os.path.abspath(a.terrain)}"]
[[sites]]
file = "sites.csv"
[grid]
crs = "{a.crs}"
resolution_m = {a.resolution_m}
extent_lonlat_deg = [{lon0}, {lat0}, {lon1}, {lat1}]
[propagation]
model = "itm"
max_radius_km = {a.radius_km}
engine = "fast"
[output]
terrain = false
''')
    area_km2 = ((lon1 - lon0) * 111.2 * math.cos(math.radians((lat0 + lat1) / 2)) *
                (lat1 - lat0) * 111.2)
    disc_px = math.pi * (a.radius_km * 1000) ** 2 / a.resolution_m ** 2
    print(f"{sites} sites, {3 * sites} cells over {area_km2:.0f} km2 "
          f"({sites / area_km2:.3f} sites/km2); about {sites * disc_px:.3g} path losses "
          f"({disc_px:.0f} pixels per site) -> {sites * disc_px / 325000 / 3600:.1f} core-hours "
          f"at 325 000 px/s/core")


if __name__ == "__main__":
    main()
