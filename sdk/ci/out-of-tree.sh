#!/bin/sh
# SPDX-License-Identifier: MIT
# out-of-tree.sh — prove the SDK from outside the source tree, as a driver
# author (or a packager) meets it:
#   1. configure, build and install lpsa into a temporary prefix; the
#      installed lpsa-host finds the installed drivers with no configuration;
#   2. follow sdk/template/README.md: copy the installed template out of the
#      tree, rename it mypsa, build it there against that prefix only
#      (CMake, find_package(LpsaSDK 1)); its own ctest and the installed
#      lpsa-conformance pass levels 0, 1 and 2; install it into a second
#      prefix; build the same C file by hand with pkg-config (lpsa-sdk);
#   3. run the installed lpsa-host with the copied driver against the build
#      tree's lastpass-sim: a real sync, then a second one with nothing to do;
#   4. build plugins/connectwise, plugins/autotask and plugins/halopsa alone
#      against the prefix, each with its own unit tests, which pass there;
#      none was configured with paths into the tree; the installed host
#      loads what they built;
#   5. the HaloPSA driver so built syncs with the installed lpsa-host against
#      the build tree's halopsa-sim: an apply, then one with nothing to do.
#
# usage: sdk/ci/out-of-tree.sh [--build DIR] [--jobs N] [--keep]
#   --build DIR  use an already built tree (lpsa-host, lpsa-conformance,
#                the drivers, lastpass-sim and halopsa-sim must be built)
#                instead of a fresh configure and build in the work directory
#   --keep       leave the work directory for inspection
# $CMAKE and $CTEST name the programs (default: cmake and ctest on the PATH).
# Exit status 0 when every step passed.
set -eu
cmake=${CMAKE:-cmake}
ctest=${CTEST:-ctest}

top=$(cd "$(dirname "$0")/../.." && pwd)
build=""
jobs=2
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
  --build) build=$(cd "$2" && pwd); shift 2 ;;
  --jobs) jobs=$2; shift 2 ;;
  --keep) keep=1; shift ;;
  *) echo "usage: $0 [--build DIR] [--jobs N] [--keep]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d "${TMPDIR:-/tmp}/lpsa-out-of-tree.XXXXXX")
chmod 755 "$work"
sim_pid=""
halo_pid=""
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  [ -n "$halo_pid" ] && kill "$halo_pid" 2>/dev/null && wait "$halo_pid" 2>/dev/null
  if [ "$keep" = 1 ]; then echo "out-of-tree: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

step() { echo "out-of-tree: $*"; }
fail() { echo "out-of-tree: FAILED: $*" >&2; exit 1; }
# Run quietly; on failure show the command's output.
run() {
  log="$work/last.log"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$*"
  fi
}

