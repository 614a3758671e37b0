/* SPDX-License-Identifier: MIT */
/*
 * ats_adjust.h — ContractServiceAdjustments: changing units by a delta.
 *
 * Body: {"contractID","serviceID","contractServiceID","effectiveDate",
 *        "unitChange","adjustedUnitPrice"} (keys case-insensitive).
 * Like Autotask:
 *   - unitChange is a DELTA; effectiveDate is required and must lie within
 *     the contract's dates; the contract must be a Recurring Service one;
 *   - the ContractServiceUnits row covering effectiveDate is split: it now
 *     ends the day before, and a new row runs from effectiveDate to the old
 *     row's end with units + delta; when effectiveDate is the row's start the
 *     row changes in place; every later row (the rest of the period and the
 *     periods after it) gets the delta too;
 *   - no row may go below 0 units (error, nothing changes);
 *   - when the contract has no ContractService for serviceID, one is
 *     CREATED (unit rows at 0, then the delta) — the real API does that; the
 *     adjustment is logged with "createdContractService": true so tests can
 *     catch a driver that relies on it.
 * Every accepted adjustment is appended to the dataset's "adjustments"
 * (with "splitRowId" and "createdContractService").
 * Fault actions (a fault rule's "action" on the POST):
 *   adjust_ignored       answered 200 {"itemId"} and recorded, but no unit
 *                        row changes: a PSA that does not apply the
 *                        adjustment as documented;
 *   adjust_other_writer  applied, then another writer's adjustment of the
 *                        same contract service (+1, or +2 after a -1) lands
 *                        before the answer: the units end neither at the
 *                        old count nor at the target.
 */
#ifndef ATS_ADJUST_H
#define ATS_ADJUST_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "ats_db.h"

/* path_contract_id: the {id} of POST Contracts/{id}/ServiceAdjustments, or
 * -1; fault: the request's fault action, or NULL. Returns 0 with the new
 * adjustment's id, or -1 with the API's error message in err (HTTP 500). */
int ats_adjust_apply(ats_db *db, json_object *body, int64_t path_contract_id,
                     const char *fault, int64_t *item_id, char *err,
                     size_t len);

#endif
