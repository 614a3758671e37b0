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

#include "test_gate.h"
#include "world.h"

#define DATA "tests/integration/core/data/"

static world w;

static const char *const all_products =
    "sku.lastpass = LP-BUS, LP-LEGACY, LP-BUNDLE\n"
    "sku.lastpass_mfa = LP-MFA, LP-BUNDLE\n";

/* lpsa.conf with `products` and more jsonpsa keys (may be NULL). */
static void write_config(const char *products, const char *extra_driver_keys) {
  char sections[2048];
  snprintf(sections, sizeof sections, WORLD_JSONPSA "%s%s", products,
           extra_driver_keys ? extra_driver_keys : "");
  world_config(&w, "max_decrease_percent = 50\n", sections);
}

static void setup(void) {
  world_begin(&w, "scenario");
  world_copy(&w, DATA "psa.json", "psa.json");
  world_copy(&w, DATA "mapping.csv", "mapping.csv");
  world_lastpass(&w, DATA "lastpass.json", "2026-11-25",
                 (const char *const[]){"--quiet", NULL});
  write_config(all_products, NULL);
}

static void teardown(void) {
  world_end(&w);
}

/* lpsa-host -c lpsa.conf --json A1 A2 (either may be NULL), the report. */
static json_object *run_json(int expect_status, const char *a1,
                             const char *a2) {
  const char *args[] = {a1, a2, NULL};
  return world_json(&w, expect_status, a1 ? args : args + 1);
}

static void expect(json_object *report, const char *id, const char *status,
                   const char *code, const char *severity) {
  json_object *c = report_company_must(report, id);
  ck_assert_msg(strcmp(tj_str(c, "status"), status) == 0,
                "company %s: status %s, expected %s", id, tj_str(c, "status"),
                status);
  if (code)
    ck_assert_msg(report_has_rule(tj_get(c, "rules"), code, severity),
                  "company %s lacks %s (%s): %s", id, code, severity,
                  json_object_to_json_string(tj_get(c, "rules")));
}

static long long psa_quantity(const char *line_id) {
  return world_psa_quantity(&w, line_id);
}

static long long psa_writes(void) {
  return world_psa_writes(&w);
}

START_TEST(dry_run_reports_every_rule) {
  char *before = world_read(&w, "psa.json");
  json_object *r = run_json(1, "--dry-run", NULL);
  ck_assert_str_eq(tj_str(r, "mode"), "dry-run");
  ck_assert_str_eq(tj_str(r, "schema"), "lpsa.report/1");
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
  json_object *f = tj_get(r, "findings");
  ck_assert(report_has_rule(f, "MAPPING_UNKNOWN_LASTPASS", "warning"));
  ck_assert(report_has_rule(f, "PRODUCT_NOT_FOUND", "error"));
  ck_assert(report_has_rule(f, "PRODUCT_SHARED_BY_SKUS", "warning"));
  ck_assert(report_has_rule(f, "ORPHAN_BILLING", "warning"));
  json_object *acme = report_company_must(r, "101");
  ck_assert_int_eq(tj_int(acme, "old_quantity"), 12);
  ck_assert_int_eq(tj_int(acme, "new_quantity"), 14);
  ck_assert_str_eq(tj_str(acme, "effective_date"), "2026-11-25");
  /* Zero writes: the PSA file is byte for byte what it was. */
  char *after = world_read(&w, "psa.json");
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  json_object_put(r);
}
END_TEST

START_TEST(sku_not_configured) {
  write_config("sku.lastpass = LP-BUS\n", NULL);
  json_object *r = run_json(1, "--dry-run", NULL);
  expect(r, "102", "error", "SKU_NOT_CONFIGURED", "error");
  expect(r, "101", "planned", NULL, NULL);
  json_object_put(r);
}
END_TEST

