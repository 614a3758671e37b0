/* SPDX-License-Identifier: MIT */
/*
 * at_query_json.h — building the JSON body of an Autotask query. Pure.
 *
 *   {"filter":[...],"MaxRecords":500,"IncludeFields":["id",...]}
 *
 * The filter array is an implicit AND of conditions. Autotask refuses more
 * than 500 OR conditions in one query (each value of an `in` counts), so a
 * long `in` list is split into chunks of AT_IN_CHUNK values, one query body
 * per chunk. json-c does the escaping, so names with quotes, backslashes,
 * control characters or non-ASCII text travel intact.
 */
#ifndef AT_QUERY_JSON_H
#define AT_QUERY_JSON_H

#include <json-c/json.h>
#include <stddef.h>

#include "at_date.h"

#define AT_IN_CHUNK 500
#define AT_MAX_RECORDS 500

/* Conditions: each returns a new json object, or NULL when out of memory. */
json_object *at_cond_eq_str(const char *field, const char *value);
json_object *at_cond_eq_int(const char *field, long long value);
json_object *at_cond_in_ids(const char *field, const long long *ids, size_t n);
/* {"op":op,"field":field,"value":"YYYY-MM-DDT00:00:00Z"} */
json_object *at_cond_date(const char *op, const char *field, const at_date *d);
json_object *at_cond_exist(const char *field);
/* {"op":"or"|"and","items":[...]}; takes ownership of items (n >= 1). On
 * failure every item is released. */
json_object *at_cond_group(const char *op, json_object **items, size_t n);

/* The body for `filter` (an array of conditions; ownership taken) with
 * IncludeFields `fields` (NULL-terminated; "id" is added first when absent;
 * NULL fields: no IncludeFields). A new string to free(), or NULL. */
char *at_query_body(json_object *filter, const char *const *fields);

/*
 * One body per chunk of at most `chunk` ids: the filter is
 * [{"op":"in","field":field,"value":[chunk ids]}] followed by copies of the
 * conditions in `extra` (a JSON array, borrowed, may be NULL). Writes a new
 * array of *n_out new strings to *out (free each, then the array). n == 0
 * gives no bodies. Returns 0, or -1 when out of memory.
 */
int at_query_in_bodies(const char *field, const long long *ids, size_t n,
                       size_t chunk, json_object *extra,
                       const char *const *fields, char ***out, size_t *n_out);

void at_free_bodies(char **bodies, size_t n);

#endif
