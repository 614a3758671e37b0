#!/bin/sh
# SPDX-License-Identifier: MIT
# conf/SystemdUnitDir.cmake: the unit directory comes from systemd's
# pkg-config file, under the install prefix, and falls back to
# lib/systemd/system without one (or when it names a path outside its
# prefixes). Fake pkg-config programs stand in for the real one.
# Usage: test-systemd-unitdir.sh SOURCE_DIR CMAKE
set -eu
src=$1
cmake=${2:-cmake}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fake pkg-config that answers as systemd.pc would, expanding the
# --define-variable=prefix it is given.
fake() { # NAME ANSWER (with @P@ for the prefix) [EXIT]
  cat >"$work/$1" <<SH
#!/bin/sh
p=
for a in "\$@"; do
  case \$a in --define-variable=prefix=*) p=\${a#--define-variable=prefix=} ;; esac
done
printf '%s\n' "$2" | sed "s|@P@|\$p|g"
exit ${3:-0}
SH
  chmod +x "$work/$1"
}

check() { # PKG_CONFIG WANT
  cat >"$work/probe.cmake" <<CM
include("$src/conf/SystemdUnitDir.cmake")
lpsa_systemd_unit_dir(dir "$1")
message(STATUS "unitdir=\${dir}")
CM
  got=$("$cmake" -P "$work/probe.cmake" 2>&1 | sed -n 's/^-- unitdir=//p')
  if [ "$got" != "$2" ]; then
    echo "FAIL: with ${1:-no pkg-config}: got '$got', want '$2'" >&2
    exit 1
  fi
  echo "ok: ${1:-no pkg-config} -> $got"
}

fake debian '@P@/lib/systemd/system'
fake custom '@P@/lib/systemd/custom-units/'
fake outside '/etc/elsewhere'
fake missing '' 1
check "$work/debian" "lib/systemd/system"
check "$work/custom" "lib/systemd/custom-units"
check "$work/outside" "lib/systemd/system"
check "$work/missing" "lib/systemd/system"
check "" "lib/systemd/system"
