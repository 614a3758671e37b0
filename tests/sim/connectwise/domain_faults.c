/* SPDX-License-Identifier: MIT */
/*
 * domain_faults.c — record-level domain faults and null trimming (see
 * domain_faults.h).
 */
#include "domain_faults.h"

#include <string.h>

int cw_fault_is(const char *action, const char *name) {
  return action && strcmp(action, name) == 0;
}

/* Replaces member `key` by its text, e.g. 12 by "12". */
static int stringify(json_object *rec, const char *key) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(rec, key, &v) || !v)
    return 0;
  json_object *s = json_object_new_string(json_object_get_string(v));
  if (!s || json_object_object_add(rec, key, s)) {
    json_object_put(s);
    return -1;
  }
  return 0;
}

int cw_fault_record(const char *action, const cw_schema *s, json_object *rec) {
  if (!json_object_is_type(rec, json_type_object))
    return 0;
  if (cw_fault_is(action, CW_FAULT_WRONG_TYPES))
    return stringify(rec, s == &cw_schema_addition ? "quantity" : "id");
  if (cw_fault_is(action, CW_FAULT_MISSING_FIELDS))
    json_object_object_del(rec, "id");
  return 0;
}

void cw_omit_nulls(json_object *rec) {
  if (!json_object_is_type(rec, json_type_object))
    return;
  /* Collect first: deleting while iterating would break the iterator. */
  const char *gone[64];
  int n = 0;
  json_object_object_foreach(rec, k, v) {
    if (!v && n < 64)
      gone[n++] = k;
    else
      cw_omit_nulls(v);
  }
  for (int i = 0; i < n; i++)
    json_object_object_del(rec, gone[i]);
}
