#!/usr/bin/env bash
# Fresh Debian 12 to a result: installs what is missing, builds, runs the default scenario
# (Pushan, 2020 Spring Festival). Extra arguments go to `villagegrid run`.
set -euo pipefail
cd "$(dirname "$0")/.."
VILLAGEGRID_TARGET=villagegrid tools/setup.sh  # the binary only; tools/test.sh builds the rest
exec build/src/cli/villagegrid run "$@"
