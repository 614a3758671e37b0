/* SPDX-License-Identifier: MIT */
/*
 * ats_filter.h — the query filter language of the Autotask REST API.
 *
 * A filter is a JSON array of conditions, all of which must hold:
 *   {"op":"eq","field":"companyID","value":174}
 *   {"op":"in","field":"id","value":[1,2,3]}
 *   {"op":"exist","field":"endDate"}
 *   {"op":"eq","field":"LastPass ID","value":"100001","udf":true}
 *   {"op":"or","items":[ ...conditions... ]}     (and "and", nested freely)
 * Operators: eq noteq gt gte lt lte beginsWith endsWith contains exist
 * notExist in notIn (case-insensitive). Field names are case-insensitive,
 * string comparisons too; datetimes compare as instants; booleans must be
 * true/false. A query may hold at most 500 'OR' conditions: the simulator
 * counts every item of an "or" group plus every value of an "in" list.
 *
 * Parsing checks everything against the entity's schema up front, so
 * matching cannot fail.
 */
#ifndef ATS_FILTER_H
#define ATS_FILTER_H

#include <json-c/json.h>
#include <stddef.h>

#include "ats_schema.h"

#define ATS_FILTER_MAX_OR 500

typedef struct ats_filter ats_filter;

/* Parses a filter array for entity e. NULL on error with a message (the
 * text the API would put in "errors") in err. */
ats_filter *ats_filter_parse(const ats_entity *e, json_object *filter,
                             char *err, size_t errlen);

/* 1 when the stored item satisfies the filter. */
int ats_filter_match(const ats_filter *f, json_object *item);

void ats_filter_free(ats_filter *f);

/* 1 when the filter (an implicit "and") holds `field eq N` for the integer
 * field named `field`, with N in *value: only items with that value can
 * match. 0 otherwise. */
int ats_filter_eq_int(const ats_filter *f, const char *field, int64_t *value);

#endif
