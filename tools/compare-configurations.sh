#!/usr/bin/env bash
# The paired comparisons docs/grids.md and docs/scenario-catalogue.md quote (issue 11's "show it"):
# each makes copies of a shipped scenario that differ in one thing, in scenarios/ (paths in a
# scenario are relative to its file), runs `villagegrid compare` with common random numbers, prints
# the Markdown table (tools/compare-table.py) and removes the copies.
#   grids        pushan-2020-guidelines: three-level, cadre-led, two-level grids
#   teams        pushan-2020 and maoming-villages: "5+1" against "3+1" tracking
#   self-report  pushan-2020: self-report low / central / high (docs/assumptions.md, "Finding")
# Usage: tools/compare-configurations.sh [grids|teams|self-report|all] [REPLICATES (50)] [VILLAGEGRID]
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
reps=${2:-50}
vg=${3:-build/src/cli/villagegrid}
out=${OUT:-runs/configurations}
copies=()
trap 'rm -f "${copies[@]}"' EXIT
metrics=(returnees_arrived found_share never_found found_self_report found_household_visit found_checkpoint
         arrival_to_found_hours arrival_to_screened_hours screened_within_24h_of_arrival_share
         households_never_contacted team_complete_share infections_local detection_delay_days
         returnee_cases_detected_share tasks_late)

copy() {  # copy FROM NAME SED-EXPRESSION...: scenarios/.cmp-NAME.yaml
  local from=$1 name=$2; shift 2
  local to="scenarios/.cmp-$name.yaml"
  sed "$@" -e "s|^  name: .*|  name: $name|" "scenarios/$from.yaml" >"$to"
  copies+=("$to")
}

compare() {  # compare OUTNAME FILE...
  local name=$1; shift
  "$vg" compare "$@" --replicates "$reps" --out "$out/$name" >/dev/null
  echo "### $name ($reps replicates, seed of the first file)"
  python3 tools/compare-table.py "$out/$name" "${metrics[@]}"
  echo
}

if [ "$what" = grids ] || [ "$what" = all ]; then
  copy pushan-2020-guidelines cadre-led -e "s|grid: grids/three-level.yaml|grid: grids/three-level-cadre-led.yaml|"
  copy pushan-2020-guidelines two-level -e "s|grid: grids/three-level.yaml|grid: grids/two-level.yaml|"
  compare grids scenarios/pushan-2020-guidelines.yaml scenarios/.cmp-cadre-led.yaml scenarios/.cmp-two-level.yaml
fi
if [ "$what" = teams ] || [ "$what" = all ]; then
  for s in pushan-2020 maoming-villages; do
    sed "s|start_tracking: five_plus_one|start_tracking: three_plus_one|" rules/returnees.yaml >rules/.cmp-returnees.yaml
    copies+=(rules/.cmp-returnees.yaml)
    copy "$s" "$s-three-plus-one" -e "s|tracking/five-plus-one.yaml|tracking/three-plus-one.yaml|" \
      -e "s|rules/returnees.yaml|rules/.cmp-returnees.yaml|"
    compare "teams-$s" "scenarios/$s.yaml" "scenarios/.cmp-$s-three-plus-one.yaml"
  done
fi
if [ "$what" = self-report ] || [ "$what" = all ]; then
  copy pushan-2020 self-report-low \
    -e "s|key_area: {probability: 0.6, median_delay_hours: 24}|key_area: {probability: 0.3, median_delay_hours: 72}|" \
    -e "s|other_province: {probability: 0.4, median_delay_hours: 48}|other_province: {probability: 0.2, median_delay_hours: 96}|" \
    -e "s|within_province: {probability: 0.25, median_delay_hours: 72}|within_province: {probability: 0.1, median_delay_hours: 120}|"
  copy pushan-2020 self-report-high \
    -e "s|key_area: {probability: 0.6, median_delay_hours: 24}|key_area: {probability: 0.9, median_delay_hours: 6}|" \
    -e "s|other_province: {probability: 0.4, median_delay_hours: 48}|other_province: {probability: 0.7, median_delay_hours: 12}|" \
    -e "s|within_province: {probability: 0.25, median_delay_hours: 72}|within_province: {probability: 0.5, median_delay_hours: 24}|"
  for c in low high; do
    cmp -s scenarios/pushan-2020.yaml "scenarios/.cmp-self-report-$c.yaml" && { echo "self-report $c: the copy did not change" >&2; exit 1; }
  done
  compare self-report scenarios/pushan-2020.yaml scenarios/.cmp-self-report-low.yaml scenarios/.cmp-self-report-high.yaml
fi
