/* SPDX-License-Identifier: MIT */
/*
 * test_ops_check.c — `lpsa-host check` as a process: all good (exit 0), a
 * rejected LastPass key, a product missing from the PSA, mapping
 * duplicates and unknown companies, a driver that cannot be found (exit 1),
 * and a configuration that cannot be read (exit 2); text and JSON.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_harness.h"

static ops_env e;

static void setup(void) {
  ops_setup(&e, "check", "lastpass.json", "psa.json");
}

static void teardown(void) {
  ops_teardown(&e);
}

static hostrun check_with(const char *const *env, int json) {
  const char *args[] = {"-c", "lpsa.conf", json ? "--json" : "check",
                        json ? "check" : NULL, NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, env, &h), 0);
  return h;
}

static void expect_line(const hostrun *h, const char *line) {
  ck_assert_msg(strstr(h->out, line), "no \"%s\" in:\n%s\nstderr: %s", line,
                h->out, h->err);
}

START_TEST(all_good) {
  ops_write_config(&e, "schedule = daily 02:00\nmetrics_file = metrics.prom",
                   NULL, NULL);
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_msg(h.status == 0, "exit %d:\n%s\n%s", h.status, h.out, h.err);
  expect_line(&h, "[ok]   configuration lpsa.conf: read without errors\n");
  expect_line(&h, "[ok]   schedule: daily 02:00; next run at ");
  expect_line(&h, "[ok]   mapping file: ");
  expect_line(&h, "mapping.csv: 4 rows\n");
  expect_line(&h, "[ok]   LastPass API: the API key works: 4 managed "
                  "companies\n");
  expect_line(&h, "[ok]   driver jsonpsa: jsonpsa 1.0.0 loaded from ");
  expect_line(&h, "[ok]   sku.lastpass product 'LP-BUS': found in JSON PSA: "
                  "LastPass Business (id p1)\n");
  expect_line(&h, "[ok]   sku.lastpass_mfa product 'LP-MFA': found");
  expect_line(&h, "\nAll ");
  ck_assert_ptr_null(strstr(h.out, "[FAIL]"));
  hostrun_free(&h);
  /* check writes nothing. */
  ck_assert_int_eq(ops_psa_writes(&e), 0);
}
END_TEST

START_TEST(bad_api_key) {
  ops_write_config(&e, NULL, NULL, NULL);
  static const char *const env[] = {"LPSA_TEST_KEY=lpkey_wrong",
                                    "LPSA_NOW=2026-11-25T12:00:00Z", NULL};
  hostrun h = check_with(env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] LastPass API: LastPass rejected the API key");
  expect_line(&h, "check api_key and api_url in [lastpass]");
  /* The rest is still checked. */
  expect_line(&h, "[ok]   sku.lastpass product 'LP-BUS'");
  expect_line(&h, "\n1 of ");
  ck_assert_ptr_null(strstr(h.out, "lpkey_wrong"));
  hostrun_free(&h);
}
END_TEST

START_TEST(missing_product) {
  ops_write_config(&e, NULL, NULL,
                   "sku.lastpass = LP-BUS, LP-GONE\nsku.lastpass_mfa = LP-MFA");
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] sku.lastpass product 'LP-GONE': not found in JSON "
                  "PSA; fix sku.lastpass in [driver.jsonpsa] (line ");
  expect_line(&h, "[ok]   sku.lastpass product 'LP-BUS'");
  hostrun_free(&h);
  h = check_with(ops_child_env, 1);
  ck_assert_int_eq(h.status, 1);
  json_object *doc = json_tokener_parse(h.out);
  ck_assert_msg(doc != NULL, "%s", h.out);
  ck_assert(!json_object_get_boolean(ops_get(doc, "ok")));
  ck_assert_int_eq(json_object_get_int(ops_get(doc, "failed")), 1);
  ck_assert_str_eq(json_object_get_string(ops_get(doc, "driver")), "jsonpsa");
  json_object *items = ops_get(doc, "items");
  int seen = 0;
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i);
    if (strcmp(json_object_get_string(ops_get(it, "status")), "fail") == 0) {
      ck_assert_ptr_nonnull(
          strstr(json_object_get_string(ops_get(it, "what")), "LP-GONE"));
      seen++;
    }
  }
  ck_assert_int_eq(seen, 1);
  json_object_put(doc);
  hostrun_free(&h);
}
END_TEST

START_TEST(mapping_problems) {
  ops_write_config(&e, NULL, NULL, NULL);
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n302,c1\n303,c3\n303,c4\n999,c9\n"),
                   0);
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] mapping file: LastPass company 303 is mapped more "
                  "than once (lines 4, 5)");
  expect_line(&h, "[FAIL] mapping file: PSA company c1 is mapped from several "
                  "LastPass companies (lines 2, 3)");
  expect_line(&h, "[warn] mapping file: LastPass company 999 (line 6) is not "
                  "a managed company of this account");
  hostrun_free(&h);
  /* A mapping file that does not parse is a failed item, not the end. */
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv", "lastpass,psa\n1,2\n"),
                   0);
  h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] mapping file: ");
  expect_line(&h, "[ok]   LastPass API");
  hostrun_free(&h);
}
END_TEST

START_TEST(driver_not_found) {
  ops_write_config(&e, NULL, NULL, NULL);
  char *conf = ops_read(&e, "lpsa.conf");
  char *at = strstr(conf, "[driver.jsonpsa]\n");
  ck_assert_ptr_nonnull(at);
  char text[8192];
  snprintf(text, sizeof text, "%.*s[driver.jsonpsa]\nmodule = nosuchpsa\n%s",
           (int)(at - conf), conf, at + strlen("[driver.jsonpsa]\n"));
  free(conf);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", text), 0);
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] driver: ");
  expect_line(&h, "nosuchpsa");
  expect_line(&h, "[ok]   LastPass API");
  hostrun_free(&h);
}
END_TEST

