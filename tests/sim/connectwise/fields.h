/* SPDX-License-Identifier: MIT */
/*
 * fields.h — the `fields` query parameter: trimming records on the way out.
 *
 * `fields=id,name,company/id` makes the server answer only those members;
 * a nested path keeps its parent object with just the named children. Names
 * are case-insensitive and the record's own spelling is kept. A name the
 * record does not have is skipped rather than refused (the server answers
 * with what it has), so a typo shows up as a missing member.
 */
#ifndef CW_FIELDS_H
#define CW_FIELDS_H

#include <json-c/json.h>

typedef struct cw_fields cw_fields;

/* Parses the comma list. *out is NULL when `text` is NULL or blank (no
 * trimming). 0, or -1 when out of memory. */
int cw_fields_parse(const char *text, cw_fields **out);
/* A new object holding only the selected members of `rec` (deep copies), or
 * a deep copy of everything when `f` is NULL. NULL when out of memory. */
json_object *cw_fields_apply(const cw_fields *f, json_object *rec);
void cw_fields_free(cw_fields *f);

#endif
