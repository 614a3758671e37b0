/* SPDX-License-Identifier: MIT */
/*
 * test_web_api.c — the web console's JSON API through the real binary
 * (`lpsa-host serve`, and the daemon) against the LastPass simulator and
 * the JSON-file PSA: every endpoint for each role and without a session,
 * a viewer refused on every write, CSRF refusal, the security headers, the
 * mapping edits (validation, stale versions, duplicates, backups, the
 * audit trail), history filters and pagination, login rate limits, users
 * removed or given a new password, map suggest as a background job, TLS
 * and the loopback rule, the daemon serving the console.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web_harness.h"

static web_env e;

static void setup(void) {
  wh_setup(&e, "webapi", NULL);
  wh_start(&e, (const char *const[]){"serve", NULL});
}

static void teardown(void) {
  wh_teardown(&e);
}

typedef struct endpoint {
  const char *method, *path, *body;
  int write; /* needs an approver */
} endpoint;

/* Every endpoint of the API (README's table), with a valid-looking body. */
static const endpoint endpoints[] = {
    {"GET", "/api/v1/session", NULL, 0},
    {"DELETE", "/api/v1/session", NULL, 0},
    {"GET", "/api/v1/overview", NULL, 0},
    {"GET", "/api/v1/runs", NULL, 0},
    {"GET", "/api/v1/runs/2", NULL, 0},
    {"GET", "/api/v1/companies/301", NULL, 0},
    {"GET", "/api/v1/mapping", NULL, 0},
    {"GET", "/api/v1/mapping/backups", NULL, 0},
    {"GET", "/api/v1/mapping/suggestions", NULL, 0},
    {"GET", "/api/v1/audit", NULL, 0},
    {"POST", "/api/v1/mapping/rows",
     "{\"lastpass_company_id\":\"305\",\"psa_company_id\":\"c5\","
     "\"version\":\"x\"}",
     1},
    {"PUT", "/api/v1/mapping/rows/301",
     "{\"psa_company_id\":\"c4\",\"version\":\"x\"}", 1},
    {"DELETE", "/api/v1/mapping/rows/301", "{\"version\":\"x\"}", 1},
    {"POST", "/api/v1/mapping/suggestions", "{}", 1},
    {"GET", "/api/v1/plans", NULL, 0},
    {"GET", "/api/v1/plans/latest", NULL, 0},
    {"GET", "/api/v1/job", NULL, 0},
    {"POST", "/api/v1/plans", "{}", 1},
    {"POST", "/api/v1/plans/latest/approvals",
     "{\"lastpass_id\":\"303\",\"approve\":true}", 1},
    {"POST", "/api/v1/plans/latest/apply", "{\"changes\":1}", 1},
    {"GET", "/api/v1/acks", NULL, 0},
    {"POST", "/api/v1/acks",
     "{\"lastpass_id\":\"304\",\"code\":\"PSA_COMPANY_NOT_FOUND\","
     "\"note\":\"n\"}",
     1},
    {"DELETE", "/api/v1/acks",
     "{\"lastpass_id\":\"304\",\"code\":\"PSA_COMPANY_NOT_FOUND\"}", 1},
};
#define N_ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

static void expect_security_headers(const simproc_http_result *r) {
  char v[512];
  ck_assert_int_eq(
      simproc_http_header(r, "Content-Security-Policy", v, sizeof v), 0);
  ck_assert_ptr_nonnull(strstr(v, "default-src 'self'"));
  ck_assert_int_eq(simproc_http_header(r, "X-Frame-Options", v, sizeof v), 0);
  ck_assert_str_eq(v, "DENY");
  ck_assert_int_eq(simproc_http_header(r, "Referrer-Policy", v, sizeof v), 0);
  ck_assert_str_eq(v, "no-referrer");
  ck_assert_int_eq(
      simproc_http_header(r, "X-Content-Type-Options", v, sizeof v), 0);
  ck_assert_str_eq(v, "nosniff");
}

static json_object *get_ok(const web_login *who, const char *path) {
  simproc_http_result r;
  long st = wh_call(&e, who, NULL, "GET", path, NULL, &r);
  ck_assert_msg(st == 200, "GET %s: %ld %s", path, st, r.body);
  expect_security_headers(&r);
  json_object *o = wh_json(&r);
  simproc_http_result_free(&r);
  return o;
}

static const char *mapping_version(const web_login *who) {
  static char v[80];
  json_object *m = get_ok(who, "/api/v1/mapping");
  snprintf(v, sizeof v, "%s", json_object_get_string(wh_get(m, "version")));
  json_object_put(m);
  return v;
}

/* --- sessions and roles --------------------------------------------------- */

START_TEST(no_session_no_data) {
  for (size_t i = 0; i < N_ENDPOINTS; i++) {
    simproc_http_result r;
    long st = wh_call(&e, NULL, "", endpoints[i].method, endpoints[i].path,
                      endpoints[i].body, &r);
    ck_assert_msg(st == 401, "%s %s: %ld", endpoints[i].method,
                  endpoints[i].path, st);
    expect_security_headers(&r);
    json_object *o = wh_json(&r);
    ck_assert_str_eq(wh_error_code(o), "unauthenticated");
    json_object_put(o);
    simproc_http_result_free(&r);
  }
  /* a made-up cookie is no session either */
  web_login fake = {"lpsa_session=0000000000000000000000000000000000000000"
                    "000000000000000000000000",
                    "x"};
  simproc_http_result r;
  ck_assert_int_eq(
      wh_call(&e, &fake, NULL, "GET", "/api/v1/overview", NULL, &r), 401);
  simproc_http_result_free(&r);
  /* the page itself is public, with the same headers */
  ck_assert_int_eq(wh_call(&e, NULL, "", "GET", "/", NULL, &r), 200);
  expect_security_headers(&r);
  ck_assert_ptr_nonnull(strstr(r.content_type, "text/html"));
  ck_assert_ptr_nonnull(strstr(r.body, "<script src=\"/app.js\""));
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_call(&e, NULL, "", "GET", "/app.js", NULL, &r), 200);
  ck_assert_ptr_nonnull(strstr(r.content_type, "javascript"));
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_call(&e, NULL, "", "GET", "/nothing.js", NULL, &r), 404);
  simproc_http_result_free(&r);
}
END_TEST

