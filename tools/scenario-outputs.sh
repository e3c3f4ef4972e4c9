#!/usr/bin/env bash
# Runs every shipped scenario with a fixed seed (with --trace) into OUT/<scenario>/, for checking
# that a change leaves outputs byte-identical: run it before and after, then `diff -r BEFORE AFTER`.
# Usage: tools/scenario-outputs.sh OUT [VILLAGEGRID]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: tools/scenario-outputs.sh OUT [VILLAGEGRID]}
vg=${2:-build/src/cli/villagegrid}
mkdir -p "$out"
for s in scenarios/*.yaml; do
  name=$(basename "$s" .yaml)
  reps=20
  [ "$name" = maoming-prefecture ] && reps=1
  "$vg" run "$s" --seed 7 --replicates "$reps" --trace --quiet --out "$out/$name" >/dev/null
done
echo "scenario outputs in $out"
