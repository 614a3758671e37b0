/* SPDX-License-Identifier: MIT */
/*
 * test_web_plans.c — plans, per-company approval and apply from the web
 * console, through the real binary (`lpsa-host serve`, and the daemon)
 * against the LastPass simulator and the JSON-file PSA.
 *
 * The world (web_harness.h) after its two runs is put back before the
 * plan: Acme's line reads 12 again (a change to 14) and Gamma's 0, so its
 * 5 seats are a LARGE_INCREASE held for a person; Delta's PSA company does
 * not exist (an error). A plan is made in the background, carol approves
 * Gamma, alice applies after confirming the number of changes, and the
 * PSA file, the journal (who approved what), the plan's fate and the audit
 * trail are checked. Then what is refused: stale confirmations, companies
 * without a held change, a plan whose mapping changed, a configuration
 * that no longer loads; and the daemon runs the jobs too.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web_harness.h"

#define CAROL "carol"
#define CAROL_PW "carol password 3"

static web_env e;
static web_login alice, carol, bob;

/* The PSA's line quantities and its count of writes. */
static void psa_set(const char *line, long long quantity) {
  char path[1024];
  snprintf(path, sizeof path, "%s/psa.json", e.dir);
  json_object *doc = json_object_from_file(path);
  ck_assert_ptr_nonnull(doc);
  json_object *lines = wh_get(doc, "lines");
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (strcmp(json_object_get_string(wh_get(l, "id")), line) == 0)
      json_object_object_add(l, "quantity", json_object_new_int64(quantity));
  }
  ck_assert_int_eq(json_object_to_file_ext(path, doc, JSON_C_TO_STRING_PRETTY),
                   0);
  json_object_put(doc);
}

static long long psa_get(const char *line) {
  char path[1024];
  snprintf(path, sizeof path, "%s/psa.json", e.dir);
  json_object *doc = json_object_from_file(path);
  ck_assert_ptr_nonnull(doc);
  long long q = -1;
  if (!line) {
    q = json_object_get_int64(wh_get(doc, "writes"));
  } else {
    json_object *lines = wh_get(doc, "lines");
    for (size_t i = 0; i < json_object_array_length(lines); i++) {
      json_object *l = json_object_array_get_idx(lines, i);
      if (strcmp(json_object_get_string(wh_get(l, "id")), line) == 0)
        q = json_object_get_int64(wh_get(l, "quantity"));
    }
  }
  json_object_put(doc);
  return q;
}

static void logins(void) {
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  ck_assert_int_eq(wh_login(&e, CAROL, CAROL_PW, &carol), 200);
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
}

static void setup(void) {
  wh_setup(&e, "webplans", NULL);
  ck_assert_int_eq(wh_user_add(&e, CAROL, "approver", CAROL_PW), 0);
  psa_set("l1", 12);
  psa_set("l3", 0);
  wh_start(&e, (const char *const[]){"serve", NULL});
  logins();
}

static void teardown(void) {
  wh_teardown(&e);
}

/* A call expecting `want`; its JSON body (a new reference). */
static json_object *call(const web_login *who, const char *method,
                         const char *path, const char *body, long want) {
  simproc_http_result r;
  long st = wh_call(&e, who, NULL, method, path, body, &r);
  ck_assert_msg(st == want, "%s %s: %ld, want %ld: %s", method, path, st, want,
                r.body ? r.body : "");
  json_object *o = wh_json(&r);
  simproc_http_result_free(&r);
  return o;
}

static const char *s_of(json_object *o, const char *key) {
  return json_object_get_string(wh_get(o, key));
}

static long long n_of(json_object *o, const char *key) {
  return json_object_get_int64(wh_get(o, key));
}

/* Poll GET /api/v1/job until the job ended; its JSON (a new reference). */
static json_object *wait_job(void) {
  for (int i = 0; i < 3000; i++) {
    json_object *o = call(&bob, "GET", "/api/v1/job", NULL, 200);
    json_object *j = wh_get(o, "job");
    const char *state = j ? s_of(j, "state") : "none";
    if (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0) {
      json_object_get(j);
      json_object_put(o);
      return j;
    }
    json_object_put(o);
    usleep(20000);
  }
  ck_abort_msg("the job did not end in 60 s");
  return NULL;
}

