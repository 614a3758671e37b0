#!/bin/sh
# SPDX-License-Identifier: MIT
# check-labels.sh BUILD_DIR [CTEST] — every ctest entry of the build tree
# has one of the labels that say what kind of test it is: unit,
# integration, sim, slow or valgrind (tests/README.md). The other labels
# (reliability, security, web, ...) say what it is about and do not count.
# Exit 1, naming each test without one.
set -eu
build=${1:?usage: check-labels.sh BUILD_DIR [CTEST]}
ctest=${2:-ctest}
kinds='^(unit|integration|sim|slow|valgrind)$'
cd "$build"
# -LE lists the tests that have none of those labels.
out=$("$ctest" -N -LE "$kinds")
missing=$(printf '%s\n' "$out" | sed -n 's/^ *Test *#[0-9]*: *//p')
if [ -n "$missing" ]; then
  printf '%s\n' "$missing" | sed 's/^/check-labels: no kind label: /'
  echo "check-labels: give each test above one of the labels unit," \
    "integration, sim, slow, valgrind (LABELS in its CMakeLists.txt;" \
    "lpsa_test() in tests/CMakeLists.txt asks for one)"
  exit 1
fi
total=$(printf '%s\n' "$("$ctest" -N)" | sed -n 's/^Total Tests: *//p')
echo "check-labels: all $total tests have a kind label"
