/* SPDX-License-Identifier: MIT */
/*
 * hps_db.h — the halopsa-sim dataset: clients, items and recurring invoices
 * with their lines, as one JSON document (the fixture, GET/PUT /_sim/state).
 *
 *   {"clients":  [{"id":1001,"name":"Acme","inactive":false,...}],
 *    "items":    [{"id":501,"name":"LastPass Business",...}],
 *    "invoices": [{"id":7001,"client_id":1001,"disabled":false,
 *                  "startdate":"2026-01-01T00:00:00","enddate":null,
 *                  "lines":[{"id":90001,"_itemid":501,"qty_order":12,...}]}],
 *    "writes":   [...],        what each POST changed (kept by the sim)
 *    "dropped_lines": [...]}   lines a POST dropped by omitting them
 *
 * Loading validates ids (integers, unique per kind; invoices name an
 * existing client; lines carry an integer id unique in the dataset) and
 * fills the fields Halo always sends (ihid, isinactive, inactive, disabled,
 * recurring_invoice_quantity_type 0, ...) so the wire shows them as the
 * real API does. Every other member is kept and sent back as given, so a
 * fixture can hold odd values (a null qty_order, a string id) on purpose.
 */
#ifndef HPS_DB_H
#define HPS_DB_H

#include <json-c/json.h>
#include <stddef.h>

typedef struct hps_db {
  json_object *root;    /* the whole document (owned) */
  json_object *clients; /* borrowed arrays inside root */
  json_object *items;
  json_object *invoices;
  json_object *writes;
  json_object *dropped;
  long long next_line_id; /* for lines a POST creates */
  long long next_invoice_id;
} hps_db;

/* Take a reference to `doc`, validate it and fill defaults. 0, or -1 with
 * err saying which record is wrong (the db is then empty and unusable). */
int hps_db_load(hps_db *db, json_object *doc, char *err, size_t cap);
void hps_db_free(hps_db *db);

/* The integer value of member `key`, or `dflt` when absent or not an
 * integer. */
long long hps_int(json_object *o, const char *key, long long dflt);
/* 1 when member `key` is the boolean true. */
int hps_true(json_object *o, const char *key);
/* The string value of `key`, or NULL. */
const char *hps_str(json_object *o, const char *key);

/* The record with that id in `list` (borrowed), or NULL. */
json_object *hps_find(json_object *list, long long id);

#endif
