#!/bin/sh
# SPDX-License-Identifier: MIT
# test-check-spdx.sh — check-spdx.sh fails, naming the file, on a source
# without the licence line planted in a scratch tree (no git: every file
# counts), and passes once the line is there; data files are not asked.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check-spdx.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tree/core" "$tmp/tree/tests/fuzz/corpus/x" "$tmp/tree/.ci"
tree=$tmp/tree
printf '/* SPDX-License-Identifier: MIT */\nint a;\n' >"$tree/core/a.c"
printf '#!/bin/sh\n# SPDX-License-Identifier: MIT\ntrue\n' >"$tree/.ci/run"
printf '{"no":"comments in JSON"}\n' >"$tree/core/data.json"
printf 'seed\n' >"$tree/tests/fuzz/corpus/x/seed.txt"
failures=0
for planted in core/b.h core/CMakeLists.txt tools.sh app.js .ci/hook; do
  case "$planted" in
  .ci/hook) printf '#!/bin/sh\ntrue\n' >"$tree/$planted" ;;
  *) printf 'no licence line\n' >"$tree/$planted" ;;
  esac
  if out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
    echo "FAIL: check-spdx passed with $planted unlicensed"
    failures=$((failures + 1))
  elif ! printf '%s\n' "$out" | grep -qF "check-spdx: $planted has no"; then
    echo "FAIL: check-spdx did not name $planted:"
    printf '%s\n' "$out"
    failures=$((failures + 1))
  else
    echo "ok: $planted unlicensed is named"
  fi
  rm -f "$tree/$planted"
done
if ! out=$(cd "$tmp" && "$check" "$tree" 2>&1); then
  echo "FAIL: check-spdx refuses a licensed tree:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
fi
exit "$failures"
