/* SPDX-License-Identifier: MIT */
/*
 * test_web_secrets.c — no secret of the configuration ever reaches the web
 * console's output. The LastPass key (env:), an SMTP password (a literal in
 * the 0600 configuration) and a webhook URL (file:) all carry the marker
 * "S3cr3t"; the console is driven through every endpoint, both roles,
 * every kind of error (bad input, conflicts, refusals, a failing map
 * suggest), and every answer — bodies and headers, JSON and page — is
 * searched for each secret raw, percent-encoded and base64-encoded, and
 * for the marker in any case. The users' password hashes and the session
 * ids must not show up in answers other than the login's own cookie
 * either, nor in the audit trail.
 */
#define _GNU_SOURCE /* strcasestr */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "web_harness.h"

#define MARK "S3cr3t"
#define LP_KEY "lpkey-" MARK "-web-0a1b"
#define SMTP_PW "smtp-" MARK "-pw-77"
#define HOOK "https://hooks.example/" MARK "/token-42"

static web_env e;
static char *secrets[16];
static size_t n_secrets;

static void base64(const char *in, char *out, size_t cap) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(in), o = 0;
  const unsigned char *p = (const unsigned char *)in;
  for (size_t i = 0; i < n && o + 5 < cap; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    out[o++] = tab[(v >> 18) & 63];
    out[o++] = tab[(v >> 12) & 63];
    out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? tab[v & 63] : '=';
  }
  out[o] = '\0';
}

static void percent(const char *in, char *out, size_t cap) {
  size_t o = 0;
  for (; *in && o + 4 < cap; in++) {
    if (isalnum((unsigned char)*in) || strchr("-._~", *in))
      out[o++] = *in;
    else
      o += (size_t)snprintf(out + o, cap - o, "%%%02X", (unsigned char)*in);
  }
  out[o] = '\0';
}

static void forms_of(const char *s) {
  char b[256], p[256];
  base64(s, b, sizeof b);
  percent(s, p, sizeof p);
  secrets[n_secrets++] = strdup(s);
  secrets[n_secrets++] = strdup(b);
  secrets[n_secrets++] = strdup(p);
}

static void setup(void) {
  static const char *const files[] = {"hook.url", HOOK "\n", NULL};
  wh_setup_with(&e, "websec", NULL, LP_KEY,
                "smtp_username = lpsa\n"
                "smtp_password = " SMTP_PW "\n"
                "notify_webhook = file:hook.url\n"
                "notify_on = never",
                NULL, files);
  forms_of(LP_KEY);
  forms_of(SMTP_PW);
  forms_of(HOOK);
  wh_start(&e, (const char *const[]){"serve", "-vv", NULL});
}

static void teardown(void) {
  wh_teardown(&e);
  for (size_t i = 0; i < n_secrets; i++)
    free(secrets[i]);
  n_secrets = 0;
}

static char *hashes[4];

static void clean(const char *where, const char *text) {
  if (!text)
    return;
  for (size_t i = 0; i < n_secrets; i++)
    ck_assert_msg(!strstr(text, secrets[i]), "%s shows %s:\n%s", where,
                  secrets[i], text);
  ck_assert_msg(!strcasestr(text, MARK), "%s shows the marker:\n%s", where,
                text);
  for (size_t i = 0; hashes[i]; i++)
    ck_assert_msg(!strstr(text, hashes[i]), "%s shows a password hash", where);
}

static void call(const web_login *who, const char *method, const char *path,
                 const char *body) {
  simproc_http_result r;
  wh_call(&e, who, NULL, method, path, body, &r);
  char where[256];
  snprintf(where, sizeof where, "%s %s (%ld)", method, path, r.status);
  clean(where, r.body);
  clean(where, r.headers);
  simproc_http_result_free(&r);
}

/* Poll GET /api/v1/job until the plan or apply job ends, each answer
 * checked. */
static void wait_for_job(const web_login *who) {
  for (int i = 0; i < 3000; i++) {
    simproc_http_result r;
    wh_call(&e, who, NULL, "GET", "/api/v1/job", NULL, &r);
    clean("GET /api/v1/job", r.body);
    json_object *o = wh_json(&r);
    simproc_http_result_free(&r);
    const char *state =
        json_object_get_string(wh_get(wh_get(o, "job"), "state"));
    int busy = strcmp(state, "queued") == 0 || strcmp(state, "running") == 0;
    json_object_put(o);
    if (!busy)
      return;
    usleep(20000);
  }
  ck_abort_msg("the console's job did not end");
}

