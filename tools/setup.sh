#!/usr/bin/env bash
# Installs what villagegrid needs on Debian 12 (only what is missing), then configures and builds
# in Release. Sourced by tools/run-default.sh and tools/test.sh; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake g++ make libeigen3-dev libyaml-cpp-dev libtbb-dev googletest libgtest-dev
          libbenchmark-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev tmux)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "villagegrid: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${VILLAGEGRID_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$(nproc)"
