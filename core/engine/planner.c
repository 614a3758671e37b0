/* SPDX-License-Identifier: MIT */
/*
 * planner.c — targets and guardrails.
 *
 * A suspended company under suspended_companies = zero goes to 0 without
 * the drop guardrail: the person asked for exactly that in the
 * configuration, and LastPass's status is explicit, unlike a count that
 * collapses because of a glitch.
 *
 * The percentages alone would hold 3 -> 1 and let 1000 -> 1400 pass
 * unnoticed: a change is held only when it is large in both senses, a share
 * of the count and a number of seats (min_seats), so small customers are
 * not blocked by every departure and large ones are watched.
 */
#include "planner.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Whole percent of `part` in `whole` (> 0), without overflowing on absurd
 * counts (saturating at LLONG_MAX). */
static long long percent_of(long long part, long long whole) {
  if (part <= LLONG_MAX / 100)
    return (part * 100) / whole;
  return whole >= 100 ? part / (whole / 100) : LLONG_MAX;
}

int plan_mapping_shrank(size_t before, size_t now) {
  return now < before && (before - now) * 2 > before;
}

static const char check_users[] =
    "check the company's users in LastPass, then approve it with";

/* LARGE_DECREASE or LARGE_INCREASE for o -> target; 0, 1 added, -1 OOM. */
static int size_guard(const plan_options *opt, outcome *o, long long target) {
  long long old = o->old_quantity;
  if (target < old) {
    if (opt->allow_large_decrease || (o->suspended && opt->suspended_zero))
      return 0;
    long long drop = old - target;
    if (target == 0)
      return findings_add(&o->findings, "LARGE_DECREASE", SEV_WARNING,
                          "the count would drop from %lld to 0" PLAN_HOLD_ADVICE
                          "%s --approve %s",
                          old, check_users, o->lastpass_id)
                 ? -1
                 : 1;
    long long pct = percent_of(drop, old);
    if (pct <= opt->max_decrease_percent || drop < opt->min_seats)
      return 0;
    return findings_add(&o->findings, "LARGE_DECREASE", SEV_WARNING,
                        "the count would drop from %lld to %lld (-%lld%%, "
                        "more than max_decrease_percent = %d, by %lld "
                        "seats)" PLAN_HOLD_ADVICE "%s --approve %s",
                        old, target, pct, opt->max_decrease_percent, drop,
                        check_users, o->lastpass_id)
               ? -1
               : 1;
  }
  long long growth = target - old; /* > 0: target != old here */
  if (growth < opt->min_seats)
    return 0;
  if (old == 0)
    return findings_add(&o->findings, "LARGE_INCREASE", SEV_WARNING,
                        "the count would grow from 0 to %lld (a first count "
                        "of at least guardrail_min_seats = %d "
                        "seats)" PLAN_HOLD_ADVICE "%s --approve %s",
                        target, opt->min_seats, check_users, o->lastpass_id)
               ? -1
               : 1;
  long long pct = percent_of(growth, old);
  if (pct <= opt->max_increase_percent)
    return 0;
  return findings_add(&o->findings, "LARGE_INCREASE", SEV_WARNING,
                      "the count would grow from %lld to %lld (+%lld%%, more "
                      "than max_increase_percent = %d, by %lld "
                      "seats)" PLAN_HOLD_ADVICE "%s --approve %s",
                      old, target, pct, opt->max_increase_percent, growth,
                      check_users, o->lastpass_id)
             ? -1
             : 1;
}

/* Every guardrail for o -> target: 1 held (findings added), 0, -1 OOM. */
static int guard(const plan_options *opt, outcome *o, long long target) {
  int held = size_guard(opt, o, target);
  if (held < 0)
    return -1;
  if (opt->mapping_shrank) {
    if (findings_add(&o->findings, "MAPPING_SHRANK", SEV_WARNING,
                     "the count would change from %lld to %lld, but the "
                     "mapping file lost more than half of its rows since "
                     "run %lld" PLAN_HOLD_ADVICE
                     "check the mapping file, then approve it with "
                     "--approve %s",
                     o->old_quantity, target, opt->mapping_rows_run,
                     o->lastpass_id))
      return -1;
    held = 1;
  }
  return held;
}

int plan_guard(const plan_options *opt, outcome *o) {
  if (o->status != ST_PLANNED || !o->has_line || !o->has_target ||
      o->approved_by || o->new_quantity == o->old_quantity)
    return 0;
  int held = guard(opt, o, o->new_quantity);
  if (held > 0)
    o->status = ST_HELD;
  return held;
}

int plan_compute(const plan_options *opt, run_result *res) {
  if (opt->mapping_shrank &&
      findings_add(&res->findings, "MAPPING_SHRANK", SEV_WARNING,
                   "the mapping file has %zu rows and had %zu at the last "
                   "successful run (run %lld): more than half are gone, so "
                   "every change is held and every run needs a person until "
                   "the smaller mapping is accepted; check the file (a lost "
                   "row stops a customer's billing updates), restore the "
                   "rows lost by mistake, then run `lpsa-host map accept` "
                   "(with the same --driver); --approve ID[,ID...] releases "
                   "the changes of the companies you checked meanwhile",
                   opt->mapping_rows, opt->mapping_rows_before,
                   opt->mapping_rows_run))
    return -1;
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    if (!o->has_line || o->status != ST_UNCHANGED)
      continue;
    if (!o->seats_known && !(o->suspended && opt->suspended_zero)) {
      /* No billing record: the count is unknown, and no option may turn an
       * unknown into a write. */
      if (o->old_quantity == 0)
        continue; /* already nothing billed */
      if (findings_add(&o->findings, "NO_BILLING_RECORD", SEV_WARNING,
                       "LastPass's billing report for the cycle has no record "
                       "of this company, so its seat count is unknown; held "
                       "at %lld: check the company in LastPass",
                       o->old_quantity))
        return -1;
      o->status = ST_HELD;
      continue;
    }
    long long target = (o->suspended && opt->suspended_zero) ? 0 : o->seats;
    o->has_target = 1;
    o->new_quantity = target;
    const char *eff = o->period_start ? o->period_start : opt->as_of;
    if (eff && !(o->effective_date = strdup(eff)))
      return -1;
    if (target == o->old_quantity) {
      o->status = ST_UNCHANGED;
      continue;
    }
    int held = guard(opt, o, target);
    if (held < 0)
      return -1;
    o->status = held ? ST_HELD : ST_PLANNED;
  }
  return 0;
}
