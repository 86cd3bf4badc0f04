#!/usr/bin/env bash
# Builds the libFuzzer harnesses (preset "fuzz": clang, ASan + UBSan + float-cast-overflow, toml++
# compiled in), replays every input of the regression corpus tests/fuzz/regression/<harness>/,
# then runs each harness from a fixed -seed for a fixed -runs (about 30 s each on a 2-core
# machine) and prints its executions and libFuzzer's cov: and ft: counters. Exits non-zero on
# any crash, leak, sanitizer report or timeout; the input is left in build/fuzz/artifacts/.
#
#   tools/fuzz.sh [harness...]        default: all harnesses
#   FUZZ_RUNS_SCALE=10 tools/fuzz.sh  ten times as many runs (README "Fuzzing": longer runs)
#
# Seeds: the project's own input files (data/, tests/data/) and tests/fuzz/corpus/<harness>/,
# copied into build/fuzz/work/<harness>-seeds; inputs libFuzzer finds go to
# build/fuzz/work/<harness> (emptied first, so that the run is the same every time).
set -euo pipefail
cd "$(dirname "$0")/.."

all=(sites_csv opencellid scenario border_rules pfl path_cases sg3_profile)
declare -A runs=(
  [sites_csv]=20000 [opencellid]=15000 [scenario]=10000 [border_rules]=10000
  [pfl]=25000 [path_cases]=15000 [sg3_profile]=35000
)
declare -A max_len=([sg3_profile]=8192)  # others 4096: the first 4 KiB of a bigger seed
declare -A seeds=(
  [sites_csv]="data/sites/de_sample_sites.csv tests/data/sites/hof_rehau_sites.csv"
  [opencellid]="data/sites/opencellid_230_CZ_border_region.csv tests/data/sites/as_opencellid.csv"
  [scenario]="data/scenarios/*.toml tests/data/scenarios/*.toml"
  [border_rules]="data/rules/*.toml"
  [pfl]="tests/data/itm_region/profiles/r11_000*.pfl"
  [path_cases]=""
  [sg3_profile]="tests/data/itu_p1812/profiles/b2iseac.csv tests/data/itu_p1546/profiles/*.csv"
)
harnesses=("$@")
((${#harnesses[@]})) || harnesses=("${all[@]}")
scale="${FUZZ_RUNS_SCALE:-1}"

echo "fuzz: building the harnesses (preset fuzz)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)"

bin=build/fuzz/tests/fuzz
work=build/fuzz/work
artifacts=build/fuzz/artifacts
mkdir -p "$work" "$artifacts"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for h in "${harnesses[@]}"; do
  [[ -n "${runs[$h]+x}" ]] || { echo "fuzz: unknown harness '$h' (${all[*]})" >&2; exit 2; }
  exe="$bin/fuzz_$h"
  regression=(tests/fuzz/regression/"$h"/*)
  if [[ -e "${regression[0]}" ]]; then
    echo "fuzz: $h: replaying ${#regression[@]} regression input(s)"
    if ! "$exe" -runs=1 "${regression[@]}" >"$work/$h-regression.log" 2>&1; then
      tail -n 40 "$work/$h-regression.log"
      echo "fuzz: $h: a regression input fails again (log: $work/$h-regression.log)" >&2
      failed+=("$h (regression)")
      continue
    fi
  fi
  rm -rf "$work/$h" "$work/$h-seeds"
  mkdir -p "$work/$h" "$work/$h-seeds" "$artifacts/$h"
  # shellcheck disable=SC2086  # the seed lists are globs
  for f in ${seeds[$h]} tests/fuzz/corpus/"$h"/*; do
    [[ -f "$f" ]] && cp "$f" "$work/$h-seeds/$(echo "$f" | tr / _)"
  done
  n=$((runs[$h] * scale))
  start=$(date +%s)
  if "$exe" -seed=1 -runs="$n" -max_len="${max_len[$h]:-4096}" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$h/" "$work/$h" "$work/$h-seeds" >"$work/$h.log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$h")
    tail -n 40 "$work/$h.log"
  fi
  seconds=$(($(date +%s) - start))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.log" | tail -n 1)
  cov_line=$(grep -E '^#[0-9]+.* cov: ' "$work/$h.log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$cov_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$cov_line")
  printf 'fuzz: %-12s %-6s %8s executions  cov: %-5s ft: %-6s %4d s  (-seed=1 -runs=%d -max_len=%d)\n' \
    "$h" "$status" "${executions:-?}" "${cov:-?}" "${ft:-?}" "$seconds" "$n" "${max_len[$h]:-4096}"
done

if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs: $artifacts/<harness>/, logs: $work/)" >&2
  exit 1
fi
echo "fuzz: all harnesses passed"
