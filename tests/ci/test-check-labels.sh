#!/bin/sh
# SPDX-License-Identifier: MIT
# test-check-labels.sh CMAKE CTEST — check-labels.sh fails, naming the
# test, on a scratch project with a test that has only a topic label, and
# passes once it has a kind label.
set -eu
cmake=${1:?usage: test-check-labels.sh CMAKE CTEST}
ctest=${2:?usage: test-check-labels.sh CMAKE CTEST}
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check-labels.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
project() { # $1: the labels of planted.one
  cat >"$tmp/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(planted NONE)
enable_testing()
add_test(NAME kinded.one COMMAND true)
set_tests_properties(kinded.one PROPERTIES LABELS "unit;web")
add_test(NAME planted.one COMMAND true)
set_tests_properties(planted.one PROPERTIES LABELS "$1")
CMAKE
  "$cmake" -S "$tmp/src" -B "$tmp/build" >/dev/null
}
mkdir -p "$tmp/src"
failures=0
project "reliability;web"
if out=$("$check" "$tmp/build" "$ctest" 2>&1); then
  echo "FAIL: check-labels passed a test without a kind label"
  failures=$((failures + 1))
elif ! printf '%s\n' "$out" | grep -qF "no kind label: planted.one"; then
  echo "FAIL: check-labels did not name planted.one:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
elif printf '%s\n' "$out" | grep -qF "kinded.one"; then
  echo "FAIL: check-labels named kinded.one, which has a kind label"
  failures=$((failures + 1))
else
  echo "ok: planted.one without a kind label is named"
fi
project "integration;reliability"
if ! out=$("$check" "$tmp/build" "$ctest" 2>&1); then
  echo "FAIL: check-labels refuses a labelled project:"
  printf '%s\n' "$out"
  failures=$((failures + 1))
else
  echo "ok: a labelled project passes"
fi
exit "$failures"
