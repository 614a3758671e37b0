#!/bin/sh
# SPDX-License-Identifier: MIT
# test-check-layers.sh — check-layers.sh passes on our tree, and fails, naming
# the file, line and rule, on each violation planted in a copy of it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
check=$here/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fresh() {
  rm -rf "$tmp/tree"
  mkdir -p "$tmp/tree/plugins/example"
  cp -R "$src/core" "$tmp/tree/core"
  printf '#include "lpsa/driver.h"\n' >"$tmp/tree/plugins/example/example.c"
}

# expect_fail <what> <message fragment>: the check on the copy exits 1 and
# prints the fragment.
expect_fail() {
  if out=$("$check" "$tmp/tree" 2>&1); then
    echo "FAIL: $1: check-layers passed"
    failures=$((failures + 1))
  elif ! printf '%s\n' "$out" | grep -qF -- "$2"; then
    echo "FAIL: $1: expected \"$2\" in:"
    printf '%s\n' "$out"
    failures=$((failures + 1))
  else
    echo "ok: $1"
  fi
}

# plant <file under tree> <line>: add an include line at the top.
plant() {
  f=$tmp/tree/$1
  { printf '%s\n' "$2"; cat "$f"; } >"$f.new"
  mv "$f.new" "$f"
}

fresh
if out=$("$check" "$tmp/tree" 2>&1); then
  echo "ok: the copy passes"
else
  echo "FAIL: the unchanged copy fails:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
fi

fresh
plant core/engine/planner.c '#include "http.h"'
expect_fail "engine includes net" \
  'core/engine/planner.c:1: includes net/http.h: engine/ may include only its own headers and model, base'

fresh
plant core/engine/rules.c '#include <stdio.h>'
expect_fail "engine includes stdio" \
  'core/engine/rules.c:1: includes <stdio.h>: engine/ may not include <stdio.h>'

fresh
plant core/engine/name_match.h '#include <json-c/json_object.h>'
expect_fail "engine includes json-c" \
  'core/engine/name_match.h:1: includes <json-c/json_object.h>: engine/ may not include <json-c/>'

fresh
plant core/output/report.h '#include "app.h"'
expect_fail "output includes the CLI" \
  "core/output/report.h:1: includes the CLI's app.h: only core/cli/ may"

fresh
plant core/model/outcome.c '#include "config.h"'
expect_fail "model includes config" \
  'core/model/outcome.c:1: includes config/config.h: model/ may include only its own headers and base'

fresh
plant core/base/log.c '#include "snapshot.h"'
expect_fail "base includes model" \
  'core/base/log.c:1: includes model/snapshot.h: base/ may include only its own headers (core/README.md)'

fresh
plant plugins/example/example.c '#include "commands.h"'
expect_fail "a driver includes the CLI" \
  "plugins/example/example.c:1: includes the CLI's commands.h: only core/cli/ may"

fresh
mkdir "$tmp/tree/core/extra"
printf 'int x;\n' >"$tmp/tree/core/extra/x.c"
expect_fail "a folder with no row" \
  "core/extra/: a folder with no row in core/README.md's layer table"

fresh
cp "$tmp/tree/core/base/log.h" "$tmp/tree/core/model/log.h"
expect_fail "a header in two layers" "core: log.h is in two layers"

fresh
plant core/run/apply.c '#include "nowhere.h"'
expect_fail "a header no layer holds" \
  'core/run/apply.c:1: includes "nowhere.h", which no layer holds'

[ $failures -eq 0 ] || exit 1
echo "test-check-layers: all planted violations were caught"
