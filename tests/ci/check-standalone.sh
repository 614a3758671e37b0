#!/bin/sh
# SPDX-License-Identifier: MIT
# check-standalone.sh [SOURCE_DIR] — the code comments, READMEs, man pages
# and test files stand alone: none cites a tracker's issue by its number,
# the planning folder beside the repository (its reference notes on each
# API included) or a design file outside the tree; the patterns below say
# exactly what is refused. Say what the text means instead. Files are
# those git tracks (text only); without git, every file under SOURCE_DIR but
# build*/ and .git/. Exit 1, listing each line that cites one.
set -eu
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$src"
# The patterns are written so that they do not match themselves.
pattern='[Ii]ssue #?[0-9]+|\.\./shared|(^|[^A-Za-z0-9_])shared/(reference|seed)/|(^|[^A-Za-z0-9_/])reference/(lastpass|connectwise|autotask|halopsa)\.md|DESIGN\.md'
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  hits=$(git grep -nIE "$pattern" -- . || true)
else
  hits=$(grep -rnIE --exclude-dir=.git --exclude-dir='build*' "$pattern" . |
    sed 's|^\./||' || true)
fi
if [ -n "$hits" ]; then
  printf '%s\n' "$hits" | sed 's/^/check-standalone: /'
  n=$(printf '%s\n' "$hits" | wc -l)
  echo "check-standalone: $n line(s) cite an issue number or a document" \
    "outside the tree: say what is meant instead, so the text stands alone"
  exit 1
fi
echo "check-standalone: no issue number or document outside the tree cited"
