#!/usr/bin/env bash
# The gate after ctest: a suite that did not run is not green.
#  - Fails when ctest's JUnit report has a test that was skipped or not run, unless
#    tests/allowed-skips.txt names it with its reason (`NAME  # why`).
#  - Fails when a test binary, run whole, exits non-zero: a fixture that fails in SetUpTestSuite
#    makes googletest mark its tests skipped, which gtest_discover_tests' skip pattern would count
#    as passed, but the binary itself exits 1.
# Usage: tools/check-tests.sh [--junit FILE] [--allow FILE] [BINARY...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
junit="" allow="$root/tests/allowed-skips.txt" bad=0
while [ $# -gt 0 ]; do
  case "$1" in
    --junit) junit=$2; shift 2 ;;
    --allow) allow=$2; shift 2 ;;
    *) break ;;
  esac
done

if [ -n "$junit" ]; then
  if [ ! -s "$junit" ]; then
    echo "check-tests: no JUnit report at $junit: ctest did not run" >&2
    exit 1
  fi
  declare -A allowed=()
  if [ -f "$allow" ]; then
    while IFS= read -r line; do
      case "$line" in ''|'#'*) continue ;; esac
      name=${line%%#*}; name=${name//[[:space:]]/}
      if [ "$name" = "${line//[[:space:]]/}" ] || [ -z "${line#*#}" ]; then
        echo "check-tests: $allow: '$name' has no reason (write NAME  # why it may be skipped)" >&2
        bad=1
      fi
      allowed[$name]=1
    done <"$allow"
  fi
  ran=0
  while IFS=$'\t' read -r name status; do
    ran=$((ran + 1))
    [ "$status" = run ] && continue
    if [ -n "${allowed[$name]:-}" ]; then
      echo "check-tests: $name $status (allowed: see $(basename "$allow"))"
    else
      echo "check-tests: $name was $status: a skipped test is a failed test (fix it, or name it with a reason in tests/allowed-skips.txt)" >&2
      bad=1
    fi
  done < <(sed -n 's/.*<testcase name="\([^"]*\)".* status="\([a-z]*\)".*/\1\t\2/p' "$junit")
  if [ "$ran" -eq 0 ]; then
    echo "check-tests: $junit lists no test" >&2
    bad=1
  fi
fi

for bin in "$@"; do
  out=$("$bin" --gtest_brief=1 2>&1)
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "$out" | tail -n 20 >&2
    echo "check-tests: $(basename "$bin") exited $rc when run whole (a failing fixture or test)" >&2
    bad=1
  fi
done
exit "$bad"
