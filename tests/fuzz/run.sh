#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh — build the libFuzzer targets with clang and run each one for a
# bounded time; exit non-zero when any of them crashes, leaks, trips a
# sanitizer or an invariant, or cannot be built.
#
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 30; TARGET names (fuzz_config, or just
# config) pick some of the fuzzers, default all. Environment:
#   LPSA_FUZZ_BUILD   build directory (default <top>/build-fuzz)
#   LPSA_FUZZ_OUT     where corpora and crash files go (default
#                     $LPSA_FUZZ_BUILD/fuzz-out/<target>/{corpus,crashes})
#   LPSA_FUZZ_JOBS    build parallelism (default 2)
#   LPSA_FUZZ_ARGS    extra libFuzzer flags (e.g. "-max_len=65536")
# See tests/fuzz/README.md for running longer and reproducing a crash.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-30}
[ $# -gt 0 ] && shift
case $secs in
'' | *[!0-9]*)
  echo "run.sh: SECONDS_PER_TARGET must be a whole number, not '$secs'" >&2
  exit 2
  ;;
esac
build=${LPSA_FUZZ_BUILD:-$top/build-fuzz}
out=${LPSA_FUZZ_OUT:-$build/fuzz-out}
jobs=${LPSA_FUZZ_JOBS:-2}

if ! command -v clang >/dev/null 2>&1; then
  echo "run.sh: clang is not installed (tests/setup.sh installs it)" >&2
  exit 2
fi
mkdir -p "$build"
CC=clang cmake -S "$top" -B "$build" -DLPSA_FUZZ=ON -DLPSA_BUILD_TESTS=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  echo "run.sh: configuring $build failed" >&2
  exit 2
}
cmake --build "$build" -j "$jobs" --target lpsa_fuzzers

if [ $# -gt 0 ]; then
  targets=""
  for t in "$@"; do
    case $t in fuzz_*) ;; *) t=fuzz_$t ;; esac
    targets="$targets $t"
  done
else
  targets=$(cat "$build/fuzzers.txt")
fi

# Leaks are bugs here (the host runs as a daemon); a slow input (>10 s) or
# one needing > 2 GiB is reported too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=""
ran=0
for t in $targets; do
  exe=$build/bin/$t
  name=${t#fuzz_}
  seeds=$top/tests/fuzz/corpus/$name
  if [ ! -x "$exe" ]; then
    echo "run.sh: $exe was not built" >&2
    failed="$failed $t"
    continue
  fi
  # crashes/ holds the inputs of this run only (copy older ones away first).
  rm -rf "$out/$t/crashes"
  mkdir -p "$out/$t/corpus" "$out/$t/crashes"
  dict=""
  [ -f "$top/tests/fuzz/dict/$name.dict" ] && dict="-dict=$top/tests/fuzz/dict/$name.dict"
  echo "=== $t: $secs s (seeds: tests/fuzz/corpus/$name)"
  # New inputs go to the first corpus directory (outside the source tree);
  # the checked-in seeds are only read.
  # shellcheck disable=SC2086
  if "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$t/crashes/" $dict \
    ${LPSA_FUZZ_ARGS:-} "$out/$t/corpus" "$seeds" >"$out/$t/log" 2>&1; then
    tail -n 12 "$out/$t/log" | grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done)' || true
    ran=$((ran + 1))
  else
    tail -n 60 "$out/$t/log"
    echo "=== $t FAILED; crash input(s):"
    ls -1 "$out/$t/crashes/" | sed "s|^|    $out/$t/crashes/|"
    echo "    reproduce: $exe <crash file>"
    failed="$failed $t"
  fi
done

total=$(echo $targets | wc -w)
if [ -n "$failed" ]; then
  echo "fuzz: $ran passed, $((total - ran)) failed:$failed"
  exit 1
fi
echo "fuzz: $ran passed, 0 failed"
