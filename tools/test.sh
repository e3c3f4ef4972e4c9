#!/usr/bin/env bash
# Fresh Debian 12 to a tested build: installs what is missing, builds with warnings as errors, runs
# the whole suite (ctest), then the gate: any skipped or not-run test, or a test binary that exits
# non-zero when run whole (a failing fixture), fails the run (tools/check-tests.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export VILLAGEGRID_CMAKE_ARGS="-DVILLAGEGRID_WERROR=ON ${VILLAGEGRID_CMAKE_ARGS:-}"
# The browser tests (tests/browser) need Debian's chromium; running villagegrid does not, so it is
# installed here and not by tools/setup.sh.
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  echo "villagegrid: installing chromium (for the browser tests)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi
tools/setup.sh
build=${BUILD_DIR:-build}
rm -f "$build/ctest-junit.xml"
status=0
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --output-junit ctest-junit.xml) || status=$?
mapfile -t binaries <"$build/test-binaries.txt"
tools/check-tests.sh --junit "$build/ctest-junit.xml" "${binaries[@]}" || status=1
exit "$status"
