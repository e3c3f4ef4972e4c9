#!/usr/bin/env bash
# Instructions per replicate, the figure of record in bench/RESULTS.md: callgrind's instruction
# count for 11 replicates minus that for 1, over 10, on one thread (loading, compiling and writing
# cancel out). Instruction counts do not drift with the host's load, unlike times.
# Usage: tools/instructions.sh [--phases] [SCENARIO]   (default scenarios/pushan-2020.yaml)
#        tools/instructions.sh [--phases] --no-sweep   Pushan without the household sweep and without
#                                                      the `finding` section: returnees registered at
#                                                      arrival, the model issue 14's 15.2 M was taken on
# --phases adds where a replicate's instructions go: the same difference (11 minus 1, over 10) for
# each phase of the day, callees included (callgrind_annotate --inclusive), so a change can be
# placed before it is profiled in full.
# Needs valgrind (apt-get install valgrind) and a Release build in build/ (tools/setup.sh), or the
# binary to count in VG_BIN (to compare two commits' binaries on the same model).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VG_BIN:-$PWD/build/src/cli/villagegrid}
command -v valgrind >/dev/null || { echo "valgrind is not installed: sudo apt-get install valgrind" >&2; exit 2; }
[ -x "$BIN" ] || { echo "no $BIN: build first (tools/setup.sh)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PHASES=0
if [ "${1:-}" = "--phases" ]; then
  PHASES=1
  shift
fi
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
[ "$PHASES" = 1 ] || exit 0
# Inclusive counts by function; the phases are out-of-line functions in a Release build (their
# names come from the symbol table, no -g needed). A pattern matching several entries takes the
# largest (the function itself, not a thunk that calls it). A map, not exact figures: callgrind
# leaves part of a call cycle (rules raising rules) out of a function's inclusive count, and code
# inlined into a phase counts there; the total printed first is exact.
inclusive() { callgrind_annotate --inclusive=yes --show-percs=no "$TMP/cg.$1" 2>/dev/null; }
inclusive 1 >"$TMP/inc1"
inclusive 11 >"$TMP/inc11"
largest() {  # FILE PATTERN (a fixed string): the largest count on a line holding it, 0 if none
  (grep -F -- "$2" "$1" || true) | awk '{gsub(",", "", $1); if ($1 + 0 > m) m = $1 + 0} END {print m + 0}'
}
phase() {  # LABEL PATTERN
  printf '  %-58s %12s\n' "$1" "$((($(largest "$TMP/inc11" "$2") - $(largest "$TMP/inc1" "$2")) / 10))"
}
echo "per replicate, callees included:"
phase "the replicate (simulate_town)" "vg::sim::simulate_town("
phase "  returnees' origins and arrivals drawn" "vg::sim::town::Town::draw_returnees()"
phase "  arrivals: registration and the rules it raises" "vg::sim::town::Town::arrivals(int)"
phase "  tracking teams and their duties made" "vg::sim::town::Town::tracking_teams(int)"
phase "  infection" "vg::sim::town::Town::step_epidemic(int)"
phase "  the scheduler's day" "vg::staffing::Scheduler::run_day(int, vg::staffing::DayStats&"
phase "    of which tasks done (the town's callback, its rules)" "Town::work(int)::{lambda(vg::staffing::Task const&, long, int)#1}"
phase "    of which members looking for work (dispatch)" "vg::staffing::Scheduler::dispatch("
phase "the replicate's outputs rendered" "vg::io::write_run_outputs("
