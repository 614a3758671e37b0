#!/bin/sh
# check-packages.sh — build the Debian packages of a built tree with CPack and
# check each one: its file name, its own version (the host's from the
# top-level project(), each driver's from plugins/<name>/CMakeLists.txt), its
# dependencies (drivers: the host and the driver ABI range, plus the
# libraries dpkg-shlibdeps found), its contents; then unpack them all into a
# scratch root and run the packaged host and conformance runner from there.
#
# usage: sdk/ci/check-packages.sh BUILD_DIR [OUT_DIR]
#   OUT_DIR  where the .deb files go (default: a temporary directory,
#            removed afterwards)
# $CPACK names the cpack program (default: cpack on the PATH).
set -eu
cpack=${CPACK:-cpack}

[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [OUT_DIR]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
if [ $# -ge 2 ]; then
  mkdir -p "$2"
  out=$(cd "$2" && pwd)
  keep=1
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/lpsa-packages.XXXXXX")
  keep=0
fi
cleanup() { [ "$keep" = 1 ] || rm -rf "$out"; }
trap cleanup EXIT INT TERM

fail() { echo "check-packages: FAILED: $*" >&2; exit 1; }
say() { echo "check-packages: $*"; }

version_of() { # the VERSION of project() in a CMakeLists.txt
  sed -n 's/^project([^ ]* VERSION \([0-9][0-9.]*\).*/\1/p' "$1" | head -n 1
}
abi() { sed -n "s/^#define LPSA_ABI_$1 \([0-9]*\)/\1/p" "$top/include/lpsa/driver.h"; }
abi_major=$(abi MAJOR)
abi_version="$abi_major.$(abi MINOR)"
host_version=$(version_of "$top/CMakeLists.txt")
arch=$(dpkg --print-architecture)

say "cpack -G DEB in $build (packages in $out)"
if ! (cd "$build" && "$cpack" -G DEB -B "$out") >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log" >&2
  fail "cpack"
fi

field() { dpkg-deb -f "$1" "$2"; }
expect_field() { # deb field expected
  got=$(field "$1" "$2")
  [ "$got" = "$3" ] || fail "$(basename "$1"): $2 is \"$got\", expected \"$3\""
}
expect_in_field() { # deb field phrase
  field "$1" "$2" | grep -qF "$3" ||
    fail "$(basename "$1"): $2 lacks \"$3\": $(field "$1" "$2")"
}
files_of() { dpkg-deb -c "$1" | awk '{print $6}' | grep -v '/$' | sort; }

host_deb="$out/lpsa_${host_version}_${arch}.deb"
[ -f "$host_deb" ] || fail "no $(basename "$host_deb"): $(ls "$out")"
say "$(basename "$host_deb")"
expect_field "$host_deb" Package lpsa
expect_field "$host_deb" Version "$host_version"
expect_in_field "$host_deb" Provides "lpsa-driver-abi (= $abi_version)"
for lib in libcurl4 libjson-c5 libltdl7 libinih1; do
  expect_in_field "$host_deb" Depends "$lib"
done
files_of "$host_deb" >"$out/host.files"
for f in ./usr/bin/lpsa-host ./usr/bin/lpsa-conformance \
  ./usr/include/lpsa/driver.h ./usr/include/lpsa/conformance.h \
  ./usr/lib/cmake/LpsaSDK/LpsaSDKConfig.cmake \
  ./usr/lib/cmake/LpsaSDK/LpsaSDKConfigVersion.cmake \
  ./usr/lib/pkgconfig/lpsa-sdk.pc ./usr/share/lpsa/template/jsonpsa.c; do
  grep -qx "$f" "$out/host.files" || fail "lpsa package lacks $f"
done
grep -q '^\./usr/lib/lpsa/drivers/.' "$out/host.files" &&
  fail "the lpsa package ships a driver: $(grep drivers/ "$out/host.files")"

drivers=""
for dir in "$top"/plugins/*/; do
  name=$(basename "$dir")
  [ -f "$dir/CMakeLists.txt" ] || continue
  version=$(version_of "$dir/CMakeLists.txt")
  deb="$out/lpsa-driver-${name}_${version}_${arch}.deb"
  [ -f "$deb" ] || fail "no $(basename "$deb"): $(ls "$out")"
  say "$(basename "$deb")"
  expect_field "$deb" Package "lpsa-driver-$name"
  expect_field "$deb" Version "$version"
  expect_in_field "$deb" Depends "lpsa,"
  expect_in_field "$deb" Depends "lpsa-driver-abi (>= $abi_version)"
  expect_in_field "$deb" Depends "lpsa-driver-abi (<< $((abi_major + 1)))"
  expect_in_field "$deb" Depends "libjson-c5"
  [ "$(files_of "$deb")" = "./usr/lib/lpsa/drivers/$name.so" ] ||
    fail "$(basename "$deb") holds: $(files_of "$deb")"
  drivers="$drivers $name"
done
n=$(find "$out" -maxdepth 1 -name '*.deb' | wc -l)
[ "$n" -eq $(($(echo "$drivers" | wc -w) + 1)) ] || fail "unexpected packages: $(ls "$out")"

say "unpack every package into a scratch root and run the packaged host"
root="$out/root"
for deb in "$out"/*.deb; do dpkg-deb -x "$deb" "$root"; done
listing=$("$root/usr/bin/lpsa-host" drivers) || fail "packaged lpsa-host drivers"
for name in $drivers; do
  echo "$listing" | grep -q "^$name " || fail "packaged host does not list $name: $listing"
done
"$root/usr/bin/lpsa-conformance" --list >/dev/null || fail "packaged lpsa-conformance"

for deb in "$out"/*.deb; do
  echo "--- $(basename "$deb")"
  dpkg-deb -f "$deb" Package Version Depends Provides
done
say "all packages checked"
