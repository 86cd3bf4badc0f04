#!/usr/bin/env bash
# Sets up, builds with warnings as errors, and runs the whole test suite (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh
cmake --preset ci >/dev/null
cmake --build --preset ci -j"$(nproc)"
ctest --preset ci -j"$(nproc)"
