/* SPDX-License-Identifier: MIT */
/*
 * at_query_json.c — Autotask query bodies (see at_query_json.h).
 */
#include "at_query_json.h"

#include <stdlib.h>
#include <string.h>

static json_object *cond(const char *op, const char *field,
                         json_object *value) {
  json_object *c = json_object_new_object();
  json_object *jop = json_object_new_string(op);
  json_object *jfield = json_object_new_string(field);
  if (!c || !jop || !jfield || !value) {
    json_object_put(c);
    json_object_put(jop);
    json_object_put(jfield);
    json_object_put(value);
    return NULL;
  }
  json_object_object_add(c, "op", jop);
  json_object_object_add(c, "field", jfield);
  json_object_object_add(c, "value", value);
  return c;
}

json_object *at_cond_eq_str(const char *field, const char *value) {
  return cond("eq", field, json_object_new_string(value));
}

json_object *at_cond_eq_int(const char *field, long long value) {
  return cond("eq", field, json_object_new_int64(value));
}

json_object *at_cond_in_ids(const char *field, const long long *ids, size_t n) {
  json_object *arr = json_object_new_array_ext((int)(n ? n : 1));
  if (!arr)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    json_object *v = json_object_new_int64(ids[i]);
    if (!v || json_object_array_add(arr, v)) {
      json_object_put(v);
      json_object_put(arr);
      return NULL;
    }
  }
  return cond("in", field, arr);
}

json_object *at_cond_date(const char *op, const char *field, const at_date *d) {
  /* The same shape as the adjustment's effectiveDate, which every Autotask
   * endpoint parses. */
  char text[32], day[11];
  at_date_format(d, day);
  memcpy(text, day, 10);
  memcpy(text + 10, "T00:00:00Z", 11);
  return cond(op, field, json_object_new_string(text));
}

json_object *at_cond_exist(const char *field) {
  json_object *c = json_object_new_object();
  json_object *jop = json_object_new_string("exist");
  json_object *jfield = json_object_new_string(field);
  if (!c || !jop || !jfield) {
    json_object_put(c);
    json_object_put(jop);
    json_object_put(jfield);
    return NULL;
  }
  json_object_object_add(c, "op", jop);
  json_object_object_add(c, "field", jfield);
  return c;
}

json_object *at_cond_group(const char *op, json_object **items, size_t n) {
  json_object *g = json_object_new_object();
  json_object *jop = json_object_new_string(op);
  json_object *arr = json_object_new_array();
  size_t i = 0;
  if (!g || !jop || !arr)
    goto fail;
  for (; i < n; i++) {
    if (!items[i] || json_object_array_add(arr, items[i]))
      goto fail;
  }
  json_object_object_add(g, "op", jop);
  json_object_object_add(g, "items", arr);
  return g;
fail:
  /* Items before i belong to arr now; the rest are still ours. */
  for (size_t j = i; j < n; j++)
    json_object_put(items[j]);
  json_object_put(arr);
  json_object_put(jop);
  json_object_put(g);
  return NULL;
}

static json_object *include_fields(const char *const *fields) {
  json_object *arr = json_object_new_array();
  int has_id = 0;
  if (!arr)
    return NULL;
  for (size_t i = 0; fields[i]; i++)
    if (strcmp(fields[i], "id") == 0)
      has_id = 1;
  /* Autotask needs id among the fields to page past 500 records. */
  if (!has_id && json_object_array_add(arr, json_object_new_string("id")))
    goto fail;
  for (size_t i = 0; fields[i]; i++) {
    json_object *s = json_object_new_string(fields[i]);
    if (!s || json_object_array_add(arr, s)) {
      json_object_put(s);
      goto fail;
    }
  }
  return arr;
fail:
  json_object_put(arr);
  return NULL;
}

char *at_query_body(json_object *filter, const char *const *fields) {
  char *out = NULL;
  json_object *root = json_object_new_object();
  json_object *max = json_object_new_int(AT_MAX_RECORDS);
  json_object *inc = fields ? include_fields(fields) : NULL;
  if (!root || !filter || !max || (fields && !inc)) {
    json_object_put(filter);
    json_object_put(max);
    json_object_put(inc);
    json_object_put(root);
    return NULL;
  }
  json_object_object_add(root, "filter", filter);
  json_object_object_add(root, "MaxRecords", max);
  if (inc)
    json_object_object_add(root, "IncludeFields", inc);
  const char *text = json_object_to_json_string_ext(
      root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  if (text)
    out = strdup(text);
  json_object_put(root);
  return out;
}

void at_free_bodies(char **bodies, size_t n) {
  if (!bodies)
    return;
  for (size_t i = 0; i < n; i++)
    free(bodies[i]);
  free(bodies);
}

/* The filter of one chunk: the `in` condition then deep copies of extra. */
static json_object *chunk_filter(const char *field, const long long *ids,
                                 size_t n, json_object *extra) {
  json_object *filter = json_object_new_array();
  json_object *in = at_cond_in_ids(field, ids, n);
  if (!filter || !in || json_object_array_add(filter, in)) {
    json_object_put(in);
    json_object_put(filter);
    return NULL;
  }
  size_t n_extra = extra ? json_object_array_length(extra) : 0;
  for (size_t i = 0; i < n_extra; i++) {
    json_object *copy = NULL;
    if (json_object_deep_copy(json_object_array_get_idx(extra, i), &copy,
                              NULL) ||
        json_object_array_add(filter, copy)) {
      json_object_put(copy);
      json_object_put(filter);
      return NULL;
    }
  }
  return filter;
}

int at_query_in_bodies(const char *field, const long long *ids, size_t n,
                       size_t chunk, json_object *extra,
                       const char *const *fields, char ***out, size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  if (n == 0)
    return 0;
  if (chunk == 0 || chunk > AT_IN_CHUNK)
    chunk = AT_IN_CHUNK;
  size_t count = (n + chunk - 1) / chunk;
  char **bodies = calloc(count, sizeof *bodies);
  if (!bodies)
    return -1;
  for (size_t c = 0; c < count; c++) {
    size_t first = c * chunk;
    size_t len = n - first < chunk ? n - first : chunk;
    json_object *filter = chunk_filter(field, ids + first, len, extra);
    bodies[c] = filter ? at_query_body(filter, fields) : NULL;
    if (!bodies[c]) {
      at_free_bodies(bodies, count);
      return -1;
    }
  }
  *out = bodies;
  *n_out = count;
  return 0;
}
