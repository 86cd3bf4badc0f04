#!/usr/bin/env bash
# Benchmark of the coverage engine on the single-site ITM 50 km job
# (tools/bench/jobs/single_site_itm50.toml: one omni site at 50.30 N 12.50 E, 35 m, 806 MHz,
# ITM, 50 km radius, 90 m grid in EPSG:25832 from the sample SRTM3 DEM, ~0.97 M pixels).
#
#   tools/bench_engine.sh [repeats]      (default 3)
#
# Builds Release in build/bench-release (override with BUILD_DIR), then runs in one go:
#   fast engine, 1 thread (repeats) and 2 threads (repeats); reference engine, 2 threads (once);
# and reports per run the path losses computed, the coverage wall and CPU time (CPU time from
# the CLI's own report, all threads), pixels/s/core = path losses / coverage CPU seconds, the
# process wall time and peak resident memory (/usr/bin/time), then the 1 -> 2 thread speed-up
# (coverage wall), the fast/reference speed ratio (coverage CPU time, same script run), whether
# 1 and 2 threads wrote identical bytes, and the fast engine's agreement with the reference
# (median |difference|, share within 1 dB, same decision at -90/-100/-110/-120 dBm), followed
# by the Google Benchmark kernels (tools/bench/bench_engine.cpp).
# On a shared machine the wall times are noisy: compare CPU times and repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-3}
build=${BUILD_DIR:-build/bench-release}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGRENZFUNK_BUILD_BENCHMARKS=ON \
           -DGRENZFUNK_BUILD_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)" --target grenzfunk grenzfunk_bench; } >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    exit 1
fi
bin=$build/grenzfunk
job=tools/bench/jobs/single_site_itm50.toml

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-9s %-7s %-3s %10s %9s %9s %12s %9s %9s\n' engine threads run paths cov_wall cov_cpu px/s/core wall_s peak_MB

# run ENGINE THREADS TAG: one CLI run; appends "engine threads paths cov_wall cov_cpu wall rss_kb"
run() {
    /usr/bin/time -f '%e %M' -o "$out/time" "$bin" run "$job" --engine "$1" -j "$2" -q \
        -o "$out/$3" >"$out/$3.log" 2>/dev/null
    local line paths cwall ccpu
    line=$(grep 'path losses in' "$out/$3.log")
    paths=$(echo "$line" | sed -E 's/.*: ([0-9]+) path losses.*/\1/')
    cwall=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s wall.*/\1/')
    ccpu=$(echo "$line" | sed -E 's/.*wall, ([0-9.]+) s CPU.*/\1/')
    read -r wall rss <"$out/time"
    echo "$1 $2 $paths $cwall $ccpu $wall $rss" >>"$out/runs"
    printf '%-9s %-7s %-3s %10s %9s %9s %12.0f %9s %9.1f\n' "$1" "$2" "$4" "$paths" "$cwall" \
        "$ccpu" "$(echo "$paths / $ccpu" | bc -l)" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

for r in $(seq 1 "$repeats"); do run fast 1 "fast1_$r" "$r"; done
for r in $(seq 1 "$repeats"); do run fast 2 "fast2_$r" "$r"; done
run reference 2 ref2 1

# Medians over the repeats.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
f1_wall=$(awk '$1=="fast" && $2==1 {print $4}' "$out/runs" | median)
f2_wall=$(awk '$1=="fast" && $2==2 {print $4}' "$out/runs" | median)
f1_cpu=$(awk '$1=="fast" && $2==1 {print $5}' "$out/runs" | median)
f_cpu=$(awk '$1=="fast" {print $5}' "$out/runs" | median)
r_cpu=$(awk '$1=="reference" {print $5}' "$out/runs" | median)
paths=$(awk 'NR==1 {print $3}' "$out/runs")
peak=$(awk '{print $7}' "$out/runs" | sort -g | tail -1)
echo
printf 'fast, 1 thread (median of %s): %.0f pixels/s/core (%s s CPU for %s path losses)\n' \
    "$repeats" "$(echo "$paths / $f1_cpu" | bc -l)" "$f1_cpu" "$paths"
printf 'speed-up 1 -> 2 threads (coverage wall, medians): %.2f x (%s s -> %s s)\n' \
    "$(echo "$f1_wall / $f2_wall" | bc -l)" "$f1_wall" "$f2_wall"
printf 'fast/reference speed ratio (coverage CPU time): %.2f x (%s s vs %s s)\n' \
    "$(echo "$r_cpu / $f_cpu" | bc -l)" "$f_cpu" "$r_cpu"
printf 'peak resident memory over all runs: %.1f MB\n' "$(echo "$peak / 1024" | bc -l)"
if cmp -s "$out/fast1_1/best_rx_level_dbm.tif" "$out/fast2_1/best_rx_level_dbm.tif" &&
   cmp -s "$out/fast1_1/best_server.tif" "$out/fast2_1/best_server.tif"; then
    echo "1 and 2 threads: identical bytes (best_rx_level_dbm.tif, best_server.tif)"
else
    echo "1 and 2 threads: OUTPUTS DIFFER"
fi
/usr/bin/python3 - "$out/fast1_1/best_rx_level_dbm.tif" "$out/ref2/best_rx_level_dbm.tif" <<'PY' || echo "(agreement: needs /usr/bin/python3 with GDAL and numpy)"
import sys
import numpy as np
from osgeo import gdal
fast = gdal.Open(sys.argv[1]).ReadAsArray().astype(np.float64)
ref = gdal.Open(sys.argv[2]).ReadAsArray().astype(np.float64)
both = (fast != -9999) & (ref != -9999)
d = np.abs(fast[both] - ref[both])
print("fast vs reference over %d pixels: median |d| %.4f dB, %.3f %% within 1 dB, p99 %.2f dB, max %.1f dB"
      % (both.sum(), np.median(d), 100 * (d <= 1).mean(), np.percentile(d, 99), d.max()))
print("same decision: " + ", ".join("%d dBm %.3f %%" % (t, 100 * ((fast[both] >= t) == (ref[both] >= t)).mean())
                                     for t in (-90, -100, -110, -120)))
PY
echo
"$build/tools/bench/grenzfunk_bench" --benchmark_filter='Prefix|Plain|DeltaH|Tail|Engine' 2>/dev/null
