#!/bin/sh
# SPDX-License-Identifier: MIT
# test-check-standalone.sh — check-standalone.sh fails, naming the file and
# line, on each kind of citation planted in a scratch tree (no git: every
# file counts), and passes on a tree whose text merely mentions issues.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check-standalone.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tree=$tmp/tree
mkdir -p "$tree/core" "$tree/conf"
# Mentions that are not citations.
printf '/* the token was issued; issues of a wire format */\nint a;\n' \
  >"$tree/core/a.c"
printf 'Report issues to the maintainers.\n' >"$tree/README.md"
# The citations are assembled at run time so this file does not hold them.
i=issue
s=shared
d=DESIGN
r=reference
I=Issue
failures=0
for case in "core/b.c:/* see $i 9 */" "core/c.h: * ($i #12, item 3)" \
  "README.md:As ../$s/notes say" "conf/lpsa.5:from $s/reference/x.md" \
  "tests.md:see $r/connectwise.md" "notes.txt:per $d.md" \
  "core/d.c:/* $I 4 */"; do
  file=${case%%:*}
  text=${case#*:}
  cp "$tree/$file" "$tmp/saved" 2>/dev/null || : >"$tmp/saved"
  printf '%s\n' "$text" >>"$tree/$file"
  if out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
    echo "FAIL: check-standalone passed with \"$text\" in $file"
    failures=$((failures + 1))
  elif ! printf '%s\n' "$out" | grep -qF "check-standalone: $file:"; then
    echo "FAIL: check-standalone did not name $file:"
    printf '%s\n' "$out"
    failures=$((failures + 1))
  else
    echo "ok: \"$text\" in $file is named"
  fi
  cp "$tmp/saved" "$tree/$file"
  [ -s "$tree/$file" ] || rm -f "$tree/$file"
done
if ! out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
  echo "FAIL: check-standalone refuses a clean tree:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
fi
exit "$failures"
