/* SPDX-License-Identifier: MIT */
/*
 * ats_units.h — ContractServiceUnits: one row per billing period.
 *
 * Autotask keeps the unit count of a contract service as rows of
 * ContractServiceUnits, one per billing period of the contract (period
 * length from the Service's periodType: 1, 3, 6 or 12 months, stepped from
 * the contract's startDate with the day clamped at month end, the last one
 * cut at the contract's endDate). Adjustments split rows (ats_adjust.h).
 */
#ifndef ATS_UNITS_H
#define ATS_UNITS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "ats_db.h"

#define ATS_MAX_PERIODS 1200

/* Months per billing period of a contract service: from its Service's
 * periodType label; 1 when the service or label is unknown. */
int ats_units_period_months(ats_db *db, json_object *contract_service);

/* The billing period of a contract holding day t: 0 with [*start, *end]
 * (midnights, end inclusive), or -1 when t is before the start or after the
 * end. Contracts without endDate run for ever. */
int ats_units_period_at(json_object *contract, int months, int64_t t,
                        int64_t *start, int64_t *end);

/* Generates the rows of one contract service from its "units": an integer
 * (every period), or steps [{"from":date,"units":n},...] — a row has the
 * units of the last step starting on or before its start (the earliest
 * step's before any), and a step starting inside a period splits that
 * period's row there, as a mid-period adjustment does. 0, or -1 with
 * err filled (missing contract, contract without startDate). */
int ats_units_generate(ats_db *db, json_object *contract_service, char *err,
                       size_t len);

/* Generates the rows of every contract service that has none. */
int ats_units_fill(ats_db *db, char *err, size_t len);

#endif
