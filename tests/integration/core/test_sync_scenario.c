/* SPDX-License-Identifier: MIT */
/*
 * test_sync_scenario.c — lpsa-host end to end: the LastPass simulator, the
 * JSON-file test PSA and the real binary. Every rule code must appear with
 * its severity on the right company; a dry run writes nothing; a second
 * apply writes nothing; a run killed between intent and result converges on
 * the re-run without applying anything twice.
 */
#include <check.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostrun.h"
#include "simproc.h"

#define DATA "tests/integration/core/data/"

static char *dir;
static simproc lp;

static const char *const env[] = {"LPSA_TEST_KEY=lpkey_demo",
                                  "LPSA_NOW=2026-11-25T12:00:00Z", NULL};

static void write_config(const char *name, const char *products,
                         const char *extra_driver_keys) {
  char text[4096];
  snprintf(text, sizeof text,
           "; written by test_sync_scenario\n"
           "[host]\n"
           "driver_path = %s\n"
           "state_dir = state\n"
           "mapping_file = mapping.csv\n"
           "max_decrease_percent = 50\n"
           "[lastpass]\n"
           "api_url = %s/business\n"
           "api_key = env:LPSA_TEST_KEY\n"
           "[driver.jsonpsa]\n"
           "file = psa.json\n"
           "%s\n%s\n",
           getenv("LPSA_DRIVER_DIR"), lp.base_url, products,
           extra_driver_keys ? extra_driver_keys : "");
  ck_assert_int_eq(test_write_file(dir, name, text), 0);
}

static const char *const all_products =
    "sku.lastpass = LP-BUS, LP-LEGACY, LP-BUNDLE\n"
    "sku.lastpass_mfa = LP-MFA, LP-BUNDLE";

static void setup(void) {
  dir = test_tmpdir("scenario");
  ck_assert_ptr_nonnull(dir);
  ck_assert_int_eq(test_copy_source(DATA "psa.json", dir, "psa.json"), 0);
  ck_assert_int_eq(test_copy_source(DATA "mapping.csv", dir, "mapping.csv"), 0);
  char fixture[1024], err[256];
  snprintf(fixture, sizeof fixture, "%s/" DATA "lastpass.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *args[] = {"--fixture",  fixture,   "--now",
                        "2026-11-25", "--quiet", NULL};
  ck_assert_msg(simproc_start(&lp, "lastpass-sim", args, err, sizeof err) == 0,
                "%s", err);
  write_config("lpsa.conf", all_products, NULL);
}

static void teardown(void) {
  simproc_stop(&lp);
  test_rmtree(dir);
  free(dir);
}

/* Run lpsa-host -c lpsa.conf ARGS... and parse the JSON on stdout. */
static json_object *run_json(int expect_status, const char *a1,
                             const char *a2) {
  const char *args[] = {"-c", "lpsa.conf", "--json", a1, a2, NULL};
  hostrun r;
  ck_assert_int_eq(hostrun_exec(dir, args, env, &r), 0);
  ck_assert_msg(r.status == expect_status, "exit %d, expected %d; stderr: %s",
                r.status, expect_status, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL, "stdout is not JSON: %s", r.out);
  hostrun_free(&r);
  return doc;
}

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s", key);
  return v;
}

static json_object *company(json_object *report, const char *lastpass_id) {
  json_object *list = get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(get(c, "lastpass_id")), lastpass_id) == 0)
      return c;
  }
  ck_abort_msg("no company %s in the report", lastpass_id);
  return NULL;
}

static int has_rule(json_object *rules, const char *code,
                    const char *severity) {
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    if (strcmp(json_object_get_string(get(f, "code")), code) == 0 &&
        strcmp(json_object_get_string(get(f, "severity")), severity) == 0)
      return 1;
  }
  return 0;
}

static void expect(json_object *report, const char *id, const char *status,
                   const char *code, const char *severity) {
  json_object *c = company(report, id);
  ck_assert_msg(strcmp(json_object_get_string(get(c, "status")), status) == 0,
                "company %s: status %s, expected %s", id,
                json_object_get_string(get(c, "status")), status);
  if (code)
    ck_assert_msg(has_rule(get(c, "rules"), code, severity),
                  "company %s lacks %s (%s): %s", id, code, severity,
                  json_object_to_json_string(get(c, "rules")));
}

