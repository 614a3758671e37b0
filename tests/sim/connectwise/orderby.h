/* SPDX-License-Identifier: MIT */
/*
 * orderby.h — the `orderBy` query parameter: "name desc, id asc".
 *
 * Sorting follows SQL Server: nulls come first in ascending order, text
 * compares case-insensitively (textcmp.h). Ties always fall back to id, so
 * pages never overlap or skip records between requests.
 */
#ifndef CW_ORDERBY_H
#define CW_ORDERBY_H

#include <json-c/json.h>
#include <stddef.h>

#include "schema.h"

typedef struct cw_orderby cw_orderby;

/* Parses "field [asc|desc] {, field [asc|desc]}". *out is NULL for blank
 * text (id order). -1 with a message in err for an unknown field, an object
 * field or a bad direction; -2 when out of memory. */
int cw_orderby_parse(const char *text, const cw_schema *s, cw_orderby **out,
                     char *err, size_t errlen);
/* 1 when the order is exactly "id asc" (or empty). */
int cw_orderby_is_id_asc(const cw_orderby *o);
/* Sorts recs[0..n) stably by `o` (NULL: by id). -1 when out of memory. */
int cw_orderby_sort(const cw_orderby *o, json_object **recs, size_t n);
void cw_orderby_free(cw_orderby *o);

#endif
