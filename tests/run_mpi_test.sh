#!/usr/bin/env bash
# A run distributed over MPI ranks against the same run in one process (docs/scale.md).
#
#   run_mpi_test.sh GRENZFUNK WORK MODE SCENARIO [RANKS] [grenzfunk run options...]
#
# MODE identical: every output file of `mpirun -np RANKS grenzfunk run` is the same bytes as the
#                 single-process run's (cmp), and the file lists are the same.
# MODE failing:   rank 1 fails (GRENZFUNK_TEST_FAIL_RANK=1) in a run into the folder of an earlier
#                 run: non-zero exit, exactly one error line naming the rank, the earlier results
#                 intact and no staging left; into a fresh folder: no output file at all.
# MODE interrupted: SIGINT to mpirun while the ranks compute: non-zero exit, no output file and
#                 no staging folder left behind.
# CI runs as root; --oversubscribe lets 3 ranks share 2 cores.
set -euo pipefail
grenzfunk=$1 work=$2 mode=$3 scenario=$4 ranks=${5:-2}
shift $(($# < 5 ? $# : 5))
mpirun=(mpirun --allow-run-as-root --oversubscribe -np "$ranks")
rm -rf "$work"
mkdir -p "$work"

# Every regular file under a folder, relative, sorted.
files() { (cd "$1" && find . -type f | LC_ALL=C sort); }
fail() { echo "FAIL: $*" >&2; exit 1; }

case "$mode" in
identical)
    "$grenzfunk" run "$scenario" -o "$work/one" -q -j 2 "$@" >"$work/one.log" 2>&1 ||
        { cat "$work/one.log"; fail "the single-process run failed"; }
    "${mpirun[@]}" "$grenzfunk" run "$scenario" -o "$work/ranks" -q -j 1 "$@" \
        >"$work/ranks.log" 2>&1 || { cat "$work/ranks.log"; fail "the MPI run failed"; }
    grep -q "distributed over $ranks MPI ranks" "$work/ranks.log" ||
        { cat "$work/ranks.log"; fail "the run was not distributed over $ranks ranks"; }
    diff <(files "$work/one") <(files "$work/ranks") || fail "different files"
    count=0
    while read -r f; do
        cmp "$work/one/$f" "$work/ranks/$f" || fail "$f differs"
        count=$((count + 1))
    done < <(files "$work/one")
    [ "$count" -ge 5 ] || fail "only $count files compared"
    echo "$count files identical with $ranks ranks"
    ;;
failing)
    "$grenzfunk" run "$scenario" -o "$work/out" -q "$@" >/dev/null 2>&1 || fail "first run failed"
    (cd "$work/out" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) >"$work/before.sha"
    set +e
    GRENZFUNK_TEST_FAIL_RANK=1 "${mpirun[@]}" "$grenzfunk" run "$scenario" -o "$work/out" -q \
        "$@" >"$work/fail.out" 2>"$work/fail.err"
    rc=$?
    GRENZFUNK_TEST_FAIL_RANK=1 "${mpirun[@]}" "$grenzfunk" run "$scenario" -o "$work/fresh" -q \
        "$@" >/dev/null 2>&1
    rc_fresh=$?
    set -e
    cat "$work/fail.err"
    [ "$rc" -ne 0 ] || fail "exit status 0 although rank 1 failed"
    [ "$rc_fresh" -ne 0 ] || fail "exit status 0 although rank 1 failed (fresh folder)"
    lines=$(grep -c '^grenzfunk: error: rank 1 of '"$ranks"': GRENZFUNK_TEST_FAIL_RANK=1' \
        "$work/fail.err" || true)
    [ "$lines" -eq 1 ] || fail "expected one error line naming rank 1, got $lines"
    [ "$(grep -c '^grenzfunk: ' "$work/fail.err")" -eq 1 ] || fail "more than one grenzfunk line"
    (cd "$work/out" && find . -type f -exec sha256sum {} + | LC_ALL=C sort) >"$work/after.sha"
    diff "$work/before.sha" "$work/after.sha" || fail "the earlier results changed"
    [ -z "$(find "$work/fresh" -type f 2>/dev/null)" ] || fail "files left in the fresh folder"
    echo "rank 1 failed cleanly (exit $rc), earlier results intact"
    ;;
interrupted)
    # The scenario at 25 m instead of 250 m (100 times the pixels), so that the ranks still
    # compute when the signal reaches them: mpirun passes SIGINT on as SIGTERM about a second
    # later (Open MPI 4.1), and at 50 m the coverage had ended by then on a fast machine (the
    # run was complete: files left, the test failed); its relative paths made absolute.
    dir=$(cd "$(dirname "$scenario")" && pwd)
    sed -e "s|\"\.\./|\"$dir/../|g" -e 's/^resolution_m = .*/resolution_m = 25.0/' \
        "$scenario" >"$work/slow.toml"
    "${mpirun[@]}" "$grenzfunk" run "$work/slow.toml" -o "$work/out" -q -j 1 "$@" \
        >"$work/run.out" 2>"$work/run.err" &
    pid=$!
    # Until the ranks compute: the staging folder exists once rank 0 has opened the outputs.
    for _ in $(seq 1 200); do
        [ -n "$(find "$work/out" -mindepth 1 -maxdepth 1 2>/dev/null)" ] && break
        sleep 0.05
    done
    sleep 0.3
    kill -INT "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    cat "$work/run.err"
    [ "$rc" -ne 0 ] || fail "exit status 0 after SIGINT (the run finished first?)"
    left=$(find "$work/out" -mindepth 1 2>/dev/null | grep -v '/\.grenzfunk\.lock$' || true)
    [ -z "$left" ] || fail "left behind: $left"
    echo "interrupted (exit $rc), nothing left behind"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
