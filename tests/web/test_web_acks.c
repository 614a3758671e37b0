/* SPDX-License-Identifier: MIT */
/*
 * test_web_acks.c — the Acknowledgements API through the real binary
 * (`lpsa-host serve`) against the LastPass simulator and the JSON-file PSA:
 * an approver adds one with a note and an expiry and removes it, the
 * journal keeps the web user as who (the next run's report and `lpsa-host
 * ack --list` say so), the audit trail has both, the findings that can be
 * acknowledged are listed and filtered, and bad input gets the CLI's own
 * messages. Roles and CSRF for these endpoints are in test_web_api.c's
 * tables.
 *
 * The world (web_harness.h): Delta (304) points at a PSA company that does
 * not exist (PSA_COMPANY_NOT_FOUND, an error); Epsilon (305) is not mapped
 * (UNMAPPED, a note).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_harness.h"

#define DELTA_ACK "{\"lastpass_id\":\"304\",\"code\":\"PSA_COMPANY_NOT_FOUND\""

static web_env e;
static web_login alice;

static void setup(void) {
  wh_setup(&e, "webacks", NULL);
  wh_start(&e, (const char *const[]){"serve", NULL});
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
}

static void teardown(void) {
  wh_teardown(&e);
}

static json_object *call_json(const char *method, const char *path,
                              const char *body, long want) {
  simproc_http_result r;
  long st = wh_call(&e, &alice, NULL, method, path, body, &r);
  ck_assert_msg(st == want, "%s %s: %ld, want %ld: %s", method, path, st, want,
                r.body);
  json_object *o = wh_json(&r);
  simproc_http_result_free(&r);
  return o;
}

static const char *text(json_object *o, const char *key) {
  return json_object_get_string(wh_get(o, key));
}

/* The one audit event of `action`. */
static json_object *audit_event(const char *action) {
  char path[128];
  snprintf(path, sizeof path, "/api/v1/audit?action=%s", action);
  json_object *a = call_json("GET", path, NULL, 200);
  json_object *ev = wh_get(a, "events");
  ck_assert_uint_eq(json_object_array_length(ev), 1);
  json_object *one = NULL;
  json_object_deep_copy(json_object_array_get_idx(ev, 0), &one, NULL);
  json_object_put(a);
  return one;
}

static int lists_candidate(json_object *acks, const char *id,
                           const char *code) {
  json_object *items = wh_get(wh_get(acks, "findings"), "items");
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *f = json_object_array_get_idx(items, i);
    if (strcmp(text(f, "lastpass_id"), id) == 0 &&
        strcmp(text(f, "code"), code) == 0)
      return 1;
  }
  return 0;
}

