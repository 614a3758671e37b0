/* SPDX-License-Identifier: MIT */
/*
 * at_period.h — deciding an emitted contract's billing period. Pure.
 *
 * Two sources are combined, as the reference advises:
 *   1. the period stepped from the contract's start date (billing_period.h)
 *      with a period length from the contract's contractPeriodType, or, when
 *      the contract has none, from the periodType of its service(s);
 *   2. the ContractServiceUnits row covering as_of of each of its lines.
 * Its startDate may be a mid-period adjustment, so it need not equal the
 * period start (the contract is then CURRENT all the same: an adjustment
 * is cumulative, so one posted at the period start still reaches today's
 * row), but it must lie inside the computed period. When it does not, the
 * computed start is wrong for this contract (its period type is not what we
 * think, or its rows were made by hand), and posting there would make
 * Autotask prorate: the safest answer is LPSA_PERIOD_MISSING with a note
 * explaining the disagreement, so the host writes nothing. When the contract
 * and its services name different lengths, the first length (contract's,
 * then services') that every covering row agrees with wins.
 */
#ifndef AT_PERIOD_H
#define AT_PERIOD_H

#include <stddef.h>

#include "at_date.h"
#include "at_records.h"
#include "lpsa/model.h"

/* One line (contract service) of the contract. */
typedef struct at_period_line {
  long long contract_service_id;
  int service_months; /* from the service's periodType; 0 unknown */
  const at_unit *row; /* the units row covering as_of, or NULL */
} at_period_line;

typedef struct at_period_decision {
  lpsa_period_state state; /* CURRENT or MISSING */
  at_date start, end;      /* CURRENT */
  int months;              /* the length used, when CURRENT */
  char note[320];          /* MISSING: why, in Autotask's words */
} at_period_decision;

void at_decide_period(const at_contract *c, int contract_months,
                      const at_period_line *lines, size_t n,
                      const at_date *as_of, at_period_decision *out);

/* 1 when units row `a` covers `as_of` and should be read instead of `b`
 * (NULL): the latest startDate wins, then the highest id (the newest row,
 * when an adjustment made a row with the same dates). */
int at_unit_prefer(const at_unit *a, const at_unit *b, const at_date *as_of);

#endif
