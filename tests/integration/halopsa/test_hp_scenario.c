/* SPDX-License-Identifier: MIT */
/*
 * test_hp_scenario.c — the rule scenarios for HaloPSA, through the real
 * lpsa-host with halopsa.so against lastpass-sim and halopsa-sim holding
 * the demo's dataset (conf/demo: 35 LastPass companies, their Halo
 * clients, recurring invoices and lines). Every rule lands on the right
 * company; a dry run writes nothing; an apply posts each changed invoice
 * back with all its lines and nothing else; a second apply writes
 * nothing; the guardrail yields only to --allow-large-decrease.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "simproc.h"

static char *dir;
static simproc lp, halo;

static const char *const env[] = {"LPSA_TEST_KEY=lpkey_demo",
                                  "LPSA_TEST_HALO=demosecret",
                                  "LPSA_NOW=2026-11-15T12:00:00Z", NULL};

static void start(simproc *sp, const char *program, const char *fixture,
                  int dated) {
  char path[1024], err[512];
  snprintf(path, sizeof path, "%s/conf/demo/%s", getenv("LPSA_SOURCE_DIR"),
           fixture);
  const char *args[] = {"--fixture", path, dated ? "--now" : NULL, "2026-11-15",
                        NULL};
  ck_assert_msg(simproc_start(sp, program, args, err, sizeof err) == 0, "%s",
                err);
}

static void setup(void) {
  dir = test_tmpdir("halo-scenario");
  ck_assert_ptr_nonnull(dir);
  start(&lp, "lastpass-sim", "lastpass.json", 1);
  start(&halo, "halopsa-sim", "halopsa.json", 0);
  ck_assert_int_eq(
      test_copy_source("conf/demo/mapping-halopsa.csv", dir, "mapping.csv"), 0);
  char text[2048];
  /* One product by name, one by id; LastPass Legacy is no item. */
  snprintf(text, sizeof text,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\nmax_decrease_percent = 50\n"
           "[lastpass]\napi_url = %s/business\napi_key = env:LPSA_TEST_KEY\n"
           "[driver.halopsa]\nurl = %s\nclient_id = lpsa-demo-client\n"
           "client_secret = env:LPSA_TEST_HALO\n"
           "sku.lastpass = LastPass Business, LastPass Legacy\n"
           "sku.lastpass_mfa = 502\n",
           getenv("LPSA_DRIVER_DIR"), lp.base_url, halo.base_url);
  ck_assert_int_eq(test_write_file(dir, "lpsa.conf", text), 0);
}

static void teardown(void) {
  simproc_stop(&halo);
  simproc_stop(&lp);
  test_rmtree(dir);
  free(dir);
}

static json_object *get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s in %s", key,
                json_object_to_json_string(o));
  return v;
}

static const char *str(json_object *o, const char *key) {
  json_object *v = get(o, key);
  return v ? json_object_get_string(v) : "";
}

static json_object *run_json(int expect_status, const char *a1,
                             const char *a2) {
  const char *args[] = {"-c",     "lpsa.conf", "--driver", "halopsa",
                        "--json", a1,          a2,         NULL};
  hostrun r;
  ck_assert_int_eq(hostrun_exec(dir, args, env, &r), 0);
  ck_assert_msg(r.status == expect_status, "exit %d, expected %d; stderr: %s",
                r.status, expect_status, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL, "stdout is not JSON: %s", r.out);
  hostrun_free(&r);
  return doc;
}

static json_object *company(json_object *report, const char *id) {
  json_object *list = get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(str(c, "lastpass_id"), id) == 0)
      return c;
  }
  ck_abort_msg("no company %s in the report", id);
  return NULL;
}

static int has_rule(json_object *rules, const char *code,
                    const char *severity) {
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    if (strcmp(str(f, "code"), code) == 0 &&
        strcmp(str(f, "severity"), severity) == 0)
      return 1;
  }
  return 0;
}

