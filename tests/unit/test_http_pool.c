/* SPDX-License-Identifier: MIT */
/*
 * test_http_pool.c — one HTTP client used by several threads at once, and
 * its adaptive window, against the scriptable loopback server: the bound on
 * requests in flight holds over every thread's requests, single requests
 * and batches share one connection cache, throttled answers halve the
 * window (once per burst) and healthy ones grow it to max_concurrency,
 * abandoning stops what has not started, and a deadline hold belongs to the
 * thread that holds it. No timed assertion: only what the server saw.
 */
#include <check.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "test_server.h"

static test_server *srv;
static lpsa_log *logger;

static void setup(void) {
  srv = ts_start();
  ck_assert_ptr_nonnull(srv);
  logger = log_new(NULL, LPSA_LOG_ERROR);
  ck_assert_ptr_nonnull(logger);
}

static void teardown(void) {
  ts_stop(srv);
  log_free(logger);
}

static http_client *client_of(unsigned max_concurrency) {
  http_options o;
  http_options_default(&o);
  o.max_concurrency = max_concurrency;
  o.max_retries = 3;
  o.backoff_base_ms = 5;
  o.backoff_max_ms = 50;
  http_client *c = http_client_new(&o, logger);
  ck_assert_ptr_nonnull(c);
  return c;
}

/* 200 with the target as body, after `arg` ms (NULL: 40). */
static int echo(void *arg, const ts_request *req, ts_response *out) {
  out->status = 200;
  out->body = strdup(req->target);
  out->owned = 1;
  out->delay_ms = arg ? *(const long *)arg : 40;
  return out->body != NULL;
}

typedef struct sender {
  http_client *c;
  char prefix[16];
  size_t n;
  int rc;
  int ok; /* every answer 200 with its own target */
} sender;

static void *send_batch(void *arg) {
  sender *s = arg;
  char(*urls)[128] = calloc(s->n, sizeof *urls);
  lpsa_http_request *reqs = calloc(s->n, sizeof *reqs);
  lpsa_http_response *resps = calloc(s->n, sizeof *resps);
  for (size_t i = 0; i < s->n; i++) {
    snprintf(urls[i], sizeof urls[i], "%s/%s/%zu", ts_url(srv), s->prefix, i);
    reqs[i] = (lpsa_http_request){
        .size = sizeof reqs[i], .method = "GET", .url = urls[i]};
  }
  s->rc = http_send_many(s->c, reqs, resps, s->n);
  s->ok = 1;
  for (size_t i = 0; i < s->n; i++) {
    const char *want = urls[i] + strlen(ts_url(srv));
    s->ok &= resps[i].status == 200 && resps[i].body &&
             strcmp(resps[i].body, want) == 0;
    http_response_release(&resps[i]);
  }
  free(urls);
  free(reqs);
  free(resps);
  return NULL;
}

START_TEST(threads_share_the_bound_on_requests_in_flight) {
  http_client *c = client_of(4);
  ts_set_handler(srv, echo, NULL);
  sender s[3];
  pthread_t th[3];
  for (int i = 0; i < 3; i++) {
    s[i] = (sender){.c = c, .n = 12};
    snprintf(s[i].prefix, sizeof s[i].prefix, "t%d", i);
    ck_assert_int_eq(pthread_create(&th[i], NULL, send_batch, &s[i]), 0);
  }
  for (int i = 0; i < 3; i++) {
    pthread_join(th[i], NULL);
    ck_assert_int_eq(s[i].rc, LPSA_OK);
    ck_assert(s[i].ok);
  }
  ck_assert_uint_eq(ts_request_count(srv), 36);
  ck_assert_uint_eq(http_total_requests(c), 36);
  /* One bound for the three threads together, not one each. */
  ck_assert_uint_le(ts_max_in_flight(srv, NULL), 4);
  ck_assert_uint_ge(ts_max_in_flight(srv, NULL), 2);
  const http_count *counts;
  size_t n = http_counts(c, &counts);
  unsigned long sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += counts[i].requests;
  ck_assert_uint_eq(sum, 36);
  http_client_free(c);
}
END_TEST