START_TEST(add_and_remove_as_the_web_user) {
  /* before: none in force, Delta's error offered, Epsilon's note not */
  json_object *l = call_json("GET", "/api/v1/acks", NULL, 200);
  ck_assert_str_eq(text(l, "schema"), "lpsa.acks/1");
  ck_assert_uint_eq(json_object_array_length(wh_get(l, "acks")), 0);
  ck_assert(lists_candidate(l, "304", "PSA_COMPANY_NOT_FOUND"));
  ck_assert(!lists_candidate(l, "305", "UNMAPPED"));
  ck_assert_str_eq(text(l, "today"), "2026-11-25");
  json_object_put(l);

  json_object *o = call_json(
      "POST", "/api/v1/acks",
      DELTA_ACK ",\"until\":\"2026-12-31\",\"note\":\"closing in December\"}",
      201);
  ck_assert_str_eq(text(o, "by"), "alice");
  ck_assert_ptr_nonnull(strstr(text(o, "message"), "until 2026-12-31"));
  ck_assert_int_eq(json_object_get_int(wh_get(o, "run_id")), 2);
  json_object_put(o);

  l = call_json("GET", "/api/v1/acks", NULL, 200);
  json_object *acks = wh_get(l, "acks");
  ck_assert_uint_eq(json_object_array_length(acks), 1);
  json_object *a = json_object_array_get_idx(acks, 0);
  ck_assert_str_eq(text(a, "lastpass_id"), "304");
  ck_assert_str_eq(text(a, "lastpass_name"), "Delta Ltd");
  ck_assert_str_eq(text(a, "code"), "PSA_COMPANY_NOT_FOUND");
  ck_assert_str_eq(text(a, "by"), "alice");
  ck_assert_str_eq(text(a, "until"), "2026-12-31");
  ck_assert_str_eq(text(a, "note"), "closing in December");
  ck_assert_str_eq(text(a, "state"), "in force");
  ck_assert_str_eq(text(a, "driver"), "jsonpsa");
  ck_assert(!lists_candidate(l, "304", "PSA_COMPANY_NOT_FOUND"));
  json_object_put(l);

  /* the CLI reads the same journal: who is the web user */
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"ack", "--list", "--json", NULL},
               &h);
  ck_assert_msg(h.status == 0, "ack --list: %d %s", h.status, h.err);
  json_object *cli = json_tokener_parse(h.out);
  ck_assert_ptr_nonnull(cli);
  a = json_object_array_get_idx(wh_get(cli, "acks"), 0);
  ck_assert_ptr_nonnull(a);
  ck_assert_str_eq(text(a, "by"), "alice");
  json_object_put(cli);
  hostrun_free(&h);
  /* and the next run marks the finding acknowledged by alice */
  wh_run_input(
      &e, "", (const char *const[]){"--dry-run", "--report", "next.json", NULL},
      &h);
  hostrun_free(&h);
  char *next = wh_read(&e, "next.json");
  ck_assert_ptr_nonnull(next);
  json_object *rep = json_tokener_parse(next);
  free(next);
  ck_assert_ptr_nonnull(rep);
  json_object *companies = wh_get(rep, "companies");
  int marked = 0;
  for (size_t i = 0; i < json_object_array_length(companies); i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    if (strcmp(text(co, "lastpass_id"), "304") != 0)
      continue;
    json_object *f = json_object_array_get_idx(wh_get(co, "rules"), 0);
    ck_assert_str_eq(text(f, "code"), "PSA_COMPANY_NOT_FOUND");
    ck_assert(json_object_get_boolean(wh_get(f, "acknowledged")));
    ck_assert_str_eq(text(wh_get(f, "acknowledgement"), "by"), "alice");
    marked = 1;
  }
  ck_assert(marked);
  json_object_put(rep);

  json_object *ev = audit_event("ack.add");
  ck_assert_str_eq(text(ev, "user"), "alice");
  ck_assert_str_eq(text(ev, "target"), "304");
  ck_assert_str_eq(text(wh_get(ev, "detail"), "code"), "PSA_COMPANY_NOT_FOUND");
  ck_assert_str_eq(text(wh_get(ev, "detail"), "until"), "2026-12-31");
  json_object_put(ev);

  o = call_json("DELETE", "/api/v1/acks", DELTA_ACK "}", 200);
  ck_assert_ptr_nonnull(strstr(text(o, "message"), "counts again"));
  json_object_put(o);
  l = call_json("GET", "/api/v1/acks", NULL, 200);
  ck_assert_uint_eq(json_object_array_length(wh_get(l, "acks")), 0);
  json_object_put(l);
  ev = audit_event("ack.remove");
  ck_assert_str_eq(text(ev, "user"), "alice");
  ck_assert_str_eq(text(ev, "target"), "304");
  json_object_put(ev);
  /* removing it again: none in force */
  o = call_json("DELETE", "/api/v1/acks", DELTA_ACK "}", 404);
  ck_assert_str_eq(wh_error_code(o), "not_found");
  ck_assert_ptr_nonnull(strstr(
      text(wh_get(o, "error"), "message"),
      "no acknowledgement of PSA_COMPANY_NOT_FOUND for LastPass company 304"));
  json_object_put(o);
}
END_TEST

START_TEST(no_expiry_no_note) {
  json_object *o = call_json("POST", "/api/v1/acks",
                             DELTA_ACK ",\"until\":\"\",\"note\":\"\"}", 201);
  ck_assert_ptr_nonnull(strstr(text(o, "message"), "until it is removed"));
  json_object_put(o);
  json_object *l = call_json("GET", "/api/v1/acks", NULL, 200);
  json_object *a = json_object_array_get_idx(wh_get(l, "acks"), 0);
  ck_assert_ptr_nonnull(a);
  json_object *v = NULL;
  ck_assert(json_object_object_get_ex(a, "until", &v) && v == NULL);
  ck_assert(json_object_object_get_ex(a, "note", &v) && v == NULL);
  json_object_put(l);
}
END_TEST

