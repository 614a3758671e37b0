/*
 * planner.c — targets and guardrails.
 *
 * A suspended company under suspended_companies = zero goes to 0 without
 * the drop guardrail: the person asked for exactly that in the
 * configuration, and LastPass's status is explicit, unlike a count that
 * collapses because of a glitch.
 */
#include "planner.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int hold_reason(const plan_options *opt, const outcome *o,
                       long long target, int *pct) {
  long long old = o->old_quantity;
  if (opt->allow_large_decrease || target >= old || old <= 0)
    return 0;
  if (o->suspended && opt->suspended_zero)
    return 0;
  long long drop = old - target; /* > 0 here */
  /* Whole percent, without overflowing on absurd counts. */
  *pct = drop > LLONG_MAX / 100 ? (int)(drop / (old / 100))
                                : (int)((drop * 100) / old);
  return target == 0 || *pct > opt->max_decrease_percent;
}

int plan_compute(const plan_options *opt, run_result *res) {
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
    int pct = 0;
    if (hold_reason(opt, o, target, &pct)) {
      int rc =
          target == 0
              ? findings_add(&o->findings, "LARGE_DECREASE", SEV_WARNING,
                             "the count would drop from %lld to 0; held: "
                             "check the company's users in LastPass, then "
                             "re-run with --allow-large-decrease to apply it",
                             o->old_quantity)
              : findings_add(&o->findings, "LARGE_DECREASE", SEV_WARNING,
                             "the count would drop from %lld to %lld (-%d%%, "
                             "more than max_decrease_percent = %d); held: "
                             "check the company's users in LastPass, then "
                             "re-run with --allow-large-decrease to apply it",
                             o->old_quantity, target, pct,
                             opt->max_decrease_percent);
      if (rc)
        return -1;
      o->status = ST_HELD;
      continue;
    }
    o->status = ST_PLANNED;
  }
  return 0;
}
