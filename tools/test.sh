#!/usr/bin/env bash
# Sets up, builds with warnings as errors, and runs the whole test suite (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
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
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)"
