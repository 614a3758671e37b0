#!/bin/sh
# SPDX-License-Identifier: MIT
# bench.sh — the lpsa scaling benchmark (issue 9): one command from a clean
# checkout. Builds the tree (build-bench/ by default) if needed, then runs
# bench.py, which starts the simulators, runs lpsa-host and prints the table.
#   tests/bench/bench.sh [--sizes 100,1000,5000] [--latency-ms 50]
#                        [--drivers connectwise,autotask] [--no-check] ...
# See tests/bench/README.md; --help lists every option.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v python3 >/dev/null 2>&1; then
  echo "bench.sh: python3 is missing; install it (Debian: apt-get install python3)" >&2
  exit 2
fi
exec python3 "$here/bench.py" "$@"
