#!/usr/bin/env bash
# House rules over the tree (.ci/run runs it after the tests; run it before you commit):
#  - every C++ file formatted as .clang-format says (fix with `clang-format -i FILE`);
#  - no file over 700 lines in src/;
#  - no std::atomic in src/: the TSan job does not report races with atomic accesses (they are
#    oneTBB's join; tools/tsan-ignorelist.txt says why), which is sound only while our own code
#    has none;
#  - clang-tidy's checks of .clang-tidy over src/, warnings as errors (no function over 120 lines
#    among them), using BUILD/compile_commands.json.
# Usage: tools/check-tree.sh [BUILD]    (installs clang-format and clang-tidy if missing)
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-${BUILD_DIR:-build}}
missing=()
for p in clang-format clang-tidy; do command -v "$p" >/dev/null || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
bad=0
mapfile -t cxx < <(git ls-files '*.cpp' '*.h')
if ! clang-format --dry-run --Werror "${cxx[@]}" 2>/tmp/check-tree-format.$$; then
  grep -E '^[^ ].*(warning|error):' /tmp/check-tree-format.$$ | head -20
  echo "check-tree: clang-format would change $(grep -c 'warning:' /tmp/check-tree-format.$$) places (clang-format -i FILE)"
  bad=1
fi
rm -f /tmp/check-tree-format.$$
while read -r n f; do
  [ "$f" = total ] && continue
  [ "$n" -gt 700 ] && { echo "check-tree: $f has $n lines (at most 700 in src/: split it)"; bad=1; }
done < <(git ls-files 'src/*.cpp' 'src/*.h' | xargs wc -l)
if git grep -n -E 'std::atomic|#include <atomic>' -- 'src/*.cpp' 'src/*.h'; then
  echo "check-tree: std::atomic in src/ (see tools/tsan-ignorelist.txt before adding one)"
  bad=1
fi
if [ ! -f "$build/compile_commands.json" ]; then
  echo "check-tree: no $build/compile_commands.json: build first (tools/setup.sh)"
  exit 1
fi
mapfile -t srcs < <(git ls-files 'src/*.cpp')
if ! run-clang-tidy -p "$build" -quiet -j "$(nproc)" -extra-arg=-Wno-unknown-warning-option "${srcs[@]}" >/tmp/check-tree-tidy.$$ 2>&1; then
  grep -E '(warning|error): ' /tmp/check-tree-tidy.$$ | sort -u | head -40
  echo "check-tree: clang-tidy found problems (.clang-tidy)"
  bad=1
fi
rm -f /tmp/check-tree-tidy.$$
[ "$bad" -eq 0 ] && echo "check-tree: format, file sizes and clang-tidy clean"
exit "$bad"
