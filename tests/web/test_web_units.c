/* SPDX-License-Identifier: MIT */
/*
 * test_web_units.c — the web console's pieces in process: the listen
 * address and the loopback rule, the [web] section, the users file, the
 * password hashes, sessions and their idle expiry, the CSRF check, the
 * login rate limits (time moved by an injected clock, never waited for),
 * and the embedded page (no inline script or style for the CSP to block).
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "hostrun.h"
#include "listen_addr.h"
#include "web_assets.h"
#include "web_console.h"
#include "web_csrf.h"
#include "web_password.h"
#include "web_random.h"
#include "web_ratelimit.h"
#include "web_session.h"
#include "web_tls.h"
#include "web_users.h"

static time_t fake_now = 1000000;
static time_t fake_clock(void *arg) {
  (void)arg;
  return fake_now;
}

/* --- listen ----------------------------------------------------------------
 */

START_TEST(listen_forms) {
  listen_addr a;
  char err[512];
  ck_assert_int_eq(listen_addr_parse("127.0.0.1:8750", &a, err, sizeof err), 0);
  ck_assert_int_eq(a.family, AF_INET);
  ck_assert_int_eq(a.port, 8750);
  ck_assert(a.loopback);
  ck_assert_int_eq(listen_addr_parse("127.8.9.10:1", &a, err, sizeof err), 0);
  ck_assert(a.loopback);
  ck_assert_int_eq(listen_addr_parse("localhost:80", &a, err, sizeof err), 0);
  ck_assert_str_eq(a.host, "127.0.0.1");
  ck_assert_int_eq(listen_addr_parse("[::1]:8750", &a, err, sizeof err), 0);
  ck_assert_int_eq(a.family, AF_INET6);
  ck_assert(a.loopback);
  ck_assert_int_eq(listen_addr_parse("0.0.0.0:8750", &a, err, sizeof err), 0);
  ck_assert(!a.loopback);
  ck_assert_int_eq(listen_addr_parse("[::]:8750", &a, err, sizeof err), 0);
  ck_assert(!a.loopback);
  ck_assert_int_eq(listen_addr_parse("192.0.2.7:443", &a, err, sizeof err), 0);
  ck_assert(!a.loopback);
  ck_assert_int_eq(listen_addr_parse("127.0.0.1:0", &a, err, sizeof err), 0);
  static const char *const bad[] = {
      "127.0.0.1", "127.0.0.1:", ":8750",     "127.0.0.1:65536",
      "::1:8750",  "[::1]",      "host:8750", "127.0.0.1:80a",
      "[::1]8750", "1.2.3:80"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_msg(listen_addr_parse(bad[i], &a, err, sizeof err) == -1, "%s",
                  bad[i]);
    ck_assert_ptr_nonnull(strstr(err, bad[i]));
    ck_assert_ptr_nonnull(strstr(err, "HOST:PORT"));
  }
}
END_TEST

START_TEST(loopback_or_tls) {
  listen_addr a;
  char err[1024];
  web_tls none = {0}, some = {"-----BEGIN CERTIFICATE-----", "k"};
  ck_assert_int_eq(listen_addr_parse("127.0.0.1:1", &a, err, sizeof err), 0);
  ck_assert_int_eq(web_tls_required(&a, "127.0.0.1:1", &none, err, sizeof err),
                   0);
  ck_assert_int_eq(listen_addr_parse("0.0.0.0:1", &a, err, sizeof err), 0);
  ck_assert_int_eq(web_tls_required(&a, "0.0.0.0:1", &none, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "not a loopback address"));
  ck_assert_ptr_nonnull(strstr(err, "tls_cert and tls_key"));
  ck_assert_int_eq(web_tls_required(&a, "0.0.0.0:1", &some, err, sizeof err),
                   0);
}
END_TEST

/* --- [web] -----------------------------------------------------------------
 */

static char dir[PATH_MAX];

static void tmp_setup(void) {
  char *d = test_tmpdir("webunit");
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(realpath(d, dir));
  free(d);
}

static void tmp_teardown(void) {
  test_rmtree(dir);
}

static int load_conf(const char *text, lpsa_config *cfg, char *err,
                     size_t errlen) {
  char full[4096];
  snprintf(full, sizeof full,
           "[host]\nstate_dir = st\n[lastpass]\napi_key = env:WEB_UNIT_KEY\n%s",
           text);
  ck_assert_int_eq(test_write_file(dir, "lpsa.conf", full), 0);
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/lpsa.conf", dir);
  chmod(path, 0600);
  setenv("WEB_UNIT_KEY", "lpkey_unit", 1);
  return config_load_flags(path, NULL, CONFIG_LOAD_NO_SECRETS, cfg, err,
                           errlen);
}