static long long psa_quantity(const char *line_id) {
  char *text = test_read_file(dir, "psa.json");
  json_object *doc = json_tokener_parse(text);
  free(text);
  json_object *lines = get(doc, "lines");
  long long q = -1;
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(json_object_get_string(get(l, "id")), line_id) == 0)
      q = json_object_get_int64(get(l, "quantity"));
  }
  json_object_put(doc);
  return q;
}

static long long psa_writes(void) {
  char *text = test_read_file(dir, "psa.json");
  json_object *doc = json_tokener_parse(text), *w = NULL;
  free(text);
  long long n = json_object_object_get_ex(doc, "writes", &w)
                    ? json_object_get_int64(w)
                    : 0;
  json_object_put(doc);
  return n;
}

START_TEST(dry_run_reports_every_rule) {
  char *before = test_read_file(dir, "psa.json");
  json_object *r = run_json(1, "--dry-run", NULL);
  ck_assert_str_eq(json_object_get_string(get(r, "mode")), "dry-run");
  ck_assert_str_eq(json_object_get_string(get(r, "schema")), "lpsa.report/1");
  expect(r, "101", "planned", NULL, NULL);
  expect(r, "102", "unchanged", NULL, NULL);
  expect(r, "103", "skipped", "SUSPENDED", "info");
  expect(r, "104", "skipped", "UNMAPPED", "info");
  expect(r, "105", "error", "MAPPING_DUPLICATE", "error");
  expect(r, "106", "error", "MAPPING_DUPLICATE", "error");
  expect(r, "107", "error", "PSA_COMPANY_NOT_FOUND", "error");
  expect(r, "108", "error", "NO_AGREEMENT", "error");
  expect(r, "109", "error", "MULTIPLE_AGREEMENTS", "error");
  expect(r, "110", "error", "AGREEMENT_NOT_FOUND", "error");
  expect(r, "111", "error", "MULTIPLE_PRODUCTS", "error");
  expect(r, "112", "error", "SKU_MISMATCH", "error");
  expect(r, "113", "held", "LARGE_DECREASE", "warning");
  expect(r, "114", "error", "NO_BILLING_PERIOD", "error");
  expect(r, "115", "planned", "PRORATE_AGREEMENT", "warning");
  expect(r, "116", "planned", NULL, NULL);
  expect(r, "117", "unchanged", "ORPHAN_BILLING", "warning");
  json_object *f = get(r, "findings");
  ck_assert(has_rule(f, "MAPPING_UNKNOWN_LASTPASS", "warning"));
  ck_assert(has_rule(f, "PRODUCT_NOT_FOUND", "error"));
  ck_assert(has_rule(f, "PRODUCT_SHARED_BY_SKUS", "warning"));
  ck_assert(has_rule(f, "ORPHAN_BILLING", "warning"));
  json_object *acme = company(r, "101");
  ck_assert_int_eq(json_object_get_int64(get(acme, "old_quantity")), 12);
  ck_assert_int_eq(json_object_get_int64(get(acme, "new_quantity")), 14);
  ck_assert_str_eq(json_object_get_string(get(acme, "effective_date")),
                   "2026-11-25");
  /* Zero writes: the PSA file is byte for byte what it was. */
  char *after = test_read_file(dir, "psa.json");
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  json_object_put(r);
}
END_TEST

START_TEST(sku_not_configured) {
  write_config("lpsa.conf", "sku.lastpass = LP-BUS", NULL);
  json_object *r = run_json(1, "--dry-run", NULL);
  expect(r, "102", "error", "SKU_NOT_CONFIGURED", "error");
  expect(r, "101", "planned", NULL, NULL);
  json_object_put(r);
}
END_TEST

START_TEST(apply_then_idempotent) {
  json_object *r = run_json(1, NULL, NULL);
  ck_assert_str_eq(json_object_get_string(get(r, "mode")), "apply");
  expect(r, "101", "updated", NULL, NULL);
  expect(r, "115", "updated", "PRORATE_AGREEMENT", "warning");
  expect(r, "116", "error", "WRITE_FAILED", "error");
  expect(r, "113", "held", "LARGE_DECREASE", "warning");
  json_object_put(r);
  ck_assert_int_eq(psa_quantity("l1"), 14);
  ck_assert_int_eq(psa_quantity("l15"), 6);
  ck_assert_int_eq(psa_quantity("l16"), 3);  /* refused by the PSA */
  ck_assert_int_eq(psa_quantity("l13"), 10); /* held */
  ck_assert_int_eq(psa_writes(), 2);

  r = run_json(1, NULL, NULL);
  expect(r, "101", "unchanged", NULL, NULL);
  expect(r, "115", "unchanged", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_writes(), 2); /* nothing written twice */

  /* The guardrail yields only to the explicit option. */
  r = run_json(1, "--allow-large-decrease", NULL);
  expect(r, "113", "updated", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_quantity("l13"), 2);
}
END_TEST

