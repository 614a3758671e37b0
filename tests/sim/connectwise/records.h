/* SPDX-License-Identifier: MIT */
/*
 * records.h — one record of the simulated database, from what a fixture (or
 * a PUT body) says to its full wire form.
 *
 * Only ids and references are required; every other field of the reference
 * gets a realistic default, types are checked, dates normalised, references
 * resolved (a company's name into its agreements, a catalog item's
 * identifier into additions) and derived fields computed (an addition's
 * agreementStatus, billedQuantity, extPrice, extCost). Unknown members are
 * kept as they are.
 */
#ifndef CW_RECORDS_H
#define CW_RECORDS_H

#include <json-c/json.h>
#include <stddef.h>

#include "dataset.h"
#include "nameset.h"

typedef enum cw_record_kind {
  CW_REC_CATALOG,   /* needs nothing loaded */
  CW_REC_STATUS,    /* needs nothing loaded */
  CW_REC_COMPANY,   /* needs d->statuses */
  CW_REC_AGREEMENT, /* needs d->companies */
  CW_REC_ADDITION   /* needs d->catalog and d->agreements */
} cw_record_kind;

/* Builds the full record from `in` into *out (a new object). `seen` holds
 * the identifiers taken so far (catalog items, companies; may be NULL for
 * the other kinds), `where` starts every message ("fixture: companies[3]").
 * 0; -1 with a one-line message; -2 when out of memory. */
int cw_record_normalize(cw_record_kind kind, const cw_dataset *d,
                        json_object *in, cw_nameset *seen, const char *where,
                        json_object **out, char *err, size_t errlen);
/* The whole addition for a PUT body (id and agreementId already set by the
 * caller): cw_record_normalize() with messages starting "addition: ". */
int cw_addition_build(const cw_dataset *d, json_object *in, json_object **out,
                      char *err, size_t errlen);
/* Recomputes billedQuantity, extPrice and extCost of one addition. */
void cw_addition_recompute(json_object *addition);
/* A JSON number that prints like the real server's decimals: integral values
 * as integers, others with at most 15 significant digits. */
json_object *cw_json_number(double v);

#endif
