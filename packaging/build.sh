#!/bin/sh
# SPDX-License-Identifier: MIT
# build.sh — build the Debian packages from this source tree and check them:
# a release build for /usr with Debian's hardening flags (dpkg-buildflags),
# each install component installed into its own root and made a package
# with dpkg-deb, then for every package its name, version, dependencies and
# contents (packaging/check.sh) and lintian (0 errors, no warning that an
# override file does not justify).
#
# usage: packaging/build.sh [OUT_DIR]
#   OUT_DIR   where the .deb files go (default: build-deb/debs)
# $LPSA_DEB_BUILD: the build directory (default: build-deb/ in the tree).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LPSA_DEB_BUILD:-$top/build-deb}
out=${1:-$build/debs}

say() { echo "packaging: $*"; }
fail() { echo "packaging: FAILED: $*" >&2; exit 1; }

for tool in dpkg-buildflags dpkg-shlibdeps lintian file objdump; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is missing; install dpkg-dev, lintian, file and binutils"
done

# Debian's flags: -O2, stack protector, _FORTIFY_SOURCE, relro, bindnow.
DEB_BUILD_MAINT_OPTIONS=hardening=+all
export DEB_BUILD_MAINT_OPTIONS
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS

mkdir -p "$build"
say "configure and build in $build"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
  -DLPSA_BUILD_TESTS=OFF -DLPSA_SYSTEMD_UNIT_DIR=/lib/systemd/system \
  >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; fail "cmake configure"; }
grep -q 'CMake Warning' "$build/configure.log" &&
  { cat "$build/configure.log" >&2; fail "cmake warned (see above)"; }
cmake --build "$build" -j "$(nproc)" >"$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log" >&2; fail "build"; }

rm -rf "$out"
mkdir -p "$out"
arch=$(dpkg --print-architecture)
maintainer="lpsa developers <lpsa-dev@example.org>"
# Laid out as debhelper does (debian/<package>/ is each package's root), so
# dpkg-shlibdeps finds the libraries and shlibs files of packages being
# built, such as liblpsa-conformance for the runner.
work="$build/packaging/work"
rm -rf "$work"
mkdir -p "$work/debian"
: >"$work/debian/control" # dpkg-shlibdeps insists on one
manifest="$build/packaging/packages"
[ -s "$manifest" ] || fail "no $manifest; is this tree configured?"

# The package's Description: the synopsis, then the extended text with each
# line indented by one space and blank lines written " .".
description() {
  awk 'NR == 1 { print "Description: " $0; next }
       /^[[:space:]]*$/ { print " ."; next }
       { print " " $0 }' "$1"
}

say "install each component into its package root"
while read -r comp package version fields; do
  root="$work/debian/$package"
  DESTDIR="$root" cmake --install "$build" --component "$comp" --strip \
    >>"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "install $comp"; }
  mkdir -p "$root/DEBIAN"
  for f in postinst prerm postrm triggers; do
    src="$top/packaging/$package/$f"
    [ ! -f "$src" ] || install -m "$([ "$f" = triggers ] && echo 644 || echo 755)" "$src" "$root/DEBIAN/$f"
  done
done <"$manifest"

# A shared library's shlibs file (before dpkg-shlibdeps reads it) and the
# ldconfig trigger, for every versioned library in a package.
for root in "$work"/debian/*/; do
  package=$(basename "$root")
  version=$(awk -v p="$package" '$2 == p { print $3 }' "$manifest")
  for lib in $(find "$root" -type f -name 'lib*.so.*' | sort); do
    soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
    name=${soname%%.so.*}
    echo "$name ${soname##*.so.} $package (>= $version)" >>"$root/DEBIAN/shlibs"
    echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
  done
done

say "control files, md5sums, dpkg-deb --build"
while read -r comp package version fields; do
  root="$work/debian/$package"
  elves=$(find "$root" -type f ! -path '*/DEBIAN/*' -exec sh -c \
    'file -b "$1" | grep -q "^ELF" && echo "$1"' sh {} \; | sort)
  libs=""
  if [ -n "$elves" ]; then
    # shellcheck disable=SC2086
    libs=$(cd "$work" && dpkg-shlibdeps -O -x"$package" $(
      find debian -type d -name 'lib*' -path '*/usr/lib/*' | sed 's/^/-l/') \
      $elves 2>>"$work/shlibdeps.log" | sed -n 's/^shlibs:Depends=//p') ||
      { cat "$work/shlibdeps.log" >&2; fail "dpkg-shlibdeps for $package"; }
  fi
  depends=$(echo "$fields" | tr '^' '\n' | sed -n 's/^Depends: //p')
  depends=$(printf '%s\n%s\n' "$libs" "$depends" | tr ',' '\n' |
    sed 's/^ *//; s/ *$//' | grep -v '^$' | sort -u | paste -sd, - | sed 's/,/, /g')
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  {
    echo "Package: $package"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $size"
    [ -z "$depends" ] || echo "Depends: $depends"
    echo "$fields" | tr '^' '\n' | grep -v '^Depends: '
    echo "Priority: optional"
    description "$top/packaging/$package/description"
  } >"$root/DEBIAN/control"
  (cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\n' | LC_ALL=C sort |
    xargs -r -d '\n' md5sum) >"$root/DEBIAN/md5sums"
  # Directories 755 and files 644 (programs and scripts 755), whatever the
  # umask of the build was.
  find "$root" -type d -exec chmod 755 {} +
  dpkg-deb --root-owner-group -Zxz --build "$root" \
    "$out/${package}_${version}_$arch.deb" >/dev/null ||
    fail "dpkg-deb --build $package"
done <"$manifest"

sh "$top/packaging/check.sh" "$out"

say "lintian"
for deb in "$out"/*.deb; do
  # --fail-on warning: an unjustified warning fails the build like an error.
  if ! lintian --fail-on error,warning --tag-display-limit 0 "$deb" \
    >"$deb.lintian" 2>&1; then
    cat "$deb.lintian" >&2
    fail "lintian on $(basename "$deb")"
  fi
  n=$(grep -c '^[EW]: ' "$deb.lintian" || true)
  [ "$n" -eq 0 ] || { cat "$deb.lintian" >&2; fail "lintian on $(basename "$deb")"; }
  say "  $(basename "$deb"): lintian clean"
done
say "packages built and checked in $out"
