/* SPDX-License-Identifier: MIT */
/*
 * ats_item.h — typed reads and writes of one stored item (a json object
 * with canonical camelCase keys, as the dataset keeps them).
 */
#ifndef ATS_ITEM_H
#define ATS_ITEM_H

#include <json-c/json.h>
#include <stdint.h>

/* 0 and the value, or -1 when absent, null or of another type. */
int ats_item_int(json_object *item, const char *key, int64_t *out);
int ats_item_dec(json_object *item, const char *key, double *out);
int ats_item_date(json_object *item, const char *key, int64_t *out);
const char *ats_item_str(json_object *item, const char *key);

/* Setters replace the member; 0 or -1 on allocation failure. The key must
 * be a string constant (a literal or a schema field name): it is not
 * copied. */
int ats_item_set_int(json_object *item, const char *key, int64_t v);
int ats_item_set_dec(json_object *item, const char *key, double v);
/* Stores a datetime in the canonical "YYYY-MM-DDTHH:MM:SSZ" form. */
int ats_item_set_date(json_object *item, const char *key, int64_t t);
int ats_item_set_null(json_object *item, const char *key);
int ats_item_set_str(json_object *item, const char *key, const char *v);
int ats_item_set_bool(json_object *item, const char *key, int v);

/* Adds v to obj under key (a string constant, as above), taking ownership
 * also on failure. -1 when v is
 * NULL (a failed allocation) or the add fails. */
int ats_add(json_object *obj, const char *key, json_object *v);

/* Member by key, matched case-insensitively (request bodies). */
json_object *ats_member(json_object *obj, const char *key);

#endif
