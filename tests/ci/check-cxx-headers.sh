#!/bin/sh
# SPDX-License-Identifier: MIT
# check-cxx-headers.sh SOURCE_DIR [CXX] — the public headers are C++ too:
#   1. each header of include/lpsa/ and of the conformance library compiles
#      alone (twice, for its include guard) as C++11 with -Wall -Wextra
#      -Werror -Wpedantic;
#   2. cxx_macros.cpp uses every record macro (LPSA_INIT, LPSA_HAS_FIELD,
#      LPSA_HOST_HAS, LPSA_DRIVER_HAS) from C++11 and runs;
#   3. cxx_driver.cpp, a driver written in C++20 with LPSA_DRIVER_DEFINE,
#      builds as a shared object exporting lpsa_driver_entry unmangled.
# CXX defaults to $CXX, then g++. Exit status 0 when all of it passed.
set -eu
src=$1
cxx=${2:-${CXX:-g++}}
warn="-Wall -Wextra -Werror -Wpedantic"
inc="-I$src/include -I$src/sdk/conformance/include"
work=$(mktemp -d "${TMPDIR:-/tmp}/lpsa-cxx.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
failed=0

for h in "$src"/include/lpsa/*.h "$src"/sdk/conformance/include/lpsa/*.h; do
  name=lpsa/$(basename "$h")
  printf '#include <%s>\n#include <%s>\nint main() { return 0; }\n' \
    "$name" "$name" >"$work/one.cpp"
  # shellcheck disable=SC2086
  if ! "$cxx" -std=c++11 $warn $inc -fsyntax-only "$work/one.cpp" \
    2>"$work/err"; then
    echo "check-cxx-headers: $name is not valid C++11:"
    cat "$work/err"
    failed=1
  fi
done

# shellcheck disable=SC2086
if ! "$cxx" -std=c++11 $warn $inc "$src/tests/ci/cxx_macros.cpp" \
  -o "$work/macros" 2>"$work/err"; then
  echo "check-cxx-headers: the record macros do not compile as C++11:"
  cat "$work/err"
  failed=1
elif ! "$work/macros"; then
  echo "check-cxx-headers: the record macros misbehave in C++"
  failed=1
fi

# shellcheck disable=SC2086
if ! "$cxx" -std=c++20 $warn $inc -fPIC -shared -fvisibility=hidden \
  "$src/tests/ci/cxx_driver.cpp" -o "$work/cxxdrv.so" 2>"$work/err"; then
  echo "check-cxx-headers: LPSA_DRIVER_DEFINE does not compile as C++20:"
  cat "$work/err"
  failed=1
elif ! nm -D --defined-only "$work/cxxdrv.so" | grep -q ' T lpsa_driver_entry$'; then
  echo "check-cxx-headers: the C++ driver does not export lpsa_driver_entry:"
  nm -D --defined-only "$work/cxxdrv.so"
  failed=1
fi

[ "$failed" = 0 ] && echo "check-cxx-headers: every public header is valid C++"
exit "$failed"
