#!/usr/bin/env bash
# Proves that tools/check-tests.sh fails a suite that hides failures, and passes one that does not.
# Usage: gate_test.sh CHECK_TESTS PROBE_BINARY PASSING_BINARY DATA_DIR
set -u
check=$1 probe=$2 passing=$3 data=$4 fails=0
expect() {  # expect RC PATTERN -- ARGS...
  local want=$1 pattern=$2; shift 3
  local out rc
  out=$("$check" "$@" 2>&1); rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -q -- "$pattern" <<<"$out"; then
    echo "FAIL: check-tests.sh $* gave exit $rc (expected $want) and output:"; echo "$out"
    echo "(expected it to say: $pattern)"
    fails=$((fails + 1))
  fi
}
expect 1 "exited 1 when run whole" -- "$probe"
expect 1 "Probe.FixtureFailed was notrun" -- --junit "$data/skipped.xml" --allow /dev/null
expect 0 "Probe.FixtureFailed notrun (allowed" -- --junit "$data/skipped.xml" --allow "$data/allow.txt"
expect 1 "no JUnit report" -- --junit "$data/missing.xml"
expect 0 "" -- "$passing"
[ "$fails" -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, $fails failed"
exit "$fails"