START_TEST(login_cookie_and_whoami) {
  simproc_http_result r;
  ck_assert_int_eq(
      wh_call(&e, NULL, "", "POST", "/api/v1/session",
              "{\"user\":\"alice\",\"password\":\"" WH_ALICE_PW "\"}", &r),
      200);
  char set[512];
  ck_assert_int_eq(simproc_http_header(&r, "Set-Cookie", set, sizeof set), 0);
  ck_assert_ptr_nonnull(strstr(set, "HttpOnly"));
  ck_assert_ptr_nonnull(strstr(set, "SameSite=Strict"));
  ck_assert_ptr_null(strstr(set, "Secure")); /* plain HTTP on loopback */
  /* 256 random bits, as 64 hex digits */
  const char *id = strchr(set, '=') + 1;
  ck_assert_uint_eq(strcspn(id, ";"), 64);
  ck_assert_uint_eq(strspn(id, "0123456789abcdef"), 64);
  json_object *o = wh_json(&r);
  ck_assert_str_eq(json_object_get_string(wh_get(o, "role")), "approver");
  ck_assert_uint_eq(strlen(json_object_get_string(wh_get(o, "csrf_token"))),
                    64);
  json_object_put(o);
  simproc_http_result_free(&r);

  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  o = get_ok(&bob, "/api/v1/session");
  ck_assert_str_eq(json_object_get_string(wh_get(o, "user")), "bob");
  ck_assert_str_eq(json_object_get_string(wh_get(o, "role")), "viewer");
  ck_assert_str_eq(json_object_get_string(wh_get(o, "csrf_token")), bob.csrf);
  json_object_put(o);

  /* wrong password, unknown user: the same answer */
  for (int i = 0; i < 2; i++) {
    const char *body = i ? "{\"user\":\"nobody\",\"password\":\"whatever1\"}"
                         : "{\"user\":\"alice\",\"password\":\"wrong one\"}";
    ck_assert_int_eq(wh_call(&e, NULL, "", "POST", "/api/v1/session", body, &r),
                     401);
    o = wh_json(&r);
    ck_assert_str_eq(wh_error_code(o), "bad_login");
    ck_assert_str_eq(
        json_object_get_string(wh_get(wh_get(o, "error"), "message")),
        "wrong user name or password");
    json_object_put(o);
    simproc_http_result_free(&r);
  }
  /* a form post (what a cross-site page can send) is refused */
  const char *const form[] = {"Content-Type: application/x-www-form-urlencoded",
                              NULL};
  char url[256];
  snprintf(url, sizeof url, "%s/api/v1/session", e.url);
  ck_assert_int_eq(simproc_http("POST", url, form,
                                "user=alice&password=alice+password+1", 30000,
                                &r),
                   0);
  ck_assert_int_eq(r.status, 415);
  simproc_http_result_free(&r);
}
END_TEST

/* A plan made by the CLI, for the plan endpoints to show. */
static void make_plan_cli(void) {
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"plan", NULL}, &h);
  ck_assert_msg(h.status == 0 || h.status == 1, "plan: exit %d: %s", h.status,
                h.err);
  hostrun_free(&h);
}

START_TEST(viewer_reads_everything) {
  make_plan_cli();
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  for (size_t i = 0; i < N_ENDPOINTS; i++) {
    if (strcmp(endpoints[i].method, "GET") != 0)
      continue;
    json_object_put(get_ok(&bob, endpoints[i].path));
  }
}
END_TEST

START_TEST(viewer_refused_on_every_write) {
  make_plan_cli();
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  char *before = wh_read(&e, "mapping.csv");
  for (size_t i = 0; i < N_ENDPOINTS; i++) {
    if (!endpoints[i].write)
      continue;
    char body[512];
    /* with the real version, so only the role can refuse it */
    snprintf(body, sizeof body, "%s", endpoints[i].body);
    char *x = strstr(body, "\"x\"");
    if (x) {
      char rest[512];
      snprintf(rest, sizeof rest, "%s", x + 3);
      snprintf(x, sizeof body - (size_t)(x - body), "\"%s\"%s",
               mapping_version(&bob), rest);
    }
    simproc_http_result r;
    long st = wh_call(&e, &bob, NULL, endpoints[i].method, endpoints[i].path,
                      body, &r);
    ck_assert_msg(st == 403, "%s %s: %ld %s", endpoints[i].method,
                  endpoints[i].path, st, r.body);
    json_object *o = wh_json(&r);
    ck_assert_str_eq(wh_error_code(o), "forbidden");
    json_object_put(o);
    simproc_http_result_free(&r);
  }
  char *after = wh_read(&e, "mapping.csv");
  ck_assert_str_eq(before, after);
  ck_assert_int_eq(wh_count_files(&e, "mapping.csv."), 0);
  ck_assert_ptr_null(wh_read(&e, "state/web-suggestions.json"));
  free(before);
  free(after);
  /* no job was queued, no approval recorded */
  json_object *j = get_ok(&bob, "/api/v1/job");
  ck_assert_ptr_null(wh_get(j, "job"));
  json_object_put(j);
  j = get_ok(&bob, "/api/v1/plans/latest");
  ck_assert_uint_eq(json_object_array_length(wh_get(j, "approvals")), 0);
  json_object_put(j);
  j = get_ok(&bob, "/api/v1/acks");
  ck_assert_uint_eq(json_object_array_length(wh_get(j, "acks")), 0);
  json_object_put(j);
}
END_TEST

