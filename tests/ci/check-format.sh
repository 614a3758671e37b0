#!/bin/sh
# SPDX-License-Identifier: MIT
# check-format.sh [SOURCE_DIR] — every C and C++ source and header of the
# project (.c .h .cpp) is formatted as the tree's .clang-format says: exit
# 1 naming each file clang-format would change (and how to fix it). Files
# are those git tracks; without git, every such file under SOURCE_DIR but
# build*/ and .git/. Fuzz corpora and crash inputs are data, not sources.
# CLANG_FORMAT names the program (default: clang-format).
set -eu
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
fmt=${CLANG_FORMAT:-clang-format}
cd "$src"
command -v "$fmt" >/dev/null 2>&1 || {
  echo "check-format: $fmt not found; install clang-format" >&2
  exit 2
}
[ -f .clang-format ] || {
  echo "check-format: $src has no .clang-format" >&2
  exit 2
}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files '*.c' '*.h' '*.cpp')
else
  files=$(find . -path ./.git -prune -o -path './build*' -prune -o -type f \
    \( -name '*.c' -o -name '*.h' -o -name '*.cpp' \) -print | sed 's|^\./||')
fi
bad=0
for f in $files; do
  case "$f" in tests/fuzz/corpus/* | tests/fuzz/crashes/*) continue ;; esac
  [ -f "$f" ] || continue
  if ! "$fmt" --style=file --dry-run -Werror "$f" >/dev/null 2>&1; then
    echo "check-format: $f is not formatted; run: $fmt -i $f" >&2
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "check-format: $bad file(s) to format ($("$fmt" --version))" >&2
  exit 1
fi
echo "check-format: every source is formatted"
