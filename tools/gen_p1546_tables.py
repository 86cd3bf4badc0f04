#!/usr/bin/python3
"""Generate src/propagation/p1546_tables.cpp from the ITU-R P.1546-6 tabulated field strengths.

Usage (from the repository root):
    /usr/bin/python3 tools/gen_p1546_tables.py \
        tests/data/itu_p1546/tables/p1546_tabulated_field_strength.csv \
        src/propagation/p1546_tables.cpp

The input CSV holds the Recommendation's Annex 1 tabulations (Figures 1-24): one row per
(figure, distance) with the field strength for the eight nominal transmitting/base antenna
heights and the maximum field strength column. Provenance: see src/propagation/README_p1546.md.
The models never read files at run time; this script turns the CSV into C++ arrays once and the
generated file is committed.
"""
import csv
import hashlib
import sys

HEIGHT_COLUMNS = ["h1_10m", "h1_20m", "h1_37.5m", "h1_75m", "h1_150m", "h1_300m", "h1_600m",
                  "h1_1200m", "e_free_space_max"]
EXPECTED_DISTANCES = 78
EXPECTED_FIGURES = 24


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as fh:
        raw = fh.read()
    digest = hashlib.sha256(raw).hexdigest()
    lines = raw.decode("utf-8").splitlines()
    provenance = [ln[1:].strip() for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))

    figures = {}
    distances = None
    for row in rows:
        fig = int(row["figure"])
        figures.setdefault(fig, {"meta": (row["time_pct"], row["path"], row["frequency_mhz"]),
                                 "rows": []})
        figures[fig]["rows"].append((float(row["distance_km"]),
                                     [row[c] for c in HEIGHT_COLUMNS]))
    if sorted(figures) != list(range(1, EXPECTED_FIGURES + 1)):
        raise SystemExit(f"{src}: expected figures 1..{EXPECTED_FIGURES}")
    for fig, data in figures.items():
        dist = [d for d, _ in data["rows"]]
        if len(dist) != EXPECTED_DISTANCES or dist != sorted(dist):
            raise SystemExit(f"{src}: figure {fig}: expected {EXPECTED_DISTANCES} sorted distances")
        if distances is None:
            distances = dist
        elif dist != distances:
            raise SystemExit(f"{src}: figure {fig}: distance column differs from figure 1")

    out = []
    out.append("// GENERATED FILE - do not edit. Regenerate with:")
    out.append("//   /usr/bin/python3 tools/gen_p1546_tables.py "
               "tests/data/itu_p1546/tables/p1546_tabulated_field_strength.csv "
               "src/propagation/p1546_tables.cpp")
    out.append("// Source: Recommendation ITU-R P.1546-6 (08/2019), Annex 1 tabulated field strengths")
    out.append("// (Figures 1-24), dB(uV/m) for 1 kW e.r.p.; input CSV sha256 " + digest + ".")
    out.append("// Provenance lines of the input CSV:")
    for p in provenance:
        out.append("//   " + p)
    out.append("// clang-format off")
    out.append('#include "propagation/p1546_tables.hpp"')
    out.append("")
    out.append("namespace grenzfunk::propagation::p1546 {")
    out.append("")
    out.append("const std::array<double, kTableDistances> kTableDistanceKm = {")
    out.append("    " + ", ".join(f"{d:g}" for d in distances) + "};")
    out.append("")
    out.append("// kCurves[figure - 1][distance index][height index 0..7, 8 = maximum column]")
    out.append("const CurveTables kCurves = {{")
    for fig in range(1, EXPECTED_FIGURES + 1):
        t, path, f = figures[fig]["meta"]
        out.append(f"    // Figure {fig}: {f} MHz, {path}, {t} % time")
        out.append("    {{")
        for d, vals in figures[fig]["rows"]:
            out.append("        {" + ", ".join(vals) + f"}},  // {d:g} km")
        out.append("    }},")
    out.append("}};")
    out.append("")
    out.append("}  // namespace grenzfunk::propagation::p1546")
    with open(dst, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
