/* SPDX-License-Identifier: MIT */
/*
 * test_ops_ack.c — `lpsa-host ack` through the real binary against the
 * LastPass simulator and the JSON-file test PSA: an acknowledged finding
 * still shows in every report (text and JSON, with who and the note) but
 * no longer makes the run exit 1 nor sends a notify_on = problems webhook,
 * until the finding changes (another count) or the acknowledgement expires
 * or is removed; an acknowledgement never releases a held change; bad
 * input is refused with what to do.
 *
 * The world (ops data): Acme 12 -> 14 and Gamma 3 -> 5 are applied by the
 * first run; Delta's PSA line says 40 while LastPass has 4 seats, a drop of
 * 90% that the guardrail holds (LARGE_DECREASE) on every run.
 */
#include <check.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops_harness.h"
#include "test_server.h"

static ops_env e;
static test_server *hook;

/* Delta's line in the test PSA now holds `quantity`, as if a person had
 * typed it. */
static void set_delta(long long quantity) {
  char *text = ops_read(&e, "psa.json");
  ck_assert_ptr_nonnull(text);
  json_object *doc = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(doc);
  json_object *lines = ops_get(doc, "lines");
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(json_object_get_string(ops_get(l, "id")), "l4") == 0)
      json_object_object_add(l, "quantity", json_object_new_int64(quantity));
  }
  ck_assert_int_eq(
      test_write_file(e.dir, "psa.json", json_object_to_json_string(doc)), 0);
  json_object_put(doc);
}

static void setup(void) {
  ops_setup(&e, "ack", "lastpass.json", "psa.json");
  set_delta(40);
  hook = ts_start();
  ck_assert_ptr_nonnull(hook);
  ts_response ok = {.status = 200, .body = "{}"};
  ck_assert_int_eq(ts_set_default(hook, &ok), 0);
  char host[1024];
  snprintf(host, sizeof host,
           "notify_on = problems\nnotify_webhook = %s/hooks/acks",
           ts_url(hook));
  ops_write_config(&e, host, NULL, NULL);
  char path[1024];
  snprintf(path, sizeof path, "%s/lpsa.conf", e.dir);
  ck_assert_int_eq(chmod(path, 0600), 0); /* a literal webhook URL */
}

static void teardown(void) {
  ts_stop(hook);
  ops_teardown(&e);
}

static hostrun run(const char *const *args) {
  hostrun h;
  ops_run(&e, &h, args);
  return h;
}

static void expect_exit(hostrun *h, int status) {
  ck_assert_msg(h->status == status, "exit %d, expected %d\nstdout: %s\n%s",
                h->status, status, h->out, h->err);
}

static void expect_text(const char *text, const char *needle) {
  ck_assert_msg(strstr(text, needle), "no \"%s\" in:\n%s", needle, text);
}

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(o != NULL, "not JSON: %s", text);
  return o;
}

/* A sync with --json: its exit code, and the report. */
static json_object *sync_json(int expect) {
  const char *args[] = {"--json", NULL};
  hostrun h = run(args);
  expect_exit(&h, expect);
  json_object *doc = parse(h.out);
  hostrun_free(&h);
  return doc;
}

static json_object *company(json_object *report, const char *id) {
  json_object *list = ops_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(ops_get(c, "lastpass_id")), id) == 0)
      return c;
  }
  ck_abort_msg("no company %s", id);
  return NULL;
}

static json_object *rule(json_object *report, const char *id,
                         const char *code) {
  json_object *rules = ops_get(company(report, id), "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *r = json_object_array_get_idx(rules, i);
    if (strcmp(json_object_get_string(ops_get(r, "code")), code) == 0)
      return r;
  }
  ck_abort_msg("company %s has no rule %s", id, code);
  return NULL;
}

static const char *me(void) {
  struct passwd *pw = getpwuid(getuid());
  ck_assert_ptr_nonnull(pw);
  return pw->pw_name;
}

