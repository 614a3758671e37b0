/* SPDX-License-Identifier: MIT */
/*
 * ats_query.h — running a query: filter, order by id, page, trim, count.
 *
 * A query ("search") is {"filter":[...],"MaxRecords":500,
 * "IncludeFields":[...]} (keys case-insensitive). Items come back sorted by
 * id, MaxRecords (1-500, default 500) at a time, in
 *   {"items":[...],"pageDetails":{"count":N,"requestCount":MaxRecords,
 *    "prevPageUrl":...,"nextPageUrl":...}}
 * With IncludeFields and more than 500 results, id must be included.
 *
 * Domain faults (the fault rule's "action"): "page_loop" (nextPageUrl always
 * points at the first page), "duplicate_ids" (the page's first item is sent
 * twice), "empty_page" (no items, but a nextPageUrl to the same position),
 * "wrong_types" and "missing_fields" (ats_render.h).
 */
#ifndef ATS_QUERY_H
#define ATS_QUERY_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#include "ats_db.h"
#include "ats_render.h"

#define ATS_MAX_RECORDS 500

typedef struct ats_query_env {
  ats_db *db;
  const char *base; /* "http://host:port/atservicesrest/v1.0" */
  ats_date_style style;
  const char *fault; /* domain fault action or NULL */
  int from_post;     /* the query came as a POST (recorded in cursors) */
} ats_query_env;

/* One page of results after id `after` (0: the first page). 0 with a new
 * response object in *out, or -1 with the API's message. */
int ats_query_page(const ats_query_env *env, const ats_entity *e,
                   json_object *search, int64_t after, json_object **out,
                   char *err, size_t len);

/* The number of matching items. */
int ats_query_count(ats_db *db, const ats_entity *e, json_object *search,
                    int64_t *count, char *err, size_t len);

/* A search from text (the ?search= argument or a body). NULL with a message
 * when it is not a JSON object. */
json_object *ats_query_parse(const char *text, char *err, size_t len);

#endif
