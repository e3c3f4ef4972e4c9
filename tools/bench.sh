#!/usr/bin/env bash
# Macro benchmark: runs a scenario (default: the shipped Pushan scenario) with N replicates on 1
# and on 2 threads (best of 3 each, by simulation time) and prints, from `villagegrid run --profile`:
# agent-days per second per core, the simulation's thread time by phase (setup, rules, scheduling,
# infection, metrics), load (population) and output times, peak RSS per person, and the 2-thread
# speed-up. The timing runs are made without --profile (its clock reads cost about 10%); one extra
# run with --profile gives the split by phase.
# Usage: tools/bench.sh [SCENARIO] [REPLICATES] [THREADS...]   (build first: tools/setup.sh)
#   e.g. tools/bench.sh scenarios/maoming-prefecture.yaml 1
#        tools/bench.sh scenarios/pushan-2020.yaml 1000 1 2 4 8 16
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:-scenarios/pushan-2020.yaml}
REPS=${2:-1000}
shift $(( $# < 2 ? $# : 2 ))
THREADS=("$@")
[ ${#THREADS[@]} -eq 0 ] && THREADS=(1 2)
BIN=build/src/cli/villagegrid
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
declare -A best
for t in "${THREADS[@]}"; do
  b=""
  for k in 1 2 3; do
    line=$("$BIN" run "$SCENARIO" --replicates "$REPS" --threads "$t" --out "$OUT/t$t" | grep '^Time:')
    sim=$(echo "$line" | sed -E 's/.*simulate ([0-9]+) ms.*/\1/')
    if [ -z "$b" ] || [ "$sim" -lt "$b" ]; then b=$sim; fi
  done
  best[$t]=$b
done
t_last=${THREADS[${#THREADS[@]}-1]}
echo "--- one run with --profile on $t_last threads:"
"$BIN" run "$SCENARIO" --replicates "$REPS" --threads "$t_last" --out "$OUT/profile" --quiet --profile
persons=$(python3 -c "import json;print(json.load(open('$OUT/profile/summary.json'))['population']['persons'])")
days=$(python3 -c "import json;print(json.load(open('$OUT/profile/summary.json'))['horizon_days'])")
echo "--- timing runs without --profile (best of 3):"
args=()
for t in "${THREADS[@]}"; do args+=("$t" "${best[$t]}"); done
python3 - "$persons" "$days" "$REPS" "${args[@]}" <<'PY'
import sys
persons, days, reps = map(float, sys.argv[1:4])
pairs = sys.argv[4:]
ad = persons * days * reps
print(f"scenario: {persons:.0f} persons x {days:.0f} days x {reps:.0f} replicates = {ad:.3g} agent-days")
base = None
for i in range(0, len(pairs), 2):
    t, ms = int(pairs[i]), float(pairs[i + 1])
    base = base or (t, ms)
    print(f"{t:2d} thread(s): simulate {ms:6.0f} ms -> {ad / (ms / 1000) / t / 1e6:6.1f} M agent-days/s per core;"
          f" speed-up vs {base[0]} thread(s): {base[1] / ms:.2f}x")
PY
