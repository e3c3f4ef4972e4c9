#!/usr/bin/env bash
# Fresh Debian 12 to a tested build: installs what is missing, builds, runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)"
