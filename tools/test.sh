#!/usr/bin/env bash
# Sets up, builds with warnings as errors, and runs the whole test suite (ctest); then the same
# suite under ASan + UBSan (clang), the engine and analysis tests under TSan, and the fuzz
# harnesses' regression inputs and fixed runs (docs/testing.md). Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"
step() { echo; echo "== $* ($(date +%T))"; }
trap 'echo "tools/test.sh: FAILED in the step above" >&2' ERR

step "setup: Debian packages"
tools/setup-debian.sh
# Some tests need the de_DE.UTF-8 locale (setup-debian.sh builds it) or mount small tmpfs file
# systems themselves (root or CAP_SYS_ADMIN); without them they fail unless opted out (README,
# "Tests"). Say so before the build.
if ! locale -a 2>/dev/null | grep -i '^de_DE\.utf-\?8$' >/dev/null; then
  [ "${GRENZFUNK_TEST_ALLOW_MISSING_LOCALE:-}" = 1 ] ||
    echo "test: no de_DE.UTF-8 locale: the German-locale tests will fail" >&2
fi
probe=$(mktemp -d)
if ! mount -t tmpfs -o size=16k tmpfs "$probe" 2>/dev/null; then
  [ "${GRENZFUNK_TEST_ALLOW_MISSING_TMPFS:-}" = 1 ] ||
    echo "test: cannot mount a tmpfs here (not root?): the disk-full tests will fail" >&2
else
  umount "$probe"
fi
rmdir "$probe"

step "release build (GCC, warnings as errors) and the whole test suite"
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$jobs"
ctest --preset ci -j"$jobs"

step "ASan + UBSan (clang -O1, float-cast-overflow): the whole test suite"
cmake --preset debug-asan >/dev/null
cmake --build --preset debug-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --preset debug-asan -j"$jobs"

step "TSan (engine loops on std::thread workers): the engine and analysis tests"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs"
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp" \
  build/tsan/tests/grenzfunk_engine_tests '[engine],[analysis]'

step "fuzzing: regression inputs and fixed runs of every harness (tools/fuzz.sh)"
tools/fuzz.sh

step "all steps passed"
