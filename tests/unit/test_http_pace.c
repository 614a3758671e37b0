/* SPDX-License-Identifier: MIT */
/*
 * test_http_pace.c — lpsa_host_api.http_pace through the host's table and
 * transport, against the scriptable loopback server: a paced group never
 * sends more than its budget per window (http and http_many), and a 429
 * holds the group for the back-off before its next send, retry or not.
 * Every timing assertion is a lower bound the pacing guarantees, so a busy
 * machine cannot make it fail (less 1 ms: the pacer counts whole ms).
 */
#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_api.h"
#include "http.h"
#include "test_server.h"

static test_server *srv;
static lpsa_log *logger;
static http_client *client;
static lpsa_host host;
static const lpsa_host_api *api;

static void setup(void) {
  srv = ts_start();
  ck_assert_ptr_nonnull(srv);
  logger = log_new(NULL, LPSA_LOG_ERROR);
  http_options o;
  http_options_default(&o);
  o.max_retries = 2;
  o.backoff_base_ms = 5;
  o.backoff_max_ms = 2000;
  client = http_client_new(&o, logger);
  ck_assert_ptr_nonnull(client);
  host_init(&host, logger, client);
  api = host_api();
  ck_assert(LPSA_HOST_HAS(api, http_pace));
}

static void teardown(void) {
  http_client_free(client);
  log_free(logger);
  ts_stop(srv);
}

static long ms_between(struct timespec a, struct timespec b) {
  return (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
}

static struct timespec now_mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t;
}

static void pace_retrying(const char *group, unsigned max, long window,
                          long backoff, unsigned retries) {
  lpsa_http_pace p = LPSA_INIT(lpsa_http_pace);
  p.group = group;
  p.max_requests = max;
  p.window_ms = window;
  p.backoff_ms = backoff;
  p.retries_429 = retries;
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_OK);
}

static void pace(const char *group, unsigned max, long window, long backoff) {
  pace_retrying(group, max, window, backoff, 0);
}

static lpsa_http_request get(const char *path, const char *group) {
  static char urls[16][256];
  static int next;
  char *u = urls[next++ % 16];
  snprintf(u, 256, "%s%s", ts_url(srv), path);
  lpsa_http_request r = {
      .size = sizeof r, .method = "GET", .url = u, .group = group};
  return r;
}

static void answer_ok(void) {
  ts_response ok = {.status = 200, .body = "{}"};
  ck_assert_int_eq(ts_set_default(srv, &ok), 0);
}

START_TEST(many_stays_within_the_budget) {
  answer_ok();
  pace("psa", 3, 300, 0);
  lpsa_http_request reqs[7];
  lpsa_http_response resps[7];
  for (int i = 0; i < 7; i++)
    reqs[i] = get("/x", "psa");
  struct timespec t0 = now_mono();
  ck_assert_int_eq(api->http_many(&host, reqs, resps, 7), LPSA_OK);
  long elapsed = ms_between(t0, now_mono());
  for (int i = 0; i < 7; i++) {
    ck_assert_int_eq(resps[i].status, 200);
    api->http_release(&host, &resps[i]);
  }
  /* Sends 4-6 wait for sends 1-3 to leave the window, send 7 for send 4. */
  ck_assert_msg(elapsed >= 599, "7 requests at 3 per 300 ms took %ld ms",
                elapsed);
  ck_assert_int_eq(ts_request_count(srv), 7);
}
END_TEST

START_TEST(single_requests_stay_within_the_budget) {
  answer_ok();
  pace("psa", 2, 200, 0);
  struct timespec t0 = now_mono();
  for (int i = 0; i < 3; i++) {
    lpsa_http_request r = get("/y", "psa");
    lpsa_http_response resp;
    ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
    ck_assert_int_eq(resp.status, 200);
    api->http_release(&host, &resp);
  }
  long elapsed = ms_between(t0, now_mono());
  ck_assert_msg(elapsed >= 199, "3 requests at 2 per 200 ms took %ld ms",
                elapsed);
}
END_TEST

START_TEST(a_429_holds_the_whole_group) {
  pace("psa", 100, 60000, 250);
  ts_response limited = {.status = 429, .body = "Rate Limit Reached"};
  ck_assert_int_eq(ts_push(srv, "GET", "/first", &limited), 0);
  answer_ok();
  lpsa_http_request r = get("/first", "psa");
  r.flags = LPSA_HTTP_NO_RETRY;
  lpsa_http_response resp;
  ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 429);
  api->http_release(&host, &resp);
  /* Another request of the group waits out the hold. */
  r = get("/second", "psa");
  ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  api->http_release(&host, &resp);
  ck_assert_int_eq(ts_request_count(srv), 2);
  long gap = ms_between(ts_request_at(srv, 0)->answered,
                        ts_request_at(srv, 1)->arrived);
  ck_assert_msg(gap >= 249, "the next request came %ld ms after the 429", gap);
}
END_TEST

