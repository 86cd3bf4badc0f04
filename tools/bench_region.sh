#!/usr/bin/env bash
# Whole German-Czech border benchmark: the 16 SRTM3 tiles N48-N51 x E011-E014 (4 x 4 degrees,
# read as .hgt.gz through GDAL's /vsigzip/; they are not part of the repository), a generated
# grid of 3-sector sites (15 x 15 over 48.3-51.7 N, 11.3-14.7 E, 0.243 degrees apart: 225 sites,
# 675 cells; 806 MHz, 35 m, 60 dBm, 3GPP 65-degree sectors at 0/120/240 degrees), ITM, 15 km
# radius, 90 m grid in EPSG:25833 over 11.1-14.9 E, 48.16-51.84 N (the sites' reach), fast
# engine.
#
#   tools/bench_region.sh <directory with the N??E???.hgt.gz tiles> [threads] [tile_rows]
#
# tile_rows: rows per band of the grid (grenzfunk run --tile-rows); default 0 = automatic (bands
# of about 4 million pixels: 4 bands here); 4627 computes the whole grid in one piece.
# ANALYSIS=1 adds the coverage analysis ([analysis] with the BKG states of Bavaria, Saxony and
# Thuringia as regions; LTE classes, SINR, gaps, statistics).
#
# MPI=1 runs it over MPI ranks instead (see below; Open MPI, docs/scale.md).
#
# Reports the CLI's summary (path losses, coverage wall and CPU time, pixels/s/core), process
# wall time and peak resident memory. Builds Release in build/bench-release (BUILD_DIR);
# NO_BUILD=1 uses the grenzfunk binary already in BUILD_DIR (e.g. BUILD_DIR=build/ci) as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
tiles=${1:?usage: tools/bench_region.sh <srtm3 tile directory> [threads]}
threads=${2:-0}
tile_rows=${3:-0}
tiles=$(cd "$tiles" && pwd)
build=${BUILD_DIR:-build/bench-release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${NO_BUILD:-0}" = 1 ]; then
    [ -x "$build/grenzfunk" ] || { echo "bench_region.sh: no $build/grenzfunk (NO_BUILD=1)" >&2; exit 1; }
elif ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DGRENZFUNK_BUILD_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)" --target grenzfunk; } >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    exit 1
fi

tile_list=$(ls "$tiles"/N4[89]E01[1-4].hgt.gz "$tiles"/N5[01]E01[1-4].hgt.gz)
[ "$(echo "$tile_list" | wc -l)" -eq 16 ] || { echo "expected 16 tiles in $tiles"; exit 1; }
# One VRT mosaic of the 16 tiles (read through /vsigzip/), so the scenario names one file.
gdalbuildvrt -q "$work/border.vrt" $(echo "$tile_list" | sed 's|^|/vsigzip/|')
files="\"$work/border.vrt\""

{
    echo "cell_id,site_id,site_name,lat_deg,lon_deg,antenna_height_agl_m,azimuth_deg,mech_tilt_deg,elec_tilt_deg,frequency_mhz,bandwidth_mhz,eirp_dbm,antenna_pattern,technology,operator,country"
    awk 'BEGIN {
        n = 0
        for (a = 0; a < 15; a++)
            for (b = 0; b < 15; b++) {
                lat = 48.30 + a * (3.4 / 14); lon = 11.30 + b * (3.4 / 14)
                n++
                for (s = 0; s < 3; s++)
                    printf "G%03d-%d,G%03d,grid site %d,%.4f,%.4f,35,%d,0,4,806,10,60,3gpp-65,LTE,bench,DE\n",
                           n, s + 1, n, n, lat, lon, 120 * s
            }
    }'
} >"$work/sites.csv"
cat >"$work/region.toml" <<TOML
name = "border_region_bench"
[terrain]
files = [$files]
[[sites]]
file = "sites.csv"
[grid]
crs = "EPSG:25833"
resolution_m = 90.0
extent_lonlat_deg = [11.1, 48.16, 14.9, 51.84]   # the sites' 15 km reach, inside the tiles
[propagation]
model = "itm"
max_radius_km = 15.0
engine = "fast"
[output]
terrain = false
TOML
if [ "${ANALYSIS:-0}" = 1 ]; then
    cat >>"$work/region.toml" <<TOML
[analysis]
regions_file = "$PWD/data/admin/bkg_vg2500_states_BY_SN_TH_full.geojson"
region_name_field = "GEN"
TOML
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cells: $(($(wc -l <"$work/sites.csv") - 1)) on $(($(($(wc -l <"$work/sites.csv") - 1)) / 3)) sites"
# MPI=1: the same run as 1 rank x 1 thread, 2 ranks x 1 thread (mpirun) and 1 rank x 2 threads
# (docs/scale.md); each prints its summary (per-rank terrain time, peak memory, bytes sent).
if [ "${MPI:-0}" = 1 ]; then
    for config in "1 1" "2 1" "1 2"; do
        set -- $config
        echo "== $1 rank(s) x $2 thread(s)"
        launch=()
        [ "$1" -gt 1 ] && launch=(mpirun --allow-run-as-root --oversubscribe -np "$1")
        /usr/bin/time -f 'process: %e s wall, %U s user, %S s system, peak resident memory %M KB' \
            "${launch[@]}" "$build/grenzfunk" run "$work/region.toml" -o "$work/out_$1_$2" -q \
            -j "$2" --tile-rows "$tile_rows" 2>&1 | grep -v '^ *[a-z_]*\.\(tif\|csv\|json\)$'
        rm -rf "$work/out_$1_$2"
    done
    exit 0
fi
/usr/bin/time -f 'process: %e s wall, %U s user, %S s system, peak resident memory %M KB' \
    "$build/grenzfunk" run "$work/region.toml" -o "$work/out" -q -j "$threads" \
    --tile-rows "$tile_rows" 2>&1 |
    grep -v '^ *[a-z_]*\.\(tif\|csv\|json\)$'
