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
echo "notebook executed: $work/executed.ipynb, figure $work/coverage.png"