/* Make a plan from the page's API and wait for it: its id. */
static const char *make_plan(void) {
  static char id[64];
  json_object *o = call(&alice, "POST", "/api/v1/plans", "{}", 202);
  json_object *j = wh_get(o, "job");
  ck_assert_str_eq(s_of(j, "kind"), "plan");
  ck_assert_str_eq(s_of(j, "user"), "alice");
  json_object_put(o);
  j = wait_job();
  ck_assert_msg(strcmp(s_of(j, "state"), "done") == 0, "%s",
                json_object_to_json_string(j));
  snprintf(id, sizeof id, "%s", s_of(j, "plan_id"));
  json_object_put(j);
  return id;
}

static int audit_count(const char *action, const char *user) {
  json_object *a = call(&bob, "GET", "/api/v1/audit?action=plan.", NULL, 200);
  json_object *ev = wh_get(a, "events");
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(ev); i++) {
    json_object *x = json_object_array_get_idx(ev, i);
    n += strcmp(s_of(x, "action"), action) == 0 &&
         strcmp(s_of(x, "user"), user) == 0;
  }
  json_object_put(a);
  return n;
}

START_TEST(make_approve_apply) {
  json_object *o = call(&alice, "POST", "/api/v1/plans", "{}", 202);
  json_object_put(o);
  json_object *j = wait_job();
  ck_assert_str_eq(s_of(j, "state"), "done");
  /* the dry run needs a person: Gamma held, Delta an error */
  ck_assert_int_eq(n_of(j, "exit_code"), 1);
  ck_assert_int_eq(n_of(j, "plan_changes"), 1);
  ck_assert_int_eq(n_of(j, "plan_held"), 1);
  char plan[64];
  snprintf(plan, sizeof plan, "%s", s_of(j, "plan_id"));
  long long plan_run = n_of(j, "run_id");
  json_object_put(j);
  ck_assert_int_eq(psa_get(NULL), 2); /* the setup's apply; nothing since */

  /* the list, as a viewer sees it */
  o = call(&bob, "GET", "/api/v1/plans", NULL, 200);
  ck_assert_int_eq(n_of(o, "total"), 1);
  json_object *p0 = json_object_array_get_idx(wh_get(o, "plans"), 0);
  ck_assert_str_eq(s_of(p0, "plan_id"), plan);
  ck_assert_str_eq(s_of(p0, "made_by"), "alice");
  ck_assert_int_eq(n_of(p0, "made_by_run"), plan_run);
  ck_assert_str_eq(s_of(p0, "fate"), "not applied");
  json_object_put(o);

  /* the plan: one change, one held company, one error grouped by rule */
  o = call(&bob, "GET", "/api/v1/plans/latest", NULL, 200);
  ck_assert_str_eq(s_of(o, "plan_id"), plan);
  ck_assert(json_object_get_boolean(wh_get(o, "applicable")));
  json_object *sum = wh_get(o, "summary");
  ck_assert_int_eq(n_of(sum, "companies"), 6);
  ck_assert_int_eq(n_of(sum, "changes"), 1);
  ck_assert_int_eq(n_of(sum, "held"), 1);
  ck_assert_int_eq(n_of(sum, "approvable"), 1);
  ck_assert_int_eq(n_of(sum, "errors"), 1);
  json_object *ap = wh_get(o, "apply");
  ck_assert_int_eq(n_of(ap, "changes"), 1);
  ck_assert_str_eq(s_of(ap, "question"),
                   "Apply 1 change to JSON PSA? This changes what "
                   "customers are billed.");
  json_object *pr = json_object_array_get_idx(wh_get(o, "problems"), 0);
  ck_assert_str_eq(s_of(pr, "code"), "PSA_COMPANY_NOT_FOUND");
  ck_assert_str_eq(s_of(pr, "severity"), "error");
  ck_assert_int_eq(n_of(pr, "companies"), 1);
  json_object *ex = json_object_array_get_idx(wh_get(pr, "examples"), 0);
  ck_assert_str_eq(s_of(ex, "lastpass_id"), "304");
  ck_assert_ptr_nonnull(strstr(s_of(ex, "message"), "c99"));
  json_object_put(o);
  o = call(&bob, "GET", "/api/v1/plans/latest?view=held", NULL, 200);
  json_object *c = wh_get(o, "companies");
  ck_assert_int_eq(n_of(c, "total"), 1);
  json_object *g = json_object_array_get_idx(wh_get(c, "items"), 0);
  ck_assert_str_eq(s_of(g, "lastpass_id"), "303");
  ck_assert(json_object_get_boolean(wh_get(g, "approvable")));
  ck_assert_ptr_null(wh_get(g, "approval"));
  json_object *ch = wh_get(g, "change");
  ck_assert_int_eq(n_of(ch, "old"), 0);
  ck_assert_int_eq(n_of(ch, "new"), 5);
  ck_assert_str_eq(
      s_of(json_object_array_get_idx(wh_get(ch, "hold"), 0), "code"),
      "LARGE_INCREASE");
  json_object_put(o);
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s?view=changes", plan);
  o = call(&bob, "GET", path, NULL, 200);
  c = wh_get(o, "companies");
  ck_assert_int_eq(n_of(c, "total"), 1);
  g = json_object_array_get_idx(wh_get(c, "items"), 0);
  ck_assert_str_eq(s_of(g, "lastpass_id"), "301");
  ck_assert_int_eq(n_of(wh_get(g, "change"), "new"), 14);
  json_object_put(o);

  /* carol approves Gamma: the apply now writes two changes */
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  o = call(&carol, "POST", path, "{\"lastpass_id\":\"303\",\"approve\":true}",
           200);
  ck_assert_int_eq(n_of(wh_get(o, "apply"), "changes"), 2);
  ck_assert_str_eq(s_of(wh_get(o, "apply"), "question"),
                   "Apply 2 changes to JSON PSA? This changes what "
                   "customers are billed.");
  json_object *a0 = json_object_array_get_idx(wh_get(o, "approvals"), 0);
  ck_assert_str_eq(s_of(a0, "lastpass_id"), "303");
  ck_assert_str_eq(s_of(a0, "approved_by"), "carol");
  json_object_put(o);

  /* a confirmation of what the page said before is stale */
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  o = call(&alice, "POST", path, "{\"changes\":1}", 409);
  ck_assert_str_eq(wh_error_code(o), "conflict");
  ck_assert_ptr_nonnull(
      strstr(s_of(wh_get(o, "error"), "message"), "writes 2 changes"));
  json_object_put(o);
  ck_assert_int_eq(psa_get(NULL), 2);

  /* alice applies what she confirmed */
  o = call(&alice, "POST", path, "{\"changes\":2}", 202);
  j = wh_get(o, "job");
  ck_assert_str_eq(s_of(j, "kind"), "apply");
  ck_assert_int_eq(n_of(j, "changes"), 2);
  json_object_put(o);
  j = wait_job();
  ck_assert_str_eq(s_of(j, "state"), "done");
  ck_assert_int_eq(n_of(wh_get(j, "summary"), "updated"), 2);
  long long run = n_of(j, "run_id");
  ck_assert_int_gt(run, plan_run);
  json_object_put(j);
  ck_assert_int_eq(psa_get("l1"), 14);
  ck_assert_int_eq(psa_get("l3"), 5);
  ck_assert_int_eq(psa_get(NULL), 4);

  /* History: the run names its plan and who approved which change */
  snprintf(path, sizeof path, "/api/v1/runs/%lld", run);
  o = call(&bob, "GET", path, NULL, 200);
  ck_assert_str_eq(s_of(o, "plan_id"), plan);
  ck_assert_str_eq(s_of(o, "mode"), "apply");
  json_object *apps = wh_get(o, "approvals");
  ck_assert_uint_eq(json_object_array_length(apps), 1);
  a0 = json_object_array_get_idx(apps, 0);
  ck_assert_str_eq(s_of(a0, "lastpass_id"), "303");
  ck_assert_str_eq(s_of(a0, "approved_by"), "carol");
  ck_assert_str_eq(s_of(a0, "codes"), "LARGE_INCREASE");
  ck_assert_int_eq(n_of(a0, "old_quantity"), 0);
  ck_assert_int_eq(n_of(a0, "new_quantity"), 5);
  json_object_put(o);
  snprintf(path, sizeof path, "/api/v1/runs/%lld?q=gamma", run);
  o = call(&bob, "GET", path, NULL, 200);
  g = json_object_array_get_idx(wh_get(wh_get(o, "companies"), "items"), 0);
  ck_assert_str_eq(s_of(g, "approved_by"), "carol");
  ck_assert_str_eq(s_of(g, "status"), "updated");
  json_object_put(o);

  /* the plan's fate, and nothing left to write */
  o = call(&bob, "GET", "/api/v1/plans", NULL, 200);
  p0 = json_object_array_get_idx(wh_get(o, "plans"), 0);
  ck_assert_str_eq(s_of(p0, "fate"), "applied");
  ck_assert_int_eq(n_of(p0, "written"), 1);
  ck_assert_int_eq(n_of(p0, "approved"), 1);
  ck_assert_int_eq(n_of(p0, "last_run"), run);
  json_object_put(o);
  o = call(&bob, "GET", "/api/v1/plans/latest?q=acme", NULL, 200);
  ck_assert_int_eq(n_of(wh_get(o, "apply"), "changes"), 0);
  g = json_object_array_get_idx(wh_get(wh_get(o, "companies"), "items"), 0);
  ck_assert_str_eq(s_of(wh_get(g, "line"), "state"), "applied");
  json_object_put(o);
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  o = call(&alice, "POST", path, "{\"changes\":0}", 409);
  ck_assert_ptr_nonnull(
      strstr(s_of(wh_get(o, "error"), "message"), "nothing left to write"));
  json_object_put(o);
  ck_assert_int_eq(psa_get(NULL), 4);

  /* the audit trail, with who did what */
  ck_assert_int_eq(audit_count("plan.make", "alice"), 1);
  ck_assert_int_eq(audit_count("plan.made", "alice"), 1);
  ck_assert_int_eq(audit_count("plan.approve", "carol"), 1);
  ck_assert_int_eq(audit_count("plan.apply", "alice"), 1);
  ck_assert_int_eq(audit_count("plan.applied", "alice"), 1);
}
END_TEST

