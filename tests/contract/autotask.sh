#!/bin/sh
# SPDX-License-Identifier: MIT
# autotask.sh — contract test: the public npm client
# `@apigrate/autotask-restapi` (pinned below) against autotask-sim's
# generated world: zone lookup, queries with filters and paging, counts,
# creating an adjustment, a wrong integration code. The client takes its
# zone lookup base from its `base_url` option and then uses the zone's
# `url` as the real API hands it out. The package is installed into a
# temporary folder, never into the tree.
# Exit 77 (skipped) only when node or npm is missing.
set -eu
CLIENT=@apigrate/autotask-restapi@2.0.1

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "contract.autotask: skipped: node and npm are needed (tests/setup.sh installs them)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=${LPSA_BUILD_DIR:?set LPSA_BUILD_DIR (ctest does)}/bin
tmp=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# 600 world companies and 61 outside it: the Companies query spans two
# pages of 500.
"$bin/autotask-sim" --quiet --port 0 --port-file "$tmp/port" \
  --generate 600 --seed 7 --now 2026-11-15 --log "$tmp/requests.jsonl" &
sim_pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "contract.autotask: autotask-sim did not start" >&2
    exit 1
  fi
  sleep 0.1
done
port=$(cat "$tmp/port")

# --no-package-lock: nothing that names a registry host is written, even here.
npm install --prefix "$tmp/npm" --no-audit --no-fund --no-package-lock \
  --loglevel=error "$CLIENT" >"$tmp/npm.log" 2>&1 || {
  cat "$tmp/npm.log" >&2
  echo "contract.autotask: npm could not install $CLIENT" >&2
  exit 1
}

NODE_PATH="$tmp/npm/node_modules" node "$here/autotask.js" "127.0.0.1:$port" || {
  echo "contract.autotask: failed; the simulator's last requests:" >&2
  tail -n 20 "$tmp/requests.jsonl" >&2 || true
  exit 1
}
