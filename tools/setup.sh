#!/usr/bin/env bash
# Installs what villagegrid needs on Debian 12 (only what is missing), builds the report's front end
# (web/: npm ci from its lockfile, then the bundle the binary embeds, docs/reports.md), then
# configures and builds in Release. Sourced by tools/run-default.sh and tools/test.sh; safe to run
# again.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(cmake g++ make libeigen3-dev libyaml-cpp-dev libtbb-dev googletest libgtest-dev
          libbenchmark-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev tmux libcpp-httplib-dev pkg-config)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm build the front end; Debian's unless the machine already has them.
if [ -f web/package.json ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "villagegrid: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The front end: the packages of web/package-lock.json (again only when the lockfile changed), then
# the bundle (again only when its sources changed). The build embeds web/dist/report.js.
if [ -f web/package.json ]; then
  if ! cmp -s web/package-lock.json web/node_modules/.villagegrid-lockfile; then
    (cd web && npm ci --no-audit --no-fund)
    cp web/package-lock.json web/node_modules/.villagegrid-lockfile
  fi
  if [ ! -f web/dist/report.js ] || [ ! -f web/dist/exercise.js ] || [ -n "$(find web/src web/package.json web/package-lock.json -newer web/dist/report.js)" ]; then
    (cd web && npm run build)
  fi
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${VILLAGEGRID_CMAKE_ARGS:-}
# VILLAGEGRID_TARGET: build only that target (tools/run-default.sh builds the binary, not the tests).
cmake --build "$BUILD_DIR" -j "$(nproc)" ${VILLAGEGRID_TARGET:+--target "$VILLAGEGRID_TARGET"}
