/* SPDX-License-Identifier: MIT */
/*
 * test_web_clock.c — the console in process with an injected clock, over
 * HTTP (libcurl): a session ends after session_minutes without a request
 * and lives on while used; a user locked out by failed logins may try
 * again once the window has passed. Time is moved, never waited for.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "log.h"
#include "simproc.h"
#include "web_password.h"
#include "web_server.h"
#include "web_users.h"

static char dir[PATH_MAX];
static time_t now = 1795000000;
static web_server *server;
static lpsa_log *logger;

static time_t clock_fn(void *arg) {
  (void)arg;
  return now;
}

static void setup(void) {
  char *d = test_tmpdir("webclock");
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(realpath(d, dir));
  free(d);
  char users[PATH_MAX + 16], state[PATH_MAX + 16], err[1024];
  snprintf(users, sizeof users, "%s/users", dir);
  snprintf(state, sizeof state, "%s/state", dir);
  web_users u = {0};
  web_user a = {.name = "alice", .role = WEB_ROLE_APPROVER};
  ck_assert_int_eq(web_password_hash("alice password", a.hash, err, sizeof err),
                   0);
  ck_assert_int_eq(web_users_add(&u, &a), 0);
  ck_assert_int_eq(web_users_save(users, &u, err, sizeof err), 0);
  web_users_free(&u);
  logger = log_new(stderr, LPSA_LOG_ERROR);
  web_settings s = {0};
  s.state_dir = state;
  s.users_file = users;
  s.listen = "127.0.0.1:0";
  s.session_minutes = 10;
  s.log = logger;
  s.clock = clock_fn;
  ck_assert_msg(web_server_start(&s, &server, err, sizeof err) == 0, "%s", err);
}

static void teardown(void) {
  web_server_stop(server);
  log_free(logger);
  test_rmtree(dir);
}

static long call(const char *method, const char *path, const char *cookie,
                 const char *body, char *set_cookie, size_t cap) {
  char url[256], hdr[256];
  snprintf(url, sizeof url, "%s%s", web_server_url(server), path);
  const char *headers[3] = {NULL};
  size_t n = 0;
  if (cookie) {
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    headers[n++] = hdr;
  }
  if (body)
    headers[n++] = "Content-Type: application/json";
  simproc_http_result r;
  ck_assert_int_eq(simproc_http(method, url, headers, body, 30000, &r), 0);
  if (set_cookie) {
    set_cookie[0] = '\0';
    if (simproc_http_header(&r, "Set-Cookie", set_cookie, cap) == 0)
      set_cookie[strcspn(set_cookie, ";")] = '\0';
  }
  long st = r.status;
  simproc_http_result_free(&r);
  return st;
}

static long login(const char *password, char *cookie, size_t cap) {
  char body[256];
  snprintf(body, sizeof body, "{\"user\":\"alice\",\"password\":\"%s\"}",
           password);
  return call("POST", "/api/v1/session", NULL, body, cookie, cap);
}

START_TEST(session_idle_expiry) {
  char cookie[256];
  ck_assert_int_eq(login("alice password", cookie, sizeof cookie), 200);
  ck_assert_int_eq(call("GET", "/api/v1/session", cookie, NULL, NULL, 0), 200);
  now += 9 * 60 + 59; /* used just before the limit: it lives on */
  ck_assert_int_eq(call("GET", "/api/v1/session", cookie, NULL, NULL, 0), 200);
  now += 9 * 60 + 59;
  ck_assert_int_eq(call("GET", "/api/v1/overview", cookie, NULL, NULL, 0), 200);
  now += 10 * 60; /* ten idle minutes */
  ck_assert_int_eq(call("GET", "/api/v1/session", cookie, NULL, NULL, 0), 401);
  /* gone for good, not only while idle */
  now -= 60;
  ck_assert_int_eq(call("GET", "/api/v1/session", cookie, NULL, NULL, 0), 401);
}
END_TEST

START_TEST(lockout_ends_with_the_window) {
  char cookie[256];
  for (int i = 0; i < 5; i++) {
    ck_assert_int_eq(login("wrong password", cookie, sizeof cookie), 401);
    now += 60;
  }
  ck_assert_int_eq(login("alice password", cookie, sizeof cookie), 429);
  now += 15 * 60 - 5 * 60; /* the first failure leaves the window */
  ck_assert_int_eq(login("alice password", cookie, sizeof cookie), 200);
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_clock");
  TCase *tc = tcase_create("clock");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, session_idle_expiry);
  tcase_add_test(tc, lockout_ends_with_the_window);
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
