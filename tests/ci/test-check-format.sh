#!/bin/sh
# SPDX-License-Identifier: MIT
# test-check-format.sh — check-format.sh fails, naming the file, on an
# unformatted source planted in a scratch tree (no git: every file counts),
# passes once it is formatted, and leaves fuzz corpora alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check-format.sh
fmt=${CLANG_FORMAT:-clang-format}
command -v "$fmt" >/dev/null 2>&1 || { echo "no $fmt: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
mkdir -p "$tree/core" "$tree/tests/fuzz/corpus"
cp "$here/../../.clang-format" "$tree/"
printf 'int a;\n' >"$tree/core/a.c"
printf 'int   unformatted (void){return 0;}\n' >"$tree/tests/fuzz/corpus/seed.c"
failures=0
for planted in core/b.c core/b.h sdk/c.cpp; do
  mkdir -p "$(dirname "$tree/$planted")"
  printf 'int   f (void){return 0;}\n' >"$tree/$planted"
  if out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
    echo "FAIL: check-format passed with $planted unformatted"
    failures=$((failures + 1))
  elif ! printf '%s\n' "$out" | grep -qF "check-format: $planted is not"; then
    echo "FAIL: check-format did not name $planted:"
    printf '%s\n' "$out"
    failures=$((failures + 1))
  else
    echo "ok: $planted unformatted is named"
  fi
  "$fmt" -i --style=file "$tree/$planted"
done
if ! out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
  echo "FAIL: check-format refuses a formatted tree:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
fi
exit "$failures"
