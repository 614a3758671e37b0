#!/bin/sh
# check-spdx.sh [SOURCE_DIR] — every source file of the project carries
# "SPDX-License-Identifier: MIT" in its first three lines (after a #! line
# or an HTML doctype): C and C++ sources and headers (.c .h .cpp .h.in),
# CMake (CMakeLists.txt, .cmake, .cmake.in), shell (.sh and scripts with a
# #!/bin/sh line: .ci/run, packaging's maintainer scripts), Python, the web
# console's JavaScript, HTML and CSS, the linker version script and the
# pkg-config templates. Data (JSON, CSV, fuzz seeds), docs, configuration
# examples, man pages and systemd units are not sources.
# Files are those git tracks; without git, every file under SOURCE_DIR but
# build*/ and .git/. Exit 1, listing each file without the line.
set -eu
src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  files=$(git ls-files)
else
  files=$(find . -path ./.git -prune -o -path './build*' -prune -o -type f \
    -print | sed 's|^\./||')
fi

is_source() {
  case "$1" in
  tests/fuzz/corpus/*.py) return 0 ;;
  tests/fuzz/corpus/* | tests/fuzz/crashes/*) return 1 ;;
  *.c | *.h | *.cpp | *.h.in | *.cmake | *.cmake.in | */CMakeLists.txt | \
    CMakeLists.txt | *.sh | *.py | *.js | *.html | *.css | *.map | *.pc.in)
    return 0 ;;
  esac
  # An extensionless shell script.
  case "$(basename "$1")" in *.*) return 1 ;; esac
  head -n 1 "$1" 2>/dev/null | grep -q '^#!.*sh' && return 0
  return 1
}

missing=0
for f in $files; do
  [ -f "$f" ] || continue
  is_source "$f" || continue
  if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT'; then
    echo "check-spdx: $f has no \"SPDX-License-Identifier: MIT\" line at its top"
    missing=$((missing + 1))
  fi
done
if [ "$missing" -gt 0 ]; then
  echo "check-spdx: $missing source file(s) without the licence line: add" \
    "it in the file's comment syntax (e.g. /* SPDX-License-Identifier: MIT */)"
  exit 1
fi
echo "check-spdx: every source file carries SPDX-License-Identifier: MIT"
