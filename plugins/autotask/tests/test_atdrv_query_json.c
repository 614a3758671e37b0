/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_query_json.c — query bodies: escaping, IncludeFields with id,
 * `in` lists split at 500 values, extra conditions on every chunk.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "at_query_json.h"

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(o != NULL, "not JSON: %s", text);
  return o;
}

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
  return v;
}

START_TEST(escapes_odd_names) {
  const char *name =
      "Last\"Pass\" \\ Business / + MFA\n\t\x01 \xc3\x9c\xe2\x9c\x93";
  json_object *filter = json_object_new_array();
  json_object_array_add(filter, at_cond_eq_str("name", name));
  static const char *const fields[] = {"name", NULL};
  char *body = at_query_body(filter, fields);
  ck_assert_ptr_nonnull(body);
  ck_assert_ptr_null(strchr(body, '\n'));  /* control characters escaped */
  ck_assert_ptr_null(strstr(body, "\\/")); /* slashes left alone */
  json_object *root = parse(body);
  json_object *c = json_object_array_get_idx(get(root, "filter"), 0);
  ck_assert_str_eq(json_object_get_string(get(c, "op")), "eq");
  ck_assert_str_eq(json_object_get_string(get(c, "field")), "name");
  ck_assert_str_eq(json_object_get_string(get(c, "value")), name);
  ck_assert_int_eq(json_object_get_int(get(root, "MaxRecords")), 500);
  json_object *inc = get(root, "IncludeFields");
  ck_assert_int_eq(json_object_array_length(inc), 2);
  ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(inc, 0)),
                   "id");
  ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(inc, 1)),
                   "name");
  json_object_put(root);
  free(body);
}
END_TEST

START_TEST(id_not_repeated) {
  json_object *filter = json_object_new_array();
  json_object_array_add(filter, at_cond_exist("id"));
  static const char *const fields[] = {"companyName", "id", NULL};
  char *body = at_query_body(filter, fields);
  json_object *root = parse(body);
  ck_assert_int_eq(json_object_array_length(get(root, "IncludeFields")), 2);
  json_object *c = json_object_array_get_idx(get(root, "filter"), 0);
  ck_assert_str_eq(json_object_get_string(get(c, "op")), "exist");
  json_object_put(root);
  free(body);
}
END_TEST

START_TEST(in_chunks_of_500) {
  enum { N = 1001 };
  long long *ids = malloc(N * sizeof *ids);
  for (int i = 0; i < N; i++)
    ids[i] = 1000 + i;
  json_object *extra = json_object_new_array();
  at_date d = {2026, 11, 15};
  json_object_array_add(extra, at_cond_date("lte", "startDate", &d));
  static const char *const fields[] = {"id", "units", NULL};
  char **bodies;
  size_t n;
  ck_assert_int_eq(at_query_in_bodies("contractServiceID", ids, N, AT_IN_CHUNK,
                                      extra, fields, &bodies, &n),
                   0);
  ck_assert_uint_eq(n, 3);
  size_t sizes[3] = {500, 500, 1};
  long long next = 1000;
  for (size_t b = 0; b < n; b++) {
    json_object *root = parse(bodies[b]);
    json_object *filter = get(root, "filter");
    ck_assert_int_eq(json_object_array_length(filter), 2);
    json_object *in = json_object_array_get_idx(filter, 0);
    ck_assert_str_eq(json_object_get_string(get(in, "op")), "in");
    ck_assert_str_eq(json_object_get_string(get(in, "field")),
                     "contractServiceID");
    json_object *vals = get(in, "value");
    ck_assert_uint_eq(json_object_array_length(vals), sizes[b]);
    for (size_t i = 0; i < sizes[b]; i++)
      ck_assert_int_eq(
          json_object_get_int64(json_object_array_get_idx(vals, i)), next++);
    json_object *date = json_object_array_get_idx(filter, 1);
    ck_assert_str_eq(json_object_get_string(get(date, "op")), "lte");
    ck_assert_str_eq(json_object_get_string(get(date, "value")),
                     "2026-11-15T00:00:00Z");
    json_object_put(root);
  }
  at_free_bodies(bodies, n);
  ck_assert_int_eq(
      at_query_in_bodies("id", ids, 0, 500, NULL, fields, &bodies, &n), 0);
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(
      at_query_in_bodies("id", ids, 500, 500, NULL, fields, &bodies, &n), 0);
  ck_assert_uint_eq(n, 1);
  at_free_bodies(bodies, n);
  json_object_put(extra);
  free(ids);
}
END_TEST

START_TEST(or_group) {
  json_object *items[2] = {at_cond_eq_str("name", "A"),
                           at_cond_eq_int("id", 7)};
  json_object *g = at_cond_group("or", items, 2);
  ck_assert_ptr_nonnull(g);
  ck_assert_str_eq(json_object_get_string(get(g, "op")), "or");
  ck_assert_int_eq(json_object_array_length(get(g, "items")), 2);
  json_object_put(g);
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_query_json");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, escapes_odd_names);
  tcase_add_test(tc, id_not_repeated);
  tcase_add_test(tc, in_chunks_of_500);
  tcase_add_test(tc, or_group);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