static void assert_keys(json_object *o, const char *const *keys) {
  size_t n = 0;
  json_object_object_foreach(o, key, val) {
    (void)val;
    int known = 0;
    for (size_t i = 0; keys[i]; i++)
      known |= strcmp(keys[i], key) == 0;
    ck_assert_msg(known, "unexpected key %s", key);
    n++;
  }
  size_t want = 0;
  while (keys[want])
    ck_assert_msg(json_object_object_get_ex(o, keys[want++], NULL),
                  "missing key %s", keys[want - 1]);
  ck_assert_int_eq(n, want);
}

START_TEST(report_shape_and_file) {
  const char *args[] = {"-c",       "lpsa.conf",       "--dry-run",
                        "--report", "out/report.json", NULL};
  ck_assert_int_eq(test_write_file(dir, "placeholder", ""), 0);
  char out[1024];
  snprintf(out, sizeof out, "%s/out", dir);
  ck_assert_int_eq(mkdir(out, 0700), 0);
  hostrun h;
  ck_assert_int_eq(hostrun_exec(dir, args, env, &h), 0);
  ck_assert_int_eq(h.status, 1);
  /* The table for people: changes first, then problems, then the count. */
  char *planned = strstr(h.out, "Planned");
  char *errors = strstr(h.out, "Errors");
  char *summary = strstr(h.out, "Summary:");
  ck_assert(planned && errors && summary && planned < errors &&
            errors < summary);
  ck_assert_ptr_nonnull(strstr(h.out, "NO_AGREEMENT"));
  hostrun_free(&h);
  char *text = test_read_file(dir, "out/report.json");
  ck_assert_ptr_nonnull(text);
  json_object *r = json_tokener_parse(text);
  free(text);
  static const char *const top[] = {
      "schema",    "run_id",   "driver",        "driver_version", "mode",
      "started",   "finished", "summary",       "companies",      "findings",
      "exit_code", "aborted",  "billing_cycle", "requests",       "plan_id",
      "terms",     NULL};
  assert_keys(r, top);
  static const char *const summary_keys[] = {
      "companies", "updated", "unchanged",    "planned", "skipped",
      "held",      "errors",  "acknowledged", NULL};
  assert_keys(get(r, "summary"), summary_keys);
  static const char *const company_keys[] = {
      "lastpass_id",    "lastpass_name",    "sku",          "seats",
      "psa_company_id", "psa_company_name", "agreement_id", "line_id",
      "product",        "old_quantity",     "new_quantity", "effective_date",
      "status",         "approved_by",      "rules",        NULL};
  assert_keys(company(r, "101"), company_keys);
  assert_keys(company(r, "104"), company_keys);
  json_object *s = get(r, "summary");
  ck_assert_int_eq(json_object_get_int(get(s, "companies")), 17);
  ck_assert_int_eq(json_object_get_int(get(s, "planned")), 3);
  ck_assert_int_eq(json_object_get_int(get(s, "held")), 1);
  ck_assert_int_eq(json_object_get_int(get(s, "skipped")), 2);
  ck_assert_int_eq(json_object_get_int(get(s, "unchanged")), 2);
  ck_assert_int_eq(json_object_get_int(get(s, "errors")), 9);
  ck_assert_str_eq(json_object_get_string(get(company(r, "117"), "sku")),
                   "lastpass_mfa");
  ck_assert_str_eq(json_object_get_string(get(r, "driver")), "jsonpsa");
  json_object_put(r);
}
END_TEST

/* A mapping of companies that are all fine: exit 0 when in step, and a
 * dry run whose only outcomes are planned changes exits 0 too. */
