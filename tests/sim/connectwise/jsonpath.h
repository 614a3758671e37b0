/* SPDX-License-Identifier: MIT */
/*
 * jsonpath.h — reaching into records by ConnectWise field paths.
 *
 * ConnectWise names nested fields with `/` ("company/id"). Conditions, orderBy
 * and fields all walk records that way; field names are case-insensitive on
 * the wire, so lookups here are too.
 */
#ifndef CW_JSONPATH_H
#define CW_JSONPATH_H

#include <json-c/json.h>

/* The member of `obj` named `key` (an exact match first, else
 * case-insensitively), or NULL when absent or null; *name (when `name` is not
 * NULL) receives the member's own spelling, or NULL when there is no such
 * member, which tells a null member from a missing one. */
json_object *cw_json_member(json_object *obj, const char *key,
                            const char **name);
/* The value at `path` ("company/id"), or NULL when any step is missing, null
 * or not an object. */
json_object *cw_json_path(json_object *rec, const char *path);

#endif
