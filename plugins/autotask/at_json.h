/* SPDX-License-Identifier: MIT */
/*
 * at_json.h — strict reading of Autotask's JSON answers. Pure.
 *
 * A snapshot must fail rather than paint a partial picture, so every field
 * read says whether it was there, null, or of the wrong type; the record
 * parsers turn that into one message naming the entity, record and field.
 * Autotask spells fields in camelCase but treats names case-insensitively,
 * so a key is looked up exactly first and then ignoring case.
 */
#ifndef AT_JSON_H
#define AT_JSON_H

#include <json-c/json.h>
#include <stddef.h>

#include "at_date.h"

typedef enum at_field {
  AT_FIELD_OK = 0,
  AT_FIELD_MISSING = 1,    /* no such key */
  AT_FIELD_NULL = 2,       /* the key holds JSON null */
  AT_FIELD_WRONG_TYPE = 3, /* present, but not what the API documents */
  AT_FIELD_RANGE = 4       /* a whole number beyond the 64-bit range */
} at_field;

/* Parse a whole answer body: exactly one JSON object, nothing after it but
 * white space. Returns 0 and a new reference in *out; -1 when the text is
 * not complete JSON (truncated, garbage); -2 when it is JSON but no object. */
int at_json_parse_object(const char *body, size_t len, json_object **out);

/* Look `key` up in `obj` (an object). 1 when present (*val may then be NULL
 * for JSON null), 0 when absent or obj is no object. */
int at_json_lookup(json_object *obj, const char *key, json_object **val);

/* A whole number: a JSON integer, or a number with no fractional part (some
 * serialisers write 12.0). Strings, booleans and fractions are wrong types.
 * json-c clamps an integer beyond the 64-bit range to INT64_MAX/INT64_MIN
 * without saying so, so both limits are AT_FIELD_RANGE: no Autotask id or
 * count is that large, and a clamped id would name another record. */
at_field at_json_int(json_object *obj, const char *key, long long *out);
/* A string; *out borrows from obj. */
at_field at_json_string(json_object *obj, const char *key, const char **out);
/* true/false only. */
at_field at_json_bool(json_object *obj, const char *key, int *out);
/* A string at_date_parse() accepts; anything else is a wrong type. */
at_field at_json_date(json_object *obj, const char *key, at_date *out);

/* The same checks on a bare value (NULL = JSON null). */
at_field at_json_value_int(json_object *v, long long *out);

/* 1 for WRONG_TYPE and RANGE: present but unusable. */
int at_field_is_bad(at_field f);

/* "missing", "null", "of the wrong type", "beyond the 64-bit integer
 * range" — for messages. */
const char *at_field_problem(at_field f);

#endif
