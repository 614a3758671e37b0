/* SPDX-License-Identifier: MIT */
/*
 * at_json.c — strict JSON field access (see at_json.h).
 */
#include "at_json.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

int at_json_parse_object(const char *body, size_t len, json_object **out) {
  *out = NULL;
  if (!body || len == 0 || len > (size_t)0x7fffffff)
    return -1;
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return -1;
  json_object *root = json_tokener_parse_ex(tok, body, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t end = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  /* json_tokener_continue means the text stopped in the middle of a value:
   * a truncated answer, which must never pass for a short one. */
  if (!root || jerr != json_tokener_success) {
    json_object_put(root);
    return -1;
  }
  for (size_t i = end; i < len; i++)
    if (!isspace((unsigned char)body[i])) {
      json_object_put(root);
      return -1;
    }
  if (!json_object_is_type(root, json_type_object)) {
    json_object_put(root);
    return -2;
  }
  *out = root;
  return 0;
}

int at_json_lookup(json_object *obj, const char *key, json_object **val) {
  *val = NULL;
  if (!obj || !json_object_is_type(obj, json_type_object))
    return 0;
  if (json_object_object_get_ex(obj, key, val))
    return 1;
  json_object_object_foreach(obj, k, v) {
    if (strcasecmp(k, key) == 0) {
      *val = v;
      return 1;
    }
  }
  return 0;
}

at_field at_json_value_int(json_object *v, long long *out) {
  if (!v)
    return AT_FIELD_NULL;
  if (json_object_is_type(v, json_type_int)) {
    int64_t i = json_object_get_int64(v);
    if (i == INT64_MAX || i == INT64_MIN)
      return AT_FIELD_RANGE;
    *out = (long long)i;
    return AT_FIELD_OK;
  }
  if (json_object_is_type(v, json_type_double)) {
    double d = json_object_get_double(v);
    /* Exactly representable whole numbers only. */
    if (d >= -9007199254740992.0 && d <= 9007199254740992.0 &&
        (double)(long long)d == d) {
      *out = (long long)d;
      return AT_FIELD_OK;
    }
  }
  return AT_FIELD_WRONG_TYPE;
}

at_field at_json_int(json_object *obj, const char *key, long long *out) {
  json_object *v;
  if (!at_json_lookup(obj, key, &v))
    return AT_FIELD_MISSING;
  return at_json_value_int(v, out);
}

at_field at_json_string(json_object *obj, const char *key, const char **out) {
  json_object *v;
  if (!at_json_lookup(obj, key, &v))
    return AT_FIELD_MISSING;
  if (!v)
    return AT_FIELD_NULL;
  if (!json_object_is_type(v, json_type_string))
    return AT_FIELD_WRONG_TYPE;
  *out = json_object_get_string(v);
  return AT_FIELD_OK;
}

at_field at_json_bool(json_object *obj, const char *key, int *out) {
  json_object *v;
  if (!at_json_lookup(obj, key, &v))
    return AT_FIELD_MISSING;
  if (!v)
    return AT_FIELD_NULL;
  if (!json_object_is_type(v, json_type_boolean))
    return AT_FIELD_WRONG_TYPE;
  *out = json_object_get_boolean(v) ? 1 : 0;
  return AT_FIELD_OK;
}

at_field at_json_date(json_object *obj, const char *key, at_date *out) {
  const char *s;
  at_field f = at_json_string(obj, key, &s);
  if (f != AT_FIELD_OK)
    return f;
  return at_date_parse(s, out) == 0 ? AT_FIELD_OK : AT_FIELD_WRONG_TYPE;
}

int at_field_is_bad(at_field f) {
  return f == AT_FIELD_WRONG_TYPE || f == AT_FIELD_RANGE;
}

const char *at_field_problem(at_field f) {
  switch (f) {
  case AT_FIELD_OK:
    return "present";
  case AT_FIELD_MISSING:
    return "missing";
  case AT_FIELD_NULL:
    return "null";
  case AT_FIELD_RANGE:
    return "a number beyond the 64-bit integer range";
  case AT_FIELD_WRONG_TYPE:
    break;
  }
  return "of the wrong type";
}
