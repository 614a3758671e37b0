/*
 * planner.h — from evaluated companies to a plan: the target count of each
 * line, and the guardrails that hold risky changes for a person. Pure.
 */
#ifndef LPSA_CORE_PLANNER_H
#define LPSA_CORE_PLANNER_H

#include "outcome.h"

typedef struct plan_options {
  int max_decrease_percent; /* drops bigger than this are held (0..100) */
  int allow_large_decrease; /* --allow-large-decrease */
  int suspended_zero;       /* suspended_companies = zero */
  const char *as_of;        /* effective date when the PSA has no period */
} plan_options;

/* Turn every eligible outcome (has_line, status ST_UNCHANGED) into
 * ST_UNCHANGED, ST_PLANNED or ST_HELD with new_quantity and effective_date
 * set. Returns 0, or -1 when out of memory. */
int plan_compute(const plan_options *opt, run_result *res);

#endif