START_TEST(acknowledged_finding_stops_counting) {
  json_object *r = sync_json(1);
  ck_assert_str_eq(json_object_get_string(ops_get(company(r, "304"), "status")),
                   "held");
  json_object_put(r);
  ck_assert_uint_eq(ts_request_count(hook), 1); /* problems: notified */

  const char *ack[] = {"ack",
                       "304",
                       "LARGE_DECREASE",
                       "--note",
                       "customer is downsizing, checked with them",
                       NULL};
  hostrun h = run(ack);
  expect_exit(&h, 0);
  expect_text(h.out, "Acknowledged LARGE_DECREASE of LastPass company 304");
  hostrun_free(&h);

  /* In every report, marked, but the run is in step: exit 0, no webhook. */
  r = sync_json(0);
  json_object *c = company(r, "304");
  ck_assert_str_eq(json_object_get_string(ops_get(c, "status")), "held");
  json_object *f = rule(r, "304", "LARGE_DECREASE");
  ck_assert(json_object_get_boolean(ops_get(f, "acknowledged")));
  json_object *a = ops_get(f, "acknowledgement");
  ck_assert_str_eq(json_object_get_string(ops_get(a, "by")), me());
  ck_assert_str_eq(json_object_get_string(ops_get(a, "note")),
                   "customer is downsizing, checked with them");
  ck_assert_str_eq(json_object_get_string(ops_get(a, "state")), "applies");
  json_object *sum = ops_get(r, "summary");
  ck_assert_int_eq(json_object_get_int(ops_get(sum, "held")), 1);
  ck_assert_int_eq(json_object_get_int(ops_get(sum, "acknowledged")), 1);
  json_object_put(r);
  ck_assert_uint_eq(ts_request_count(hook), 1);
  ck_assert_int_eq(ops_psa_quantity(&e, "l4"), 40); /* still held */

  const char *plain[] = {NULL};
  h = run(plain);
  expect_exit(&h, 0);
  char mark[256];
  snprintf(mark, sizeof mark,
           "[acknowledged by %s on 2026-11-25: \"customer is downsizing, "
           "checked with them\"]",
           me());
  expect_text(h.out, mark);
  expect_text(h.out, "1 held, 0 errors (1 acknowledged)");
  hostrun_free(&h);
  ck_assert_uint_eq(ts_request_count(hook), 1);

  /* Someone changes the PSA's count: another finding, which counts. */
  set_delta(41);
  r = sync_json(1);
  f = rule(r, "304", "LARGE_DECREASE");
  ck_assert(!json_object_get_boolean(ops_get(f, "acknowledged")));
  ck_assert_str_eq(
      json_object_get_string(ops_get(ops_get(f, "acknowledgement"), "state")),
      "changed");
  json_object_put(r);
  ck_assert_uint_eq(ts_request_count(hook), 2);

  const char *list[] = {"--json", "ack", "--list", NULL};
  h = run(list);
  expect_exit(&h, 0);
  json_object *l = parse(h.out);
  hostrun_free(&h);
  json_object *acks = ops_get(l, "acks");
  ck_assert_uint_eq(json_object_array_length(acks), 1);
  json_object *one = json_object_array_get_idx(acks, 0);
  ck_assert_str_eq(json_object_get_string(ops_get(one, "lastpass_id")), "304");
  ck_assert_str_eq(json_object_get_string(ops_get(one, "code")),
                   "LARGE_DECREASE");
  ck_assert_str_eq(json_object_get_string(ops_get(one, "by")), me());
  ck_assert_str_eq(json_object_get_string(ops_get(one, "state")), "in force");
  ck_assert_str_eq(json_object_get_string(ops_get(one, "last_run")), "changed");
  json_object_put(l);

  /* Acknowledged again, as it is now; then removed. */
  const char *again[] = {"ack", "304", "LARGE_DECREASE", NULL};
  h = run(again);
  expect_exit(&h, 0);
  hostrun_free(&h);
  r = sync_json(0);
  json_object_put(r);
  const char *rm[] = {"ack", "--remove", "304", "LARGE_DECREASE", NULL};
  h = run(rm);
  expect_exit(&h, 0);
  hostrun_free(&h);
  h = run(rm);
  expect_exit(&h, 2);
  expect_text(h.err, "no acknowledgement of LARGE_DECREASE for LastPass "
                     "company 304");
  hostrun_free(&h);
  const char *text_list[] = {"ack", "--list", NULL};
  h = run(text_list);
  expect_exit(&h, 0);
  expect_text(h.out, "No acknowledgement is in force.");
  hostrun_free(&h);
  r = sync_json(1);
  json_object_put(r);
  ck_assert_uint_eq(ts_request_count(hook), 3);
}
END_TEST