START_TEST(nothing_secret_in_any_answer) {
  /* the hashes from the users file */
  char *users = wh_read(&e, "state/web-users");
  ck_assert_ptr_nonnull(users);
  size_t nh = 0;
  for (char *line = strtok(users, "\n"); line && nh < 3;
       line = strtok(NULL, "\n"))
    if (line[0] != '#')
      hashes[nh++] = strdup(strrchr(line, ':') + 1);
  free(users);
  ck_assert_uint_eq(nh, 2);

  web_login alice, bob;
  ck_assert_int_eq(wh_login(&e, WH_ALICE, WH_ALICE_PW, &alice), 200);
  ck_assert_int_eq(wh_login(&e, WH_BOB, WH_BOB_PW, &bob), 200);
  /* a person pasted the key into a note: the console still does not show
   * it (every answer is redacted against the configuration's secrets) */
  simproc_http_result r;
  wh_call(&e, &alice, NULL, "GET", "/api/v1/mapping", NULL, &r);
  json_object *m = wh_json(&r);
  simproc_http_result_free(&r);
  char body[1024];
  snprintf(body, sizeof body,
           "{\"lastpass_company_id\":\"305\",\"psa_company_id\":\"c5\","
           "\"note\":\"key " LP_KEY "\",\"version\":\"%s\"}",
           json_object_get_string(wh_get(m, "version")));
  json_object_put(m);
  call(&alice, "POST", "/api/v1/mapping/rows", body);
  call(&alice, "POST", "/api/v1/acks",
       "{\"lastpass_id\":\"304\",\"code\":\"PSA_COMPANY_NOT_FOUND\","
       "\"note\":\"key " LP_KEY "\"}");
  /* a plan made from the console (the job's answers and its plan) */
  call(&alice, "POST", "/api/v1/plans", "{}");
  wait_for_job(&alice);
  const web_login *who[] = {NULL, &bob, &alice};
  static const char *const gets[] = {
      "/",
      "/app.js",
      "/app.css",
      "/api/v1/session",
      "/api/v1/overview",
      "/api/v1/runs",
      "/api/v1/runs/1",
      "/api/v1/runs/2",
      "/api/v1/runs/2?status=error",
      "/api/v1/companies/301",
      "/api/v1/companies/305",
      "/api/v1/mapping",
      "/api/v1/mapping?view=unmapped",
      "/api/v1/mapping/backups",
      "/api/v1/mapping/suggestions",
      "/api/v1/audit",
      "/api/v1/acks",
      "/api/v1/acks?q=delta",
      "/api/v1/plans",
      "/api/v1/plans/latest",
      "/api/v1/plans/latest?view=errors",
      "/api/v1/plans/latest?view=held&q=gamma",
      "/api/v1/plans/no-such-plan",
      "/api/v1/job",
      "/api/v1/nothing",
      "/api/v1/runs?from=bad",
  };
  for (size_t w = 0; w < 3; w++)
    for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++)
      call(who[w], "GET", gets[i], NULL);
  /* errors of every kind */
  call(&alice, "PUT", "/api/v1/mapping/rows/301",
       "{\"psa_company_id\":\"c2\",\"version\":\"stale\"}");
  call(&alice, "POST", "/api/v1/mapping/rows", "{\"x\":");
  call(&bob, "POST", "/api/v1/mapping/rows", "{}");
  call(&alice, "DELETE", "/api/v1/mapping/rows/999", "{\"version\":\"v\"}");
  call(&alice, "POST", "/api/v1/acks",
       "{\"lastpass_id\":\"" LP_KEY "\",\"code\":\"X\"}");
  call(&alice, "DELETE", "/api/v1/acks",
       "{\"lastpass_id\":\"304\",\"code\":\"" LP_KEY "\"}");
  call(NULL, "POST", "/api/v1/session",
       "{\"user\":\"alice\",\"password\":\"" LP_KEY "\"}");
  /* map suggest fails (the PSA file is gone): its error is shown */
  char cmd[1024];
  snprintf(cmd, sizeof cmd, "mv %s/psa.json %s/psa.away", e.dir, e.dir);
  ck_assert_int_eq(system(cmd), 0);
  call(&alice, "POST", "/api/v1/mapping/suggestions", "{}");
  for (int i = 0; i < 3000; i++) {
    wh_call(&e, &alice, NULL, "GET", "/api/v1/mapping/suggestions", NULL, &r);
    clean("suggestions", r.body);
    int running = r.body && strstr(r.body, "\"running\"");
    simproc_http_result_free(&r);
    if (!running)
      break;
    usleep(20000);
  }
  wh_call(&e, &alice, NULL, "GET", "/api/v1/mapping/suggestions", NULL, &r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"failed\""));
  simproc_http_result_free(&r);
  /* and so does a plan job: its error is shown, nothing secret in it */
  call(&alice, "POST", "/api/v1/plans", "{}");
  wait_for_job(&alice);
  wh_call(&e, &alice, NULL, "GET", "/api/v1/job", NULL, &r);
  ck_assert_msg(strstr(r.body, "cannot read"), "%s", r.body);
  simproc_http_result_free(&r);
  call(&alice, "POST", "/api/v1/plans/latest/approvals",
       "{\"lastpass_id\":\"" LP_KEY "\",\"approve\":true}");
  call(&alice, "POST", "/api/v1/plans/latest/apply", "{\"changes\":99}");
  call(&alice, "DELETE", "/api/v1/session", NULL);
  /* the audit trail holds no session id, hash or secret */
  wh_call(&e, &bob, NULL, "GET", "/api/v1/audit?per_page=200", NULL, &r);
  clean("audit", r.body);
  ck_assert_ptr_null(strstr(r.body, strchr(alice.cookie, '=') + 1));
  ck_assert_ptr_null(strstr(r.body, alice.csrf));
  simproc_http_result_free(&r);
  /* and the console's own log, at debug level */
  char *log = wh_read(&e, "host.err");
  clean("the console's log", log);
  free(log);
  for (size_t i = 0; hashes[i]; i++) {
    free(hashes[i]);
    hashes[i] = NULL;
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_secrets");
  TCase *tc = tcase_create("secrets");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, nothing_secret_in_any_answer);
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
