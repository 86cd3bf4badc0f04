#!/usr/bin/env bash
# The site search on the sample (docs/planning.md): data/scenarios/border_sample_plan.toml, the
# sample scenario with a [planning] table (1144 lattice positions x 6 configurations = 6864
# candidates, up to 10 LTE 800 sites, the border check of every site taken). The issue's target: >= 500 candidates, 10 sites, under
# 2 minutes on a 2-core machine.
#
#   tools/bench_plan.sh [threads]        (default 2)
#
# Prints the command's summary, process wall time and peak memory, and the comparison table
# (gap area closed by k = 1..10 sites: greedy, the k highest candidates, k random candidates with
# seed 1; comparison.csv). Uses build/ci/grenzfunk (BUILD_DIR to change; built if missing).
# On a shared machine, time it when nothing else runs.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
build=${BUILD_DIR:-build/ci}
if [ ! -x "$build/grenzfunk" ]; then
    cmake --preset ci >/dev/null && cmake --build --preset ci -j"$threads" --target grenzfunk >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f "process: %e s wall, %U s user, %M kB peak resident" \
    "$build/grenzfunk" plan data/scenarios/border_sample_plan.toml -o "$work/out" -j "$threads" -q \
    2>"$work/time.log" | sed -n '1,/results in/p'
cat "$work/time.log"
echo
echo "gap area closed (km2) by k sites:"
printf "%4s %12s %12s %12s\n" k greedy highest random
tail -n +2 "$work/out/comparison.csv" | while IFS=, read -r k g h r; do
    printf "%4s %12s %12s %12s\n" "$k" "$g" "$h" "$r"
done
