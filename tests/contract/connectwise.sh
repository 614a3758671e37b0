#!/bin/sh
# SPDX-License-Identifier: MIT
# connectwise.sh — contract test: the public npm client `connectwise-rest`
# (pinned below) against connectwise-sim, over https as that client insists
# (it builds https://{companyUrl}/{entryPoint}/apis/3.0 itself): a
# self-signed certificate for 127.0.0.1, trusted through NODE_EXTRA_CA_CERTS.
# The package is installed into a temporary folder, never into the tree.
# Exit 77 (skipped) only when node or npm is missing.
set -eu
CLIENT=connectwise-rest@1.3.0

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "contract.connectwise: skipped: node and npm are needed (tests/setup.sh installs them)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
src=${LPSA_SOURCE_DIR:-$here/../..}
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

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -days 2 -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>"$tmp/openssl.err" || {
  cat "$tmp/openssl.err" >&2
  echo "contract.connectwise: openssl could not make a certificate" >&2
  exit 1
}

"$bin/connectwise-sim" --quiet --port 0 --port-file "$tmp/port" \
  --fixture "$src/tests/sim/connectwise/fixtures/small.json" \
  --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" \
  --log "$tmp/requests.jsonl" &
sim_pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 "$sim_pid" 2>/dev/null; then
    echo "contract.connectwise: connectwise-sim did not start" >&2
    exit 1
  fi
  sleep 0.1
done
port=$(cat "$tmp/port")

# --no-package-lock: nothing that names a registry host is written, even here.
npm install --prefix "$tmp/npm" --no-audit --no-fund --no-package-lock \
  --loglevel=error "$CLIENT" >"$tmp/npm.log" 2>&1 || {
  cat "$tmp/npm.log" >&2
  echo "contract.connectwise: npm could not install $CLIENT" >&2
  exit 1
}

NODE_PATH="$tmp/npm/node_modules" NODE_EXTRA_CA_CERTS="$tmp/cert.pem" \
  node "$here/connectwise.js" "127.0.0.1:$port" || {
  echo "contract.connectwise: failed; the simulator's requests:" >&2
  tail -n 20 "$tmp/requests.jsonl" >&2 || true
  exit 1
}
