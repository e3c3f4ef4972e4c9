#!/usr/bin/env bash
# Instructions per replicate, the figure of record in bench/RESULTS.md: callgrind's instruction
# count for 11 replicates minus that for 1, over 10, on one thread (loading, compiling and writing
# cancel out). Instruction counts do not drift with the host's load, unlike times.
# Usage: tools/instructions.sh [SCENARIO]            (default scenarios/pushan-2020.yaml)
#        tools/instructions.sh --no-sweep            Pushan without the household sweep and without
#                                                    the `finding` section: returnees registered at
#                                                    arrival, the model issue 14's 15.2 M was taken on
# Needs valgrind (apt-get install valgrind) and a Release build in build/ (tools/setup.sh), or the
# binary to count in VG_BIN (to compare two commits' binaries on the same model).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VG_BIN:-$PWD/build/src/cli/villagegrid}
command -v valgrind >/dev/null || { echo "valgrind is not installed: sudo apt-get install valgrind" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no $BIN: build first (tools/setup.sh)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
SCENARIO=${1:-scenarios/pushan-2020.yaml}
if [ "$SCENARIO" = "--no-sweep" ]; then
  # A copy of rules/ whose returnees.yaml lacks the household-sweep rule, and a copy of the Pushan
  # scenario without its top-level `finding:` section, side by side as the originals are.
  cp -r rules "$TMP/rules"
  mkdir "$TMP/scenarios"
  awk '/^  - id: household-sweep$/ {skip = 1; next} /^  - id: / {skip = 0} !skip' rules/returnees.yaml \
    >"$TMP/rules/returnees.yaml"
  awk '/^finding:/ {skip = 1; next} /^[a-z_]+:/ {skip = 0} !skip' scenarios/pushan-2020.yaml \
    >"$TMP/scenarios/pushan-no-sweep.yaml"
  SCENARIO=$TMP/scenarios/pushan-no-sweep.yaml
fi
count() {
  valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$1" "$BIN" run "$SCENARIO" --replicates "$1" \
    --threads 1 --quiet --out "$TMP/out$1" 2>&1 | awk '/Collected/ {print $4}'
}
one=$(count 1)
eleven=$(count 11)
echo "instructions: 1 replicate $one, 11 replicates $eleven; per replicate $(((eleven - one) / 10))"
