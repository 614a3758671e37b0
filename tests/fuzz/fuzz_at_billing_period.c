/* SPDX-License-Identifier: MIT */
/*
 * fuzz_at_billing_period.c — libFuzzer target for the Autotask billing
 * period rule (plugins/autotask/billing_period.c) with fuzzed dates.
 *
 * The rule decides the date every Autotask unit change is posted on, so
 * its invariants are checked on every input, not just "no crash":
 *   - BP_BAD_LENGTH exactly for lengths other than 1, 3, 6, 12;
 *   - BP_BEFORE_START exactly when as_of < start; BP_AFTER_END exactly
 *     when as_of > end (start <= as_of);
 *   - otherwise start <= period_start <= as_of <= period_end, period_end
 *     <= end, and period_end is the day before the next period starts
 *     (or the contract's end);
 *   - period_start is start moved by a whole number of periods, on the
 *     contract's start day, clamped to the end of a shorter month;
 *   - the next period starts after as_of.
 * Dates are years 1900..2200 (a contract's real range) built from bytes, or
 * parsed from text when the input begins with 'T' (at_date_parse fuzzed
 * too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "at_date.h"
#include "billing_period.h"
#include "fuzz_input.h"

static at_date make_date(fuzz_input *in) {
  at_date d;
  d.y = (int)fuzz_range(in, 1900, 2200);
  d.m = (int)fuzz_range(in, 1, 12);
  d.d = (int)fuzz_range(in, 1, at_days_in_month(d.y, d.m));
  return d;
}

/* A date from "YYYY-MM-DD..." text up to the next newline; -1 when the
 * text is not a date the parser accepts (or outside 1900..2200). */
static int text_date(fuzz_input *in, at_date *d) {
  char *s = fuzz_string(in, '\n');
  int rc = s ? at_date_parse(s, d) : -1;
  free(s);
  if (rc == 0 && (d->y < 1 || d->y > 9999 || d->m < 1 || d->m > 12 ||
                  d->d < 1 || d->d > at_days_in_month(d->y, d->m)))
    abort(); /* the parser accepted an impossible date */
  return rc == 0 && d->y >= 1900 && d->y <= 2200 ? 0 : -1;
}

static int valid_length(int months) {
  return months == 1 || months == 3 || months == 6 || months == 12;
}

static void check_ok(const at_date *start, const at_date *end, int months,
                     const at_date *as_of, const at_date *ps,
                     const at_date *pe) {
  if (at_date_cmp(start, ps) > 0 || at_date_cmp(ps, as_of) > 0 ||
      at_date_cmp(as_of, pe) > 0)
    abort();
  if (end && at_date_cmp(pe, end) > 0)
    abort();
  if (!bp_contains(ps, pe, as_of))
    abort();
  int diff = at_month_diff(start, ps);
  if (diff < 0 || diff % months != 0)
    abort();
  int dim = at_days_in_month(ps->y, ps->m);
  if (ps->d != (start->d < dim ? start->d : dim))
    abort(); /* not the contract's start day, clamped */
  at_date next = at_date_add_months(start, diff + months);
  if (at_date_cmp(&next, as_of) <= 0)
    abort(); /* as_of belongs to a later period */
  at_date before_next = at_date_add_days(&next, -1);
  if (at_date_cmp(pe, &before_next) != 0 &&
      !(end && at_date_cmp(pe, end) == 0 && at_date_cmp(end, &before_next) < 0))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_input_make(data, size);
  at_date start, end, as_of;
  int has_end;
  if (size && data[0] == 'T') {
    fuzz_byte(&in);
    if (text_date(&in, &start) || text_date(&in, &as_of))
      return 0;
    has_end = text_date(&in, &end) == 0;
  } else {
    start = make_date(&in);
    as_of = make_date(&in);
    has_end = fuzz_byte(&in) & 1;
    end = make_date(&in);
  }
  static const int lengths[] = {1, 3, 6, 12, 0, 2, -1, 24};
  int months = lengths[fuzz_byte(&in) % 8];
  const at_date *endp = has_end ? &end : NULL;

  at_date ps = {0, 0, 0}, pe = {0, 0, 0};
  bp_result r = billing_period(&start, endp, months, &as_of, &ps, &pe);
  if (!valid_length(months)) {
    if (r != BP_BAD_LENGTH)
      abort();
    return 0;
  }
  if (at_date_cmp(&as_of, &start) < 0) {
    if (r != BP_BEFORE_START)
      abort();
    return 0;
  }
  if (endp && at_date_cmp(&as_of, endp) > 0) {
    if (r != BP_AFTER_END)
      abort();
    return 0;
  }
  if (r != BP_OK)
    abort();
  check_ok(&start, endp, months, &as_of, &ps, &pe);
  return 0;
}
