#!/bin/sh
# SPDX-License-Identifier: MIT
# check.sh — check the Debian packages in a directory (made by
# packaging/build.sh): one package per part, each with its own version (the
# host and SDK: the top-level project(); the conformance suite: its
# header's LPSA_CONFORMANCE_VERSION; each driver: project() of
# plugins/NAME), the right dependencies (none on a test library), the files
# it must hold and none it must not, its copyright and changelog.
#
# usage: packaging/check.sh DEB_DIR
set -eu
[ $# -eq 1 ] || { echo "usage: $0 DEB_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "$1" && pwd)

fail() { echo "packaging: FAILED: $*" >&2; exit 1; }
say() { echo "packaging: $*"; }

version_of() { # the VERSION of project() in a CMakeLists.txt
  sed -n 's/^project([^ ]* VERSION \([0-9][0-9.]*\).*/\1/p' "$1" | head -n 1
}
abi() { sed -n "s/^#define LPSA_ABI_$1 \([0-9]*\)/\1/p" "$top/include/lpsa/driver.h"; }
abi_major=$(abi MAJOR)
abi_version="$abi_major.$(abi MINOR)"
host_version=$(version_of "$top/CMakeLists.txt")
conf_version=$(sed -n 's/^#define LPSA_CONFORMANCE_VERSION "\(.*\)"/\1/p' \
  "$top/sdk/conformance/include/lpsa/conformance.h")
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

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
expect_files() { # deb file...
  deb=$1
  shift
  files_of "$deb" >"$deb.files"
  for f in "$@"; do
    grep -qx "./$f" "$deb.files" || fail "$(basename "$deb") lacks /$f"
  done
}
deb_of() { # package version
  f="$out/$1_$2_$arch.deb"
  [ -f "$f" ] || fail "no $(basename "$f") in $out: $(ls "$out")"
  echo "$f"
}

# What every package has: its name, version, copyright, changelog, a
# description of its own, and no dependency on a test library.
seen_descriptions=""
common() { # deb package version
  expect_field "$1" Package "$2"
  expect_field "$1" Version "$3"
  expect_files "$1" "usr/share/doc/$2/copyright" "usr/share/doc/$2/changelog.gz"
  if field "$1" Depends | grep -qE 'libsubunit|check'; then
    fail "$(basename "$1") depends on a test library: $(field "$1" Depends)"
  fi
  synopsis=$(field "$1" Description | head -n 1)
  case "$seen_descriptions" in
  *"|$synopsis|"*) fail "$(basename "$1") reuses the description \"$synopsis\"" ;;
  esac
  seen_descriptions="$seen_descriptions|$synopsis|"
  say "$(basename "$1"): $synopsis"
}

host=$(deb_of lpsa "$host_version")
common "$host" lpsa "$host_version"
expect_in_field "$host" Provides "lpsa-abi-$abi_major"
expect_in_field "$host" Provides "lpsa-driver-abi (= $abi_version)"
for lib in libcurl4 libjson-c5 libltdl7 libinih1 libsqlite3-0 adduser; do
  expect_in_field "$host" Depends "$lib"
done
expect_files "$host" usr/bin/lpsa-host \
  usr/share/man/man1/lpsa-host.1.gz usr/share/man/man5/lpsa.conf.5.gz \
  lib/systemd/system/lpsa-host.service lib/systemd/system/lpsa-host.timer \
  lib/systemd/system/lpsa-host-once.service \
  usr/lib/sysusers.d/lpsa.conf usr/lib/tmpfiles.d/lpsa.conf \
  usr/share/lpsa/lpsa.conf.example usr/share/lpsa/mapping.csv.example
if grep -E '/include/|/cmake/|pkgconfig|conformance|template|/drivers/.' \
  "$host.files"; then
  fail "the lpsa package holds SDK, conformance or driver files (above)"
fi
dpkg-deb -I "$host" postinst >/dev/null || fail "lpsa has no postinst"
dpkg-deb -I "$host" postrm >/dev/null || fail "lpsa has no postrm"

dev=$(deb_of lpsa-dev "$host_version")
common "$dev" lpsa-dev "$host_version"
expect_in_field "$dev" Depends "lpsa-conformance (= $conf_version)"
expect_files "$dev" usr/include/lpsa/driver.h usr/include/lpsa/conformance.h \
  "usr/lib/$multiarch/cmake/LpsaSDK/LpsaSDKConfig.cmake" \
  "usr/lib/$multiarch/cmake/LpsaSDK/LpsaSDKConfigVersion.cmake" \
  "usr/lib/$multiarch/pkgconfig/lpsa-sdk.pc" \
  "usr/lib/$multiarch/pkgconfig/lpsa-conformance.pc" \
  "usr/lib/$multiarch/liblpsa-conformance.so" \
  usr/share/lpsa/template/jsonpsa.c usr/share/lpsa/template/CMakeLists.txt
grep -E 'bin/|\.so\.' "$dev.files" && fail "lpsa-dev holds programs or libraries (above)"

conf=$(deb_of lpsa-conformance "$conf_version")
common "$conf" lpsa-conformance "$conf_version"
expect_files "$conf" usr/bin/lpsa-conformance \
  "usr/lib/$multiarch/liblpsa-conformance.so.1" \
  usr/share/man/man1/lpsa-conformance.1.gz
dpkg-deb -I "$conf" shlibs >/dev/null || fail "lpsa-conformance has no shlibs"

n_expected=3
for dir in "$top"/plugins/*/; do
  name=$(basename "$dir")
  [ -f "$dir/CMakeLists.txt" ] || continue
  [ -d "$top/packaging/lpsa-driver-$name" ] ||
    fail "plugins/$name has no packaging/lpsa-driver-$name/; add its description and changelog (packaging/README.md)"
  version=$(version_of "$dir/CMakeLists.txt")
  deb=$(deb_of "lpsa-driver-$name" "$version")
  common "$deb" "lpsa-driver-$name" "$version"
  expect_in_field "$deb" Depends "lpsa-abi-$abi_major"
  expect_in_field "$deb" Depends "lpsa-driver-abi (>= $abi_version)"
  expect_files "$deb" "usr/lib/lpsa/drivers/$name.so"
  [ "$(grep -vc '^\./usr/share/doc/' "$deb.files")" -eq 1 ] ||
    fail "$(basename "$deb") holds more than its driver: $(cat "$deb.files")"
  n_expected=$((n_expected + 1))
done
n=$(find "$out" -maxdepth 1 -name '*.deb' | wc -l)
[ "$n" -eq "$n_expected" ] || fail "expected $n_expected packages, found: $(ls "$out"/*.deb)"
rm -f "$out"/*.files
say "$n packages: names, versions, dependencies and contents as expected"
