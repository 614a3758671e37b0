/* SPDX-License-Identifier: MIT */
/*
 * planner.h — from evaluated companies to a plan: the target count of each
 * line, and the guardrails that hold risky changes for a person. Pure.
 *
 * Guardrails, one company at a time:
 *   LARGE_DECREASE  a drop of more than max_decrease_percent AND of at least
 *                   min_seats seats; a drop to 0 from any count (LastPass
 *                   reporting no users is the classic glitch, and
 *                   suspended_companies = zero is the explicit way to 0).
 *   LARGE_INCREASE  growth of more than max_increase_percent AND of at least
 *                   min_seats seats; growth from 0 counts as more than any
 *                   percentage (a first count of min_seats or more is held).
 *   MAPPING_SHRANK  the mapping file lost more than half of its rows since
 *                   the last successful run: every change is held.
 * A held change keeps its target (has_target), so a person can release it
 * (approval.h); NO_BILLING_RECORD holds a company whose count is unknown,
 * with no target, and nothing releases it.
 */
#ifndef LPSA_CORE_PLANNER_H
#define LPSA_CORE_PLANNER_H

#include <stddef.h>

#include "outcome.h"

typedef struct plan_options {
  int max_decrease_percent; /* drops bigger than this are held (0..100) */
  int allow_large_decrease; /* --allow-large-decrease (deprecated) */
  int suspended_zero;       /* suspended_companies = zero */
  const char *as_of;        /* effective date when the PSA has no period */
  int max_increase_percent; /* growth bigger than this is held */
  int min_seats;            /* guardrail_min_seats: smaller changes pass */
  /* MAPPING_SHRANK: set with the row counts now and at the last successful
   * run (and that run's id) when more than half of the rows are gone. */
  int mapping_shrank;
  size_t mapping_rows, mapping_rows_before;
  long long mapping_rows_run;
} plan_options;

/* Where a hold finding's message says what to do; approval_apply() replaces
 * what follows it with who approved the change. */
#define PLAN_HOLD_ADVICE "; held: "

/* 1 when more than half of `before` mapping rows are gone in `now`. */
int plan_mapping_shrank(size_t before, size_t now);

/* A planned change read back from a saved plan, checked again against the
 * guardrails of `opt` (the same size holds, MAPPING_SHRANK from the
 * mapping and journal as they are now), so that no plan file writes past
 * them without a person's --approve: ST_PLANNED with a target and no
 * approved_by that a guardrail holds becomes ST_HELD with its finding.
 * 1 held, 0 not, -1 when out of memory. The global MAPPING_SHRANK finding
 * is not added. */
int plan_guard(const plan_options *opt, outcome *o);

/* Turn every eligible outcome (has_line, status ST_UNCHANGED) into
 * ST_UNCHANGED, ST_PLANNED or ST_HELD with new_quantity and effective_date
 * set, and add the global MAPPING_SHRANK finding when it applies. Returns 0,
 * or -1 when out of memory. */
int plan_compute(const plan_options *opt, run_result *res);

#endif