/* Rewrite lpsa.conf's "[driver.jsonpsa]\n" as `header`. */
static void rename_section(const char *header) {
  char *conf = ops_read(&e, "lpsa.conf");
  char *at = strstr(conf, "[driver.jsonpsa]\n");
  ck_assert_ptr_nonnull(at);
  char text[8192];
  snprintf(text, sizeof text, "%.*s%s%s", (int)(at - conf), conf, header,
           at + strlen("[driver.jsonpsa]\n"));
  free(conf);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", text), 0);
}

/* A section named after the PSA but not after a driver file, a misspelt
 * module and a misspelt --driver each get the name to write. */
START_TEST(driver_name_hints) {
  ops_write_config(&e, NULL, NULL, NULL);
  rename_section("[driver.jp]\n"); /* line 10 */
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] driver: driver jp not found: no jp.so in ");
  /* The drivers built in the tree, in name order (others may join). */
  expect_line(&h, "[FAIL] driver: lpsa.conf:10: [driver.jp] has no module "
                  "line, so it loads jp.so, which is no driver on "
                  "driver_path (drivers there: autotask, connectwise, ");
  expect_line(&h, "jsonpsa); add module = jsonpsa to [driver.jp]\n");
  hostrun_free(&h);
  /* The advice works. */
  ops_write_config(&e, NULL, NULL, NULL);
  rename_section("[driver.jp]\nmodule = jsonpsa\n");
  h = check_with(ops_child_env, 0);
  ck_assert_msg(h.status == 0, "%s", h.out);
  hostrun_free(&h);

  ops_write_config(&e, NULL, NULL, NULL);
  rename_section("[driver.jsonpsa]\nmodule = jsonspa\n"); /* module: 11 */
  h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 1);
  expect_line(&h, "[FAIL] driver: lpsa.conf:11: module = jsonspa in "
                  "[driver.jsonpsa] is no driver on driver_path (drivers "
                  "there: autotask, connectwise, ");
  expect_line(&h, "jsonpsa); did you mean module = jsonpsa?\n");
  hostrun_free(&h);

  ops_write_config(&e, NULL, NULL, NULL);
  const char *args[] = {"--driver", "jsonpas", "--dry-run", NULL};
  ops_run(&e, &h, args);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "lpsa.conf has no [driver.jsonpas] section; "
                              "did you mean --driver jsonpsa? it has: "
                              "jsonpsa\n"),
                "%s", h.err);
  hostrun_free(&h);
  const char *none[] = {"--driver", "halopsa", "--dry-run", NULL};
  ops_run(&e, &h, none);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "lpsa.conf has no [driver.halopsa] section; it "
                              "has: jsonpsa; add one (see lpsa.conf(5))\n"),
                "%s", h.err);
  hostrun_free(&h);
}
END_TEST

/* A mapping file saved by a spreadsheet: ';' between columns, the header
 * in words, an extra column, empty rows. check and a run accept it; the
 * extra column is named once. */
START_TEST(spreadsheet_mapping_file) {
  ops_write_config(&e, NULL, NULL, NULL);
  char *csv = ops_read(&e, "mapping.csv");
  ck_assert_ptr_nonnull(csv);
  /* data/mapping.csv, re-saved: header words, ';', a Customer column. */
  char text[8192] = "LastPass Company ID;PSA Company ID;Agreement ID;Note;"
                    "Customer\r\n";
  int rows = 0;
  for (char *line = strtok(csv, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || strncmp(line, "lastpass_company_id", 19) == 0)
      continue;
    for (char *c = line; *c; c++)
      *c = *c == ',' ? ';' : *c;
    size_t used = strlen(text);
    snprintf(text + used, sizeof text - used, "%s;someone\r\n;;;;\r\n", line);
    rows++;
  }
  free(csv);
  ck_assert_int_eq(rows, 4);
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv", text), 0);
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_msg(h.status == 0, "exit %d:\n%s", h.status, h.out);
  expect_line(&h, "mapping.csv: 4 rows\n");
  expect_line(&h, "[warn] mapping file: ");
  expect_line(&h, "mapping.csv:1: ignoring the column \"Customer\" (lpsa "
                  "reads only lastpass_company_id, psa_company_id, "
                  "agreement_id and note)\n");
  hostrun_free(&h);
  const char *dry[] = {"--dry-run", NULL};
  ops_run(&e, &h, dry);
  ck_assert_msg(h.status <= 1, "exit %d:\n%s", h.status, h.err);
  ck_assert_int_eq(ops_count_text(&e, "mapping.csv", "Customer"), 1);
  ck_assert_msg(strstr(h.err, "ignoring the column \"Customer\""), "%s", h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(unusable_configuration) {
  ck_assert_int_eq(
      test_write_file(e.dir, "lpsa.conf", "[host]\nfrobnicate = 1\n"), 0);
  hostrun h = check_with(ops_child_env, 0);
  ck_assert_int_eq(h.status, 2);
  expect_line(&h, "[FAIL] configuration lpsa.conf: lpsa.conf:2:");
  hostrun_free(&h);
  const char *args[] = {"-c", "missing.conf", "check", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, args, ops_child_env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  expect_line(&h, "[FAIL] configuration missing.conf");
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_check");
  TCase *tc = tcase_create("check");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, all_good);
  tcase_add_test(tc, bad_api_key);
  tcase_add_test(tc, missing_product);
  tcase_add_test(tc, mapping_problems);
  tcase_add_test(tc, driver_not_found);
  tcase_add_test(tc, driver_name_hints);
  tcase_add_test(tc, spreadsheet_mapping_file);
  tcase_add_test(tc, unusable_configuration);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
