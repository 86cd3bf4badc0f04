#!/usr/bin/env bash
# Sets up, builds (release) and runs the sample border scenario; prints where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target grenzfunk
build/release/grenzfunk run data/scenarios/border_sample.toml --output out/border_sample "$@"
