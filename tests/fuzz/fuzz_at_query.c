/* SPDX-License-Identifier: MIT */
/*
 * fuzz_at_query.c — libFuzzer target for the Autotask query-body builder
 * (plugins/autotask/at_query_json.c).
 *
 * Names typed by people (service names, contract categories) travel inside
 * these bodies, so the property checked is that every value comes back
 * unchanged when the body is read as JSON (no escaping slip can turn a
 * name into extra conditions), that the body keeps its shape (filter,
 * MaxRecords, IncludeFields with "id"), and that splitting a long id list
 * into chunks keeps every id once, in order, within the chunk size.
 *
 * Input: newline-separated strings taken as (field, value) pairs, then the
 * same bytes again as ids and a chunk size.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "at_date.h"
#include "at_query_json.h"
#include "fuzz_input.h"

#define MAX_STRINGS 32
#define MAX_IDS 1200

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!o || !json_object_object_get_ex(o, key, &v))
    abort();
  return v;
}

static void check_fields(json_object *root, const char *const *fields) {
  json_object *inc = get(root, "IncludeFields");
  if (!json_object_is_type(inc, json_type_array))
    abort();
  int has_id = 0;
  for (size_t i = 0; i < json_object_array_length(inc); i++)
    has_id |= strcmp(json_object_get_string(json_object_array_get_idx(inc, i)),
                     "id") == 0;
  if (!has_id)
    abort();
  size_t want = 0;
  while (fields[want])
    want++;
  size_t have = json_object_array_length(inc);
  if (have != want && have != want + 1)
    abort();
}

/* (field, value) pairs as "eq" conditions; the body must give them back. */
static void eq_body(char **s, size_t n) {
  json_object *filter = json_object_new_array();
  if (!filter)
    return;
  size_t pairs = n / 2;
  for (size_t i = 0; i < pairs; i++) {
    json_object *c = at_cond_eq_str(s[2 * i], s[2 * i + 1]);
    if (!c || json_object_array_add(filter, c)) {
      json_object_put(c);
      json_object_put(filter);
      return;
    }
  }
  const char *fields[MAX_STRINGS + 1];
  for (size_t i = 0; i < n; i++)
    fields[i] = s[i];
  fields[n] = NULL;
  char *body = at_query_body(filter, fields);
  if (!body)
    return;
  json_object *root = json_tokener_parse(body);
  if (!root || !json_object_is_type(root, json_type_object))
    abort();
  json_object *f = get(root, "filter");
  if (json_object_array_length(f) != pairs)
    abort();
  for (size_t i = 0; i < pairs; i++) {
    json_object *c = json_object_array_get_idx(f, i);
    if (strcmp(json_object_get_string(get(c, "field")), s[2 * i]) ||
        strcmp(json_object_get_string(get(c, "value")), s[2 * i + 1]) ||
        strcmp(json_object_get_string(get(c, "op")), "eq"))
      abort();
  }
  if (json_object_get_int(get(root, "MaxRecords")) != AT_MAX_RECORDS)
    abort();
  check_fields(root, fields);
  json_object_put(root);
  free(body);
}

/* Other condition kinds, grouped: the body must still be one JSON object. */
static void mixed_body(char **s, size_t n) {
  if (n < 2)
    return;
  at_date d;
  json_object *items[3];
  items[0] = at_cond_exist(s[0]);
  items[1] = at_date_parse(s[1], &d) == 0 ? at_cond_date("gte", s[0], &d)
                                          : at_cond_eq_int(s[0], 42);
  items[2] = at_cond_eq_str(s[1], s[0]);
  if (!items[0] || !items[1] || !items[2]) {
    for (size_t i = 0; i < 3; i++)
      json_object_put(items[i]);
    return;
  }
  json_object *group = at_cond_group(n % 2 ? "or" : "and", items, 3);
  json_object *filter = json_object_new_array();
  if (!group || !filter || json_object_array_add(filter, group)) {
    json_object_put(group);
    json_object_put(filter);
    return;
  }
  char *body = at_query_body(filter, NULL);
  if (!body)
    return;
  json_object *root = json_tokener_parse(body);
  if (!root || json_object_object_get_ex(root, "IncludeFields", NULL))
    abort();
  json_object *g = json_object_array_get_idx(get(root, "filter"), 0);
  if (json_object_array_length(get(g, "items")) != 3)
    abort();
  json_object_put(root);
  free(body);
}

static void chunks(fuzz_input *in, const char *field) {
  long long ids[MAX_IDS];
  /* At most 8 bodies: enough to cross chunk edges, cheap per input. */
  size_t chunk = (size_t)fuzz_range(in, 1, AT_IN_CHUNK);
  size_t most = chunk * 8 < MAX_IDS ? chunk * 8 : MAX_IDS;
  size_t n = (size_t)fuzz_range(in, 0, (long long)most);
  long long seed = (long long)fuzz_uint(in, 4) + 1;
  for (size_t i = 0; i < n; i++)
    ids[i] = seed + (long long)i * 7;
  json_object *extra = json_object_new_array();
  json_object *c = at_cond_eq_int("status", 1);
  if (!extra || !c || json_object_array_add(extra, c)) {
    json_object_put(c);
    json_object_put(extra);
    return;
  }
  static const char *const fields[] = {"id", "contractID", NULL};
  char **bodies = NULL;
  size_t nb = 0;
  if (at_query_in_bodies(field, ids, n, chunk, extra, fields, &bodies, &nb)) {
    json_object_put(extra);
    return;
  }
  if (nb != (n + chunk - 1) / chunk)
    abort();
  size_t seen = 0;
  for (size_t b = 0; b < nb; b++) {
    json_object *root = json_tokener_parse(bodies[b]);
    json_object *f = get(root, "filter");
    if (json_object_array_length(f) != 2)
      abort();
    json_object *in_cond = json_object_array_get_idx(f, 0);
    if (strcmp(json_object_get_string(get(in_cond, "field")), field))
      abort();
    json_object *vals = get(in_cond, "value");
    size_t k = json_object_array_length(vals);
    if (k == 0 || k > chunk)
      abort();
    for (size_t i = 0; i < k; i++)
      if (json_object_get_int64(json_object_array_get_idx(vals, i)) !=
          ids[seen++])
        abort();
    json_object_put(root);
  }
  if (seen != n)
    abort();
  at_free_bodies(bodies, nb);
  json_object_put(extra);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_input_make(data, size);
  char *s[MAX_STRINGS];
  size_t n = 0;
  while (in.len && n < MAX_STRINGS) {
    char *v = fuzz_string(&in, '\n');
    if (!v)
      break;
    s[n++] = v;
  }
  eq_body(s, n);
  mixed_body(s, n);
  in = fuzz_input_make(data, size);
  chunks(&in, n ? s[0] : "contractID");
  for (size_t i = 0; i < n; i++)
    free(s[i]);
  return 0;
}