START_TEST(acknowledgement_expires) {
  json_object *r = sync_json(1);
  json_object_put(r);
  const char *ack[] = {"ack", "--until",        "2026-11-30",
                       "304", "LARGE_DECREASE", NULL};
  hostrun h = run(ack);
  expect_exit(&h, 0);
  expect_text(h.out, "until 2026-11-30");
  hostrun_free(&h);
  r = sync_json(0);
  json_object_put(r);

  /* The last day it applies, then the day after. */
  const char *args[] = {"-c", "lpsa.conf", "--json", NULL};
  const char *last_day[] = {"LPSA_TEST_KEY=lpkey_demo",
                            "LPSA_NOW=2026-11-30T12:00:00Z", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, args, last_day, &h), 0);
  expect_exit(&h, 0);
  hostrun_free(&h);
  const char *after[] = {"LPSA_TEST_KEY=lpkey_demo",
                         "LPSA_NOW=2026-12-01T12:00:00Z", NULL};
  ops_lastpass_restart(&e, NULL, "2026-12-01"); /* December's cycle */
  char host[1024];
  snprintf(host, sizeof host,
           "notify_on = problems\nnotify_webhook = %s/hooks/acks",
           ts_url(hook));
  ops_write_config(&e, host, NULL, NULL);
  char conf[1024];
  snprintf(conf, sizeof conf, "%s/lpsa.conf", e.dir);
  ck_assert_int_eq(chmod(conf, 0600), 0);
  ck_assert_int_eq(hostrun_exec(e.dir, args, after, &h), 0);
  expect_exit(&h, 1);
  r = parse(h.out);
  hostrun_free(&h);
  json_object *f = rule(r, "304", "LARGE_DECREASE");
  ck_assert(!json_object_get_boolean(ops_get(f, "acknowledged")));
  ck_assert_str_eq(
      json_object_get_string(ops_get(ops_get(f, "acknowledgement"), "state")),
      "expired");
  json_object_put(r);
  const char *list[] = {"-c", "lpsa.conf", "--json", "ack", "--list", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, list, after, &h), 0);
  expect_exit(&h, 0);
  json_object *l = parse(h.out);
  hostrun_free(&h);
  json_object *one = json_object_array_get_idx(ops_get(l, "acks"), 0);
  ck_assert_str_eq(json_object_get_string(ops_get(one, "state")), "expired");
  ck_assert_str_eq(json_object_get_string(ops_get(one, "last_run")), "expired");
  json_object_put(l);
}
END_TEST

START_TEST(bad_acknowledgements_are_refused) {
  const char *early[] = {"ack", "304", "LARGE_DECREASE", NULL};
  hostrun h = run(early);
  expect_exit(&h, 2);
  expect_text(h.err, "no run of driver jsonpsa has a report");
  hostrun_free(&h);

  json_object *r = sync_json(1);
  json_object_put(r);
  const char *unknown[] = {"ack", "999", "LARGE_DECREASE", NULL};
  h = run(unknown);
  expect_exit(&h, 2);
  expect_text(h.err, "lists no LastPass company 999");
  hostrun_free(&h);
  const char *other[] = {"ack", "304", "NO_AGREEMENT", NULL};
  h = run(other);
  expect_exit(&h, 2);
  expect_text(h.err, "has no finding NO_AGREEMENT in run 1; it has: "
                     "LARGE_DECREASE (warning)");
  hostrun_free(&h);
  const char *bad_day[] = {"ack",     "304",        "LARGE_DECREASE",
                           "--until", "2026-02-30", NULL};
  h = run(bad_day);
  expect_exit(&h, 2);
  expect_text(h.err, "--until 2026-02-30: write the last day");
  hostrun_free(&h);
  const char *past[] = {"ack",     "304",        "LARGE_DECREASE",
                        "--until", "2026-11-24", NULL};
  h = run(past);
  expect_exit(&h, 2);
  expect_text(h.err, "is in the past");
  hostrun_free(&h);
  const char *one_word[] = {"ack", "304", NULL};
  h = run(one_word);
  expect_exit(&h, 2);
  expect_text(h.err, "ack needs a LastPass company id and a rule code");
  hostrun_free(&h);
  const char *stray[] = {"history", "--note", "x", NULL};
  h = run(stray);
  expect_exit(&h, 2);
  hostrun_free(&h);
  /* Nothing was recorded. */
  const char *list[] = {"--json", "ack", "--list", NULL};
  h = run(list);
  expect_exit(&h, 0);
  json_object *l = parse(h.out);
  ck_assert_uint_eq(json_object_array_length(ops_get(l, "acks")), 0);
  json_object_put(l);
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_ack");
  TCase *tc = tcase_create("ack");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, acknowledged_finding_stops_counting);
  tcase_add_test(tc, acknowledgement_expires);
  tcase_add_test(tc, bad_acknowledgements_are_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