START_TEST(bad_input_refused_with_what_to_do) {
  static const struct {
    const char *body, *says;
  } cases[] = {
      {DELTA_ACK ",\"until\":\"2026-02-30\"}",
       "until 2026-02-30: write the last day the acknowledgement applies as "
       "YYYY-MM-DD"},
      {DELTA_ACK ",\"until\":\"2026-11-24\"}",
       "until 2026-11-24 is in the past (today is 2026-11-25)"},
      {"{\"lastpass_id\":\"999\",\"code\":\"PSA_COMPANY_NOT_FOUND\"}",
       "lists no LastPass company 999"},
      {"{\"lastpass_id\":\"304\",\"code\":\"NO_AGREEMENT\"}",
       "has no finding NO_AGREEMENT in run 2; it has: PSA_COMPANY_NOT_FOUND "
       "(error)"},
      {"{\"lastpass_id\":\"305\",\"code\":\"UNMAPPED\"}",
       "is a note (info): it never makes a run exit 1"},
      {"{\"lastpass_id\":\"304\"}", "\"code\""},
      {DELTA_ACK ",\"note\":5}", "\"note\" must be a string"},
      {"[1]", "one JSON object"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_object *o = call_json("POST", "/api/v1/acks", cases[i].body, 400);
    ck_assert_str_eq(wh_error_code(o), "bad_request");
    const char *msg = text(wh_get(o, "error"), "message");
    ck_assert_msg(strstr(msg, cases[i].says), "%s: %s", cases[i].body, msg);
    json_object_put(o);
  }
  json_object *o = call_json("DELETE", "/api/v1/acks", "{\"code\":\"X\"}", 400);
  json_object_put(o);
  json_object *l = call_json("GET", "/api/v1/acks", NULL, 200);
  ck_assert_uint_eq(json_object_array_length(wh_get(l, "acks")), 0);
  json_object_put(l);
  l = call_json("GET", "/api/v1/audit?action=ack.", NULL, 200);
  ck_assert_uint_eq(json_object_array_length(wh_get(l, "events")), 0);
  json_object_put(l);
}
END_TEST

START_TEST(findings_filtered_and_paginated) {
  json_object *l = call_json("GET", "/api/v1/acks?q=delta", NULL, 200);
  json_object *f = wh_get(l, "findings");
  ck_assert_int_eq(json_object_get_int(wh_get(f, "total")), 1);
  ck_assert_int_eq(json_object_get_int(wh_get(f, "run_id")), 2);
  json_object *one = json_object_array_get_idx(wh_get(f, "items"), 0);
  ck_assert_str_eq(text(one, "lastpass_name"), "Delta Ltd");
  ck_assert_str_eq(text(one, "severity"), "error");
  ck_assert_ptr_nonnull(strstr(text(one, "message"), "c99"));
  json_object_put(l);
  l = call_json("GET", "/api/v1/acks?q=acme", NULL, 200);
  ck_assert_int_eq(json_object_get_int(wh_get(wh_get(l, "findings"), "total")),
                   0);
  json_object_put(l);
  l = call_json("GET", "/api/v1/acks?page=2&per_page=1", NULL, 200);
  f = wh_get(l, "findings");
  ck_assert_int_eq(json_object_get_int(wh_get(f, "page")), 2);
  ck_assert_uint_eq(json_object_array_length(wh_get(f, "items")), 0);
  json_object_put(l);
  l = call_json("GET", "/api/v1/acks?per_page=0", NULL, 400);
  json_object_put(l);
}
END_TEST

/* An acknowledgement the CLI made shows with its Unix user, and the web
 * removes it. */
START_TEST(cli_and_web_share_them) {
  hostrun h;
  wh_run_input(&e, "",
               (const char *const[]){"ack", "304", "PSA_COMPANY_NOT_FOUND",
                                     "--note", "from the shell", NULL},
               &h);
  ck_assert_msg(h.status == 0, "ack: %d %s", h.status, h.err);
  hostrun_free(&h);
  json_object *l = call_json("GET", "/api/v1/acks", NULL, 200);
  json_object *a = json_object_array_get_idx(wh_get(l, "acks"), 0);
  ck_assert_ptr_nonnull(a);
  ck_assert_str_eq(text(a, "note"), "from the shell");
  ck_assert_str_ne(text(a, "by"), "alice");
  json_object_put(l);
  json_object_put(call_json("DELETE", "/api/v1/acks", DELTA_ACK "}", 200));
  wh_run_input(&e, "", (const char *const[]){"ack", "--list", NULL}, &h);
  ck_assert_msg(strstr(h.out, "No acknowledgement is in force."), "%s", h.out);
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_acks");
  TCase *tc = tcase_create("acks");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, add_and_remove_as_the_web_user);
  tcase_add_test(tc, no_expiry_no_note);
  tcase_add_test(tc, bad_input_refused_with_what_to_do);
  tcase_add_test(tc, findings_filtered_and_paginated);
  tcase_add_test(tc, cli_and_web_share_them);
  suite_add_tcase(s, tc);
  char *tmp = test_private_tmpdir("web-tests");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_rmtree(tmp);
  free(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
