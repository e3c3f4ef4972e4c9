#!/usr/bin/env bash
# Sanitizers and fuzzing, bounded in time; .ci/run runs it after the suite. Installs what it needs.
#  1. ASan + UBSan (GCC, every finding fatal) build in build-asan: the whole ctest suite, then
#     tools/fuzz-inputs.py's mutation fuzzing of the shipped YAML through `check` and `run`.
#  2. clang + libFuzzer (+ ASan, UBSan) build in build-fuzz: each fuzz target (tests/fuzz) for a
#     fixed number of inputs from a fixed seed (so CI tries exactly what a developer tried; capped at
#     FUZZ_SECONDS each), from a seed corpus of the shipped YAML, the bad-input goldens and the saved
#     inputs of tests/data/fuzz/<target>/. A crash fails the run; the input is left in
#     build-fuzz/crashes/ (copy it to tests/data/fuzz/<target>/ with the fix, so the suite replays it).
#  3. clang + ThreadSanitizer build in build-tsan (oneTBB's header code uninstrumented and atomic
#     races, which are oneTBB's join, not reported: tools/tsan-ignorelist.txt says why; our data's
#     hand-off and join annotated: src/core/tsan.h): first
#     tests/sanitize/tsan_canary, a deliberate race between two oneTBB tasks that TSan must report
#     (so neither can hide a real race); then the engine's tests and multi-threaded runs of the
#     shipped scenarios, every report fatal. No suppressions.
# Usage: tools/sanitize.sh [asan|fuzz|tsan|all]   (env: FUZZ_RUNS=100000, FUZZ_SECONDS=180, FUZZ_SEED=1,
#        FUZZ_INPUTS=150)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
FUZZ_SECONDS=${FUZZ_SECONDS:-180}
FUZZ_RUNS=${FUZZ_RUNS:-100000}
FUZZ_SEED=${FUZZ_SEED:-1}
FUZZ_INPUTS=${FUZZ_INPUTS:-150}
jobs=$(nproc)

PACKAGES=(cmake g++ make clang python3 libeigen3-dev libyaml-cpp-dev libtbb-dev googletest libgtest-dev
          libbenchmark-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev libcpp-httplib-dev pkg-config)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if [ "$what" = asan ] || [ "$what" = all ]; then
  echo "== sanitize: ASan + UBSan build and suite (build-asan)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVILLAGEGRID_BUILD_BENCH=OFF \
    -DVILLAGEGRID_SANITIZE=address,undefined "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=all" >/dev/null
  cmake --build build-asan -j "$jobs"
  (cd build-asan && ctest --output-on-failure -j "$jobs")
  echo "== sanitize: mutation fuzzing through the CLI ($FUZZ_INPUTS inputs, ASan build)"
  VILLAGEGRID_BIN=build-asan/src/cli/villagegrid python3 tools/fuzz-inputs.py 7 "$FUZZ_INPUTS"
fi

if [ "$what" = fuzz ] || [ "$what" = all ]; then
  echo "== sanitize: libFuzzer targets, $FUZZ_RUNS inputs each from seed $FUZZ_SEED (at most ${FUZZ_SECONDS} s; build-fuzz)"
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DVILLAGEGRID_BUILD_BENCH=OFF -DVILLAGEGRID_FUZZ=ON -DVILLAGEGRID_SANITIZE=address,undefined,fuzzer-no-link \
    "${launcher[@]}" -DCMAKE_CXX_FLAGS="-fno-sanitize-recover=all" >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_scenario fuzz_expression fuzz_policy
  mkdir -p build-fuzz/crashes
  for target in scenario expression policy; do
    corpus=build-fuzz/corpus/$target
    rm -rf "$corpus"  # from the seeds alone each time, so every run tries the same inputs
    mkdir -p "$corpus"
    # Saved inputs (tests/data/fuzz/<target>/, only where a target has some: git keeps no empty
    # folder, and libFuzzer stops on a missing one) and, for the YAML targets, the shipped YAML.
    seeds=()
    [ -d "tests/data/fuzz/$target" ] && seeds+=("tests/data/fuzz/$target")
    [ "$target" != expression ] && seeds+=(scenarios rules tests/data/bad)
    # -timeout: one input over 10 s is a hang; -rss_limit_mb: a leak or a blow-up is a finding too.
    if ! build-fuzz/tests/fuzz_$target "$corpus" "${seeds[@]}" -runs="$FUZZ_RUNS" -seed="$FUZZ_SEED" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -artifact_prefix="build-fuzz/crashes/$target-" -print_final_stats=1 \
        2>build-fuzz/fuzz-$target.log; then
      tail -n 40 "build-fuzz/fuzz-$target.log"
      echo "sanitize: fuzz_$target found a problem; the input is in build-fuzz/crashes/" >&2
      exit 1
    fi
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "build-fuzz/fuzz-$target.log" | sed "s/^/fuzz_$target: /"
  done
fi
if [ "$what" = tsan ] || [ "$what" = all ]; then
  echo "== sanitize: ThreadSanitizer build, canary, engine tests and threaded runs (build-tsan)"
  # No ccache here: it does not hash the ignorelist's contents, so an edit would reuse stale objects.
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DVILLAGEGRID_BUILD_BENCH=OFF -DVILLAGEGRID_SANITIZE=thread -DCMAKE_CXX_COMPILER_LAUNCHER= >/dev/null
  CCACHE_DISABLE=1 cmake --build build-tsan -j "$jobs" --target villagegrid vg_test_sim tsan_canary
  # report_atomic_races=0: races between an atomic and a plain access are oneTBB's join (src/ has
  # no atomics); tools/tsan-ignorelist.txt says why. Plain-access races stay fatal.
  export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 report_atomic_races=0"
  if build-tsan/tests/tsan_canary >build-tsan/canary.log 2>&1 || ! grep -q "ThreadSanitizer: data race" build-tsan/canary.log; then
    cat build-tsan/canary.log
    echo "sanitize: ThreadSanitizer did not report the canary's race: it would not show a real one" >&2
    exit 1
  fi
  echo "tsan: the canary's race is reported"
  build-tsan/tests/vg_test_sim --gtest_brief=1
  build-tsan/src/cli/villagegrid compare scenarios/returnees-central.yaml scenarios/returnees-low.yaml \
    --threads "$(( jobs > 1 ? jobs : 2 ))" --replicates 4 --out build-tsan/runs/compare >/dev/null
  echo "tsan: compare (results store, replicates assembled by the workers): no report"
  for s in pushan-2020 maoming-villages pushan-2020-guidelines; do
    build-tsan/src/cli/villagegrid run "scenarios/$s.yaml" --threads "$(( jobs > 1 ? jobs : 2 ))" --replicates 4 \
      --trace --quiet --out "build-tsan/runs/$s" >/dev/null
    echo "tsan: $s, 4 replicates on $(( jobs > 1 ? jobs : 2 )) threads: no report"
  done
fi
echo "sanitize: clean"