START_TEST(csrf_refused_on_every_write) {
  make_plan_cli();
  web_login alice;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  char *before = wh_read(&e, "mapping.csv");
  const char *tokens[] = {"", "0123456789abcdef0123456789abcdef0123456789abcdef"
                              "0123456789abcdef"};
  for (size_t t = 0; t < 2; t++)
    for (size_t i = 0; i < N_ENDPOINTS; i++) {
      if (strcmp(endpoints[i].method, "GET") == 0)
        continue;
      simproc_http_result r;
      long st = wh_call(&e, &alice, tokens[t], endpoints[i].method,
                        endpoints[i].path, endpoints[i].body, &r);
      ck_assert_msg(st == 403, "%s %s (token '%s'): %ld", endpoints[i].method,
                    endpoints[i].path, tokens[t], st);
      json_object *o = wh_json(&r);
      ck_assert_str_eq(wh_error_code(o), "csrf");
      json_object_put(o);
      simproc_http_result_free(&r);
    }
  char *after = wh_read(&e, "mapping.csv");
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  /* the session survived (the refused DELETE did not log out) */
  json_object_put(get_ok(&alice, "/api/v1/session"));
  /* nothing was queued nor approved */
  json_object *j = get_ok(&alice, "/api/v1/job");
  ck_assert_ptr_null(wh_get(j, "job"));
  json_object_put(j);
  j = get_ok(&alice, "/api/v1/plans/latest");
  ck_assert_uint_eq(json_object_array_length(wh_get(j, "approvals")), 0);
  json_object_put(j);
  j = get_ok(&alice, "/api/v1/acks");
  ck_assert_uint_eq(json_object_array_length(wh_get(j, "acks")), 0);
  json_object_put(j);
}
END_TEST

START_TEST(logout_ends_the_session) {
  web_login alice;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  simproc_http_result r;
  ck_assert_int_eq(
      wh_call(&e, &alice, NULL, "DELETE", "/api/v1/session", NULL, &r), 200);
  char set[256];
  ck_assert_int_eq(simproc_http_header(&r, "Set-Cookie", set, sizeof set), 0);
  ck_assert_ptr_nonnull(strstr(set, "Max-Age=0"));
  simproc_http_result_free(&r);
  ck_assert_int_eq(
      wh_call(&e, &alice, NULL, "GET", "/api/v1/overview", NULL, &r), 401);
  simproc_http_result_free(&r);
}
END_TEST

/* A new password or a removed user ends their sessions at once. */
START_TEST(users_file_changes_end_sessions) {
  web_login alice, bob;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  hostrun h;
  wh_run_input(&e, "a brand new secret\n",
               (const char *const[]){"web-user", "passwd", "alice", NULL}, &h);
  ck_assert_msg(h.status == 0, "%s", h.err);
  hostrun_free(&h);
  simproc_http_result r;
  ck_assert_int_eq(
      wh_call(&e, &alice, NULL, "GET", "/api/v1/overview", NULL, &r), 401);
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 401);
  ck_assert_int_eq(wh_login(&e, WH_ALICE, "a brand new secret", &alice), 200);
  json_object_put(get_ok(&bob, "/api/v1/overview")); /* bob unaffected */
  wh_run_input(&e, "", (const char *const[]){"web-user", "remove", "bob", NULL},
               &h);
  ck_assert_msg(h.status == 0, "%s", h.err);
  hostrun_free(&h);
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "GET", "/api/v1/overview", NULL, &r),
                   401);
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 401);
}
END_TEST

/* --- login rate limits ---------------------------------------------------- */

START_TEST(login_limited_per_user) {
  web_login w;
  for (int i = 0; i < 5; i++)
    ck_assert_int_eq(wh_login(&e, WH_ALICE, "not the password", &w), 401);
  /* now even the right password waits */
  simproc_http_result r;
  ck_assert_int_eq(
      wh_call(&e, NULL, "", "POST", "/api/v1/session",
              "{\"user\":\"alice\",\"password\":\"" WH_ALICE_PW "\"}", &r),
      429);
  char retry[32];
  ck_assert_int_eq(simproc_http_header(&r, "Retry-After", retry, sizeof retry),
                   0);
  ck_assert_int_gt(atoi(retry), 800); /* the rest of the 15-minute window */
  ck_assert_int_le(atoi(retry), 900);
  json_object *o = wh_json(&r);
  ck_assert_str_eq(wh_error_code(o), "too_many_attempts");
  json_object_put(o);
  simproc_http_result_free(&r);
  /* another user from the same address is not locked out */
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &w), 200);
  /* and the refusals are in the audit trail */
  json_object *a = get_ok(&w, "/api/v1/audit?action=login.");
  json_object *ev = wh_get(a, "events");
  int failed = 0, blocked = 0;
  for (size_t i = 0; i < json_object_array_length(ev); i++) {
    const char *act = json_object_get_string(
        wh_get(json_object_array_get_idx(ev, i), "action"));
    failed += strcmp(act, "login.failed") == 0;
    blocked += strcmp(act, "login.blocked") == 0;
  }
  ck_assert_int_eq(failed, 5);
  ck_assert_int_eq(blocked, 1);
  json_object_put(a);
}
END_TEST

