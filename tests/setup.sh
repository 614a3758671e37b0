#!/bin/sh
# SPDX-License-Identifier: MIT
# setup.sh — install the Debian packages lpsa needs (when missing) and build
# the tree into $LPSA_BUILD (default: build/). Used by the README commands and
# by CI.
#   tests/setup.sh [CMAKE_CONFIGURE_ARGS...]   build everything
#   tests/setup.sh --targets T...              build only these targets
# LPSA_PACKAGES=demo installs only what the demo needs (no clang, valgrind).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LPSA_BUILD:-$top/build}
targets=""
if [ "${1:-}" = "--targets" ]; then
  shift
  targets="$*"
  set --
fi

packages="build-essential cmake pkg-config libcurl4-openssl-dev libjson-c-dev
libltdl-dev libsqlite3-dev libinih-dev libmicrohttpd-dev libsodium-dev check
libsubunit-dev tzdata"
if [ "${LPSA_PACKAGES:-all}" != "demo" ]; then
  # chromium, chromium-driver, python3-selenium: the web console's browser
  # tests (ctest -L browser)
  packages="$packages valgrind clang libclang-rt-14-dev openssl sqlite3 curl
file dpkg-dev python3 chromium chromium-driver python3-selenium"
fi

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
# node and npm (the contract tests drive public npm API clients): Debian's
# packages when the commands are missing; a node installed otherwise (one
# that bundles npm) is used as it is.
if [ "${LPSA_PACKAGES:-all}" != "demo" ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "setup: installing:$missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

cmake -S "$top" -B "$build" "$@" >/dev/null
if [ -n "$targets" ]; then
  # shellcheck disable=SC2086
  cmake --build "$build" -j "$(nproc)" --target $targets
else
  cmake --build "$build" -j "$(nproc)"
fi
