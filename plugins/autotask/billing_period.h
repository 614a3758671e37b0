/* SPDX-License-Identifier: MIT */
/*
 * billing_period.h — the current billing period of an Autotask contract.
 * Pure: the heart of Autotask correctness, so it has no I/O at all.
 *
 * Autotask prorates a unit change from its effective date. LastPass's rule is
 * to bypass proration by posting every change at the START of the current
 * billing period, so that date must be exactly right. Autotask publishes no
 * formula; the one its invoices follow, and peers reproduce, is:
 *
 *   periods step from the contract's start date by whole periods (1, 3, 6 or
 *   12 months); the k-th period starts on start + k*length months with the
 *   day clamped to the end of the month, always computed from the ORIGINAL
 *   start day (a contract starting Jan 31 has monthly periods starting Jan 31,
 *   Feb 28/29, Mar 31, Apr 30 ... — never Mar 28 from a clamped Feb 28); a
 *   period ends the day before the next one starts, or on the contract's end
 *   date if that comes first.
 *
 * A contract that has not started or has ended has no current period.
 */
#ifndef BILLING_PERIOD_H
#define BILLING_PERIOD_H

#include "at_date.h"

typedef enum bp_result {
  BP_OK = 0,           /* *period_start / *period_end are set */
  BP_BEFORE_START = 1, /* as_of is before the contract start */
  BP_AFTER_END = 2,    /* as_of is after the contract end */
  BP_BAD_LENGTH = 3    /* months is not 1, 3, 6 or 12 */
} bp_result;

/*
 * The period containing `as_of` of a contract running from `start` to `end`
 * (NULL: no end) with periods of `months` months. `end` before `start` makes
 * every date fall after the end.
 */
bp_result billing_period(const at_date *start, const at_date *end, int months,
                         const at_date *as_of, at_date *period_start,
                         at_date *period_end);

/* 1 when `d` lies in [first, last]. */
int bp_contains(const at_date *first, const at_date *last, const at_date *d);

/* The period length in months for a picklist label ("Monthly", "Quarterly",
 * "Semi-Annual", "Yearly" and common spellings, any case, ignoring spaces,
 * dashes and underscores), or 0 when the label is not a billing period. */
int bp_months_from_label(const char *label);

#endif
