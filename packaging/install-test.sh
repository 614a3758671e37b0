#!/bin/sh
# SPDX-License-Identifier: MIT
# install-test.sh — install the built packages on this machine with dpkg, as
# an administrator would, use them, and purge them:
#   - the postinst made the lpsa system user, /var/lib/lpsa (lpsa, 0700) and
#     /etc/lpsa (root:lpsa, 0750);
#   - the installed lpsa-host prints its version and lists every driver from
#     /usr/lib/lpsa/drivers; lpsa-conformance runs;
#   - `lpsa-host check` as the lpsa user, with a configuration in /etc/lpsa
#     and its secrets in the environment, against the LastPass and
#     ConnectWise simulators of the build tree (loopback only): every item
#     passes;
#   - a dry run as root is refused and leaves no root-owned file in
#     /var/lib/lpsa;
#   - purge removes the packages' files, /var/lib/lpsa, /etc/lpsa and the
#     user (when the install made it);
#   - the same install and purge with systemd-sysusers and systemd-tmpfiles
#     hidden (a private mount namespace), as in a container without systemd.
# A real dpkg install rather than a chroot: a debootstrap root costs minutes
# and network, and `dpkg --root` runs no maintainer script as they run on a
# server. This needs root and a machine where lpsa is not otherwise in use.
#
# usage: packaging/install-test.sh DEB_DIR BUILD_DIR
#   BUILD_DIR  a built tree with the simulators (build/bin/*-sim)
set -eu
[ $# -eq 2 ] || { echo "usage: $0 DEB_DIR BUILD_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
debs=$(cd "$1" && pwd)
bin=$(cd "$2/bin" && pwd)
fail() { echo "install-test: FAILED: $*" >&2; exit 1; }
say() { echo "install-test: $*"; }
[ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages)"
# Every package built, the host last (the others depend on it).
packages=$(for deb in "$debs"/*.deb; do dpkg-deb -f "$deb" Package; done |
  grep -vx lpsa | tr '\n' ' ')
packages="${packages}lpsa"
if dpkg-query -W -f='${Status}\n' lpsa 2>/dev/null | grep -q installed; then
  fail "the lpsa package is already installed here; purge it first"
fi
user_before=$(getent passwd lpsa || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/lpsa-install-test.XXXXXX")
chmod 755 "$work"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f /etc/lpsa/check.conf /etc/lpsa/check.env /etc/lpsa/mapping.csv
  # shellcheck disable=SC2086
  dpkg --purge $packages >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

say "dpkg -i $(cd "$debs" && echo *.deb)"
dpkg -i "$debs"/*.deb >"$work/dpkg-install.log" 2>&1 ||
  { cat "$work/dpkg-install.log" >&2; fail "dpkg -i"; }

getent passwd lpsa >/dev/null || fail "no lpsa user after install"
uid=$(id -u lpsa)
[ "$uid" -lt 1000 ] || fail "lpsa is not a system user (uid $uid)"
[ "$(stat -c '%U:%G %a' /var/lib/lpsa)" = "lpsa:lpsa 700" ] ||
  fail "/var/lib/lpsa is $(stat -c '%U:%G %a' /var/lib/lpsa)"
[ "$(stat -c '%U:%G %a' /etc/lpsa)" = "root:lpsa 750" ] ||
  fail "/etc/lpsa is $(stat -c '%U:%G %a' /etc/lpsa)"
say "user lpsa (uid $uid), /var/lib/lpsa and /etc/lpsa made"

/usr/bin/lpsa-host --version || fail "lpsa-host --version"
drivers=$(/usr/bin/lpsa-host drivers) || fail "lpsa-host drivers"
for d in $(echo "$packages" | tr ' ' '\n' | sed -n 's/^lpsa-driver-//p'); do
  echo "$drivers" | grep -q "^$d .*/usr/lib/lpsa/drivers/$d.so" ||
    fail "the installed host does not list $d from /usr/lib/lpsa/drivers: $drivers"
done
/usr/bin/lpsa-conformance --version >/dev/null || fail "lpsa-conformance --version"

say "lpsa-host check as lpsa against the simulators"
start() { # name, then the simulator's arguments
  name=$1
  shift
  "$bin/$name" --port 0 --port-file "$work/$name.port" --quiet \
    --log "$work/$name.log" "$@" &
  pids="$pids $!"
}
demo="$top/conf/demo"
today=$(date +%Y-%m-%d)
start lastpass-sim --fixture "$demo/lastpass.json" --now "$today"
start connectwise-sim --fixture "$demo/connectwise.json"
for name in lastpass-sim connectwise-sim; do
  i=0
  while [ ! -s "$work/$name.port" ]; do
    i=$((i + 1))
    [ $i -lt 400 ] || fail "$name did not start"
    sleep 0.05
  done
done
# The demo's first eight companies, which need nobody's attention.
head -n 10 "$demo/mapping-connectwise.csv" |
  install -o root -g lpsa -m 640 /dev/stdin /etc/lpsa/mapping.csv
install -o root -g lpsa -m 640 /dev/null /etc/lpsa/check.conf
cat >/etc/lpsa/check.conf <<CONF
[host]
mapping_file = mapping.csv

[lastpass]
api_url = http://127.0.0.1:$(cat "$work/lastpass-sim.port")/business
api_key = env:LPSA_LASTPASS_API_KEY

[driver.connectwise]
site = http://127.0.0.1:$(cat "$work/connectwise-sim.port")
company_id = lpsademo
public_key = env:LPSA_CW_PUBLIC_KEY
private_key = env:LPSA_CW_PRIVATE_KEY
client_id = env:LPSA_CW_CLIENT_ID
sku.lastpass = LASTPASS-BUS
sku.lastpass_mfa = LASTPASS-MFA
CONF
printf 'LPSA_LASTPASS_API_KEY=lpkey_demo\nLPSA_CW_PUBLIC_KEY=pubkey\nLPSA_CW_PRIVATE_KEY=privkey\nLPSA_CW_CLIENT_ID=3f1c1c2e-demo-4d7e-9a63-5b0c2f1d7a11\n' |
  install -o root -g lpsa -m 640 /dev/stdin /etc/lpsa/check.env
as_lpsa() {
  # shellcheck disable=SC2046
  setpriv --reuid=lpsa --regid=lpsa --init-groups env $(cat /etc/lpsa/check.env) "$@"
}
if ! as_lpsa /usr/bin/lpsa-host --config /etc/lpsa/check.conf check >"$work/check.out" 2>&1; then
  cat "$work/check.out" >&2
  fail "lpsa-host check as lpsa"
fi
cat "$work/check.out"
grep -q '^\[ok\]   driver connectwise: connectwise .* loaded from /usr/lib/lpsa/drivers/connectwise.so' \
  "$work/check.out" || fail "check did not load the installed driver"
grep -q '^\[ok\]   state_dir /var/lib/lpsa' "$work/check.out" ||
  fail "check did not find /var/lib/lpsa usable"

say "a dry run as root is refused and leaves /var/lib/lpsa to lpsa"
if env $(cat /etc/lpsa/check.env) /usr/bin/lpsa-host --config /etc/lpsa/check.conf \
  --dry-run >"$work/root.out" 2>&1; then
  cat "$work/root.out" >&2
  fail "a run as root was not refused"
fi
grep -q 'chown\|run it as lpsa' "$work/root.out" || { cat "$work/root.out" >&2; fail "no advice"; }
if [ -n "$(find /var/lib/lpsa ! -user lpsa)" ]; then
  fail "root-owned files in /var/lib/lpsa: $(find /var/lib/lpsa ! -user lpsa)"
fi

say "dpkg --purge"
rm -f /etc/lpsa/check.conf /etc/lpsa/check.env /etc/lpsa/mapping.csv
# shellcheck disable=SC2086
dpkg --purge $packages >"$work/dpkg-purge.log" 2>&1 ||
  { cat "$work/dpkg-purge.log" >&2; fail "dpkg --purge"; }
for p in $packages; do
  if dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q installed; then
    fail "$p is still installed"
  fi
done
[ ! -e /usr/bin/lpsa-host ] || fail "/usr/bin/lpsa-host is left"
[ ! -e /var/lib/lpsa ] || fail "/var/lib/lpsa is left"
[ ! -e /etc/lpsa ] || fail "/etc/lpsa is left"
if [ -z "$user_before" ] && getent passwd lpsa >/dev/null; then
  fail "the lpsa user is left"
fi
if [ -z "$user_before" ] && getent group lpsa >/dev/null; then
  fail "the lpsa group is left"
fi
say "installed, used and purged: nothing left"

# Without systemd (a minimal container): the postinst falls back on adduser
# and install -d. Hide the two systemd tools in a private mount namespace.
hide=""
for tool in systemd-sysusers systemd-tmpfiles; do
  p=$(command -v "$tool" || true)
  [ -z "$p" ] || hide="$hide mount --bind /dev/null $p;"
done
if [ -n "$user_before" ]; then
  say "the lpsa user existed before: the fallback round is skipped"
elif ! unshare -m true 2>/dev/null; then
  say "no mount namespaces here: the fallback round (no systemd) is skipped"
else
  say "again without systemd-sysusers and systemd-tmpfiles (adduser, install -d)"
  unshare -m sh -c "$hide dpkg -i $debs/lpsa_*.deb" >"$work/dpkg-fallback.log" 2>&1 ||
    { cat "$work/dpkg-fallback.log" >&2; fail "dpkg -i without systemd tools"; }
  getent passwd lpsa >/dev/null || fail "no lpsa user from the fallback"
  [ "$(id -u lpsa)" -lt 1000 ] || fail "the fallback's lpsa is not a system user"
  [ "$(stat -c '%U:%G %a' /var/lib/lpsa)" = "lpsa:lpsa 700" ] ||
    fail "fallback: /var/lib/lpsa is $(stat -c '%U:%G %a' /var/lib/lpsa)"
  [ "$(stat -c '%U:%G %a' /etc/lpsa)" = "root:lpsa 750" ] ||
    fail "fallback: /etc/lpsa is $(stat -c '%U:%G %a' /etc/lpsa)"
  /usr/bin/lpsa-host --version >/dev/null || fail "lpsa-host --version (fallback)"
  dpkg --purge lpsa >"$work/dpkg-purge.log" 2>&1 ||
    { cat "$work/dpkg-purge.log" >&2; fail "dpkg --purge (fallback)"; }
  [ ! -e /var/lib/lpsa ] && [ ! -e /etc/lpsa ] || fail "fallback: directories left"
  ! getent passwd lpsa >/dev/null || fail "fallback: the lpsa user is left"
  ! getent group lpsa >/dev/null || fail "fallback: the lpsa group is left"
  say "without systemd too: installed and purged, nothing left"
fi