START_TEST(login_limited_per_address) {
  web_login w;
  char name[32];
  for (int i = 0; i < 20; i++) { /* 20 names, each tried once */
    snprintf(name, sizeof name, "guess%d", i);
    ck_assert_int_eq(wh_login(&e, name, "not the password", &w), 401);
  }
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &w), 429);
}
END_TEST

/* --- overview and history ------------------------------------------------- */

START_TEST(overview_content) {
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  json_object *o = get_ok(&bob, "/api/v1/overview");
  json_object *last = wh_get(o, "last_run");
  ck_assert_int_eq(json_object_get_int(wh_get(last, "run_id")), 2);
  ck_assert_str_eq(json_object_get_string(wh_get(last, "mode")), "apply");
  ck_assert_str_eq(json_object_get_string(wh_get(last, "driver")), "jsonpsa");
  ck_assert_str_eq(json_object_get_string(wh_get(last, "result")), "problems");
  json_object *s = wh_get(last, "summary");
  ck_assert_int_eq(json_object_get_int(wh_get(s, "updated")), 2);
  ck_assert_int_eq(json_object_get_int(wh_get(s, "errors")), 1);
  ck_assert_int_eq(json_object_get_int(wh_get(s, "skipped")), 2);
  ck_assert_int_eq(
      json_object_get_int(wh_get(wh_get(last, "requests"), "total")), 3);
  ck_assert_int_eq(
      json_object_get_int(wh_get(wh_get(o, "last_apply"), "run_id")), 2);
  json_object *next = wh_get(o, "next_run");
  ck_assert_str_eq(json_object_get_string(wh_get(next, "schedule")),
                   "daily 02:00");
  ck_assert_str_eq(json_object_get_string(wh_get(next, "source")), "schedule");
  ck_assert_ptr_nonnull(json_object_get_string(wh_get(next, "at")));
  /* errors first: Delta's missing PSA company; then the two PSA lines no
   * row maps (ORPHAN_BILLING, a run-wide warning); UNMAPPED is only info */
  json_object *p = wh_get(o, "problems");
  ck_assert_uint_eq(json_object_array_length(p), 2);
  json_object *p0 = json_object_array_get_idx(p, 0);
  ck_assert_str_eq(json_object_get_string(wh_get(p0, "code")),
                   "PSA_COMPANY_NOT_FOUND");
  ck_assert_str_eq(json_object_get_string(wh_get(p0, "severity")), "error");
  ck_assert_int_eq(json_object_get_int(wh_get(p0, "companies")), 1);
  ck_assert_ptr_nonnull(
      strstr(json_object_get_string(wh_get(p0, "example")), "c99"));
  json_object *p1 = json_object_array_get_idx(p, 1);
  ck_assert_str_eq(json_object_get_string(wh_get(p1, "code")),
                   "ORPHAN_BILLING");
  ck_assert_int_eq(json_object_get_int(wh_get(p1, "companies")), 2);
  json_object *checks = wh_get(o, "checks");
  ck_assert_uint_ge(json_object_array_length(checks), 3);
  json_object_put(o);
}
END_TEST

START_TEST(runs_filtered_and_paginated) {
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  json_object *o = get_ok(&bob, "/api/v1/runs");
  ck_assert_int_eq(json_object_get_int(wh_get(o, "total")), 2);
  json_object *runs = wh_get(o, "runs");
  ck_assert_int_eq(
      json_object_get_int(wh_get(json_object_array_get_idx(runs, 0), "run_id")),
      2); /* newest first */
  json_object_put(o);
  static const struct {
    const char *query;
    int total, first;
  } cases[] = {
      {"?mode=dry-run", 1, 1},
      {"?mode=apply", 1, 2},
      {"?outcome=problems", 2, 2},
      {"?outcome=ok", 0, 0},
      {"?from=2026-11-25&to=2026-11-25", 2, 2},
      {"?from=2026-11-26", 0, 0},
      {"?to=2026-11-24", 0, 0},
      {"?company=301", 1, 2}, /* only the apply journaled Acme's change */
      {"?company=302", 0, 0},
      {"?per_page=1&page=2", 2, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/runs%s", cases[i].query);
    o = get_ok(&bob, path);
    ck_assert_msg(json_object_get_int(wh_get(o, "total")) == cases[i].total,
                  "%s: %s", path, json_object_to_json_string(o));
    runs = wh_get(o, "runs");
    if (cases[i].first)
      ck_assert_int_eq(json_object_get_int(wh_get(
                           json_object_array_get_idx(runs, 0), "run_id")),
                       cases[i].first);
    else
      ck_assert_uint_eq(json_object_array_length(runs), 0);
    json_object_put(o);
  }
  static const char *const bad[] = {"?from=25-11-2026", "?outcome=great",
                                    "?mode=both", "?page=0", "?per_page=500"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char path[128];
    snprintf(path, sizeof path, "/api/v1/runs%s", bad[i]);
    simproc_http_result r;
    ck_assert_msg(wh_call(&e, &bob, NULL, "GET", path, NULL, &r) == 400, "%s",
                  path);
    simproc_http_result_free(&r);
  }
}
END_TEST

START_TEST(run_detail_and_company_history) {
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  json_object *o = get_ok(&bob, "/api/v1/runs/2");
  ck_assert_str_eq(json_object_get_string(wh_get(o, "mode")), "apply");
  ck_assert_int_eq(json_object_get_int(wh_get(o, "changes_total")), 2);
  json_object *c = wh_get(o, "companies");
  ck_assert_int_eq(json_object_get_int(wh_get(c, "total")), 6);
  json_object *first = json_object_array_get_idx(wh_get(c, "items"), 0);
  ck_assert_str_eq(json_object_get_string(wh_get(first, "lastpass_id")), "301");
  ck_assert_str_eq(json_object_get_string(wh_get(first, "psa_company_name")),
                   "Acme");
  ck_assert_str_eq(
      json_object_get_string(wh_get(wh_get(first, "change"), "state")),
      "applied");
  json_object_put(o);
  o = get_ok(&bob, "/api/v1/runs/2?status=error");
  c = wh_get(o, "companies");
  ck_assert_int_eq(json_object_get_int(wh_get(c, "total")), 1);
  ck_assert_str_eq(
      json_object_get_string(wh_get(
          json_object_array_get_idx(wh_get(c, "items"), 0), "lastpass_id")),
      "304");
  json_object_put(o);
  o = get_ok(&bob, "/api/v1/runs/2?q=gamma&per_page=1");
  ck_assert_int_eq(json_object_get_int(wh_get(wh_get(o, "companies"), "total")),
                   1);
  json_object_put(o);
  simproc_http_result r;
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "GET", "/api/v1/runs/99", NULL, &r),
                   404);
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "GET", "/api/v1/runs/x", NULL, &r),
                   400);
  simproc_http_result_free(&r);

  o = get_ok(&bob, "/api/v1/companies/301");
  ck_assert_str_eq(json_object_get_string(wh_get(o, "lastpass_name")),
                   "Acme Inc");
  ck_assert_str_eq(
      json_object_get_string(wh_get(wh_get(o, "mapping"), "psa_company_id")),
      "c1");
  json_object *h = wh_get(wh_get(o, "history"), "items");
  ck_assert_uint_eq(json_object_array_length(h), 1);
  json_object *h0 = json_object_array_get_idx(h, 0);
  ck_assert_int_eq(json_object_get_int(wh_get(h0, "old_quantity")), 12);
  ck_assert_int_eq(json_object_get_int(wh_get(h0, "new_quantity")), 14);
  ck_assert_str_eq(json_object_get_string(wh_get(h0, "state")), "applied");
  ck_assert_int_eq(json_object_get_int(wh_get(h0, "run_id")), 2);
  json_object_put(o);
}
END_TEST

