#!/bin/sh
# SPDX-License-Identifier: MIT
# demo_check.sh — the README's demo command, run against this build, must
# show its realistic mix: changes applied with every PSA, every problem
# reported, and a second apply with nothing left to write.
set -eu
out=$(LPSA_BUILD="$LPSA_BUILD_DIR" "$LPSA_SOURCE_DIR/conf/demo/run.sh" 2>&1) || {
  echo "$out"
  echo "demo_check: the demo failed"
  exit 1
}
fail=0
expect() {
  if ! printf '%s\n' "$out" | grep -q -- "$1"; then
    echo "demo_check: missing: $1"
    fail=1
  fi
}
expect "connectwise 1.0.0"
expect "autotask 1.0.0"
expect "halopsa 1.0.0"
expect "^Updated (12)"
expect "^Updated (11)"
expect "^Updated (10)"
for code in UNMAPPED MAPPING_DUPLICATE MAPPING_UNKNOWN_LASTPASS \
  PSA_COMPANY_NOT_FOUND PRODUCT_NOT_FOUND NO_AGREEMENT MULTIPLE_AGREEMENTS \
  AGREEMENT_NOT_FOUND MULTIPLE_PRODUCTS SKU_MISMATCH SUSPENDED \
  LARGE_DECREASE NO_BILLING_PERIOD PRORATE_AGREEMENT ORPHAN_BILLING \
  BAD_PSA_RECORD; do
  expect "^  $code\$"
done
again=$(printf '%s\n' "$out" | grep -A2 'apply again' | grep -c '0 updated, 0 planned') || true
if [ "$again" != 3 ]; then
  echo "demo_check: a second apply wrote something"
  fail=1
fi
# plan -> review -> apply, with each PSA
saved=$(printf '%s\n' "$out" | grep -c '^Plan .* saved to plan-') || true
[ "$saved" = 3 ] || { echo "demo_check: not 3 plans saved"; fail=1; }
expect '"changes":'
expect "^  PLAN_APPLIED\$"
# the approval writes that company alone
approved=$(printf '%s\n' "$out" | grep -c '^Updated (1):') || true
[ "$approved" = 3 ] || { echo "demo_check: an approval did not write one change"; fail=1; }
expect 'approved by '
expect ' applied'
[ $fail -eq 0 ] || printf '%s\n' "$out"
exit $fail
