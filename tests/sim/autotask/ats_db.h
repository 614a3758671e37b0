/* SPDX-License-Identifier: MIT */
/*
 * ats_db.h — the dataset of one simulated Autotask instance.
 *
 * The dataset is one JSON document, the same in a fixture file, in
 * GET/PUT /_sim/state and in memory:
 *   {
 *     "now": "2026-11-15",            the simulator's today (optional)
 *     "picklistOffset": 0,            shifts per-instance picklist numbers
 *     "picklists": {"Services.periodType":[{"value":"4","label":"Monthly"}]},
 *     "denied": ["ContractServiceAdjustments"],   entities the API user
 *                                     may not touch (HTTP 500, permissions)
 *     "companies": [...], "contracts": [...], "services": [...],
 *     "contractServices": [...], "contractServiceUnits": [...],
 *     "adjustments": [...]            ContractServiceAdjustments received
 *   }
 * Items use the wire's camelCase field names (matched case-insensitively on
 * load). Picklist fields may hold a label ("periodType":"Monthly") that the
 * loader turns into this instance's number. A contractServices item may
 * carry "units": N or "units": [{"from":"2026-01-01","units":5}, ...]
 * (a step function); for every contract service without rows in
 * contractServiceUnits, the loader generates one row per billing period of
 * its contract (ats_units.h). Items without "id" get one. Keys the schema
 * does not know are kept (never sent on the wire).
 */
#ifndef ATS_DB_H
#define ATS_DB_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "ats_index.h"
#include "ats_schema.h"

typedef struct ats_db ats_db;

typedef struct ats_db_options {
  int picklist_offset; /* used when has_picklist_offset */
  int has_picklist_offset;
  int64_t now; /* the simulator's today; used when has_now */
  int has_now;
} ats_db_options;

/* Builds a dataset from a document (borrowed; a deep copy is kept).
 * NULL with err filled when the document is invalid. */
ats_db *ats_db_load(json_object *doc, const ats_db_options *opt, char *err,
                    size_t errlen);
void ats_db_free(ats_db *db);

/* The whole dataset (borrowed; serialise or copy it). */
json_object *ats_db_root(ats_db *db);
/* The array of an entity's items, sorted by id (borrowed). */
json_object *ats_db_items(ats_db *db, const ats_entity *e);
json_object *ats_db_picklists(ats_db *db);
/* The simulator's today, midnight UTC. */
int64_t ats_db_now(const ats_db *db);

/* The item with that id, or NULL. */
json_object *ats_db_find(ats_db *db, const ats_entity *e, int64_t id);
/* Appends a new item (taking ownership) with a fresh id, written into the
 * item and returned in *id. 0, or -1 on allocation failure (item freed). */
int ats_db_append(ats_db *db, const ats_entity *e, json_object *item,
                  int64_t *id);
/* The entity's index by one integer field (ats_index.h), or NULL when it
 * has none. Owned by the dataset. */
ats_index *ats_db_index(ats_db *db, const ats_entity *e);
/* 1 when the API user is denied access to the entity. */
int ats_db_denied(ats_db *db, const ats_entity *e);

#endif