/* --- mapping -------------------------------------------------------------- */

START_TEST(mapping_view) {
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  json_object *m = get_ok(&bob, "/api/v1/mapping");
  ck_assert_int_eq(json_object_get_int(wh_get(m, "rows_total")), 4);
  ck_assert_int_eq(json_object_get_int(wh_get(m, "unmapped_total")), 2);
  ck_assert_int_eq(json_object_get_int(wh_get(m, "total")), 6);
  ck_assert_uint_eq(strlen(json_object_get_string(wh_get(m, "version"))), 64);
  json_object *items = wh_get(m, "items");
  json_object *acme = json_object_array_get_idx(items, 0);
  ck_assert_str_eq(json_object_get_string(wh_get(acme, "kind")), "mapped");
  ck_assert_str_eq(json_object_get_string(wh_get(acme, "lastpass_name")),
                   "Acme Inc");
  ck_assert_str_eq(json_object_get_string(wh_get(acme, "psa_company_name")),
                   "Acme");
  ck_assert_str_eq(json_object_get_string(wh_get(acme, "note")), "Acme, Inc.");
  json_object *delta = json_object_array_get_idx(items, 3);
  ck_assert_str_eq(json_object_get_string(wh_get(delta, "last_status")),
                   "error");
  ck_assert_ptr_null(wh_get(delta, "psa_company_name")); /* c99: unknown */
  json_object *eps = json_object_array_get_idx(items, 4);
  ck_assert_str_eq(json_object_get_string(wh_get(eps, "kind")), "unmapped");
  ck_assert_str_eq(json_object_get_string(wh_get(eps, "lastpass_name")),
                   "Epsilon LLC");
  json_object_put(m);
  m = get_ok(&bob, "/api/v1/mapping?view=unmapped&q=zeta");
  ck_assert_int_eq(json_object_get_int(wh_get(m, "total")), 1);
  json_object_put(m);
  m = get_ok(&bob, "/api/v1/mapping?view=mapped&per_page=2&page=2");
  ck_assert_int_eq(json_object_get_int(wh_get(m, "total")), 4);
  ck_assert_str_eq(
      json_object_get_string(wh_get(
          json_object_array_get_idx(wh_get(m, "items"), 0), "lastpass_id")),
      "303");
  json_object_put(m);
}
END_TEST

static long edit(const web_login *who, const char *method, const char *path,
                 const char *body_fmt, const char *version, json_object **out) {
  char body[1024];
  snprintf(body, sizeof body, body_fmt, version);
  simproc_http_result r;
  long st = wh_call(&e, who, NULL, method, path, body, &r);
  *out = wh_json(&r);
  simproc_http_result_free(&r);
  return st;
}