START_TEST(single_requests_and_batches_share_connections) {
  http_client *c = client_of(1);
  long fast = 0;
  ts_set_handler(srv, echo, &fast);
  char u[128];
  snprintf(u, sizeof u, "%s/one", ts_url(srv));
  lpsa_http_request r = {.size = sizeof r, .method = "GET", .url = u};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &r, &resp), LPSA_OK);
  http_response_release(&resp);
  sender s = {.c = c, .n = 5};
  snprintf(s.prefix, sizeof s.prefix, "many");
  send_batch(&s);
  ck_assert(s.ok);
  ck_assert_int_eq(http_send(c, &r, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_uint_eq(ts_request_count(srv), 7);
  /* One at a time, kept alive: one connection for all seven. */
  ck_assert_uint_eq(ts_connection_count(srv), 1);
  http_client_free(c);
}
END_TEST

/* 429 (Retry-After: 0) to the first `*arg` requests, then 200. */
static int throttle_first(void *arg, const ts_request *req, ts_response *out) {
  static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  int *left = arg;
  pthread_mutex_lock(&mu);
  int throttled = *left > 0;
  if (throttled)
    (*left)--;
  pthread_mutex_unlock(&mu);
  out->delay_ms = 40;
  if (throttled) {
    out->status = 429;
    out->headers = "Retry-After: 0";
    return 1;
  }
  return echo(NULL, req, out);
}

START_TEST(a_burst_of_429s_halves_the_window_once) {
  http_client *c = client_of(8);
  int left = 4;
  ts_set_handler(srv, throttle_first, &left);
  sender s = {.c = c, .n = 12};
  snprintf(s.prefix, sizeof s.prefix, "t");
  send_batch(&s);
  ck_assert_int_eq(s.rc, LPSA_OK);
  ck_assert(s.ok);
  http_concurrency_stats st;
  http_concurrency(c, &st);
  ck_assert_uint_eq(st.max, 8);
  /* The first four went out together and all came back 429. */
  ck_assert_uint_eq(st.halvings, 1);
  ck_assert_uint_eq(st.smallest, 2);
  ck_assert_uint_eq(ts_request_count(srv), 16);
  ck_assert_uint_eq(http_total_requests(c), 16);
  http_client_free(c);
}
END_TEST

/* Autotask's words for its thread limit, with a status other than 429. */
static int thread_threshold(void *arg, const ts_request *req,
                            ts_response *out) {
  (void)arg;
  (void)req;
  out->status = 500;
  out->body = "{\"errors\":[\"Maximum thread threshold of 3 threads has been "
              "exceeded for this API integration code\"]}";
  return 1;
}

START_TEST(a_thread_threshold_answer_halves_the_window) {
  http_client *c = client_of(8);
  ts_set_handler(srv, thread_threshold, NULL);
  char u[128];
  snprintf(u, sizeof u, "%s/Contracts/query", ts_url(srv));
  lpsa_http_request r = {.size = sizeof r, .method = "GET", .url = u};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 500); /* a 500: returned, not retried */
  ck_assert_uint_eq(resp.attempts, 1);
  http_response_release(&resp);
  http_concurrency_stats st;
  http_concurrency(c, &st);
  ck_assert_uint_eq(st.halvings, 1);
  ck_assert_uint_eq(st.window, 2);
  http_client_free(c);
}
END_TEST

START_TEST(healthy_answers_grow_the_window_to_the_maximum) {
  http_client *c = client_of(8);
  ts_set_handler(srv, echo, NULL);
  sender s = {.c = c, .n = 40};
  snprintf(s.prefix, sizeof s.prefix, "g");
  send_batch(&s);
  ck_assert(s.ok);
  http_concurrency_stats st;
  http_concurrency(c, &st);
  ck_assert_uint_eq(st.window, 8);
  ck_assert_uint_eq(st.peak, 8);
  ck_assert_uint_eq(st.halvings, 0);
  ck_assert_uint_eq(ts_max_in_flight(srv, NULL), 8);
  /* A new run starts afresh. */
  http_reset_counts(c);
  http_concurrency(c, &st);
  ck_assert_uint_eq(st.window, 4);
  ck_assert_uint_eq(st.peak, 0);
  http_client_free(c);
}
END_TEST