/* Leaving a company held again: the apply writes only the planned change. */
START_TEST(leave_held) {
  const char *plan = make_plan();
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  json_object_put(call(&alice, "POST", path,
                       "{\"lastpass_id\":\"303\",\"approve\":true}", 200));
  json_object *o = call(&carol, "POST", path,
                        "{\"lastpass_id\":\"303\",\"approve\":false}", 200);
  ck_assert_int_eq(n_of(wh_get(o, "apply"), "changes"), 1);
  ck_assert_uint_eq(json_object_array_length(wh_get(o, "approvals")), 0);
  json_object_put(o);
  ck_assert_int_eq(audit_count("plan.leave", "carol"), 1);
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  json_object_put(call(&alice, "POST", path, "{\"changes\":1}", 202));
  json_object *j = wait_job();
  ck_assert_str_eq(s_of(j, "state"), "done");
  json_object_put(j);
  ck_assert_int_eq(psa_get("l1"), 14);
  ck_assert_int_eq(psa_get("l3"), 0); /* still held */
  o = call(&bob, "GET", "/api/v1/plans", NULL, 200);
  ck_assert_str_eq(
      s_of(json_object_array_get_idx(wh_get(o, "plans"), 0), "fate"),
      "applied");
  json_object_put(o);
}
END_TEST

