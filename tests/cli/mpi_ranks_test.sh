#!/usr/bin/env bash
# mpi_ranks_identical_outputs (ctest, with -DVILLAGEGRID_MPI=ON): `run` (with --trace), `compare`
# and `plan` (with an answer, and without one: its half-roster probe) under `mpirun -np 1`, 2 and 4
# write the same outputs as one process without mpirun:
# `diff -r` of the folders, and results.sqlite by its rows (sorted: one process records replicates
# in the order its threads finish them, so its pages differ from run to run even without MPI).
# Usage: mpi_ranks_test.sh VILLAGEGRID SOURCE_DIR WORK_DIR
set -euo pipefail
vg=$1 src=$2 work=$3
for tool in mpirun sqlite3; do
  command -v "$tool" >/dev/null || { echo "mpi_ranks_test: no $tool (tools/test.sh installs openmpi-bin and sqlite3)" >&2; exit 1; }
done
# mpirun refuses root without these (CI runs as root); --oversubscribe: 4 ranks on 2 cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
rm -rf "$work" && mkdir -p "$work"
s=$src/scenarios
declare -A cmds=(
  [run]="run $s/pushan-2020.yaml --replicates 5 --trace --quiet --threads 1"
  [compare]="compare $s/returnees-low.yaml $s/returnees-high.yaml --replicates 5 --quiet --threads 1"
  [plan]="plan $s/pushan-2020.yaml --target screened_within_24h_of_arrival_share>=0.3 --vary village_cadre=5..12 --replicates 6 --quiet --threads 1"
  [plan-none]="plan $s/pushan-2020.yaml --target screened_within_24h_of_arrival_share>=0.9 --vary village_cadre=5..12 --replicates 6 --quiet --threads 1"
)
rows() { sqlite3 "$1" .dump | sort; }
status=0
for name in run compare plan plan-none; do
  # shellcheck disable=SC2086  # the command's words
  "$vg" ${cmds[$name]} --out "$work/$name-1p"
  for k in 1 2 4; do
    # shellcheck disable=SC2086
    mpirun -np "$k" --oversubscribe "$vg" ${cmds[$name]} --out "$work/$name-$k"
    if ! diff -r -x results.sqlite "$work/$name-1p" "$work/$name-$k"; then
      echo "mpi_ranks_test: $name with $k ranks wrote other outputs than one process" >&2
      status=1
    fi
    if [ -f "$work/$name-1p/results.sqlite" ] && ! diff <(rows "$work/$name-1p/results.sqlite") <(rows "$work/$name-$k/results.sqlite") >/dev/null; then
      echo "mpi_ranks_test: $name with $k ranks stored other rows in results.sqlite" >&2
      status=1
    fi
  done
  echo "mpi_ranks_test: $name: 1, 2 and 4 ranks write what one process writes ($(ls "$work/$name-1p" | tr '\n' ' '))"
done
# A build's refusal is no pass: the folders above must hold real outputs.
[ -s "$work/run-4/summary.json" ] && [ -s "$work/compare-4/compare.csv" ] && [ -s "$work/plan-4/plan.json" ] || status=1
grep -q '"more_staff_helps"' "$work/plan-none-4/plan.json" || status=1
exit "$status"