START_TEST(exit_zero_when_in_step) {
  ck_assert_int_eq(
      test_write_file(dir, "mapping.csv",
                      "lastpass_company_id,psa_company_id\n101,c1\n102,c2\n"),
      0);
  write_config("lpsa.conf", "sku.lastpass = LP-BUS\nsku.lastpass_mfa = LP-MFA",
               NULL);
  json_object *r = run_json(0, "--dry-run", NULL);
  expect(r, "101", "planned", NULL, NULL);
  json_object_put(r);
  r = run_json(0, NULL, NULL);
  expect(r, "101", "updated", NULL, NULL);
  json_object_put(r);
  r = run_json(0, NULL, NULL);
  expect(r, "101", "unchanged", NULL, NULL);
  json_object_put(r);
}
END_TEST

static void expect_abort(const char *words) {
  const char *args[] = {"-c", "lpsa.conf", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(dir, args, env, &h), 0);
  ck_assert_msg(h.status == 3, "exit %d; stderr %s", h.status, h.err);
  ck_assert_msg(strstr(h.err, words) || strstr(h.out, words),
                "no \"%s\" in: %s %s", words, h.err, h.out);
  hostrun_free(&h);
  ck_assert_int_eq(psa_writes(), 0);
}

START_TEST(lastpass_failures_abort_before_writing) {
  const char *bad_key[] = {"LPSA_TEST_KEY=lpkey_wrong",
                           "LPSA_NOW=2026-11-25T12:00:00Z", NULL};
  const char *args[] = {"-c", "lpsa.conf", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(dir, args, bad_key, &h), 0);
  ck_assert_int_eq(h.status, 3);
  ck_assert_ptr_nonnull(strstr(h.err, "LastPass rejected the API key"));
  hostrun_free(&h);

  ck_assert_int_eq(simproc_put_state(&lp,
                                     "{\"companies\":[],\"billingCycle\":{"
                                     "\"startDate\":\"2026-11-01\",\"endDate\":"
                                     "\"2026-11-30\"}}"),
                   0);
  expect_abort("no managed companies");
  ck_assert_int_eq(
      simproc_put_state(
          &lp, "{\"companies\":[{\"id\":101,\"name\":\"Acme\",\"status\":"
               "\"active\",\"addons\":[],\"activeUsers\":0},{\"id\":102,"
               "\"name\":\"Beta\",\"status\":\"active\",\"addons\":[\"mfa\"],"
               "\"activeUsers\":0}],\"billingCycle\":{\"startDate\":"
               "\"2026-11-01\",\"endDate\":\"2026-11-30\"}}"),
      0);
  expect_abort("zero users");
  ck_assert_int_eq(
      simproc_set_faults(&lp, "[{\"path_prefix\":\"/business/v1/managed-"
                              "companies-reports/billing-reports\","
                              "\"action\":\"truncate\"}]"),
      0);
  expect_abort("LastPass");
}
END_TEST

static void wait_for_writes(long long n) {
  for (int i = 0; i < 400 && psa_writes() < n; i++)
    usleep(25000);
  ck_assert_int_eq(psa_writes(), n);
}

