#!/usr/bin/env bash
# Executes notebooks/coverage_map.ipynb with Debian's interpreter on a small run's GeoTIFFs.
# Arguments: <grenzfunk binary> <source dir> <work dir>
set -euo pipefail
cli=$1 src=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
"$cli" run "$src/tests/data/scenarios/small.toml" --output "$work/results" --quiet >/dev/null
cp "$src/notebooks/coverage_map.ipynb" "$work/"
GRENZFUNK_REPO="$src" GRENZFUNK_RESULTS="$work/results" GRENZFUNK_FIGURE="$work/coverage.png" \
  /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=300 \
  --ExecutePreprocessor.kernel_name=python3 --output executed.ipynb "$work/coverage_map.ipynb"
test -s "$work/coverage.png"
# The figure is inline in the executed notebook (an image/png output), and the HTML export
# embeds it (data: URI), so both show the map without the output folder.
/usr/bin/python3 - "$work/executed.ipynb" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
images = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])
          if "image/png" in o.get("data", {})]
assert images, "no inline figure in the executed notebook"
PY
/usr/bin/python3 -m nbconvert --to html --output executed.html "$work/executed.ipynb" >/dev/null 2>&1
grep -q 'src="data:image/png;base64,' "$work/executed.html"
echo "notebook executed: $work/executed.ipynb, figure $work/coverage.png"
