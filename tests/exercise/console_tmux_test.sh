#!/usr/bin/env bash
# The shipped drill played by a scripted team in a real terminal (tmux): keys sent to
# `villagegrid exercise console`, the screen read back, then the review's verdicts checked.
# Usage: console_tmux_test.sh VILLAGEGRID EXERCISE_FILE. Exit 77 (skipped, named by ctest) without tmux.
set -euo pipefail
vg=$1
file=$2
if ! command -v tmux >/dev/null; then
  echo "SKIP: tmux is not installed (tools/setup.sh installs it)"
  exit 77
fi
tmp=$(mktemp -d)
sock=vg-exercise-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

"$vg" exercise start "$file" --out "$tmp/ex" >/dev/null
tmux -L "$sock" new-session -d -s drill -x 160 -y 60 "$vg exercise console $tmp/ex; echo CONSOLE-EXITED; sleep 60"

# Waits (up to a minute: a slow machine is not a failure) until the screen shows the pattern.
wait_for() {
  for _ in $(seq 1 600); do
    tmux -L "$sock" capture-pane -p -t drill >"$tmp/screen"
    if grep -q -- "$1" "$tmp/screen"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the screen never showed: $1"
  cat "$tmp/screen"
  exit 1
}
send() { tmux -L "$sock" send-keys -t drill "$1" Enter; }

wait_for "INJECT \[day 3 08:00\] surge-bus"
wait_for "^exercise>"
wait_for "DAY 3 (2020-01-27)"
send "add 4 vilage_cadre to Pushan"
wait_for "did you mean 'village_cadre'"
wait_for "command refused; nothing changed"
send "add 4 village_cadre to Pushan"
wait_for "day 3: add 4 village_cadre to Pushan"
send "note more screeners for the buses"
wait_for "DECISIONS SO FAR: 2"
send "next"
wait_for "INJECT \[day 5 07:00\] doctor-ill"
send "add 1 village_doctor to Pushan"
wait_for "day 5: add 1 village_doctor to Pushan"
send "next"
wait_for "INJECT \[day 7 00:00\] masks-gone"
send "request 200 masks via onsite_purchase for Pushan"
wait_for "day 7: request 200 masks via onsite_purchase for Pushan"
send "advance 10"
wait_for "EXERCISE OVER"
grep -q "INJECT \[day 9 10:00\] rumour" "$tmp/screen" || { echo "FAIL: the rumour was not shown"; cat "$tmp/screen"; exit 1; }
send "review"
wait_for "review written to"
send "quit"
wait_for "CONSOLE-EXITED"
cp "$tmp/ex/review.md" "$tmp/console-review.md"

"$vg" exercise review "$tmp/ex" >"$tmp/review.out"
cmp "$tmp/ex/review.md" "$tmp/console-review.md" || { echo "FAIL: the console's review differs from the command's"; exit 1; }
expect() {
  grep -qF -- "$1" "$2" || { echo "FAIL: $2 lacks: $1"; cat "$2"; exit 1; }
}
expect "screen-surge: met" "$tmp/review.out"
expect "teams-complete: partly" "$tmp/review.out"
expect "masks: met" "$tmp/review.out"
expect "| 3 | 00:00 | expected | surge-bus | done on day 3 | add 4 village_cadre to Pushan |" "$tmp/ex/review.md"
expect "| 3 | 00:00 | expected | surge-bus | missed | overtime 2 hours for village_doctor in Pushan for 3 days |" "$tmp/ex/review.md"
expect "| 5 | 00:00 | expected | doctor-ill | done on day 5 | add 1 village_doctor to Pushan |" "$tmp/ex/review.md"
expect "| 3 | 00:00 | decision |  |  | note more screeners for the buses |" "$tmp/ex/review.md"
echo "PASS"
