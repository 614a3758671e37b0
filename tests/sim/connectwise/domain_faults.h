/* SPDX-License-Identifier: MIT */
/*
 * domain_faults.h — the ConnectWise-specific misbehaviours a fault rule can
 * ask for (rule "action"), to prove the driver copes with a server that
 * breaks its own contract:
 *   page_loop      the rel="next" Link points back to page 1 (pageId=0)
 *   duplicate_ids  a page repeats a record of the previous page
 *   empty_page     an empty page that still has a rel="next" Link
 *   wrong_types    quantity (additions) or id (other records) as a string;
 *                  a count as a string
 *   missing_fields records without their id; a count object without count
 * The page-level ones are applied by listing.c; this file does the records.
 */
#ifndef CW_DOMAIN_FAULTS_H
#define CW_DOMAIN_FAULTS_H

#include <json-c/json.h>

#include "schema.h"

#define CW_FAULT_PAGE_LOOP "page_loop"
#define CW_FAULT_DUPLICATE_IDS "duplicate_ids"
#define CW_FAULT_EMPTY_PAGE "empty_page"
#define CW_FAULT_WRONG_TYPES "wrong_types"
#define CW_FAULT_MISSING_FIELDS "missing_fields"

/* 1 when `action` (may be NULL) is `name`. */
int cw_fault_is(const char *action, const char *name);
/* Applies wrong_types / missing_fields to one outgoing record of resource
 * `s`. 0, or -1 when out of memory. */
int cw_fault_record(const char *action, const cw_schema *s, json_object *rec);
/* Removes null members (recursively), as servers that omit nulls do. */
void cw_omit_nulls(json_object *rec);

#endif
