#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — the whole test suite: install what is missing, build, run ctest.
#   tests/run.sh             normal build in build/
#   tests/run.sh --sanitize  ASan+UBSan build in build-asan/
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = "--sanitize" ]; then
  export LPSA_BUILD="${LPSA_BUILD:-$top/build-asan}"
  "$top/tests/setup.sh" -DLPSA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
else
  export LPSA_BUILD="${LPSA_BUILD:-$top/build}"
  "$top/tests/setup.sh"
fi
cd "$LPSA_BUILD"
ctest --output-on-failure -j "$(nproc)"