START_TEST(web_section) {
  lpsa_config cfg;
  char err[4096];
  ck_assert_int_eq(load_conf("", &cfg, err, sizeof err), 0);
  ck_assert_int_eq(cfg.web_configured, 0);
  ck_assert_str_eq(cfg.web_listen, "127.0.0.1:8750");
  ck_assert_int_eq(cfg.web_session_minutes, 30);
  char want[PATH_MAX + 32];
  snprintf(want, sizeof want, "%s/st/web-users", dir);
  ck_assert_str_eq(cfg.web_users_file, want);
  ck_assert_ptr_null(cfg.web_tls_cert);
  config_free(&cfg);

  ck_assert_int_eq(test_write_file(dir, "c.pem", "x"), 0);
  ck_assert_int_eq(test_write_file(dir, "k.pem", "x"), 0);
  ck_assert_int_eq(load_conf("[web]\nlisten = [::1]:9000\nusers_file = u\n"
                             "tls_cert = c.pem\ntls_key = k.pem\n"
                             "session_minutes = 5\n",
                             &cfg, err, sizeof err),
                   0);
  ck_assert_int_eq(cfg.web_configured, 1);
  ck_assert_str_eq(cfg.web_listen, "[::1]:9000");
  snprintf(want, sizeof want, "%s/u", dir);
  ck_assert_str_eq(cfg.web_users_file, want);
  snprintf(want, sizeof want, "%s/c.pem", dir);
  ck_assert_str_eq(cfg.web_tls_cert, want);
  ck_assert_int_eq(cfg.web_session_minutes, 5);
  config_free(&cfg);

  /* an empty [web] section turns the console on with the defaults */
  ck_assert_int_eq(load_conf("[web]\n", &cfg, err, sizeof err), 0);
  ck_assert_int_eq(cfg.web_configured, 1);
  config_free(&cfg);

  static const struct {
    const char *text, *says;
  } bad[] = {
      {"[web]\nlisten = 127.0.0.1\n", "lpsa.conf:6: listen = 127.0.0.1: no "
                                      "HOST:PORT"},
      {"[web]\nsession_minutes = 0\n", "lpsa.conf:6: session_minutes must be "
                                       "a whole number from 1 to 1440"},
      {"[web]\ntls_cert = c.pem\n", "needs both tls_cert and tls_key"},
      {"[web]\ntls_key = nope.pem\ntls_cert = c.pem\n",
       "tls_key = nope.pem: cannot read"},
      {"[web]\nlisen = 127.0.0.1:1\n", "unknown key \"lisen\" in [web]; did "
                                       "you mean \"listen\"?"},
      {"[web]\nschedule = daily 02:00\n",
       "\"schedule\" belongs in [host], not [web]; move it"},
      {"[host]\nlisten = 127.0.0.1:1\n",
       "\"listen\" belongs in [web], not [host]; move it"},
      {"[wbe]\n", "unknown section [wbe]; did you mean [web]?"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_int_eq(load_conf(bad[i].text, &cfg, err, sizeof err), -1);
    ck_assert_msg(strstr(err, bad[i].says), "case %zu: %s", i, err);
  }
}
END_TEST

/* --- users, passwords ------------------------------------------------------
 */

START_TEST(users_file_round_trip) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s/users", dir);
  web_users u;
  int missing;
  char err[1024];
  ck_assert_int_eq(web_users_load(path, &u, &missing, err, sizeof err), 0);
  ck_assert_int_eq(missing, 1);
  ck_assert_uint_eq(u.n, 0);
  web_user a = {.role = WEB_ROLE_APPROVER}, b = {.role = WEB_ROLE_VIEWER};
  snprintf(a.name, sizeof a.name, "alice");
  snprintf(b.name, sizeof b.name, "bob.smith@msp");
  ck_assert_int_eq(web_password_hash("alice password", a.hash, err, sizeof err),
                   0);
  ck_assert_int_eq(web_password_hash("bob password!", b.hash, err, sizeof err),
                   0);
  ck_assert_int_eq(web_users_add(&u, &a), 0);
  ck_assert_int_eq(web_users_add(&u, &b), 0);
  ck_assert_int_eq(web_users_save(path, &u, err, sizeof err), 0);
  web_users_free(&u);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_eq(web_users_load(path, &u, &missing, err, sizeof err), 0);
  ck_assert_int_eq(missing, 0);
  ck_assert_uint_eq(u.n, 2);
  web_user *w = web_users_find(&u, "bob.smith@msp");
  ck_assert_ptr_nonnull(w);
  ck_assert_int_eq(w->role, WEB_ROLE_VIEWER);
  ck_assert(web_password_verify(w->hash, "bob password!"));
  ck_assert(!web_password_verify(w->hash, "bob password?"));
  ck_assert_int_eq(web_users_remove(&u, "alice"), 0);
  ck_assert_int_eq(web_users_remove(&u, "alice"), -1);
  ck_assert_uint_eq(u.n, 1);
  web_users_free(&u);
  /* group or others may read it: refused, saying what to run */
  chmod(path, 0640);
  ck_assert_int_eq(web_users_load(path, &u, NULL, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
}
END_TEST

START_TEST(users_file_errors) {
  static const struct {
    const char *text, *says;
  } bad[] = {
      {"# x\nalice\n", "users:2: the line is not NAME:ROLE:HASH"},
      {"al ice:viewer:$argon2id$x\n", "users:1: the line has a user name"},
      {"alice:admin:$argon2id$x\n", "neither viewer nor approver"},
      {"alice:viewer:plain\n", "has no argon2id hash"},
      {"alice:viewer:$argon2id$x\nalice:approver:$argon2id$y\n",
       "users:2: user alice appears twice"},
  };
  char path[PATH_MAX + 16], err[1024];
  snprintf(path, sizeof path, "%s/users", dir);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ck_assert_int_eq(test_write_file(dir, "users", bad[i].text), 0);
    chmod(path, 0600);
    web_users u;
    ck_assert_int_eq(web_users_load(path, &u, NULL, err, sizeof err), -1);
    ck_assert_msg(strstr(err, bad[i].says), "case %zu: %s", i, err);
  }
  ck_assert(web_user_name_valid("a"));
  ck_assert(!web_user_name_valid(""));
  ck_assert(!web_user_name_valid("a:b"));
  ck_assert(!web_user_name_valid("a b"));
}
END_TEST

START_TEST(password_rules) {
  char err[256], hash[WEB_HASH_MAX];
  ck_assert_int_eq(web_password_acceptable("short", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "shorter than 10"));
  ck_assert_int_eq(web_password_acceptable("long enough\x01", err, sizeof err),
                   -1);
  ck_assert_int_eq(web_password_acceptable("long enough", err, sizeof err), 0);
  ck_assert_int_eq(web_password_hash("long enough", hash, err, sizeof err), 0);
  ck_assert_int_eq(strncmp(hash, "$argon2id$", 10), 0);
  char again[WEB_HASH_MAX];
  ck_assert_int_eq(web_password_hash("long enough", again, err, sizeof err), 0);
  ck_assert_str_ne(hash, again); /* salted */
  ck_assert(web_password_verify(again, "long enough"));
  ck_assert(!web_password_verify("$argon2i$v=19$...", "long enough"));
  ck_assert(!web_password_verify("garbage", "long enough"));
}
END_TEST

/* --- sessions, CSRF --------------------------------------------------------
 */

START_TEST(sessions_expire_when_idle) {
  ck_assert_int_eq(web_crypto_init(), 0);
  web_sessions *s = web_sessions_new(30, fake_clock, NULL);
  web_user u = {.name = "alice", .role = WEB_ROLE_APPROVER, .hash = "h"};
  web_session a, b, got;
  ck_assert_int_eq(web_sessions_create(s, &u, &a), 0);
  ck_assert_int_eq(web_sessions_create(s, &u, &b), 0);
  ck_assert_str_ne(a.id, b.id);
  ck_assert_str_ne(a.id, a.csrf);
  ck_assert_uint_eq(strlen(a.id), 64);
  fake_now += 29 * 60 + 59;
  ck_assert_int_eq(web_sessions_lookup(s, a.id, &got), 1); /* touched */
  ck_assert_str_eq(got.user, "alice");
  fake_now += 60; /* b idle 30:59, a idle 1:00 */
  ck_assert_int_eq(web_sessions_lookup(s, b.id, &got), 0);
  ck_assert_int_eq(web_sessions_lookup(s, a.id, &got), 1);
  fake_now += 30 * 60; /* exactly the idle limit */
  ck_assert_int_eq(web_sessions_lookup(s, a.id, &got), 0);
  ck_assert_int_eq(web_sessions_count(s), 0);
  ck_assert_int_eq(web_sessions_lookup(s, "nope", &got), 0);
  ck_assert_int_eq(web_sessions_lookup(s, NULL, &got), 0);
  web_sessions_free(s);
}
END_TEST

START_TEST(sessions_bounded) {
  web_sessions *s = web_sessions_new(30, fake_clock, NULL);
  web_user u = {.name = "bob", .role = WEB_ROLE_VIEWER, .hash = "h"};
  web_session first, x;
  ck_assert_int_eq(web_sessions_create(s, &u, &first), 0);
  for (int i = 0; i < WEB_SESSIONS_MAX; i++) {
    fake_now++;
    ck_assert_int_eq(web_sessions_create(s, &u, &x), 0);
  }
  ck_assert_int_eq(web_sessions_count(s), WEB_SESSIONS_MAX);
  ck_assert_int_eq(web_sessions_lookup(s, first.id, &x), 0); /* evicted */
  web_sessions_free(s);
}
END_TEST

START_TEST(csrf_rule) {
  ck_assert(web_csrf_needed("POST"));
  ck_assert(web_csrf_needed("PUT"));
  ck_assert(web_csrf_needed("PATCH"));
  ck_assert(web_csrf_needed("DELETE"));
  ck_assert(!web_csrf_needed("GET"));
  ck_assert(!web_csrf_needed("HEAD"));
  web_session s;
  memset(&s, 0, sizeof s);
  web_random_token(s.csrf);
  ck_assert(web_csrf_valid(&s, s.csrf));
  ck_assert(!web_csrf_valid(&s, NULL));
  ck_assert(!web_csrf_valid(&s, ""));
  char other[WEB_TOKEN_LEN + 1];
  memcpy(other, s.csrf, sizeof other);
  other[0] = other[0] == 'a' ? 'b' : 'a';
  ck_assert(!web_csrf_valid(&s, other));
  other[WEB_TOKEN_LEN - 1] = '\0';
  ck_assert(!web_csrf_valid(&s, other));
}
END_TEST

/* --- rate limits -----------------------------------------------------------
 */

START_TEST(ratelimit_window) {
  web_ratelimit *r = web_ratelimit_new(5, 900, fake_clock, NULL);
  int retry = 0;
  for (int i = 0; i < 4; i++) {
    web_ratelimit_fail(r, "user alice");
    fake_now += 10;
  }
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 0);
  web_ratelimit_fail(r, "user alice"); /* the fifth, at t0 + 40 */
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 1);
  ck_assert_int_eq(retry, 900 - 40);
  ck_assert_int_eq(web_ratelimit_blocked(r, "user bob", &retry), 0);
  fake_now += 900 - 40 - 1;
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 1);
  ck_assert_int_eq(retry, 1);
  fake_now += 1; /* the first failure left the window */
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 0);
  web_ratelimit_fail(r, "user alice");
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 1);
  web_ratelimit_clear(r, "user alice");
  ck_assert_int_eq(web_ratelimit_blocked(r, "user alice", &retry), 0);
  /* a flood of keys does not grow it without bound */
  char key[32];
  for (int i = 0; i < WEB_RATELIMIT_KEYS * 2; i++) {
    snprintf(key, sizeof key, "address 10.0.%d.%d", i / 256, i % 256);
    web_ratelimit_fail(r, key);
  }
  web_ratelimit_free(r);
}
END_TEST