START_TEST(abandon_stops_what_has_not_started) {
  http_client *c = client_of(1);
  long slow = 100;
  ts_set_handler(srv, echo, &slow);
  sender s = {.c = c, .n = 20};
  snprintf(s.prefix, sizeof s.prefix, "a");
  pthread_t th;
  ck_assert_int_eq(pthread_create(&th, NULL, send_batch, &s), 0);
  ck_assert_int_eq(ts_wait_answered(srv, 2, 10000), 0);
  http_abandon(c, "LastPass failed: nothing is written");
  pthread_join(th, NULL);
  ck_assert_int_eq(s.rc, LPSA_ERR_NETWORK);
  ck_assert_uint_lt(ts_request_count(srv), 20);
  /* What did not start says why. */
  char u[128];
  snprintf(u, sizeof u, "%s/later", ts_url(srv));
  lpsa_http_request r = {.size = sizeof r, .method = "GET", .url = u};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &r, &resp), LPSA_ERR_NETWORK);
  ck_assert_ptr_nonnull(strstr(resp.error, "LastPass failed"));
  http_response_release(&resp);
  http_abandon_clear(c);
  ck_assert_int_eq(http_send(c, &r, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

typedef struct holder {
  http_client *c;
  int hold;
  int rc;
} holder;

static void *send_after_deadline(void *arg) {
  holder *h = arg;
  char u[128];
  snprintf(u, sizeof u, "%s/%s", ts_url(srv), h->hold ? "held" : "free");
  lpsa_http_request r = {.size = sizeof r, .method = "GET", .url = u};
  lpsa_http_response resp;
  if (h->hold)
    http_hold_deadline(h->c, 1);
  h->rc = http_send(h->c, &r, &resp);
  if (h->hold)
    http_hold_deadline(h->c, 0);
  http_response_release(&resp);
  return NULL;
}

START_TEST(a_deadline_hold_belongs_to_its_thread) {
  http_client *c = client_of(4);
  long fast = 0;
  ts_set_handler(srv, echo, &fast);
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  http_set_deadline(c, (double)now.tv_sec - 1, "past the deadline");
  holder held = {.c = c, .hold = 1}, free_ = {.c = c, .hold = 0};
  pthread_t a, b;
  ck_assert_int_eq(pthread_create(&a, NULL, send_after_deadline, &held), 0);
  pthread_join(a, NULL);
  ck_assert_int_eq(pthread_create(&b, NULL, send_after_deadline, &free_), 0);
  pthread_join(b, NULL);
  ck_assert_int_eq(held.rc, LPSA_OK);
  ck_assert_int_eq(free_.rc, LPSA_ERR_NETWORK);
  ck_assert_uint_eq(ts_count(srv, "/held"), 1);
  ck_assert_uint_eq(ts_count(srv, "/free"), 0);
  http_client_free(c);
}
END_TEST

START_TEST(counts_of_another_client_are_added) {
  http_client *a = client_of(2), *b = client_of(2);
  long fast = 0;
  ts_set_handler(srv, echo, &fast);
  char u[128];
  snprintf(u, sizeof u, "%s/x", ts_url(srv));
  lpsa_http_request r = {
      .size = sizeof r, .method = "GET", .url = u, .label = "lastpass x"};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(b, &r, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_int_eq(http_send(b, &r, &resp), LPSA_OK);
  http_response_release(&resp);
  r.label = "psa y";
  ck_assert_int_eq(http_send(a, &r, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_int_eq(http_add_counts(a, b), 0);
  ck_assert_uint_eq(http_total_requests(a), 3);
  const http_count *counts;
  ck_assert_uint_eq(http_counts(a, &counts), 2);
  ck_assert_str_eq(counts[0].label, "lastpass x");
  ck_assert_uint_eq(counts[0].requests, 2);
  ck_assert_str_eq(counts[1].label, "psa y");
  ck_assert_uint_eq(counts[1].requests, 1);
  http_client_free(a);
  http_client_free(b);
}
END_TEST

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Suite *s = suite_create("http_pool");
  TCase *tc = tcase_create("pool");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, threads_share_the_bound_on_requests_in_flight);
  tcase_add_test(tc, single_requests_and_batches_share_connections);
  tcase_add_test(tc, a_burst_of_429s_halves_the_window_once);
  tcase_add_test(tc, a_thread_threshold_answer_halves_the_window);
  tcase_add_test(tc, healthy_answers_grow_the_window_to_the_maximum);
  tcase_add_test(tc, abandon_stops_what_has_not_started);
  tcase_add_test(tc, a_deadline_hold_belongs_to_its_thread);
  tcase_add_test(tc, counts_of_another_client_are_added);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
