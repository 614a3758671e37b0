/* SPDX-License-Identifier: MIT */
/*
 * hp_invoice.h — changing one line's quantity the way HaloPSA takes it:
 * the recurring invoice is posted back, [{"id":H,"lines":[...]}], with
 * EVERY line it had as read (Halo replaces the invoice's lines with the
 * posted ones, so a line left out would be deleted), only the one line's
 * qty_order changed. Pure: unit-tested directly.
 */
#ifndef HP_INVOICE_H
#define HP_INVOICE_H

#include <json-c/json.h>
#include <stddef.h>

/* The body for setting line `line_id` of `invoice` (a record as read, with
 * its lines) to `target`: a new string, or NULL with err set (no lines,
 * the line is not there, or a line without an id: posting it would create
 * a new line, so nothing is posted). */
char *hp_invoice_update_body(json_object *invoice, long long line_id,
                             long long target, char *err, size_t errlen);

enum {
  HP_VERIFY_OK = 0,       /* every posted line is there; *after is set */
  HP_VERIFY_NO_LINES = 1, /* the answer holds no lines: read it back */
  HP_VERIFY_DROPPED = 2,  /* lines are missing; `missing` names them */
  HP_VERIFY_NO_LINE = 3   /* the line itself is missing or unreadable */
};

/* Compare `saved` (Halo's answer, or a re-read) with the lines of
 * `posted` (the invoice as read before the write): every line id must be
 * there. *after gets line_id's qty_order. */
int hp_invoice_verify(json_object *saved, json_object *posted,
                      long long line_id, double *after, char *missing,
                      size_t cap);

/* The invoice in a POST answer: the object, or the only element of an
 * array. NULL when neither. Borrowed. */
json_object *hp_invoice_in_answer(json_object *doc);

#endif