/* --- the page --------------------------------------------------------------
 */

START_TEST(assets_embedded) {
  const web_asset *index = web_asset_find("/");
  ck_assert_ptr_nonnull(index);
  ck_assert_ptr_eq(index, web_asset_find("/index.html"));
  ck_assert_ptr_nonnull(strstr(index->content_type, "text/html"));
  const char *html = (const char *)index->data;
  ck_assert_uint_eq(strlen(html), index->len);
  ck_assert_ptr_nonnull(web_asset_find("/app.js"));
  ck_assert_ptr_nonnull(web_asset_find("/app.css"));
  ck_assert_ptr_null(web_asset_find("/../etc/passwd"));
  ck_assert_ptr_null(web_asset_find("/missing.js"));
  /* the CSP allows no inline code: every script has a src, no style= or
   * on...= attribute, and nothing is loaded from elsewhere */
  for (const char *p = html; (p = strstr(p, "<script")); p++)
    ck_assert_msg(strncmp(p, "<script src=\"/", 14) == 0, "%.40s", p);
  ck_assert_ptr_null(strstr(html, "style="));
  ck_assert_ptr_null(strstr(html, " onclick"));
  ck_assert_ptr_null(strstr(html, "<style"));
  for (size_t i = 0; i < web_assets_count; i++) {
    const char *text = (const char *)web_assets[i].data;
    ck_assert_msg(!strstr(text, "http://") && !strstr(text, "https://"),
                  "%s names a remote address", web_assets[i].path);
    ck_assert_msg(!strstr(text, "innerHTML"), "%s uses innerHTML",
                  web_assets[i].path);
  }
}
END_TEST

