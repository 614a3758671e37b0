#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — the lpsa demo: set up, build, start the three simulators on
# loopback with the demo dataset (35 LastPass companies exercising every
# rule), then with ConnectWise, Autotask and HaloPSA: save a plan (a dry
# run), review it, apply exactly that plan, apply it again (nothing left to
# write), approve one held change; print the reports, and stop the
# simulators. Run from anywhere:
#   conf/demo/run.sh
#   conf/demo/run.sh --web    the same, then leave the simulators and the web
#                             console running (URL and a demo login printed;
#                             port $LPSA_DEMO_PORT, default 8750)
set -eu
web=0
case "${1:-}" in
--web) web=1 ;;
"") ;;
*) echo "usage: conf/demo/run.sh [--web]" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/../.." && pwd)
demo="$top/conf/demo"
export LPSA_BUILD="${LPSA_BUILD:-$top/build}"
LPSA_PACKAGES=demo "$top/tests/setup.sh" --targets \
  lpsa-host connectwise autotask halopsa lastpass-sim connectwise-sim \
  autotask-sim halopsa-sim
bin="$LPSA_BUILD/bin"

work=$(mktemp -d "${TMPDIR:-/tmp}/lpsa-demo-XXXXXX")
pids=""
cleanup() {
  [ -n "$pids" ] || return 0 # --web: left running on purpose
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

today=$(date +%Y-%m-%d)
start() { # name, then the simulator's arguments
  name=$1
  shift
  "$bin/$name" --port 0 --port-file "$work/$name.port" --quiet \
    --log "$work/$name.log" "$@" &
  pids="$pids $!"
}
start lastpass-sim --fixture "$demo/lastpass.json" --now "$today"
start connectwise-sim --fixture "$demo/connectwise.json"
start autotask-sim --fixture "$demo/autotask.json" --now "$today"
start halopsa-sim --fixture "$demo/halopsa.json"
for name in lastpass-sim connectwise-sim autotask-sim halopsa-sim; do
  i=0
  while [ ! -s "$work/$name.port" ]; do
    i=$((i + 1))
    [ $i -lt 200 ] || { echo "demo: $name did not start" >&2; exit 1; }
    sleep 0.05
  done
done
lp=$(cat "$work/lastpass-sim.port")
cw=$(cat "$work/connectwise-sim.port")
at=$(cat "$work/autotask-sim.port")
hp=$(cat "$work/halopsa-sim.port")

cp "$demo/mapping-connectwise.csv" "$demo/mapping-autotask.csv" \
  "$demo/mapping-halopsa.csv" "$work/"
umask 077
cat >"$work/lpsa.conf" <<CONF
; The demo's configuration: the simulators' credentials come from the
; environment, as a real installation's should.
[host]
driver_path = $LPSA_BUILD/lib/lpsa/drivers
state_dir = state
mapping_file = mapping.csv
max_decrease_percent = 50
suspended_companies = skip

[lastpass]
api_url = http://127.0.0.1:$lp/business
api_key = env:DEMO_LASTPASS_KEY

[driver.connectwise]
site = http://127.0.0.1:$cw
company_id = lpsademo
public_key = pubkey
private_key = env:DEMO_CW_PRIVATE_KEY
client_id = 3f1c1c2e-demo-4d7e-9a63-5b0c2f1d7a11
sku.lastpass = LASTPASS-BUS, LASTPASS-LEGACY
sku.lastpass_mfa = LASTPASS-MFA

[driver.autotask]
zone_lookup_url = http://127.0.0.1:$at/atservicesrest
username = api@demo.example
secret = env:DEMO_AT_SECRET
integration_code = DEMOCODE
sku.lastpass = LastPass Business, LastPass Business Quarterly, LastPass Legacy
sku.lastpass_mfa = LastPass Business + MFA

[driver.halopsa]
url = http://127.0.0.1:$hp
client_id = lpsa-demo-client
client_secret = env:DEMO_HALO_SECRET
; items by name (or id); LastPass Legacy is not in the demo's catalog
sku.lastpass = LastPass Business, LastPass Legacy
sku.lastpass_mfa = LastPass Business + MFA
CONF
export DEMO_LASTPASS_KEY=lpkey_demo DEMO_CW_PRIVATE_KEY=privkey \
  DEMO_AT_SECRET=demosecret DEMO_HALO_SECRET=demosecret

run() { # driver, then lpsa-host options
  driver=$1
  shift
  # The mapping differs per PSA (the company and agreement ids do).
  cp "$work/mapping-$driver.csv" "$work/mapping.csv"
  (cd "$work" && "$bin/lpsa-host" --config lpsa.conf --driver "$driver" "$@") ||
    echo "(lpsa-host exited with status $?: 0 in step, 1 a person must look," \
      "2 configuration, 3 aborted)"
}

# --yes: the demo answers for you. Started from a terminal, a sync or an
# apply shows its plan and asks "Apply N changes to <PSA>? [y/N]" first.
for driver in connectwise autotask halopsa; do
  echo "=================================================================="
  echo "== $driver: plan (a dry run saved as a file to review; writes nothing)"
  echo "=================================================================="
  run "$driver" plan --out "plan-$driver.json"
  echo
  echo "== $driver: review the plan file (lpsa.plan/1): what it holds"
  sed -n '/"summary"/,/}/p' "$work/plan-$driver.json"
  echo
  echo "=================================================================="
  echo "== $driver: apply exactly that plan (each line re-read first; journaled)"
  echo "=================================================================="
  run "$driver" apply "plan-$driver.json" --yes --report "report-$driver.json"
  echo
  echo "== $driver: apply again (idempotent: nothing left to write)"
  run "$driver" apply "plan-$driver.json" --yes | grep -E '^  PLAN_APPLIED|^Summary'
  echo
  echo "== $driver: a person checked 100% Pure Foods (10 -> 3): approve it alone"
  run "$driver" apply "plan-$driver.json" --yes --approve 100006 |
    grep -E '^Updated|100% Pure Foods|^Summary'
  echo
done
echo "== the journal (lpsa-host history, history --plans)"
(cd "$work" && "$bin/lpsa-host" --config lpsa.conf history &&
  echo && "$bin/lpsa-host" --config lpsa.conf history --plans)
echo
echo "Demo files (configuration, mapping, JSON reports, journal): $work"
[ "$web" -eq 1 ] || exit 0

# The web console on the ConnectWise side of the demo: a [web] section, a
# demo user, `lpsa-host serve` left running with the simulators.
cp "$work/mapping-connectwise.csv" "$work/mapping.csv"
cat >>"$work/lpsa.conf" <<CONF

[web]
listen = 127.0.0.1:${LPSA_DEMO_PORT:-8750}
CONF
echo "demo password 1" |
  (cd "$work" && "$bin/lpsa-host" --config lpsa.conf web-user add demo \
    --role approver) >/dev/null
serve() {
  (cd "$work" && exec "$bin/lpsa-host" --config lpsa.conf \
    --driver connectwise serve) >"$work/console.log" 2>&1 &
  console=$!
  i=0
  while ! grep -q "web console at" "$work/console.log" 2>/dev/null; do
    kill -0 "$console" 2>/dev/null || return 1
    i=$((i + 1))
    [ $i -lt 400 ] || return 1
    sleep 0.05
  done
}
if ! serve; then # the port is taken: let the system pick one
  sed -i 's/^listen = 127.0.0.1:.*/listen = 127.0.0.1:0/' "$work/lpsa.conf"
  serve || { cat "$work/console.log" >&2; exit 1; }
fi
url=$(sed -n 's/.*web console at \([^ ]*\).*/\1/p' "$work/console.log")
echo
echo "=================================================================="
echo "== web console: $url"
echo "==   log in as demo / demo password 1 (an approver)"
echo "==   stop it and the simulators: kill$pids $console"
echo "=================================================================="
pids="" # keep them running: the trap stops nothing now