START_TEST(approver_edits_the_mapping) {
  web_login alice;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  json_object *o;
  /* change: only that row's line changes; comments and quoting stay */
  ck_assert_int_eq(edit(&alice, "PUT", "/api/v1/mapping/rows/304",
                        "{\"psa_company_id\":\"c4\",\"note\":\"Delta, fixed\","
                        "\"version\":\"%s\"}",
                        mapping_version(&alice), &o),
                   200);
  const char *backup = json_object_get_string(wh_get(o, "backup"));
  ck_assert_ptr_nonnull(strstr(backup, "/mapping.csv."));
  ck_assert_ptr_nonnull(strstr(backup, "Z.bak"));
  char *saved = test_read_file(NULL, backup);
  char *orig =
      test_read_file(getenv("LPSA_SOURCE_DIR"), "tests/web/data/mapping.csv");
  ck_assert_str_eq(saved, orig); /* the backup is the file as it was */
  free(saved);
  json_object_put(o);
  char *now = wh_read(&e, "mapping.csv");
  ck_assert_str_eq(now,
                   "# web console tests: Acme and Gamma change, Beta is in "
                   "step, Delta points\n"
                   "# at a PSA company that does not exist; Epsilon and Zeta "
                   "are not mapped.\n"
                   "lastpass_company_id,psa_company_id,agreement_id,note\n"
                   "301,c1,,\"Acme, Inc.\"\n"
                   "302,c2,,Beta\n"
                   "303,c3,,Gamma\n"
                   "304,c4,,\"Delta, fixed\"\n");
  free(now);
  free(orig);
  /* add, in the header's column order */
  ck_assert_int_eq(
      edit(&alice, "POST", "/api/v1/mapping/rows",
           "{\"lastpass_company_id\":\"305\",\"psa_company_id\":\"c5\","
           "\"agreement_id\":\"a5\",\"version\":\"%s\"}",
           mapping_version(&alice), &o),
      201);
  ck_assert_int_eq(json_object_get_int(wh_get(o, "line")), 8);
  json_object_put(o);
  now = wh_read(&e, "mapping.csv");
  ck_assert_ptr_nonnull(
      strstr(now, "\n304,c4,,\"Delta, fixed\"\n305,c5,a5,\n"));
  free(now);
  /* remove */
  ck_assert_int_eq(edit(&alice, "DELETE", "/api/v1/mapping/rows/302",
                        "{\"version\":\"%s\"}", mapping_version(&alice), &o),
                   200);
  json_object_put(o);
  now = wh_read(&e, "mapping.csv");
  ck_assert_ptr_null(strstr(now, "302,"));
  free(now);
  ck_assert_int_eq(wh_count_files(&e, "mapping.csv."), 3);
  /* the CLI reads the result as written */
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"--dry-run", NULL}, &h);
  ck_assert_msg(h.status == 0, "exit %d: %s%s", h.status, h.out, h.err);
  hostrun_free(&h);
  /* every edit is in the audit trail, with who and what */
  json_object *a = get_ok(&alice, "/api/v1/audit?action=mapping.");
  json_object *ev = wh_get(a, "events");
  ck_assert_uint_eq(json_object_array_length(ev), 3);
  json_object *last = json_object_array_get_idx(ev, 0);
  ck_assert_str_eq(json_object_get_string(wh_get(last, "action")),
                   "mapping.remove");
  ck_assert_str_eq(json_object_get_string(wh_get(last, "user")), "alice");
  ck_assert_str_eq(json_object_get_string(wh_get(last, "target")), "302");
  ck_assert_str_eq(json_object_get_string(wh_get(last, "address")),
                   "127.0.0.1");
  json_object *d = wh_get(last, "detail");
  ck_assert_str_eq(
      json_object_get_string(wh_get(wh_get(d, "before"), "psa_company_id")),
      "c2");
  ck_assert_ptr_null(wh_get(d, "after"));
  json_object *first = json_object_array_get_idx(ev, 2);
  ck_assert_str_eq(json_object_get_string(wh_get(first, "action")),
                   "mapping.change");
  ck_assert_str_eq(
      json_object_get_string(
          wh_get(wh_get(wh_get(first, "detail"), "after"), "psa_company_id")),
      "c4");
  json_object_put(a);
  /* the backups are listed, newest first */
  json_object *b = get_ok(&alice, "/api/v1/mapping/backups");
  ck_assert_uint_eq(json_object_array_length(wh_get(b, "backups")), 3);
  json_object_put(b);
}
END_TEST

