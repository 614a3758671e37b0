#!/bin/sh
# SPDX-License-Identifier: MIT
# check-layers.sh — the core's layer rules, checked from the table in
# core/README.md (between the "layers:begin" and "layers:end" marks):
#   - a core file may include headers of its own layer, of the layers its
#     row lists, of the SDK (lpsa/...) and of the system;
#   - it may not include the system headers its row refuses (engine/: no
#     stdio, json-c, curl or SQLite);
#   - nothing outside core/cli/ (core, plugins/, sdk/) includes a CLI header;
#   - every folder of core/ has a row, and no header name is in two layers.
# The compiler refuses most of this already (each layer sees only its own
# and its dependencies' include folders); this check is exact where the
# compiler cannot be (a dependency's dependencies are visible to it).
#   tests/ci/check-layers.sh [TREE]   TREE: the source tree (default: ours)
# Prints each violation as FILE:LINE: what; exits 1 when there is any.
set -eu
tree=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
core=$tree/core
readme=$core/README.md
[ -f "$readme" ] || {
  echo "check-layers: $readme not found" >&2
  exit 2
}

# The table: "| `layer` | may include | refuses |" rows between the marks.
rules=$(awk '
  /<!-- layers:begin -->/ { on = 1; next }
  /<!-- layers:end -->/ { on = 0 }
  on && /^\|[ ]*`[a-z_]+`/ {
    n = split($0, c, "|")
    name = c[2]; gsub(/[` ]/, "", name)
    uses = c[3]; gsub(/[`,]/, " ", uses); gsub(/—|-/, " ", uses)
    refuses = c[4]; gsub(/[`,]/, " ", refuses); gsub(/—/, " ", refuses)
    gsub(/[ ]+/, " ", uses); gsub(/[ ]+/, " ", refuses)
    print name "|" uses "|" refuses
  }' "$readme")
if [ -z "$rules" ]; then
  echo "check-layers: no layer table between <!-- layers:begin --> and" \
    "<!-- layers:end --> in $readme" >&2
  exit 2
fi

layers=$(printf '%s\n' "$rules" | cut -d'|' -f1)
status=0
fail() {
  echo "$1"
  status=1
}

for d in "$core"/*/; do
  l=$(basename "$d")
  printf '%s\n' "$layers" | grep -qx "$l" ||
    fail "core/$l/: a folder with no row in core/README.md's layer table: add one (what it may include)"
done

# header name -> layer, for the headers directly in each layer folder (the
# include folders); a name in two layers would make includes ambiguous.
owners=$(for l in $layers; do
  [ -d "$core/$l" ] || continue
  for h in "$core/$l"/*.h; do
    if [ -f "$h" ]; then echo "$(basename "$h") $l"; fi
  done
done)
owners="$owners
version.h base"
dups=$(printf '%s\n' "$owners" | awk '{ n[$1]++; l[$1] = l[$1] " " $2 }
  END { for (h in n) if (n[h] > 1) print h ":" l[h] }')
for d in $dups; do
  fail "core: ${d%%:*} is in two layers (${d#*:}): rename one"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' "$rules" >"$tmp/rules"
printf '%s\n' "$owners" >"$tmp/owners"

# Every include of every file given: FILE|LINE|QUOTE|HEADER|EXISTS-NEXT-TO-IT
# (engine/pure/ holds the stand-ins for refused headers, not code).
includes() {
  find "$@" -type f \( -name '*.c' -o -name '*.h' \) ! -path '*/engine/pure/*' |
    sort >"$tmp/files"
  [ -s "$tmp/files" ] || return 0
  # shellcheck disable=SC2046
  awk '
    /^[ \t]*#[ \t]*include[ \t]*["<]/ {
      s = $0
      sub(/^[ \t]*#[ \t]*include[ \t]*/, "", s)
      q = substr(s, 1, 1)
      s = substr(s, 2)
      sub(/[">].*/, "", s)
      print FILENAME "|" FNR "|" q "|" s
    }' $(cat "$tmp/files")
}

# One awk judges every include against the table.
includes "$core" | awk -F'|' -v tree="$tree/" -v core="$core/" '
  FILENAME == ARGV[1] { uses[$1] = $2; refuses[$1] = $3; next }
  FILENAME == ARGV[2] { split($0, o, " "); owner[o[1]] = o[2]; next }
  {
    f = $1; line = $2; q = $3; h = $4
    rel = substr(f, length(tree) + 1)
    split(substr(f, length(core) + 1), part, "/")
    layer = part[1]
    if (!(layer in uses))
      next # reported as a folder with no row
    if (q == "<") {
      n = split(refuses[layer], r, " ")
      for (i = 1; i <= n; i++)
        if (r[i] == h || (r[i] ~ /\/$/ && index(h, r[i]) == 1))
          printf "%s:%s: includes <%s>: %s/ may not include <%s> (core/README.md)\n",
                 rel, line, h, layer, r[i]
      next
    }
    if (h ~ /^lpsa\//)
      next
    b = h; sub(/.*\//, "", b)
    if (!(b in owner)) {
      dir = f; sub(/\/[^\/]*$/, "", dir)
      if (system("test -f \"" dir "/" h "\"") == 0)
        next # a header beside it in its own folder
      printf "%s:%s: includes \"%s\", which no layer holds\n", rel, line, h
      next
    }
    if (owner[b] == layer)
      next
    if ((" " uses[layer] " ") ~ (" " owner[b] " "))
      next
    if (owner[b] == "cli") {
      printf "%s:%s: includes the CLI'"'"'s %s: only core/cli/ may (pass the %s layer what it needs instead)\n",
             rel, line, b, layer
      next
    }
    allowed = uses[layer]; gsub(/^ +| +$/, "", allowed); gsub(/ +/, ", ", allowed)
    allowed = allowed == "" ? "" : " and " allowed
    printf "%s:%s: includes %s/%s: %s/ may include only its own headers%s (core/README.md)\n",
           rel, line, owner[b], b, layer, allowed
  }' "$tmp/rules" "$tmp/owners" - >"$tmp/viol"
if [ -s "$tmp/viol" ]; then
  cat "$tmp/viol"
  status=1
fi

# The CLI's headers outside core/: the drivers and the SDK.
outside=""
for d in "$tree/plugins" "$tree/sdk"; do
  if [ -d "$d" ]; then outside="$outside $d"; fi
done
if [ -n "$outside" ]; then
  # shellcheck disable=SC2086
  includes $outside | awk -F'|' -v tree="$tree/" '
    FILENAME == ARGV[1] { split($0, o, " "); if (o[2] == "cli") cli[o[1]] = 1; next }
    $3 == "\"" {
      b = $4; sub(/.*\//, "", b)
      if (b in cli)
        printf "%s:%s: includes the CLI'"'"'s %s: only core/cli/ may\n",
               substr($1, length(tree) + 1), $2, b
    }' "$tmp/owners" - >"$tmp/cviol"
  if [ -s "$tmp/cviol" ]; then
    cat "$tmp/cviol"
    status=1
  fi
fi

if [ $status -eq 0 ]; then
  echo "check-layers: every include keeps to core/README.md's layer table"
fi
exit $status