START_TEST(approvals_refused) {
  const char *plan = make_plan();
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  static const struct {
    const char *body;
    long status;
    const char *code, *says;
  } cases[] = {
      {"{\"lastpass_id\":\"301\",\"approve\":true}", 409, "conflict",
       "no held change"},
      {"{\"lastpass_id\":\"399\",\"approve\":true}", 404, "not_found",
       "no LastPass company 399"},
      {"{\"lastpass_id\":\"303\",\"approve\":\"yes\"}", 400, "bad_request",
       "\"approve\" must be true"},
      {"{\"approve\":true}", 400, "bad_request", "lastpass_id"},
      {"{\"lastpass_id\":303,\"approve\":true}", 400, "bad_request",
       "must be a string"},
      {"[1]", 400, "bad_request", "one JSON object"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_object *o = call(&alice, "POST", path, cases[i].body, cases[i].status);
    ck_assert_str_eq(wh_error_code(o), cases[i].code);
    ck_assert_msg(strstr(s_of(wh_get(o, "error"), "message"), cases[i].says),
                  "case %zu: %s", i, json_object_to_json_string(o));
    json_object_put(o);
  }
  json_object *o =
      call(&alice, "POST", "/api/v1/plans/20261125-120000-000000000000/apply",
           "{\"changes\":1}", 404);
  json_object_put(o);
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  o = call(&alice, "POST", path, "{}", 400);
  ck_assert_ptr_nonnull(
      strstr(s_of(wh_get(o, "error"), "message"), "\"changes\" must be"));
  json_object_put(o);
  o = call(&alice, "POST", path, "{\"changes\":\"1\"}", 400);
  json_object_put(o);
  o = call(&bob, "GET", "/api/v1/plans/latest?view=maybe", NULL, 400);
  json_object_put(o);
  o = call(&bob, "GET", "/api/v1/plans/nothing-like-a-plan", NULL, 404);
  json_object_put(o);
  ck_assert_int_eq(psa_get(NULL), 2);
}
END_TEST

/* A plan made from another mapping file is not applied, and says why. */
START_TEST(stale_plan_refused) {
  const char *plan = make_plan();
  char *map = wh_read(&e, "mapping.csv");
  size_t len = strlen(map);
  char *more = malloc(len + 64);
  snprintf(more, len + 64, "%s# edited after the plan\n", map);
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv", more), 0);
  free(more);
  free(map);
  json_object *o = call(&bob, "GET", "/api/v1/plans/latest", NULL, 200);
  ck_assert(!json_object_get_boolean(wh_get(o, "applicable")));
  ck_assert_msg(strstr(s_of(o, "not_applicable"), "mapping"), "%s",
                s_of(o, "not_applicable"));
  json_object_put(o);
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  o = call(&alice, "POST", path, "{\"changes\":1}", 409);
  ck_assert_ptr_nonnull(
      strstr(s_of(wh_get(o, "error"), "message"), "cannot be applied"));
  json_object_put(o);
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  o = call(&alice, "POST", path, "{\"lastpass_id\":\"303\",\"approve\":true}",
           409);
  json_object_put(o);
  ck_assert_int_eq(psa_get(NULL), 2);
}
END_TEST

/* The job's configuration is today's file: one that no longer loads fails
 * the job with the CLI's own message, and the console goes on. */
START_TEST(job_fails_on_a_bad_configuration) {
  char *conf = wh_read(&e, "lpsa.conf");
  char *host = strstr(conf, "[host]\n");
  ck_assert_ptr_nonnull(host);
  size_t len = strlen(conf);
  char *bad = malloc(len + 64);
  size_t head = (size_t)(host - conf) + strlen("[host]\n");
  memcpy(bad, conf, head);
  snprintf(bad + head, len + 64 - head, "no_such_key = 1\n%s", conf + head);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", bad), 0);
  free(bad);
  json_object_put(call(&alice, "POST", "/api/v1/plans", "{}", 202));
  json_object *j = wait_job();
  ck_assert_str_eq(s_of(j, "state"), "failed");
  ck_assert_msg(strstr(s_of(j, "error"), "lpsa.conf:3") &&
                    strstr(s_of(j, "error"), "no_such_key"),
                "%s", s_of(j, "error"));
  json_object_put(j);
  ck_assert_int_eq(audit_count("plan.failed", "alice"), 1);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", conf), 0);
  free(conf);
  /* the next one works */
  make_plan();
}
END_TEST

/* Under the daemon the jobs run between its scheduled runs, on its main
 * thread. */
START_TEST(daemon_runs_the_jobs) {
  wh_stop(&e);
  wh_start(&e, (const char *const[]){"--daemon", "-v", NULL});
  logins();
  const char *plan = make_plan();
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  json_object_put(call(&carol, "POST", path,
                       "{\"lastpass_id\":\"303\",\"approve\":true}", 200));
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  json_object_put(call(&alice, "POST", path, "{\"changes\":2}", 202));
  json_object *j = wait_job();
  ck_assert_str_eq(s_of(j, "state"), "done");
  json_object_put(j);
  ck_assert_int_eq(psa_get("l1"), 14);
  ck_assert_int_eq(psa_get("l3"), 5);
  ck_assert_int_eq(wh_stop(&e), 0);
}
END_TEST

/* The CLI applies a plan the console made, and the console shows it. */
START_TEST(cli_and_console_share_plans) {
  const char *plan = make_plan();
  char file[512];
  snprintf(file, sizeof file, "state/plans/%s.json", plan);
  hostrun h;
  wh_run_input(&e, "", (const char *const[]){"apply", file, NULL}, &h);
  ck_assert_msg(h.status == 1, "exit %d: %s", h.status, h.err);
  hostrun_free(&h);
  ck_assert_int_eq(psa_get("l1"), 14);
  json_object *o = call(&bob, "GET", "/api/v1/plans", NULL, 200);
  json_object *p0 = json_object_array_get_idx(wh_get(o, "plans"), 0);
  ck_assert_str_eq(s_of(p0, "plan_id"), plan);
  /* every planned change written; Gamma stays held, approvable from here */
  ck_assert_str_eq(s_of(p0, "fate"), "applied");
  ck_assert_int_eq(n_of(p0, "written"), 1);
  ck_assert_int_eq(n_of(p0, "last_run"), n_of(p0, "made_by_run") + 1);
  json_object_put(o);
  o = call(&bob, "GET", "/api/v1/plans/latest", NULL, 200);
  ck_assert_int_eq(n_of(wh_get(o, "apply"), "changes"), 0);
  ck_assert_int_eq(n_of(wh_get(o, "summary"), "approvable"), 1);
  json_object_put(o);
}
END_TEST

/* While the apply writes (jsonpsa waits 700 ms before each write), the job
 * says which phase it is in and how far, and a second job is refused. */
START_TEST(progress_and_one_job_at_a_time) {
  char *conf = wh_read(&e, "lpsa.conf");
  size_t len = strlen(conf);
  char *slow = malloc(len + 64);
  snprintf(slow, len + 64, "%swrite_delay_ms = 700\n", conf);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", slow), 0);
  free(slow);
  free(conf);
  const char *plan = make_plan();
  char path[256];
  snprintf(path, sizeof path, "/api/v1/plans/%s/approvals", plan);
  json_object_put(call(&carol, "POST", path,
                       "{\"lastpass_id\":\"303\",\"approve\":true}", 200));
  snprintf(path, sizeof path, "/api/v1/plans/%s/apply", plan);
  json_object_put(call(&alice, "POST", path, "{\"changes\":2}", 202));
  int writing = 0, refused = 0;
  for (int i = 0; i < 3000; i++) {
    json_object *o = call(&bob, "GET", "/api/v1/job", NULL, 200);
    json_object *j = wh_get(o, "job");
    const char *state = s_of(j, "state");
    int ended = strcmp(state, "done") == 0 || strcmp(state, "failed") == 0;
    json_object *pr = wh_get(j, "progress");
    const char *phase = pr ? s_of(pr, "phase") : NULL;
    if (phase && strcmp(phase, "psa-write") == 0) {
      ck_assert_int_eq(n_of(pr, "total"), 2);
      ck_assert_int_le(n_of(pr, "done"), 2);
      writing = 1;
    }
    if (!ended && !refused) {
      simproc_http_result r;
      long st = wh_call(&e, &alice, NULL, "POST", "/api/v1/plans", "{}", &r);
      json_object *b = wh_json(&r);
      simproc_http_result_free(&r);
      if (st == 409) {
        ck_assert_str_eq(wh_error_code(b), "busy");
        ck_assert_ptr_nonnull(
            strstr(s_of(wh_get(b, "error"), "message"), "asked by alice"));
        refused = 1;
      } else {
        /* only possible when the apply ended in between */
        ck_assert_int_eq(st, 202);
      }
      json_object_put(b);
    }
    json_object_put(o);
    if (ended || (writing && refused))
      break;
    usleep(20000);
  }
  ck_assert_msg(writing, "never saw the write phase");
  ck_assert_msg(refused, "a second job was not refused");
  json_object *j = wait_job();
  ck_assert_str_eq(s_of(j, "kind"), "apply");
  ck_assert_str_eq(s_of(j, "state"), "done");
  ck_assert_ptr_null(wh_get(j, "progress"));
  json_object_put(j);
  ck_assert_int_eq(psa_get("l3"), 5);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_plans");
  TCase *tc = tcase_create("plans");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, make_approve_apply);
  tcase_add_test(tc, leave_held);
  tcase_add_test(tc, approvals_refused);
  tcase_add_test(tc, stale_plan_refused);
  tcase_add_test(tc, job_fails_on_a_bad_configuration);
  tcase_add_test(tc, daemon_runs_the_jobs);
  tcase_add_test(tc, cli_and_console_share_plans);
  tcase_add_test(tc, progress_and_one_job_at_a_time);
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