START_TEST(mapping_edits_refused) {
  web_login alice;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  char *before = wh_read(&e, "mapping.csv");
  const char *v = mapping_version(&alice);
  static const struct {
    const char *method, *path, *body;
    long status;
    const char *code, *says;
  } cases[] = {
      /* a stale version: someone changed the file meanwhile */
      {"PUT", "/api/v1/mapping/rows/301",
       "{\"psa_company_id\":\"c5\",\"version\":\"0000\"}", 409, "conflict",
       "changed since"},
      {"PUT", "/api/v1/mapping/rows/301", "{\"psa_company_id\":\"c5\"}", 400,
       "bad_request", "version"},
      /* the rules of the CLI: one PSA company per LastPass company */
      {"PUT", "/api/v1/mapping/rows/301",
       "{\"psa_company_id\":\"c2\",\"version\":\"%s\"}", 409, "conflict",
       "MAPPING_DUPLICATE"},
      {"POST", "/api/v1/mapping/rows",
       "{\"lastpass_company_id\":\"301\",\"psa_company_id\":\"c5\","
       "\"version\":\"%s\"}",
       409, "conflict", "already mapped (line 4)"},
      {"POST", "/api/v1/mapping/rows",
       "{\"lastpass_company_id\":\"305\",\"psa_company_id\":\"\","
       "\"version\":\"%s\"}",
       400, "bad_request", "psa_company_id is empty"},
      {"POST", "/api/v1/mapping/rows",
       "{\"lastpass_company_id\":\"#305\",\"psa_company_id\":\"c5\","
       "\"version\":\"%s\"}",
       400, "bad_request", "comment"},
      {"POST", "/api/v1/mapping/rows",
       "{\"lastpass_company_id\":\"305\",\"psa_company_id\":\"c5\\nx\","
       "\"version\":\"%s\"}",
       400, "bad_request", "control character"},
      {"POST", "/api/v1/mapping/rows",
       "{\"lastpass_company_id\":305,\"psa_company_id\":\"c5\","
       "\"version\":\"%s\"}",
       400, "bad_request", "must be a string"},
      {"PUT", "/api/v1/mapping/rows/399",
       "{\"psa_company_id\":\"c5\",\"version\":\"%s\"}", 404, "not_found",
       "no row"},
      {"DELETE", "/api/v1/mapping/rows/399", "{\"version\":\"%s\"}", 404,
       "not_found", "no row"},
      {"PUT", "/api/v1/mapping/rows/301", "not json", 400, "bad_request",
       "JSON"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_object *o;
    long st =
        edit(&alice, cases[i].method, cases[i].path, cases[i].body, v, &o);
    const char *msg =
        json_object_get_string(wh_get(wh_get(o, "error"), "message"));
    ck_assert_msg(st == cases[i].status && strstr(msg, cases[i].says),
                  "case %zu: %ld %s", i, st, msg);
    ck_assert_str_eq(wh_error_code(o), cases[i].code);
    json_object_put(o);
  }
  char *after = wh_read(&e, "mapping.csv");
  ck_assert_str_eq(before, after);
  ck_assert_int_eq(wh_count_files(&e, "mapping.csv."), 0);
  free(before);
  free(after);
}
END_TEST

/* map suggest runs as a child of the console; its proposals reach the page */
START_TEST(suggestions_job) {
  web_login alice;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  json_object *o;
  ck_assert_int_eq(
      edit(&alice, "POST", "/api/v1/mapping/suggestions", "{}%s", "", &o), 202);
  json_object_put(o);
  const char *status = "running";
  for (int i = 0; i < 3000 && strcmp(status, "running") == 0; i++) {
    usleep(20000);
    o = get_ok(&alice, "/api/v1/mapping/suggestions");
    static char s[32];
    snprintf(s, sizeof s, "%s", json_object_get_string(wh_get(o, "status")));
    status = s;
    if (strcmp(s, "failed") == 0)
      ck_abort_msg("map suggest failed: %s", json_object_to_json_string(o));
    json_object_put(o);
  }
  ck_assert_str_eq(status, "done");
  json_object *m = get_ok(&alice, "/api/v1/mapping?view=unmapped&q=epsilon");
  json_object *s =
      wh_get(json_object_array_get_idx(wh_get(m, "items"), 0), "suggestion");
  ck_assert_str_eq(json_object_get_string(wh_get(s, "psa_company_id")), "c5");
  ck_assert_int_ge(json_object_get_int(wh_get(s, "confidence")), 70);
  json_object_put(m);
}
END_TEST

/* --- the router ----------------------------------------------------------- */

START_TEST(router_answers) {
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  simproc_http_result r;
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "GET", "/api/v1/nothing", NULL, &r),
                   404);
  simproc_http_result_free(&r);
  /* no plan yet: the latest is not found, and says how to make one */
  ck_assert_int_eq(
      wh_call(&e, &bob, NULL, "GET", "/api/v1/plans/latest", NULL, &r), 404);
  json_object *np = wh_json(&r);
  ck_assert_ptr_nonnull(
      strstr(json_object_get_string(wh_get(wh_get(np, "error"), "message")),
             "POST /api/v1/plans"));
  json_object_put(np);
  simproc_http_result_free(&r);
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "DELETE", "/api/v1/plans", NULL, &r),
                   405);
  simproc_http_result_free(&r);
  ck_assert_int_eq(
      wh_call(&e, &bob, NULL, "PATCH", "/api/v1/overview", "{}", &r), 405);
  char allow[64];
  ck_assert_int_eq(simproc_http_header(&r, "Allow", allow, sizeof allow), 0);
  ck_assert_str_eq(allow, "GET");
  simproc_http_result_free(&r);
  /* a page of another site rebinding its name to 127.0.0.1 */
  char url[256];
  snprintf(url, sizeof url, "%s/api/v1/session", e.url);
  const char *const evil[] = {"Host: attacker.example", NULL};
  ck_assert_int_eq(simproc_http("GET", url, evil, NULL, 30000, &r), 0);
  ck_assert_int_eq(r.status, 421);
  simproc_http_result_free(&r);
  /* a body over 64 KiB */
  char *big = malloc(70 * 1024);
  memset(big, ' ', 70 * 1024 - 1);
  big[0] = '{';
  big[70 * 1024 - 2] = '}';
  big[70 * 1024 - 1] = '\0';
  ck_assert_int_eq(wh_call(&e, &bob, NULL, "POST", "/api/v1/session", big, &r),
                   413);
  simproc_http_result_free(&r);
  free(big);
}
END_TEST

/* --- TLS, the loopback rule, the daemon ----------------------------------- */