START_TEST(apply_then_idempotent) {
  json_object *r = run_json(1, NULL, NULL);
  ck_assert_str_eq(tj_str(r, "mode"), "apply");
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
  const char *args[] = {"--dry-run", "--report", "out/report.json", NULL};
  char out[1024];
  world_path(&w, "out", out, sizeof out);
  ck_assert_int_eq(mkdir(out, 0700), 0);
  hostrun h;
  world_run(&w, args, &h);
  ck_assert_int_eq(h.status, 1);
  /* The table for people: changes first, then problems, then the count. */
  char *planned = strstr(h.out, "Planned");
  char *errors = strstr(h.out, "Errors");
  char *summary = strstr(h.out, "Summary:");
  ck_assert(planned && errors && summary && planned < errors &&
            errors < summary);
  ck_assert_ptr_nonnull(strstr(h.out, "NO_AGREEMENT"));
  hostrun_free(&h);
  char *text = world_read(&w, "out/report.json");
  json_object *r = tj_parse(text, "out/report.json");
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
  assert_keys(tj_get(r, "summary"), summary_keys);
  static const char *const company_keys[] = {
      "lastpass_id",    "lastpass_name",    "sku",          "seats",
      "psa_company_id", "psa_company_name", "agreement_id", "line_id",
      "product",        "old_quantity",     "new_quantity", "effective_date",
      "status",         "approved_by",      "rules",        NULL};
  assert_keys(report_company_must(r, "101"), company_keys);
  assert_keys(report_company_must(r, "104"), company_keys);
  json_object *s = tj_get(r, "summary");
  ck_assert_int_eq(tj_int(s, "companies"), 17);
  ck_assert_int_eq(tj_int(s, "planned"), 3);
  ck_assert_int_eq(tj_int(s, "held"), 1);
  ck_assert_int_eq(tj_int(s, "skipped"), 2);
  ck_assert_int_eq(tj_int(s, "unchanged"), 2);
  ck_assert_int_eq(tj_int(s, "errors"), 9);
  ck_assert_str_eq(tj_str(report_company_must(r, "117"), "sku"),
                   "lastpass_mfa");
  ck_assert_str_eq(tj_str(r, "driver"), "jsonpsa");
  json_object_put(r);
}
END_TEST

/* A mapping of companies that are all fine: exit 0 when in step, and a
 * dry run whose only outcomes are planned changes exits 0 too. */
START_TEST(exit_zero_when_in_step) {
  world_write(&w, "mapping.csv",
              "lastpass_company_id,psa_company_id\n101,c1\n102,c2\n");
  write_config("sku.lastpass = LP-BUS\nsku.lastpass_mfa = LP-MFA\n", NULL);
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
  hostrun h;
  world_run(&w, NULL, &h);
  ck_assert_msg(h.status == 3, "exit %d; stderr %s", h.status, h.err);
  ck_assert_msg(strstr(h.err, words) || strstr(h.out, words),
                "no \"%s\" in: %s %s", words, h.err, h.out);
  hostrun_free(&h);
  ck_assert_int_eq(psa_writes(), 0);
}

START_TEST(lastpass_failures_abort_before_writing) {
  hostrun h;
  world_run_with(&w, NULL,
                 (const char *const[]){"LPSA_TEST_KEY=lpkey_wrong", NULL}, NULL,
                 NULL, &h);
  ck_assert_int_eq(h.status, 3);
  ck_assert_ptr_nonnull(strstr(h.err, "LastPass rejected the API key"));
  hostrun_free(&h);

  ck_assert_int_eq(simproc_put_state(&w.lp,
                                     "{\"companies\":[],\"billingCycle\":{"
                                     "\"startDate\":\"2026-11-01\",\"endDate\":"
                                     "\"2026-11-30\"}}"),
                   0);
  expect_abort("no managed companies");
  ck_assert_int_eq(
      simproc_put_state(
          &w.lp, "{\"companies\":[{\"id\":101,\"name\":\"Acme\",\"status\":"
                 "\"active\",\"addons\":[],\"activeUsers\":0},{\"id\":102,"
                 "\"name\":\"Beta\",\"status\":\"active\",\"addons\":[\"mfa\"],"
                 "\"activeUsers\":0}],\"billingCycle\":{\"startDate\":"
                 "\"2026-11-01\",\"endDate\":\"2026-11-30\"}}"),
      0);
  expect_abort("zero users");
  ck_assert_int_eq(
      simproc_set_faults(&w.lp, "[{\"path_prefix\":\"/business/v1/managed-"
                                "companies-reports/billing-reports\","
                                "\"action\":\"truncate\"}]"),
      0);
  expect_abort("LastPass");
}
END_TEST

/* An apply that stops at a gate of the JSON-file PSA (write_gate: before
 * its first write; after_write_gate: after it, before the host heard of
 * it): the host's pid, and in *fd the gate held open (gate_open() it). */
static pid_t apply_to_gate(const char *key, int *fd) {
  char gate[1024], keys[1200];
  world_path(&w, "gate", gate, sizeof gate);
  ck_assert_int_eq(gate_create(gate), 0);
  snprintf(keys, sizeof keys, "%s = gate\n", key);
  write_config(all_products, keys);
  pid_t pid = world_spawn(&w, NULL, NULL);
  *fd = gate_wait(gate, TEST_WAIT_MS);
  ck_assert_msg(*fd >= 0, "the apply never reached its first write: %s",
                world_read(&w, "host.err"));
  return pid;
}

