#!/usr/bin/env bash
# Installs what grenzfunk needs from Debian 12 packages (nothing else is downloaded), and the
# German locale the test suite runs one test under. Idempotent: installs only what is missing.
# libhwy-dev (Highway) is the SIMD layer with runtime dispatch (src/simd).
# clang, its sanitizer runtimes, libFuzzer and llvm-symbolizer serve tools/test.sh's sanitizer
# and fuzz builds. libhpdf-dev writes the report's PDF, zlib1g-dev deflates the KMZ; chromium (headless) and poppler-utils
# (pdftotext, pdfinfo) check the report in the report_renders_and_prints test. Open MPI
# (libopenmpi-dev, openmpi-bin) distributes one run over ranks (mpirun, docs/scale.md).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  clang libclang-rt-14-dev libfuzzer-14-dev llvm
  libgdal-dev gdal-bin libproj-dev proj-bin proj-data
  libboost-dev libtbb-dev catch2 libtomlplusplus-dev libcli11-dev libssl-dev libbenchmark-dev nlohmann-json3-dev
  python3-gdal python3-numpy python3-matplotlib python3-nbconvert python3-nbformat
  python3-ipykernel python3-jupyter-client
  libhwy-dev libhpdf-dev zlib1g-dev chromium poppler-utils unzip
  libopenmpi-dev openmpi-bin
  locales
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi

# de_DE.UTF-8 for the decimal-comma test (a German desktop's locale must not break parsing).
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  as_root localedef -i de_DE -c -f UTF-8 de_DE.UTF-8 || echo "setup: could not build de_DE.UTF-8" >&2
fi
