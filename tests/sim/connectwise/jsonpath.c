/* SPDX-License-Identifier: MIT */
/*
 * jsonpath.c — case-insensitive member and path lookups (see jsonpath.h).
 */
#include "jsonpath.h"

#include <string.h>
#include <strings.h>

json_object *cw_json_member(json_object *obj, const char *key,
                            const char **name) {
  json_object *found = NULL;
  const char *found_name = NULL;
  if (obj && json_object_is_type(obj, json_type_object)) {
    /* An exact match wins over a case-insensitive one. */
    json_object_object_foreach(obj, k, val) {
      if (strcmp(k, key) == 0) {
        found = val;
        found_name = k;
        break;
      }
      if (!found_name && strcasecmp(k, key) == 0) {
        found = val;
        found_name = k;
      }
    }
  }
  if (name)
    *name = found_name;
  return found;
}

json_object *cw_json_path(json_object *rec, const char *path) {
  char seg[128];
  json_object *cur = rec;
  while (*path) {
    const char *slash = strchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : strlen(path);
    if (n == 0 || n >= sizeof(seg))
      return NULL;
    memcpy(seg, path, n);
    seg[n] = '\0';
    cur = cw_json_member(cur, seg, NULL);
    if (!cur)
      return NULL;
    path += n + (slash ? 1 : 0);
  }
  return cur == rec ? NULL : cur;
}
