#!/usr/bin/env bash
# Fresh Debian 12 to a tested build: installs what is missing, builds with warnings as errors, runs
# the whole suite (ctest), then the gate: any skipped or not-run test, or a test binary that exits
# non-zero when run whole (a failing fixture), fails the run (tools/check-tests.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# The suite's build splits run, compare and plan over MPI ranks (-DVILLAGEGRID_MPI=ON,
# docs/running-across-machines.md); tests/cli/mpi_ranks_test.sh checks them under mpirun.
export VILLAGEGRID_CMAKE_ARGS="-DVILLAGEGRID_WERROR=ON -DVILLAGEGRID_MPI=ON ${VILLAGEGRID_CMAKE_ARGS:-}"
# The browser tests (tests/browser) need Debian's chromium, the MPI build OpenMPI and its test
# sqlite3; running villagegrid needs none of them, so they are installed here, not by tools/setup.sh.
extra=()
for p in chromium openmpi-bin libopenmpi-dev sqlite3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || extra+=("$p")
done
if [ ${#extra[@]} -gt 0 ]; then
  echo "villagegrid: installing ${extra[*]} (for the browser and MPI tests)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${extra[@]}"
fi
tools/setup.sh
build=${BUILD_DIR:-build}
rm -f "$build/ctest-junit.xml"
status=0
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --output-junit ctest-junit.xml) || status=$?
mapfile -t binaries <"$build/test-binaries.txt"
tools/check-tests.sh --junit "$build/ctest-junit.xml" "${binaries[@]}" || status=1
exit "$status"
