/* SPDX-License-Identifier: MIT */
/*
 * at_period.c — a contract's billing period from its dates and its units
 * rows (see at_period.h).
 */
#include "at_period.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "billing_period.h"

int at_unit_prefer(const at_unit *a, const at_unit *b, const at_date *as_of) {
  if (!bp_contains(&a->start, &a->end, as_of))
    return 0;
  if (!b)
    return 1;
  int c = at_date_cmp(&a->start, &b->start);
  return c ? c > 0 : a->id > b->id;
}

static const char *length_word(int months) {
  switch (months) {
  case 1:
    return "monthly";
  case 3:
    return "quarterly";
  case 6:
    return "semi-annual";
  default:
    return "yearly";
  }
}

/* The candidate lengths, in order of preference, without repeats. */
static size_t candidates(int contract_months, const at_period_line *lines,
                         size_t n, int out[4]) {
  size_t k = 0;
  int all[1 + 64];
  size_t m = 0;
  all[m++] = contract_months;
  for (size_t i = 0; i < n && m < sizeof all / sizeof all[0]; i++)
    all[m++] = lines[i].service_months;
  for (size_t i = 0; i < m; i++) {
    int dup = all[i] == 0;
    for (size_t j = 0; j < k && !dup; j++)
      dup = out[j] == all[i];
    if (!dup && k < 4)
      out[k++] = all[i];
  }
  return k;
}

static void missing(at_period_decision *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void missing(at_period_decision *out, const char *fmt, ...) {
  va_list ap;
  out->state = LPSA_PERIOD_MISSING;
  va_start(ap, fmt);
  vsnprintf(out->note, sizeof out->note, fmt, ap);
  va_end(ap);
}

/* 1 when every covering row starts inside [ps, pe]; else *bad is the first
 * line that disagrees. */
static int rows_agree(const at_period_line *lines, size_t n, const at_date *ps,
                      const at_date *pe, size_t *bad) {
  for (size_t i = 0; i < n; i++)
    if (lines[i].row && !bp_contains(ps, pe, &lines[i].row->start)) {
      *bad = i;
      return 0;
    }
  return 1;
}

void at_decide_period(const at_contract *c, int contract_months,
                      const at_period_line *lines, size_t n,
                      const at_date *as_of, at_period_decision *out) {
  char day[11], s[11], e[11];
  memset(out, 0, sizeof *out);
  at_date_format(as_of, day);
  if (!c->has_start) {
    missing(out,
            "contract %lld has no start date: set its start and end "
            "dates",
            c->id);
    return;
  }
  at_date_format(&c->start, s);
  if (at_date_cmp(as_of, &c->start) < 0) {
    missing(out,
            "contract %lld starts on %s, after %s: it has no billing "
            "period yet",
            c->id, s, day);
    return;
  }
  if (c->has_end && at_date_cmp(as_of, &c->end) > 0) {
    at_date_format(&c->end, e);
    missing(out,
            "contract %lld ended on %s: it has no current billing "
            "period; renew or extend it",
            c->id, e);
    return;
  }
  int lengths[4];
  size_t k = candidates(contract_months, lines, n, lengths);
  if (!k) {
    missing(out,
            "contract %lld has no billing period type: neither the "
            "contract nor its service says monthly, quarterly, "
            "semi-annual or yearly",
            c->id);
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (!lines[i].row) {
      missing(out,
              "no ContractServiceUnits row of contract service %lld "
              "(contract %lld) covers %s: check the contract's units",
              lines[i].contract_service_id, c->id, day);
      return;
    }
  size_t bad = 0;
  at_date first_ps = {0}, first_pe = {0};
  for (size_t j = 0; j < k; j++) {
    at_date ps, pe;
    if (billing_period(&c->start, c->has_end ? &c->end : NULL, lengths[j],
                       as_of, &ps, &pe) != BP_OK)
      continue; /* cannot happen: dates were checked above */
    if (j == 0) {
      first_ps = ps;
      first_pe = pe;
    }
    size_t b;
    if (rows_agree(lines, n, &ps, &pe, &b)) {
      /* A row may start after ps: the contract was adjusted mid-period.
       * Adjustments are cumulative (Autotask adds a unit change to every
       * row from its effective date on), so a change posted at ps still
       * reaches today's row; the caller reports it. */
      out->state = LPSA_PERIOD_CURRENT;
      out->start = ps;
      out->end = pe;
      out->months = lengths[j];
      return;
    }
    if (j == 0)
      bad = b;
  }
  char rs[11], ps[11], pe[11];
  at_date_format(&lines[bad].row->start, rs);
  at_date_format(&first_ps, ps);
  at_date_format(&first_pe, pe);
  missing(out,
          "the units of contract service %lld start on %s, outside the "
          "%s billing period %s to %s computed from contract %lld's "
          "start %s: check the contract's period type",
          lines[bad].contract_service_id, rs, length_word(lengths[0]), ps, pe,
          c->id, s);
}