static void expect(json_object *report, const char *id, const char *status,
                   const char *code, const char *severity) {
  json_object *c = company(report, id);
  ck_assert_msg(strcmp(str(c, "status"), status) == 0,
                "company %s: status %s, expected %s: %s", id, str(c, "status"),
                status, json_object_to_json_string(c));
  if (code)
    ck_assert_msg(has_rule(get(c, "rules"), code, severity),
                  "company %s lacks %s (%s): %s", id, code, severity,
                  json_object_to_json_string(get(c, "rules")));
}

/* The state's invoice line `id`, and (out) the invoice holding it. */
static json_object *line(json_object *state, long long id,
                         json_object **invoice) {
  json_object *invoices = get(state, "invoices");
  for (size_t i = 0; i < json_object_array_length(invoices); i++) {
    json_object *inv = json_object_array_get_idx(invoices, i);
    json_object *lines = get(inv, "lines");
    for (size_t k = 0; k < json_object_array_length(lines); k++) {
      json_object *l = json_object_array_get_idx(lines, k);
      if (json_object_get_int64(get(l, "id")) == id) {
        if (invoice)
          *invoice = inv;
        return l;
      }
    }
  }
  return NULL;
}

static long long quantity(long long id) {
  json_object *state = simproc_get_state(&halo);
  ck_assert_ptr_nonnull(state);
  json_object *l = line(state, id, NULL);
  ck_assert_msg(l != NULL, "no invoice line %lld", id);
  long long q = json_object_get_int64(get(l, "qty_order"));
  json_object_put(state);
  return q;
}

static size_t writes(void) {
  json_object *state = simproc_get_state(&halo);
  ck_assert_ptr_nonnull(state);
  size_t n = json_object_array_length(get(state, "writes"));
  json_object_put(state);
  return n;
}

START_TEST(dry_run_reports_every_rule) {
  json_object *r = run_json(1, "--dry-run", NULL);
  ck_assert_str_eq(str(r, "driver"), "halopsa");
  expect(r, "100001", "unchanged", NULL, NULL);
  expect(r, "100002", "planned", NULL, NULL); /* 7 -> 9, item by id */
  expect(r, "100006", "held", "LARGE_DECREASE", "warning");
  expect(r, "100007", "held", "LARGE_DECREASE", "warning"); /* to zero */
  expect(r, "100008", "skipped", "SUSPENDED", "info");
  expect(r, "100009", "skipped", "UNMAPPED", "info");
  expect(r, "100010", "error", "MAPPING_DUPLICATE", "error");
  expect(r, "100011", "error", "MAPPING_DUPLICATE", "error");
  expect(r, "100012", "error", "PSA_COMPANY_NOT_FOUND", "error");
  expect(r, "100013", "error", "PSA_COMPANY_NOT_FOUND", "error"); /* inactive */
  expect(r, "100014", "error", "NO_AGREEMENT", "error"); /* no LastPass line */
  expect(r, "100015", "error", "MULTIPLE_AGREEMENTS", "error");
  expect(r, "100016", "error", "AGREEMENT_NOT_FOUND", "error");
  expect(r, "100017", "planned", "ORPHAN_BILLING", "warning"); /* pinned */
  expect(r, "100018", "error", "MULTIPLE_PRODUCTS", "error");
  expect(r, "100019", "error", "SKU_MISMATCH", "error");
  expect(r, "100020", "error", "BAD_PSA_RECORD", "error"); /* Halo computes */
  expect(r, "100021", "error", "NO_AGREEMENT", "error");   /* inactive line */
  expect(r, "100022", "planned", NULL, NULL);            /* starts next year */
  expect(r, "100023", "error", "NO_AGREEMENT", "error"); /* ended */
  expect(r, "100024", "planned", NULL, NULL); /* its disabled one ignored */
  expect(r, "100035", "error", "BAD_PSA_RECORD", "error"); /* no quantity */
  /* Signed invoice ids (Halo has handed out -94). */
  ck_assert_str_eq(str(company(r, "100029"), "agreement_id"), "-94");
  expect(r, "100029", "unchanged", NULL, NULL);
  json_object *f = get(r, "findings");
  ck_assert(has_rule(f, "PRODUCT_NOT_FOUND", "error"));
  ck_assert(has_rule(f, "ORPHAN_BILLING", "warning")); /* Woodgrove Bank */
  ck_assert(has_rule(f, "MAPPING_UNKNOWN_LASTPASS", "warning"));
  json_object *s = get(r, "summary");
  ck_assert_int_eq(json_object_get_int(get(s, "planned")), 10);
  ck_assert_int_eq(writes(), 0);
  json_object_put(r);
}
END_TEST