case "$work" in "$top"/*) fail "the work directory is inside the source tree" ;; esac
# Nothing but --prefix/CMAKE_PREFIX_PATH may lead to the SDK.
unset CMAKE_PREFIX_PATH PKG_CONFIG_PATH LpsaSDK_DIR LpsaSDK_ROOT 2>/dev/null || true

# ---- 1. build and install ---------------------------------------------------
if [ -z "$build" ]; then
  build="$work/build"
  step "configure and build the tree in $build"
  run "$cmake" -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  run "$cmake" --build "$build" -j "$jobs" --target lpsa-host lpsa-conformance \
    connectwise autotask halopsa lastpass-sim halopsa-sim
fi
prefix="$work/prefix"
step "install into $prefix"
run "$cmake" --install "$build" --prefix "$prefix"
for f in bin/lpsa-host bin/lpsa-conformance include/lpsa/driver.h \
  include/lpsa/conformance.h lib/cmake/LpsaSDK/LpsaSDKConfig.cmake \
  lib/cmake/LpsaSDK/LpsaSDKConfigVersion.cmake lib/pkgconfig/lpsa-sdk.pc \
  lib/lpsa/drivers/connectwise.so lib/lpsa/drivers/autotask.so \
  lib/lpsa/drivers/halopsa.so; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
[ ! -e "$prefix/lib/lpsa/drivers/jsonpsa.so" ] || fail "jsonpsa.so was installed"
run "$prefix/bin/lpsa-host" drivers
listing=$(cat "$work/last.log")
echo "$listing" | grep -q "^connectwise " || fail "installed host does not list connectwise: $listing"
echo "$listing" | grep -q "^autotask " || fail "installed host does not list autotask: $listing"
echo "$listing" | grep -q "^halopsa " || fail "installed host does not list halopsa: $listing"
[ "$(echo "$listing" | grep -c '\.so$')" = 3 ] || fail "expected exactly 3 drivers: $listing"
echo "$listing" | grep -q "^Refused" && fail "installed host refuses a driver: $listing"

# ---- 2. the template, outside the tree ----------------------------------------
# Exactly as sdk/template/README.md tells a driver author: copy, rename to
# mypsa, build against the prefix, conformance levels 0 to 2, install.
drv="$work/mypsa"
step "copy the installed template to $drv, rename it mypsa, build against the prefix"
cp -R "$prefix/share/lpsa/template" "$drv"
(cd "$drv" && mv jsonpsa.c mypsa.c &&
  sed -i 's/jsonpsa/mypsa/g' CMakeLists.txt mypsa.c example/lpsa.conf)
run "$cmake" -S "$drv" -B "$drv/build" -DCMAKE_PREFIX_PATH="$prefix"
run "$cmake" --build "$drv/build"
[ -f "$drv/build/mypsa.so" ] || fail "no $drv/build/mypsa.so"
step "ctest of the copied template (lpsa-conformance level 2)"
(cd "$drv/build" && run "$ctest" --output-on-failure)
export LPSA_LASTPASS_API_KEY=unused
for level in 0 1 2; do
  step "installed lpsa-conformance, level $level"
  (cd "$drv/example" && run "$prefix/bin/lpsa-conformance" \
    --driver ../build/mypsa.so --config lpsa.conf --level $level \
    --test-line l1 --tap "$work/template-$level.tap")
  grep -q "^not ok" "$work/template-$level.tap" &&
    fail "conformance: $(cat "$work/template-$level.tap")"
done
run "$cmake" --install "$drv/build" --prefix "$work/drivers"
[ -f "$work/drivers/lib/lpsa/drivers/mypsa.so" ] || fail "the template did not install"

step "the same driver built by hand with pkg-config"
pc="$work/pc"
mkdir -p "$pc"
cflags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags lpsa-sdk json-c)
libs=$(pkg-config --libs json-c)
# shellcheck disable=SC2086
run cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -fPIC -shared \
  -fvisibility=hidden $cflags "$drv/mypsa.c" -o "$pc/mypsa.so" $libs
(cd "$drv/example" && run "$prefix/bin/lpsa-conformance" \
  --driver "$pc/mypsa.so" --config lpsa.conf --level 1)

# ---- 3. the installed host with the copied driver -----------------------------
# A real sync: LastPass says Acme has 15 seats, the PSA bills 12 (line l1);
# Globex is in step (5). Then a second run has nothing to do.
step "lpsa-host (installed) --driver mypsa against the build tree's lastpass-sim"
[ -x "$build/bin/lastpass-sim" ] || fail "no $build/bin/lastpass-sim (build it)"
runs="$work/run"
mkdir -p "$runs"
cp "$drv/example/psa.json" "$runs/psa.json"
printf 'lastpass_company_id,psa_company_id,agreement_id,note\n100001,c1,,\n100002,c2,a2,\n' \
  >"$runs/mapping.csv"
"$build/bin/lastpass-sim" --port 0 --port-file "$runs/lp.port" --quiet \
  --fixture "$top/sdk/ci/lastpass.json" --now 2026-11-15 &
sim_pid=$!
i=0
while [ ! -s "$runs/lp.port" ]; do
  i=$((i + 1))
  [ $i -lt 200 ] || fail "lastpass-sim did not start"
  sleep 0.1
done
port=$(cat "$runs/lp.port")
cat >"$runs/lpsa.conf" <<CONF
[host]
driver_path = $work/drivers/lib/lpsa/drivers
mapping_file = mapping.csv
state_dir = state
[lastpass]
api_url = http://127.0.0.1:$port/business
api_key = env:LPSA_LASTPASS_API_KEY
[driver.mypsa]
file = $runs/psa.json
sku.lastpass = LASTPASS-BUS
sku.lastpass_mfa = LASTPASS-MFA
CONF
export LPSA_LASTPASS_API_KEY=lpkey_demo LPSA_NOW=2026-11-15T12:00:00Z
run "$prefix/bin/lpsa-host" --config "$runs/lpsa.conf" --driver mypsa \
  --report "$runs/report1.json"
grep -q '"updated":1' "$runs/report1.json" || fail "first sync: $(cat "$runs/report1.json")"
tr -d ' \n' <"$runs/psa.json" | grep -q '"id":"l1","agreement_id":"a1","product_id":"p1","quantity":15' ||
  fail "line l1 is not 15 after the sync: $(cat "$runs/psa.json")"
run "$prefix/bin/lpsa-host" --config "$runs/lpsa.conf" --driver mypsa \
  --report "$runs/report2.json"
grep -q '"updated":0' "$runs/report2.json" || fail "second sync changed something"
grep -q '"unchanged":2' "$runs/report2.json" || fail "second sync: $(cat "$runs/report2.json")"

# ---- 4. our drivers, alone --------------------------------------------------
# Each is built as a third party builds a driver: its own CMake project
# against the installed SDK (lpsa::sdk, lpsa_add_driver()), nothing of the
# tree; its own unit tests, built there, pass too.
plugdir="$work/plugins"
mkdir -p "$plugdir"
for p in connectwise autotask halopsa; do
  step "build plugins/$p alone against the prefix, with its unit tests"
  run "$cmake" -S "$top/plugins/$p" -B "$work/build-$p" -DCMAKE_PREFIX_PATH="$prefix"
  run "$cmake" --build "$work/build-$p" -j "$jobs"
  so=$(find "$work/build-$p" -name "$p.so" -type f | head -n 1)
  [ -n "$so" ] || fail "plugins/$p built no $p.so"
  cp "$so" "$plugdir/"
  (cd "$work/build-$p" && run "$ctest" --output-on-failure)
  grep -q "unit\.$p\." "$work/last.log" || fail "plugins/$p ran no unit test alone"
  for d in core include sdk tests; do
    grep -Fq "$top/$d" "$work/build-$p/CMakeCache.txt" &&
      fail "plugins/$p was configured with paths into the tree's $d/"
  done
done
printf '[host]\ndriver_path = %s\n[lastpass]\napi_key = env:LPSA_LASTPASS_API_KEY\n' \
  "$plugdir" >"$work/plugins.conf"
run "$prefix/bin/lpsa-host" --config "$work/plugins.conf" drivers
{ grep -q "^connectwise " "$work/last.log" && grep -q "^autotask " "$work/last.log" &&
  grep -q "^halopsa " "$work/last.log"; } ||
  fail "the installed host does not load the standalone builds: $(cat "$work/last.log")"

# ---- 5. the standalone HaloPSA driver, syncing --------------------------------
# The demo's Halo dataset: Acme (client 1001) is billed 12 and has 15 users,
# Globex (1002, MFA) 7 for 5.
step "lpsa-host (installed) with the standalone halopsa.so against halopsa-sim"
[ -x "$build/bin/halopsa-sim" ] || fail "no $build/bin/halopsa-sim (build it)"
halo="$work/halo"
mkdir -p "$halo"
"$build/bin/halopsa-sim" --port 0 --port-file "$halo/hp.port" --quiet \
  --fixture "$top/conf/demo/halopsa.json" &
halo_pid=$!
i=0
while [ ! -s "$halo/hp.port" ]; do
  i=$((i + 1))
  [ $i -lt 200 ] || fail "halopsa-sim did not start"
  sleep 0.1
done
hport=$(cat "$halo/hp.port")
printf 'lastpass_company_id,psa_company_id,agreement_id,note\n100001,1001,,\n100002,1002,,\n' \
  >"$halo/mapping.csv"
cat >"$halo/lpsa.conf" <<CONF
[host]
driver_path = $plugdir
mapping_file = mapping.csv
state_dir = state
[lastpass]
api_url = http://127.0.0.1:$port/business
api_key = env:LPSA_LASTPASS_API_KEY
[driver.halopsa]
url = http://127.0.0.1:$hport
client_id = lpsa-demo-client
client_secret = env:HALO_SECRET
sku.lastpass = LastPass Business
sku.lastpass_mfa = LastPass Business + MFA
CONF
export HALO_SECRET=demosecret
run "$prefix/bin/lpsa-host" --config "$halo/lpsa.conf" --driver halopsa \
  --report "$halo/report1.json"
grep -q '"updated":2' "$halo/report1.json" ||
  fail "HaloPSA sync: $(cat "$halo/report1.json")"
run "$prefix/bin/lpsa-host" --config "$halo/lpsa.conf" --driver halopsa \
  --report "$halo/report2.json"
grep -q '"unchanged":2' "$halo/report2.json" ||
  fail "second HaloPSA sync: $(cat "$halo/report2.json")"

step "all steps passed"
