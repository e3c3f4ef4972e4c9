#!/usr/bin/env bash
# Macro benchmark: runs a scenario (default: the shipped Pushan scenario) with N replicates on 1
# and on 2 threads and prints wall time, agent-days per second per core and the 2-thread speed-up.
# Usage: tools/bench.sh [SCENARIO] [REPLICATES]   (build first: tools/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SCENARIO=${1:-scenarios/pushan-2020.yaml}
REPS=${2:-1000}
BIN=build/src/cli/villagegrid
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
declare -A ms
for t in 1 2; do
  best=""
  for k in 1 2 3; do
    line=$("$BIN" run "$SCENARIO" --replicates "$REPS" --threads "$t" --out "$OUT/t$t" | grep '^Time:')
    sim=$(echo "$line" | sed -E 's/.*simulate ([0-9]+) ms.*/\1/')
    if [ -z "$best" ] || [ "$sim" -lt "$best" ]; then best=$sim; fi
  done
  ms[$t]=$best
done
persons=$(python3 -c "import json;print(json.load(open('$OUT/t1/summary.json'))['population']['persons'])")
days=$(python3 -c "import json;print(json.load(open('$OUT/t1/summary.json'))['horizon_days'])")
python3 - "$persons" "$days" "$REPS" "${ms[1]}" "${ms[2]}" <<'PY'
import sys
persons, days, reps, t1, t2 = map(float, sys.argv[1:])
ad = persons * days * reps
print(f"scenario: {persons:.0f} persons x {days:.0f} days x {reps:.0f} replicates = {ad:.3g} agent-days")
print(f"1 thread : simulate {t1:.0f} ms  -> {ad / (t1 / 1000) / 1e6:.1f} M agent-days/s per core")
print(f"2 threads: simulate {t2:.0f} ms  -> {ad / (t2 / 1000) / 2 / 1e6:.1f} M agent-days/s per core")
print(f"speed-up 2 threads vs 1: {t1 / t2:.2f}x")
PY