START_TEST(loopback_only_without_tls) {
  wh_stop(&e);
  wh_write_config(&e, "listen = 0.0.0.0:0", NULL);
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"serve", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "listen = 0.0.0.0:0 is not a loopback address") &&
                    strstr(h.err, "without TLS") &&
                    strstr(h.err, "tls_cert and tls_key"),
                "%s", h.err);
  hostrun_free(&h);
  /* the daemon refuses to start too */
  wh_run_input(&e, "", (const char *const[]){"--daemon", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "is not a loopback address"));
  hostrun_free(&h);
  /* a bad listen value is a configuration error with its line */
  wh_write_config(&e, "listen = 127.0.0.1", NULL);
  wh_run_input(&e, "", (const char *const[]){"serve", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "lpsa.conf:12: listen = 127.0.0.1: no "
                              "HOST:PORT"),
                "%s", h.err);
  hostrun_free(&h);
  wh_write_config(&e, "tls_cert = lpsa.conf", NULL);
  wh_run_input(&e, "", (const char *const[]){"serve", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "needs both tls_cert and tls_key"), "%s", h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(https_with_tls) {
  wh_stop(&e);
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
           "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout "
           "web.key -out web.crt >/dev/null 2>&1 && chmod 600 web.key",
           e.dir);
  ck_assert_int_eq(system(cmd), 0);
  wh_write_config(&e, "tls_cert = web.crt\ntls_key = web.key", NULL);
  wh_start(&e, (const char *const[]){"serve", NULL});
  ck_assert_int_eq(strncmp(e.url, "https://127.0.0.1:", 18), 0);
  char curl[4096];
  snprintf(curl, sizeof curl,
           "curl -s -i --cacert %s/web.crt -H 'Content-Type: application/json' "
           "-d '{\"user\":\"alice\",\"password\":\"" WH_ALICE_PW "\"}' "
           "%s/api/v1/session > %s/tls.out",
           e.dir, e.url, e.dir);
  ck_assert_int_eq(system(curl), 0);
  char *out = wh_read(&e, "tls.out");
  ck_assert_ptr_nonnull(out);
  ck_assert_msg(strstr(out, "HTTP/1.1 200") && strstr(out, "; Secure") &&
                    strstr(out, "Strict-Transport-Security"),
                "%s", out);
  free(out);
  /* a key others may read is refused */
  wh_stop(&e);
  snprintf(cmd, sizeof cmd, "chmod 644 %s/web.key", e.dir);
  ck_assert_int_eq(system(cmd), 0);
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"serve", NULL}, &h);
  ck_assert_int_eq(h.status, 2);
  ck_assert_msg(strstr(h.err, "others may read the private key"), "%s", h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(daemon_serves_the_console) {
  wh_stop(&e);
  wh_start(&e, (const char *const[]){"--daemon", "-v", NULL});
  web_login bob;
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  json_object *o = get_ok(&bob, "/api/v1/overview");
  json_object *next = wh_get(o, "next_run");
  ck_assert_str_eq(json_object_get_string(wh_get(next, "source")), "daemon");
  ck_assert_ptr_nonnull(json_object_get_string(wh_get(next, "at")));
  ck_assert(json_object_get_boolean(wh_get(next, "daemon_running")));
  json_object_put(o);
  o = get_ok(&bob, "/api/v1/session");
  ck_assert_str_eq(
      json_object_get_string(wh_get(wh_get(o, "console"), "served_by")),
      "daemon");
  json_object_put(o);
  /* SIGTERM stops the daemon and its console */
  ck_assert_int_eq(wh_stop(&e), 0);
  simproc_http_result r;
  char url[256];
  snprintf(url, sizeof url, "%s/api/v1/session", e.url);
  ck_assert_int_eq(simproc_http("GET", url, NULL, NULL, 5000, &r), -1);
  simproc_http_result_free(&r);
}
END_TEST

/* Without [web], the daemon serves nothing (and `serve` uses the defaults). */
START_TEST(no_web_section_no_console) {
  wh_stop(&e);
  char *conf = wh_read(&e, "lpsa.conf");
  char *web = strstr(conf, "[web]\nlisten = 127.0.0.1:0\n");
  ck_assert_ptr_nonnull(web);
  memmove(web, web + strlen("[web]\nlisten = 127.0.0.1:0\n"),
          strlen(web + strlen("[web]\nlisten = 127.0.0.1:0\n")) + 1);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", conf), 0);
  free(conf);
  pid_t pid = hostrun_spawn(
      e.dir, (const char *const[]){"-c", "lpsa.conf", "--daemon", "-v", NULL},
      e.env);
  long long waited = 0;
  char *err = NULL;
  while (waited < WH_WAIT_MS) {
    free(err);
    err = wh_read(&e, "host.err");
    if (err && strstr(err, "next run at"))
      break;
    usleep(20000);
    waited += 20;
  }
  ck_assert_msg(err && strstr(err, "next run at"), "%s", err ? err : "");
  ck_assert_ptr_null(strstr(err, "web console"));
  free(err);
  kill(pid, SIGTERM);
  ck_assert_int_eq(hostrun_wait(pid), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_api");
  TCase *tc = tcase_create("api");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, no_session_no_data);
  tcase_add_test(tc, login_cookie_and_whoami);
  tcase_add_test(tc, viewer_reads_everything);
  tcase_add_test(tc, viewer_refused_on_every_write);
  tcase_add_test(tc, csrf_refused_on_every_write);
  tcase_add_test(tc, logout_ends_the_session);
  tcase_add_test(tc, users_file_changes_end_sessions);
  tcase_add_test(tc, login_limited_per_user);
  tcase_add_test(tc, login_limited_per_address);
  tcase_add_test(tc, overview_content);
  tcase_add_test(tc, runs_filtered_and_paginated);
  tcase_add_test(tc, run_detail_and_company_history);
  tcase_add_test(tc, mapping_view);
  tcase_add_test(tc, approver_edits_the_mapping);
  tcase_add_test(tc, mapping_edits_refused);
  tcase_add_test(tc, suggestions_job);
  tcase_add_test(tc, router_answers);
  tcase_add_test(tc, loopback_only_without_tls);
  tcase_add_test(tc, https_with_tls);
  tcase_add_test(tc, daemon_serves_the_console);
  tcase_add_test(tc, no_web_section_no_console);
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
