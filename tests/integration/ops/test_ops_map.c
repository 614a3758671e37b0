/* SPDX-License-Identifier: MIT */
/*
 * test_ops_map.c — `lpsa-host map suggest` as a process, over companies with
 * odd names (punctuation, accents, legal forms, a typo, a longer name, an
 * inactive PSA company): the rows it proposes, their order by confidence,
 * the CSV being a valid mapping file, --output, --json, and that the live
 * mapping file is never written, whatever path names it.
 *
 * Expected rows (name_match.h rules, worked by hand):
 *   401 "ACME, Inc."            -> n1 "Acme"            95 (runner-up
 *                                  n2 "Acme Labs" 60)
 *   402 "Müller GmbH & Co. KG"  -> n3 "Muller"          95
 *   403 "O'Brien Plumbing Ltd"  -> n4 "OBrien Plumbing" 95
 *   406 "Société Générale S.A." -> n7 "Societe Generale" 95
 *   404 "Globex"                -> n5 "Globx"           75 (one edit in 6)
 *   405 "Initech"               -> n6 "Initech Holdings" 60: commented
 *   407 "Zeta Holdings"         -> its namesake n9 is inactive: commented
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapping.h"
#include "ops_harness.h"

static ops_env e;

static void setup(void) {
  ops_setup(&e, "map", "lastpass_names.json", "psa_names.json");
  ops_write_config(&e, NULL, NULL, "sku.lastpass = LP-BUS");
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "401,n2\n"),
                   0);
}

static void teardown(void) {
  ops_teardown(&e);
}

static hostrun suggest(const char *a1, const char *a2, const char *a3) {
  const char *args[] = {a1 ? a1 : "map",     a1 ? "map" : "suggest",
                        a1 ? "suggest" : a2, a1 ? a2 : a3,
                        a1 ? a3 : NULL,      NULL};
  hostrun h;
  ops_run(&e, &h, args);
  return h;
}

static void expect_rows(const char *csv) {
  mapping m;
  char err[2048];
  ck_assert_msg(mapping_parse_buffer(csv, strlen(csv), "suggested", &m, err,
                                     sizeof err) == 0,
                "%s\n%s", err, csv);
  static const char *const want[][2] = {{"401", "n1"},
                                        {"402", "n3"},
                                        {"403", "n4"},
                                        {"406", "n7"},
                                        {"404", "n5"}};
  ck_assert_uint_eq(m.n_rows, 5);
  for (size_t i = 0; i < 5; i++) {
    ck_assert_str_eq(m.rows[i].lastpass_company_id, want[i][0]);
    ck_assert_str_eq(m.rows[i].psa_company_id, want[i][1]);
    ck_assert_ptr_null(m.rows[i].agreement_id);
  }
  ck_assert_str_eq(m.rows[0].note,
                   "confidence 95; runner-up n2 'Acme Labs' 60; LastPass "
                   "name 'ACME, Inc.'; PSA name 'Acme'; mapped now to n2");
  ck_assert_ptr_nonnull(strstr(m.rows[3].note, "PSA name 'Societe Generale'"));
  ck_assert_ptr_nonnull(strstr(m.rows[4].note, "confidence 75;"));
  mapping_free(&m);
  /* The rows a person must decide on are there, commented, saying why. */
  ck_assert_ptr_nonnull(
      strstr(csv, "\n# 405,n6,,\"below 70, check by hand: confidence 60;"));
  ck_assert_ptr_nonnull(strstr(csv, "\n# 407,"));
  ck_assert_ptr_null(strstr(csv, "n9")); /* inactive: never proposed */
  /* Rows come by confidence: the commented ones last. */
  ck_assert(strstr(csv, "\n404,n5") < strstr(csv, "\n# 405,"));
}

START_TEST(suggests_rows_by_confidence) {
  char *before = ops_read(&e, "mapping.csv");
  hostrun h = suggest(NULL, NULL, NULL);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  expect_rows(h.out);
  hostrun_free(&h);
  char *after = ops_read(&e, "mapping.csv");
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(output_file) {
  hostrun h = suggest(NULL, "--output", "suggested.csv");
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  ck_assert_str_eq(h.out, "");
  hostrun_free(&h);
  char *csv = ops_read(&e, "suggested.csv");
  ck_assert_ptr_nonnull(csv);
  expect_rows(csv);
  free(csv);
}
END_TEST

START_TEST(never_the_live_mapping_file) {
  char *before = ops_read(&e, "mapping.csv");
  char link[1024], target[1024];
  snprintf(link, sizeof link, "%s/link.csv", e.dir);
  snprintf(target, sizeof target, "%s/mapping.csv", e.dir);
  ck_assert_int_eq(symlink(target, link), 0);
  const char *const paths[] = {"mapping.csv", "./mapping.csv", target,
                               "link.csv"};
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    hostrun h = suggest(NULL, "--output", paths[i]);
    ck_assert_msg(h.status == 2, "%s: exit %d", paths[i], h.status);
    ck_assert_msg(strstr(h.err, "is the live mapping_file"), "%s: %s", paths[i],
                  h.err);
    hostrun_free(&h);
    char *after = ops_read(&e, "mapping.csv");
    ck_assert_str_eq(before, after);
    free(after);
  }
  free(before);
}
END_TEST

START_TEST(json_listing) {
  hostrun h = suggest("--json", NULL, NULL);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  json_object *doc = json_tokener_parse(h.out);
  ck_assert_msg(doc != NULL, "%s", h.out);
  hostrun_free(&h);
  json_object *list = ops_get(doc, "suggestions");
  ck_assert_uint_eq(json_object_array_length(list), 7);
  json_object *first = json_object_array_get_idx(list, 0);
  ck_assert_str_eq(json_object_get_string(ops_get(first, "lastpass_id")),
                   "401");
  ck_assert_str_eq(json_object_get_string(ops_get(first, "psa_company_id")),
                   "n1");
  ck_assert_int_eq(json_object_get_int(ops_get(first, "confidence")), 95);
  ck_assert_str_eq(json_object_get_string(ops_get(first, "status")),
                   "suggested");
  ck_assert_str_eq(json_object_get_string(ops_get(first, "mapped_now")), "n2");
  json_object *ru = ops_get(first, "runner_up");
  ck_assert_str_eq(json_object_get_string(ops_get(ru, "psa_company_id")), "n2");
  ck_assert_int_eq(json_object_get_int(ops_get(ru, "confidence")), 60);
  int last = -1;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    int c = json_object_get_int(
        ops_get(json_object_array_get_idx(list, i), "confidence"));
    ck_assert(last < 0 || c <= last);
    last = c;
  }
  json_object_put(doc);
}
END_TEST

/* A LastPass failure is an upstream failure: exit 3, nothing written. */
START_TEST(lastpass_down) {
  static const char *const env[] = {"LPSA_TEST_KEY=lpkey_wrong", NULL};
  const char *args[] = {"-c",       "lpsa.conf",     "map", "suggest",
                        "--output", "suggested.csv", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, env, &h), 0);
  ck_assert_int_eq(h.status, 3);
  ck_assert_ptr_nonnull(strstr(h.err, "LastPass"));
  hostrun_free(&h);
  ck_assert_ptr_null(ops_read(&e, "suggested.csv"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_map");
  TCase *tc = tcase_create("map");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, suggests_rows_by_confidence);
  tcase_add_test(tc, output_file);
  tcase_add_test(tc, never_the_live_mapping_file);
  tcase_add_test(tc, json_listing);
  tcase_add_test(tc, lastpass_down);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