START_TEST(apply_keeps_every_line_then_nothing_to_do) {
  json_object *before = simproc_get_state(&halo);
  json_object *plan = run_json(1, "--dry-run", NULL);
  json_object *r = run_json(1, NULL, NULL);
  json_object *list = get(plan, "companies");
  size_t planned = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *p = json_object_array_get_idx(list, i);
    if (strcmp(str(p, "status"), "planned") != 0)
      continue;
    planned++;
    expect(r, str(p, "lastpass_id"), "updated", NULL, NULL);
    ck_assert_int_eq(quantity(atoll(str(p, "line_id"))),
                     json_object_get_int64(get(p, "new_quantity")));
  }
  ck_assert_int_eq(planned, 10);
  /* One post per change, each with every line of its invoice, no line
   * created or dropped, and the other lines exactly as they were. */
  json_object *after = simproc_get_state(&halo);
  json_object *w = get(after, "writes");
  ck_assert_int_eq(json_object_array_length(w), planned);
  ck_assert_int_eq(json_object_array_length(get(after, "dropped_lines")), 0);
  for (size_t i = 0; i < json_object_array_length(w); i++) {
    json_object *e = json_object_array_get_idx(w, i);
    ck_assert_int_eq(json_object_array_length(get(e, "created")), 0);
    ck_assert_int_eq(json_object_array_length(get(e, "dropped")), 0);
    ck_assert_int_eq(json_object_array_length(get(e, "changes")), 1);
    long long changed = json_object_get_int64(
        get(json_object_array_get_idx(get(e, "changes"), 0), "line"));
    json_object *inv = NULL;
    ck_assert_ptr_nonnull(line(after, changed, &inv));
    json_object *lines = get(inv, "lines");
    ck_assert_int_eq(json_object_get_int64(get(e, "lines_posted")),
                     (long long)json_object_array_length(lines));
    for (size_t k = 0; k < json_object_array_length(lines); k++) {
      json_object *l = json_object_array_get_idx(lines, k);
      long long id = json_object_get_int64(get(l, "id"));
      if (id == changed)
        continue;
      json_object *was = line(before, id, NULL);
      ck_assert_msg(was && json_object_equal(was, l),
                    "invoice line %lld changed: %s", id,
                    json_object_to_json_string(l));
    }
  }
  json_object_put(after);
  json_object_put(r);

  r = run_json(1, NULL, NULL);
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *p = json_object_array_get_idx(list, i);
    if (strcmp(str(p, "status"), "planned") == 0)
      expect(r, str(p, "lastpass_id"), "unchanged", NULL, NULL);
  }
  ck_assert_int_eq(json_object_get_int(get(get(r, "summary"), "updated")), 0);
  ck_assert_int_eq(writes(), planned); /* nothing written twice */
  json_object_put(r);

  /* The guardrail yields only to the explicit option. */
  ck_assert_int_eq(quantity(40011), 10);
  r = run_json(1, "--allow-large-decrease", NULL);
  expect(r, "100006", "updated", NULL, NULL);
  expect(r, "100007", "updated", NULL, NULL);
  ck_assert_int_eq(quantity(40011), 3);
  ck_assert_int_eq(quantity(40013), 0);
  json_object_put(r);
  json_object_put(plan);
  json_object_put(before);
}
END_TEST

int main(void) {
  Suite *s = suite_create("halopsa_scenario");
  TCase *tc = tcase_create("scenario");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, dry_run_reports_every_rule);
  tcase_add_test(tc, apply_keeps_every_line_then_nothing_to_do);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