static void open_gate(int fd) {
  char gate[1024];
  world_path(&w, "gate", gate, sizeof gate);
  gate_open(gate, fd);
}

/* Killed after the PSA changed but before the journal heard of it. */
START_TEST(kill_after_write_converges) {
  int fd;
  pid_t pid = apply_to_gate("after_write_gate", &fd);
  ck_assert_int_eq(psa_writes(), 1); /* Acme's line (first by name) */
  kill(pid, SIGKILL);
  ck_assert_int_eq(hostrun_wait(pid), 128 + SIGKILL);
  open_gate(fd);
  ck_assert_int_eq(psa_quantity("l1"), 14);

  write_config(all_products, NULL);
  json_object *r = run_json(1, NULL, NULL);
  ck_assert(
      report_has_rule(tj_get(r, "findings"), "INTERRUPTED_CHANGE", "warning"));
  expect(r, "101", "unchanged", NULL, NULL); /* not applied twice */
  expect(r, "115", "updated", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_writes(), 2);
  ck_assert_int_eq(psa_quantity("l1"), 14);

  json_object *h = world_history(&w, NULL);
  json_object *runs = tj_get(h, "runs");
  ck_assert_int_eq(json_object_array_length(runs), 2);
  /* Newest first: the re-run finished, the killed one is interrupted. */
  ck_assert_str_eq(tj_str(json_object_array_get_idx(runs, 1), "result"),
                   "interrupted");
  json_object_put(h);

  hostrun hr;
  world_run(&w, (const char *const[]){"history", "--run", "1", NULL}, &hr);
  ck_assert_int_eq(hr.status, 0);
  ck_assert_ptr_nonnull(strstr(hr.out, "resolved-applied"));
  hostrun_free(&hr);
}
END_TEST

/* Killed after the intent, before the PSA changed. */
START_TEST(kill_before_write_converges) {
  int fd;
  pid_t pid = apply_to_gate("write_gate", &fd);
  kill(pid, SIGKILL);
  ck_assert_int_eq(hostrun_wait(pid), 128 + SIGKILL);
  open_gate(fd);
  ck_assert_int_eq(psa_writes(), 0);

  write_config(all_products, NULL);
  json_object *r = run_json(1, NULL, NULL);
  ck_assert(
      report_has_rule(tj_get(r, "findings"), "INTERRUPTED_CHANGE", "warning"));
  expect(r, "101", "updated", NULL, NULL);
  json_object_put(r);
  ck_assert_int_eq(psa_writes(), 2);
  ck_assert_int_eq(psa_quantity("l1"), 14);
}
END_TEST

/* While an apply is inside a write, a second run is refused. */
START_TEST(second_instance_refused) {
  int fd;
  pid_t pid = apply_to_gate("write_gate", &fd);
  hostrun h;
  world_run(&w, (const char *const[]){"--dry-run", NULL}, &h);
  ck_assert_int_eq(h.status, 3); /* stopped before any write */
  ck_assert_ptr_nonnull(strstr(h.err, "another lpsa-host"));
  hostrun_free(&h);
  open_gate(fd);
  ck_assert_int_eq(hostrun_wait(pid), 1);
}
END_TEST

START_TEST(manual_change_is_reported) {
  json_object *r = run_json(1, NULL, NULL);
  json_object_put(r);
  /* A person edits Acme's line in the PSA between runs. */
  char *text = world_read(&w, "psa.json");
  char *at = strstr(text, "\"id\":\"l1\"");
  ck_assert_ptr_nonnull(at);
  char *q = strstr(at, "\"quantity\":14");
  ck_assert_ptr_nonnull(q);
  memcpy(q, "\"quantity\":20", 13);
  world_write(&w, "psa.json", text);
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
  ck_assert_int_eq(hostrun_exec(w.dir, missing, w.env, &h), 0);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "nope.conf"));
  hostrun_free(&h);
  world_run(&w, (const char *const[]){"--driver", "autotaskx", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "[driver.autotaskx]"));
  hostrun_free(&h);
  const char *usage[] = {"--frobnicate", NULL};
  ck_assert_int_eq(hostrun_exec(w.dir, usage, w.env, &h), 0);
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
  char *tmp = test_private_tmpdir("scenario");
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_rmtree(tmp);
  free(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