static int wakes;
static void count_wake(void *arg) {
  (void)arg;
  wakes++;
}

/* One job at a time; a console without a main thread to run them says so;
 * an apply on a --dry-run process fails without running. */
START_TEST(job_one_at_a_time) {
  web_console c;
  memset(&c, 0, sizeof c);
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&c.lock, &attr);
  pthread_mutexattr_destroy(&attr);
  int status = 0;
  char err[512];
  ck_assert_int_eq(web_job_queue(&c, WEB_JOB_PLAN, "alice", "127.0.0.1", NULL,
                                 NULL, NULL, NULL, 0, 0, &status, err,
                                 sizeof err),
                   -1);
  ck_assert_int_eq(status, 503);
  ck_assert_ptr_nonnull(strstr(err, "lpsa-host plan"));
  ck_assert_ptr_null(web_job_json(&c));
  c.wake = count_wake;
  wakes = 0;
  ck_assert_int_eq(web_job_queue(&c, WEB_JOB_PLAN, "alice", "127.0.0.1", NULL,
                                 NULL, NULL, NULL, 0, 0, &status, err,
                                 sizeof err),
                   0);
  ck_assert_int_eq(wakes, 1);
  ck_assert_int_eq(web_job_pending(&c), 1);
  const char *ids[] = {"303"}, *by[] = {"carol"};
  ck_assert_int_eq(web_job_queue(&c, WEB_JOB_APPLY, "bob", "127.0.0.1", "p1",
                                 "/p1.json", ids, by, 1, 2, &status, err,
                                 sizeof err),
                   -1);
  ck_assert_int_eq(status, 409);
  ck_assert_ptr_nonnull(strstr(err, "a plan (job 1, asked by alice) is "
                                    "waiting to start"));
  ck_assert_int_eq(wakes, 1);
  web_job_refuse(&c, "lpsa.conf:3: no_such_key is not a key of [host]");
  ck_assert_int_eq(web_job_pending(&c), 0);
  json_object *j = web_job_json(&c);
  ck_assert_str_eq(json_object_get_string(json_object_object_get(j, "state")),
                   "failed");
  ck_assert_ptr_nonnull(
      strstr(json_object_get_string(json_object_object_get(j, "error")),
             "lpsa.conf:3"));
  json_object_put(j);
  /* the next job is taken; an apply with --dry-run on the command line
   * never runs */
  ck_assert_int_eq(web_job_queue(&c, WEB_JOB_APPLY, "bob", "127.0.0.1", "p1",
                                 "/p1.json", ids, by, 1, 2, &status, err,
                                 sizeof err),
                   0);
  sync_settings base;
  memset(&base, 0, sizeof base);
  base.dry_run = 1;
  sync_report out;
  ck_assert_int_eq(web_job_run(&c, &base, &out), WEB_JOB_APPLY);
  ck_assert_int_eq(out.run_id, 0);
  j = web_job_json(&c);
  ck_assert_str_eq(json_object_get_string(json_object_object_get(j, "state")),
                   "failed");
  ck_assert_int_eq(json_object_get_int(json_object_object_get(j, "id")), 2);
  ck_assert_ptr_nonnull(strstr(
      json_object_get_string(json_object_object_get(j, "error")), "--dry-run"));
  json_object *a =
      json_object_array_get_idx(json_object_object_get(j, "approvals"), 0);
  ck_assert_str_eq(
      json_object_get_string(json_object_object_get(a, "approved_by")),
      "carol");
  json_object_put(j);
  /* nothing queued: nothing to run */
  ck_assert_int_eq(web_job_run(&c, &base, &out), 0);
  web_job_free(&c.job);
  pthread_mutex_destroy(&c.lock);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_units");
  TCase *tc = tcase_create("units");
  tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, listen_forms);
  tcase_add_test(tc, loopback_or_tls);
  tcase_add_test(tc, web_section);
  tcase_add_test(tc, users_file_round_trip);
  tcase_add_test(tc, users_file_errors);
  tcase_add_test(tc, password_rules);
  tcase_add_test(tc, sessions_expire_when_idle);
  tcase_add_test(tc, sessions_bounded);
  tcase_add_test(tc, csrf_rule);
  tcase_add_test(tc, ratelimit_window);
  tcase_add_test(tc, assets_embedded);
  tcase_add_test(tc, job_one_at_a_time);
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
