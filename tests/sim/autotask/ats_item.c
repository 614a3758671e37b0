/* SPDX-License-Identifier: MIT */
/*
 * ats_item.c — typed access to stored items; setters keep the canonical
 * types (json ints, doubles, "...Z" date strings) the renderer expects.
 */
#include "ats_item.h"

#include <strings.h>

#include "ats_date.h"
#include "ats_value.h"

static int read_typed(json_object *item, const char *key, ats_type t,
                      ats_value *v) {
  json_object *j;
  if (!json_object_object_get_ex(item, key, &j))
    return -1;
  if (ats_value_read(t, j, v) != 0 || v->is_null)
    return -1;
  return 0;
}

int ats_item_int(json_object *item, const char *key, int64_t *out) {
  ats_value v;
  if (read_typed(item, key, ATS_T_INT, &v))
    return -1;
  *out = v.i;
  return 0;
}

int ats_item_dec(json_object *item, const char *key, double *out) {
  ats_value v;
  if (read_typed(item, key, ATS_T_DEC, &v))
    return -1;
  *out = v.d;
  return 0;
}

int ats_item_date(json_object *item, const char *key, int64_t *out) {
  ats_value v;
  if (read_typed(item, key, ATS_T_DATE, &v))
    return -1;
  *out = v.i;
  return 0;
}

const char *ats_item_str(json_object *item, const char *key) {
  json_object *j;
  if (!json_object_object_get_ex(item, key, &j) ||
      !json_object_is_type(j, json_type_string))
    return NULL;
  return json_object_get_string(j);
}

/* Takes ownership of v, also on failure. Keys are string constants (see
 * ats_item.h): not copying them saves a third of a unit row's memory. */
static int set(json_object *item, const char *key, json_object *v) {
  if (!v)
    return -1;
  if (json_object_object_add_ex(item, key, v, JSON_C_OBJECT_ADD_CONSTANT_KEY) !=
      0) {
    json_object_put(v);
    return -1;
  }
  return 0;
}

int ats_item_set_int(json_object *item, const char *key, int64_t v) {
  return set(item, key, json_object_new_int64(v));
}

int ats_item_set_dec(json_object *item, const char *key, double v) {
  return set(item, key, json_object_new_double(v));
}

int ats_item_set_date(json_object *item, const char *key, int64_t t) {
  char buf[40];
  ats_date_format(t, ATS_DATE_Z, buf, sizeof buf);
  return set(item, key, json_object_new_string(buf));
}

int ats_item_set_null(json_object *item, const char *key) {
  return json_object_object_add_ex(item, key, NULL,
                                   JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

int ats_item_set_str(json_object *item, const char *key, const char *v) {
  if (!v)
    return ats_item_set_null(item, key);
  return set(item, key, json_object_new_string(v));
}

int ats_item_set_bool(json_object *item, const char *key, int v) {
  return set(item, key, json_object_new_boolean(v));
}

int ats_add(json_object *obj, const char *key, json_object *v) {
  return set(obj, key, v);
}

json_object *ats_member(json_object *obj, const char *key) {
  if (!json_object_is_type(obj, json_type_object))
    return NULL;
  json_object_object_foreach(obj, k, v) {
    if (strcasecmp(k, key) == 0)
      return v;
  }
  return NULL;
}