static json_object *history(void) {
  const char *args[] = {"-c", "lpsa.conf", "--json", "history", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(dir, args, env, &h), 0);
  ck_assert_int_eq(h.status, 0);
  json_object *doc = json_tokener_parse(h.out);
  hostrun_free(&h);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

/* Killed after the PSA changed but before the journal heard of it. */
START_TEST(kill_after_write_converges) {
  write_config("lpsa.conf", all_products, "after_write_delay_ms = 3000");
  const char *args[] = {"-c", "lpsa.conf", NULL};
  pid_t pid = hostrun_spawn(dir, args, env);
  ck_assert_int_gt(pid, 0);
  wait_for_writes(1); /* Acme's line (first by name) is written */
  kill(pid, SIGKILL);
  ck_assert_int_eq(hostrun_wait(pid), 128 + SIGKILL);
  ck_assert_int_eq(psa_quantity("l1"), 14);

  write_config("lpsa.conf", all_products, NULL);
  json_object *r = run_json(1, NULL, NULL);
  ck_assert(has_rule(get(r, "findings"), "INTERRUPTED_CHANGE", "warning"));
  expect(r, "101", "unchanged", NULL, NULL); /* not applied twice */
  expect(r, "115", "updated", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_writes(), 2);
  ck_assert_int_eq(psa_quantity("l1"), 14);

  json_object *h = history();
  json_object *runs = get(h, "runs");
  ck_assert_int_eq(json_object_array_length(runs), 2);
  /* Newest first: the re-run finished, the killed one is interrupted. */
  ck_assert_str_eq(
      json_object_get_string(get(json_object_array_get_idx(runs, 1), "result")),
      "interrupted");
  json_object_put(h);

  const char *show[] = {"-c", "lpsa.conf", "history", "--run", "1", NULL};
  hostrun hr;
  ck_assert_int_eq(hostrun_exec(dir, show, env, &hr), 0);
  ck_assert_int_eq(hr.status, 0);
  ck_assert_ptr_nonnull(strstr(hr.out, "resolved-applied"));
  hostrun_free(&hr);
}
END_TEST

/* Killed after the intent, before the PSA changed. */
START_TEST(kill_before_write_converges) {
  write_config("lpsa.conf", all_products, "write_delay_ms = 3000");
  const char *args[] = {"-c", "lpsa.conf", NULL};
  pid_t pid = hostrun_spawn(dir, args, env);
  ck_assert_int_gt(pid, 0);
  usleep(1500000); /* well inside the first write's delay */
  kill(pid, SIGKILL);
  hostrun_wait(pid);
  ck_assert_int_eq(psa_writes(), 0);

  write_config("lpsa.conf", all_products, NULL);
  json_object *r = run_json(1, NULL, NULL);
  ck_assert(has_rule(get(r, "findings"), "INTERRUPTED_CHANGE", "warning"));
  expect(r, "101", "updated", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_writes(), 2);
  ck_assert_int_eq(psa_quantity("l1"), 14);
}
END_TEST

START_TEST(second_instance_refused) {
  write_config("lpsa.conf", all_products, "write_delay_ms = 2500");
  const char *args[] = {"-c", "lpsa.conf", NULL};
  pid_t pid = hostrun_spawn(dir, args, env);
  usleep(800000);
  hostrun h;
  const char *dry[] = {"-c", "lpsa.conf", "--dry-run", NULL};
  ck_assert_int_eq(hostrun_exec(dir, dry, env, &h), 0);
  ck_assert_int_eq(h.status, 3); /* stopped before any write */
  ck_assert_ptr_nonnull(strstr(h.err, "another lpsa-host"));
  hostrun_free(&h);
  ck_assert_int_eq(hostrun_wait(pid), 1);
}
END_TEST

START_TEST(manual_change_is_reported) {
  json_object *r = run_json(1, NULL, NULL);
  json_object_put(r);
  /* A person edits Acme's line in the PSA between runs. */
  char *text = test_read_file(dir, "psa.json");
  char *at = strstr(text, "\"id\":\"l1\"");
  ck_assert_ptr_nonnull(at);
  char *q = strstr(at, "\"quantity\":14");
  ck_assert_ptr_nonnull(q);
  memcpy(q, "\"quantity\":20", 13);
  ck_assert_int_eq(test_write_file(dir, "psa.json", text), 0);
  free(text);
  r = run_json(1, NULL, NULL);
  expect(r, "101", "updated", "CHANGED_IN_PSA", "warning");
  json_object_put(r);
  ck_assert_int_eq(psa_quantity("l1"), 14);
}
END_TEST

START_TEST(config_and_driver_errors_exit_2) {
  const char *missing[] = {"-c", "nope.conf", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(dir, missing, env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "nope.conf"));
  hostrun_free(&h);
  const char *nodriver[] = {"-c", "lpsa.conf", "--driver", "autotaskx", NULL};
  ck_assert_int_eq(hostrun_exec(dir, nodriver, env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "[driver.autotaskx]"));
  hostrun_free(&h);
  const char *usage[] = {"--frobnicate", NULL};
  ck_assert_int_eq(hostrun_exec(dir, usage, env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  hostrun_free(&h);
  ck_assert_int_eq(psa_writes(), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sync_scenario");
  TCase *tc = tcase_create("scenario");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, dry_run_reports_every_rule);
  tcase_add_test(tc, sku_not_configured);
  tcase_add_test(tc, apply_then_idempotent);
  tcase_add_test(tc, report_shape_and_file);
  tcase_add_test(tc, exit_zero_when_in_step);
  tcase_add_test(tc, lastpass_failures_abort_before_writing);
  tcase_add_test(tc, kill_after_write_converges);
  tcase_add_test(tc, kill_before_write_converges);
  tcase_add_test(tc, second_instance_refused);
  tcase_add_test(tc, manual_change_is_reported);
  tcase_add_test(tc, config_and_driver_errors_exit_2);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