START_TEST(a_retried_429_waits_the_paced_back_off) {
  pace("psa", 100, 60000, 300);
  ts_response limited = {.status = 429, .body = "Rate Limit Reached"};
  ck_assert_int_eq(ts_push(srv, "GET", "/z", &limited), 0);
  answer_ok();
  lpsa_http_request r = get("/z", "psa");
  lpsa_http_response resp;
  ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_int_eq(resp.attempts, 2);
  api->http_release(&host, &resp);
  /* The transport's own back-off here is 5 ms; the pace asks for 300. */
  long gap = ms_between(ts_request_at(srv, 0)->answered,
                        ts_request_at(srv, 1)->arrived);
  ck_assert_msg(gap >= 299, "retried %ld ms after the 429", gap);
}
END_TEST

START_TEST(many_holds_the_group_after_a_429) {
  pace("psa", 100, 60000, 250);
  ts_response limited = {.status = 429, .body = "Rate Limit Reached"};
  ck_assert_int_eq(ts_push(srv, "GET", "/a", &limited), 0);
  answer_ok();
  lpsa_http_request reqs[3] = {get("/a", "psa"), get("/b", "psa"),
                               get("/c", "psa")};
  /* One at a time, so /b and /c are still queued when /a is throttled. */
  for (int i = 0; i < 3; i++)
    reqs[i].group_limit = 1;
  lpsa_http_response resps[3];
  ck_assert_int_eq(api->http_many(&host, reqs, resps, 3), LPSA_OK);
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(resps[i].status, 200);
    api->http_release(&host, &resps[i]);
  }
  ck_assert_int_eq(ts_request_count(srv), 4);
  const ts_request *first = ts_request_at(srv, 0);
  ck_assert_str_eq(first->target, "/a");
  for (size_t i = 1; i < 4; i++) {
    long gap = ms_between(first->answered, ts_request_at(srv, i)->arrived);
    ck_assert_msg(gap >= 249, "%s was sent %ld ms after the 429",
                  ts_request_at(srv, i)->target, gap);
  }
}
END_TEST

/* The client retries twice; the pace asks for six retries of a 429. */
START_TEST(a_429_is_retried_as_often_as_the_pace_says) {
  pace_retrying("psa", 100, 60000, 1, 6);
  ts_response limited = {.status = 429, .body = "Rate Limit Reached"};
  for (int i = 0; i < 5; i++)
    ck_assert_int_eq(ts_push(srv, "GET", "/r", &limited), 0);
  answer_ok();
  lpsa_http_request r = get("/r", "psa");
  lpsa_http_response resp;
  ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_int_eq(resp.attempts, 6);
  api->http_release(&host, &resp);
  /* Another status keeps the client's own retries: a 503 three times is
   * answered after the second retry. */
  ts_response down = {.status = 503, .body = "down"};
  for (int i = 0; i < 3; i++)
    ck_assert_int_eq(ts_push(srv, "GET", "/s", &down), 0);
  r = get("/s", "psa");
  ck_assert_int_eq(api->http(&host, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 503);
  ck_assert_int_eq(resp.attempts, 3);
  api->http_release(&host, &resp);
}
END_TEST

START_TEST(invalid_paces_refused) {
  lpsa_http_pace p = LPSA_INIT(lpsa_http_pace);
  p.max_requests = 3;
  p.window_ms = 1000;
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_ERR_INVALID);
  p.group = "";
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_ERR_INVALID);
  p.group = "psa";
  p.window_ms = 0;
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_ERR_INVALID);
  p.window_ms = 1000;
  p.backoff_ms = -1;
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_ERR_INVALID);
  ck_assert_int_eq(api->http_pace(&host, NULL), LPSA_ERR_INVALID);
  /* Removing (max_requests 0) is always fine. */
  p.backoff_ms = 0;
  p.max_requests = 0;
  p.window_ms = 0;
  ck_assert_int_eq(api->http_pace(&host, &p), LPSA_OK);
}
END_TEST

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Suite *s = suite_create("http_pace");
  TCase *tc = tcase_create("pace");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, many_stays_within_the_budget);
  tcase_add_test(tc, single_requests_stay_within_the_budget);
  tcase_add_test(tc, a_429_holds_the_whole_group);
  tcase_add_test(tc, a_retried_429_waits_the_paced_back_off);
  tcase_add_test(tc, many_holds_the_group_after_a_429);
  tcase_add_test(tc, a_429_is_retried_as_often_as_the_pace_says);
  tcase_add_test(tc, invalid_paces_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
