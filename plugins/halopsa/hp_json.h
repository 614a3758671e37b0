/* SPDX-License-Identifier: MIT */
/*
 * hp_json.h — HaloPSA's records as the API sends them, read defensively:
 * ids may come as numbers or digit strings (and may be negative: a
 * recurring invoice id -94 is known), quantities are doubles, dates are
 * "YYYY-MM-DDTHH:MM:SS" with 1900-01-01 meaning "none". Pure: no host
 * calls, unit-tested directly.
 */
#ifndef HP_JSON_H
#define HP_JSON_H

#include <json-c/json.h>

/* The member `key` of `o`, or NULL (absent, or o not an object). */
json_object *hp_member(json_object *o, const char *key);

/* An id: a JSON integer, or a string of digits with an optional '-'.
 * 0, or -1 (absent, null, another type, out of range). */
int hp_id(json_object *v, long long *out);
/* Parse an id from text the same way ("-94", "7000001"). 0 or -1. */
int hp_id_text(const char *text, long long *out);

/* A boolean member: true/false, or 0/1; `dflt` when absent or null. */
int hp_bool(json_object *o, const char *key, int dflt);
/* A string member, or NULL (absent, null, not a string). */
const char *hp_string(json_object *o, const char *key);

/* Quantity states. */
enum { HP_QTY_OK = 0, HP_QTY_NULL = 1, HP_QTY_NOT_NUMBER = 2 };
/* qty_order of a line into *out: HP_QTY_OK for a JSON number;
 * HP_QTY_NULL when absent or null; HP_QTY_NOT_NUMBER otherwise. */
int hp_qty(json_object *line, double *out);
/* 1 when q is a whole number from 0 to 1e12, set *out. */
int hp_qty_whole(double q, long long *out);

/* A Halo date as "YYYY-MM-DD" in out[11]: 1 when `text` is a date after
 * 1900-12-31 (Halo writes 1900-01-01 for "no date"), else 0 (out ""). */
int hp_date(const char *text, char out[11]);

/* One line of a recurring invoice (schema InvoiceDetail). */
typedef struct hp_line {
  json_object *json; /* borrowed */
  long long id;
  int has_id;
  long long item_id; /* _itemid */
  int has_item;
  double qty;
  int qty_state;      /* HP_QTY_* */
  int inactive;       /* isinactive */
  long long qty_type; /* recurring_invoice_quantity_type; 0: manual */
  int qty_type_set;   /* present, not null and not 0 */
  char end[11];       /* enddate, "" when none */
  const char *description;
} hp_line;

void hp_line_read(json_object *o, hp_line *out);

/* A recurring invoice (schema InvoiceHeader). */
typedef struct hp_invoice {
  json_object *json; /* borrowed */
  long long id, client_id;
  int disabled;
  char start[11], end[11]; /* "" when none */
  json_object *lines;      /* the array, or NULL when the answer had none */
} hp_invoice;

/* 0, or -1 when the record lacks an id or client_id (err says which). */
int hp_invoice_read(json_object *o, hp_invoice *out, char *err, size_t errlen);

/* Does the invoice bill on `as_of` ("YYYY-MM-DD")? Not disabled and not
 * ended before as_of. A start in the future still counts: it is a real
 * recurring invoice of the client, and two of them make the person pin
 * one. */
int hp_invoice_active(const hp_invoice *inv, const char *as_of);
/* Is the line live on as_of: not isinactive, not ended before as_of. */
int hp_line_live(const hp_line *l, const char *as_of);

/* The list in an answer: the array under `key` of Halo's wrapper
 * {"<key>":[...],"record_count":N}, or the answer itself when it is a
 * bare array. *count is record_count, or -1 when the answer has none.
 * 0, or -1 when neither shape is there. */
int hp_wrapped_list(json_object *doc, const char *key, json_object **list,
                    long long *count);

#endif
