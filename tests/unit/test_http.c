/* SPDX-License-Identifier: MIT */
/*
 * test_http.c — the HTTP transport against the scriptable loopback server:
 * round trips, retries and their limits, timeouts, size cap, counters,
 * redaction, concurrency bounds, TLS.
 */
#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http.h"
#include "test_server.h"

/* -- fixtures -------------------------------------------------------------- */

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

/* Small back-off so retries are quick; the tests that measure waits use
 * Retry-After, which does not depend on the back-off. */
static http_client *client_with(unsigned retries, long max_ms) {
  http_options o;
  http_options_default(&o);
  o.max_retries = retries;
  o.backoff_base_ms = 5;
  o.backoff_max_ms = max_ms;
  o.timeout_ms = 10000;
  http_client *c = http_client_new(&o, logger);
  ck_assert_ptr_nonnull(c);
  return c;
}

static char *url(const char *path) {
  static char buf[256];
  snprintf(buf, sizeof buf, "%s%s", ts_url(srv), path);
  return buf;
}

static lpsa_http_request get(const char *path) {
  lpsa_http_request r = {.size = sizeof r, .method = "GET", .url = url(path)};
  return r;
}

static void push(const char *method, const char *prefix, int status,
                 const char *headers, const char *body) {
  ts_response r = {.status = status, .headers = headers, .body = body};
  ck_assert_int_eq(ts_push(srv, method, prefix, &r), 0);
}

static long ms_since(struct timespec t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
}

static struct timespec now_mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t;
}

/* -- round trips ----------------------------------------------------------- */

START_TEST(get_round_trip) {
  http_client *c = client_with(4, 1000);
  push("GET", "/v1/items", 200,
       "Content-Type: application/json\nX-Total: 3\nx-total: 4", "[1,2,3]");
  lpsa_http_request req = get("/v1/items?page=2&q=a%20b");
  const char *h[] = {"Accept: application/json", "X-Trace: abc", NULL};
  req.headers = h;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 1);
  ck_assert_str_eq(resp.error, "");
  ck_assert_uint_eq(resp.body_len, 7);
  ck_assert_str_eq(resp.body, "[1,2,3]");
  char v[64];
  ck_assert_int_eq(http_response_header(&resp, "content-type", v, sizeof v),
                   16);
  ck_assert_str_eq(v, "application/json");
  /* Repeated: the last one wins; any case. */
  ck_assert_int_eq(http_response_header(&resp, "X-TOTAL", v, sizeof v), 1);
  ck_assert_str_eq(v, "4");
  /* Truncated to cap - 1, length still the full one. */
  ck_assert_int_eq(http_response_header(&resp, "Content-Type", v, 5), 16);
  ck_assert_str_eq(v, "appl");
  ck_assert_int_eq(http_response_header(&resp, "Content-Type", NULL, 0), 16);
  ck_assert_int_eq(http_response_header(&resp, "X-Missing", v, sizeof v), -1);
  ck_assert_str_eq(v, "");
  ck_assert_int_eq(http_response_header(&resp, "Content", v, sizeof v), -1);

  const ts_request *seen = ts_request_at(srv, 0);
  ck_assert_ptr_nonnull(seen);
  ck_assert_str_eq(seen->method, "GET");
  ck_assert_str_eq(seen->target, "/v1/items?page=2&q=a%20b");
  ck_assert_str_eq(ts_request_header(seen, "x-trace"), "abc");
  ck_assert_str_eq(ts_request_header(seen, "Accept"), "application/json");
  ck_assert_uint_eq(seen->body_len, 0);
  http_response_release(&resp);
  ck_assert_ptr_null(resp.body);
  http_response_release(&resp); /* twice is harmless */
  http_client_free(c);
}
END_TEST

START_TEST(methods_and_bodies) {
  http_client *c = client_with(4, 1000);
  static const char *const methods[] = {"POST", "PATCH", "PUT", "DELETE"};
  const char body[] = "{\"a\":1}\0tail"; /* binary-safe: the NUL is sent */
  const char *h[] = {"Content-Type: application/json", NULL};
  for (int i = 0; i < 4; i++) {
    push(methods[i], "/things/", 201, NULL, "created");
    lpsa_http_request req = get("/things/9");
    req.method = methods[i];
    req.body = body;
    req.body_len = sizeof body - 1;
    req.headers = h;
    lpsa_http_response resp;
    ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
    ck_assert_int_eq(resp.status, 201);
    ck_assert_str_eq(resp.body, "created");
    const ts_request *seen = ts_request_at(srv, (size_t)i);
    ck_assert_str_eq(seen->method, methods[i]);
    ck_assert_uint_eq(seen->body_len, sizeof body - 1);
    ck_assert_mem_eq(seen->body, body, sizeof body - 1);
    ck_assert_str_eq(ts_request_header(seen, "Content-Type"),
                     "application/json");
    http_response_release(&resp);
  }
  /* A POST without a body sends an empty one; a DELETE without a body too. */
  push("POST", "/empty", 200, NULL, NULL);
  lpsa_http_request req = get("/empty");
  req.method = "POST";
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_uint_eq(resp.body_len, 0);
  ck_assert_ptr_nonnull(resp.body);
  ck_assert_str_eq(resp.body, "");
  ck_assert_str_eq(ts_request_at(srv, 4)->method, "POST");
  ck_assert_uint_eq(ts_request_at(srv, 4)->body_len, 0);
  http_response_release(&resp);
  /* HEAD: no body read. */
  push("HEAD", "/head", 200, "X-Here: yes", NULL);
  req = get("/head");
  req.method = "HEAD";
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_str_eq(ts_request_at(srv, 5)->method, "HEAD");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

/* -- requests that must not be sent twice -------------------------------- */

typedef struct told {
  int calls;
  long timeout_ms;
  int refuse;
} told;

static int on_unrepeatable(void *arg, long timeout_ms) {
  told *t = arg;
  t->calls++;
  t->timeout_ms = timeout_ms;
  return t->refuse;
}

/* Told before a POST without RETRY_SAFE (a delta) is sent, with its
 * timeout; not for a GET, a HEAD or a RETRY_SAFE write; a refusal sends
 * nothing and reads as an answer lost. */
START_TEST(unrepeatable_writes_are_told_first) {
  http_client *c = client_with(0, 10);
  told t = {0};
  http_on_unrepeatable(c, on_unrepeatable, &t);
  push("GET", "/x", 200, NULL, "ok");
  push("POST", "/x", 200, NULL, "ok");
  push("PATCH", "/x", 200, NULL, "ok");
  lpsa_http_request req = get("/x");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  req.method = "PATCH";
  req.flags = LPSA_HTTP_RETRY_SAFE;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_int_eq(t.calls, 0);
  req.method = "POST";
  req.flags = 0;
  req.timeout_ms = 1234;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_int_eq(t.calls, 1);
  ck_assert_int_eq(t.timeout_ms, 1234);
  size_t sent = ts_request_count(srv);
  t.refuse = 1;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_int_eq(resp.status, 0);
  ck_assert_ptr_nonnull(strstr(resp.error, "could not be journaled"));
  http_response_release(&resp);
  ck_assert_uint_eq(ts_request_count(srv), sent);
  http_on_unrepeatable(c, NULL, NULL);
  push("POST", "/x", 200, NULL, "ok");
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  ck_assert_int_eq(t.calls, 2);
  http_client_free(c);
}
END_TEST

START_TEST(not_found_and_redirect_returned_as_is) {
  http_client *c = client_with(4, 1000);
  push("GET", "/gone", 404, NULL, "{\"message\":\"nope\"}");
  push("GET", "/moved", 302, "Location: http://127.0.0.2:1/elsewhere", NULL);
  lpsa_http_request req = get("/gone");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 404);
  ck_assert_uint_eq(resp.attempts, 1);
  ck_assert_str_eq(resp.body, "{\"message\":\"nope\"}");
  http_response_release(&resp);
  req = get("/moved");
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 302);
  http_response_release(&resp);
  ck_assert_uint_eq(ts_request_count(srv), 2);
  http_client_free(c);
}
END_TEST

START_TEST(only_http_and_https) {
  http_client *c = client_with(4, 1000);
  static const char *const urls[] = {"file:///etc/passwd",
                                     "ftp://127.0.0.1:1/x", "gopher://x/"};
  for (int i = 0; i < 3; i++) {
    lpsa_http_request req = {.size = sizeof req, .url = urls[i]};
    lpsa_http_response resp;
    ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
    ck_assert_uint_eq(resp.attempts, 1);
    ck_assert_int_eq(resp.status, 0);
    ck_assert_str_ne(resp.error, "");
    ck_assert_ptr_nonnull(resp.body);
    http_response_release(&resp);
  }
  lpsa_http_request bad = {.size = sizeof bad, .method = "GET"};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &bad, &resp), LPSA_ERR_INVALID);
  ck_assert_str_ne(resp.error, "");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

/* -- retries --------------------------------------------------------------- */

START_TEST(retry_after_seconds_honoured) {
  http_client *c = client_with(4, 5000);
  push("GET", "/limited", 429, "Retry-After: 1", "slow down");
  push("GET", "/limited", 200, NULL, "ok");
  lpsa_http_request req = get("/limited");
  lpsa_http_response resp;
  struct timespec t0 = now_mono();
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  long took = ms_since(t0);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 2);
  ck_assert_str_eq(resp.body, "ok");
  ck_assert_int_ge(took, 950);
  ck_assert_int_lt(took, 4000);
  ck_assert_uint_eq(ts_count(srv, "/limited"), 2);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(retry_after_http_date_honoured) {
  http_client *c = client_with(4, 5000);
  char hdr[80];
  time_t when = time(NULL) + 3;
  struct tm tm;
  gmtime_r(&when, &tm);
  strftime(hdr, sizeof hdr, "Retry-After: %a, %d %b %Y %H:%M:%S GMT", &tm);
  push("GET", "/dated", 503, hdr, NULL);
  push("GET", "/dated", 200, NULL, "ok");
  lpsa_http_request req = get("/dated");
  lpsa_http_response resp;
  struct timespec t0 = now_mono();
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  long took = ms_since(t0);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 2);
  /* Second resolution: "now + 3 s" is between 2 and 3 s away (1 s of slack
   * for a slow machine). */
  ck_assert_int_ge(took, 900);
  ck_assert_int_lt(took, 6000);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(retry_after_capped_still_retries) {
  http_client *c = client_with(4, 300);
  push("GET", "/capped", 429, "Retry-After: 3600", NULL);
  push("GET", "/capped", 200, NULL, "ok");
  lpsa_http_request req = get("/capped");
  lpsa_http_response resp;
  struct timespec t0 = now_mono();
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  long took = ms_since(t0);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 2);
  ck_assert_int_ge(took, 280);
  ck_assert_int_lt(took, 3000);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(gateway_errors_retried) {
  http_client *c = client_with(4, 50);
  push("GET", "/flaky", 502, NULL, NULL);
  push("GET", "/flaky", 503, NULL, NULL);
  push("GET", "/flaky", 504, NULL, NULL);
  push("GET", "/flaky", 200, NULL, "finally");
  lpsa_http_request req = get("/flaky");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 4);
  ck_assert_str_eq(resp.body, "finally");
  ck_assert_uint_eq(ts_count(srv, "/flaky"), 4);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(other_errors_not_retried) {
  http_client *c = client_with(4, 50);
  static const int statuses[] = {500, 400, 401, 403, 409, 501};
  for (int i = 0; i < 6; i++) {
    ts_clear(srv);
    push("GET", "/err", statuses[i], NULL, "bad");
    push("GET", "/err", 200, NULL, "must not be reached");
    lpsa_http_request req = get("/err");
    lpsa_http_response resp;
    ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
    ck_assert_int_eq(resp.status, statuses[i]);
    ck_assert_uint_eq(resp.attempts, 1);
    ck_assert_str_eq(resp.body, "bad");
    ck_assert_uint_eq(ts_count(srv, "/err"), 1);
    http_response_release(&resp);
  }
  http_client_free(c);
}
END_TEST

START_TEST(retries_exhausted_returns_last_answer) {
  http_client *c = client_with(2, 20);
  ts_response r = {.status = 429, .body = "still limited"};
  ts_set_default(srv, &r);
  lpsa_http_request req = get("/always");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 429);
  ck_assert_uint_eq(resp.attempts, 3);
  ck_assert_str_eq(resp.body, "still limited");
  ck_assert_uint_eq(ts_count(srv, "/always"), 3);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(no_retry_flag) {
  http_client *c = client_with(4, 20);
  push("GET", "/probe", 503, NULL, NULL);
  push("GET", "/probe", 200, NULL, NULL);
  lpsa_http_request req = get("/probe");
  req.flags = LPSA_HTTP_NO_RETRY;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 503);
  ck_assert_uint_eq(resp.attempts, 1);
  /* NO_RETRY wins over RETRY_SAFE. */
  req.flags = LPSA_HTTP_NO_RETRY | LPSA_HTTP_RETRY_SAFE;
  http_response_release(&resp);
  ts_clear(srv);
  push("GET", "/probe", 503, NULL, NULL);
  push("GET", "/probe", 200, NULL, NULL);
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 503);
  ck_assert_uint_eq(ts_count(srv, "/probe"), 1);
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(post_not_retried_on_503) {
  http_client *c = client_with(4, 20);
  push("POST", "/orders", 503, NULL, NULL);
  push("POST", "/orders", 200, NULL, NULL);
  lpsa_http_request req = get("/orders");
  req.method = "POST";
  req.body = "x=1";
  req.body_len = 3;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 503);
  ck_assert_uint_eq(resp.attempts, 1);
  ck_assert_uint_eq(ts_count(srv, "/orders"), 1);
  http_response_release(&resp);
  /* PATCH, PUT and DELETE alike. */
  static const char *const methods[] = {"PATCH", "PUT", "DELETE"};
  for (int i = 0; i < 3; i++) {
    ts_clear(srv);
    push(methods[i], "/orders", 429, "Retry-After: 0", NULL);
    push(methods[i], "/orders", 200, NULL, NULL);
    req.method = methods[i];
    ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
    ck_assert_int_eq(resp.status, 429);
    ck_assert_uint_eq(ts_count(srv, "/orders"), 1);
    http_response_release(&resp);
  }
  http_client_free(c);
}
END_TEST

START_TEST(post_not_resent_after_dropped_connection) {
  http_client *c = client_with(4, 20);
  /* A GET first leaves a kept-alive connection: curl would silently resend
   * on it when it dies, which must not happen to a POST. */
  push("GET", "/warm", 200, NULL, "warm");
  ts_response drop = {.close = 1};
  ck_assert_int_eq(ts_push(srv, "POST", "/orders", &drop), 0);
  push("POST", "/orders", 200, NULL, "applied twice");
  lpsa_http_request req = get("/warm");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  req = get("/orders");
  req.method = "POST";
  req.body = "{\"qty\":5}";
  req.body_len = strlen(req.body);
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_int_eq(resp.status, 0);
  ck_assert_uint_eq(resp.attempts, 1);
  ck_assert_ptr_nonnull(strstr(resp.error, "127.0.0.1/orders"));
  http_response_release(&resp);
  usleep(100 * 1000); /* a resend, if any, would have arrived by now */
  ck_assert_uint_eq(ts_count(srv, "/orders"), 1);
  http_client_free(c);
}
END_TEST

START_TEST(get_retried_after_dropped_connection) {
  http_client *c = client_with(4, 20);
  ts_response drop = {.close = 1};
  ck_assert_int_eq(ts_push(srv, "GET", "/list", &drop), 0);
  push("GET", "/list", 200, NULL, "[]");
  lpsa_http_request req = get("/list");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 2);
  ck_assert_str_eq(resp.error, "");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(retry_safe_post_retried) {
  http_client *c = client_with(4, 20);
  push("POST", "/query", 503, NULL, NULL);
  ts_response drop = {.close = 1};
  ck_assert_int_eq(ts_push(srv, "POST", "/query", &drop), 0);
  push("POST", "/query", 200, NULL, "{\"items\":[]}");
  lpsa_http_request req = get("/query");
  req.method = "POST";
  req.body = "{\"filter\":[]}";
  req.body_len = strlen(req.body);
  req.flags = LPSA_HTTP_RETRY_SAFE;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  /* Three sends: the 503, the dropped one, the 200 (curl's own resend on a
   * dead kept-alive connection counts as a send too). */
  ck_assert_uint_eq(resp.attempts, 3);
  ck_assert_uint_eq(ts_count(srv, "/query"), 3);
  ck_assert_uint_eq(http_total_requests(c), 3);
  /* Every attempt carried the body. */
  for (size_t i = 0; i < 3; i++)
    ck_assert_str_eq(ts_request_at(srv, i)->body, "{\"filter\":[]}");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(connection_refused_is_network_error) {
  http_client *c = client_with(1, 20);
  /* A port that was just free: bind-and-close is racy, so use the server's
   * own port after stopping it. */
  char dead[128];
  snprintf(dead, sizeof dead, "%s/x", ts_url(srv));
  ts_stop(srv);
  srv = ts_start();
  lpsa_http_request req = {.size = sizeof req, .method = "GET", .url = dead};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_int_eq(resp.status, 0);
  ck_assert_uint_eq(resp.attempts, 2);
  ck_assert_ptr_nonnull(strstr(resp.error, "127.0.0.1"));
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

/* -- timeouts and size cap ------------------------------------------------- */

START_TEST(timeout_reported) {
  http_client *c = client_with(4, 20);
  ts_response slow = {.status = 200, .body = "late", .delay_ms = 3000};
  ck_assert_int_eq(ts_push(srv, "GET", "/slow", &slow), 0);
  lpsa_http_request req = get("/slow");
  req.timeout_ms = 200;
  req.flags = LPSA_HTTP_NO_RETRY;
  lpsa_http_response resp;
  struct timespec t0 = now_mono();
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_int_lt(ms_since(t0), 2000);
  ck_assert_int_eq(resp.status, 0);
  ck_assert_ptr_nonnull(strstr(resp.error, "timed out after 200 ms"));
  ck_assert_ptr_nonnull(strstr(resp.error, "127.0.0.1/slow"));
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(timeout_retried_for_get) {
  http_client *c = client_with(1, 20);
  ts_response slow = {.status = 200, .body = "late", .delay_ms = 3000};
  ck_assert_int_eq(ts_push(srv, "GET", "/slow", &slow), 0);
  push("GET", "/slow", 200, NULL, "quick");
  lpsa_http_request req = get("/slow");
  req.timeout_ms = 200;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_uint_eq(resp.attempts, 2);
  ck_assert_str_eq(resp.body, "quick");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

START_TEST(trickling_body_read_whole) {
  http_client *c = client_with(0, 20);
  ts_response r = {.status = 200,
                   .body = "abcdefghij",
                   .trickle_ms = 20,
                   .trickle_bytes = 3};
  ck_assert_int_eq(ts_push(srv, "GET", "/trickle", &r), 0);
  lpsa_http_request req = get("/trickle");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_str_eq(resp.body, "abcdefghij");
  http_response_release(&resp);
  /* A body that trickles past the timeout is a timeout. */
  r.trickle_ms = 100;
  r.trickle_bytes = 1;
  ck_assert_int_eq(ts_push(srv, "GET", "/trickle", &r), 0);
  req.timeout_ms = 300;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_ptr_nonnull(strstr(resp.error, "timed out after 300 ms"));
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

static char *big_body(size_t n) {
  char *b = malloc(n + 1);
  ck_assert_ptr_nonnull(b);
  memset(b, 'x', n);
  b[n] = '\0';
  return b;
}

START_TEST(oversized_body_refused) {
  http_options o;
  http_options_default(&o);
  o.max_response_bytes = 1000;
  o.backoff_base_ms = 5;
  http_client *c = http_client_new(&o, logger);
  char *big = big_body(5000);
  /* Announced by Content-Length, then chunked (only counted as it comes). */
  ts_response r = {.status = 200, .body = big};
  ck_assert_int_eq(ts_push(srv, "GET", "/big", &r), 0);
  r.chunked = 1;
  ck_assert_int_eq(ts_push(srv, "GET", "/big", &r), 0);
  for (int i = 0; i < 2; i++) {
    lpsa_http_request req = get("/big");
    lpsa_http_response resp;
    ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(resp.error, "1000"));
    ck_assert_ptr_nonnull(strstr(resp.error, "limit on one answer"));
    ck_assert_uint_eq(resp.attempts, 1);
    http_response_release(&resp);
  }
  /* Exactly at the cap is fine. */
  big[1000] = '\0';
  r.chunked = 1;
  r.body = big;
  ck_assert_int_eq(ts_push(srv, "GET", "/big", &r), 0);
  lpsa_http_request req = get("/big");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_uint_eq(resp.body_len, 1000);
  ck_assert_int_eq(resp.body[1000], '\0');
  http_response_release(&resp);
  free(big);
  http_client_free(c);
}
END_TEST

/* -- counters -------------------------------------------------------------- */

START_TEST(counters_by_label) {
  http_client *c = client_with(4, 20);
  push("GET", "/v4/companies/17", 429, "Retry-After: 0", NULL);
  lpsa_http_request req = get("/v4/companies/17");
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK); /* 2 attempts */
  http_response_release(&resp);
  req = get("/v4/companies/18/sites/2?fields=id&page=3");
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  req = get("/v4/companies/18/sites/2a");
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  req = get("/v1.0/Contracts/query");
  req.method = "POST";
  req.label = "autotask Contracts/query";
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  req = get("/v4/companies/99");
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);

  const http_count *counts;
  size_t n = http_counts(c, &counts);
  ck_assert_uint_eq(n, 4);
  ck_assert_str_eq(counts[0].label, "GET 127.0.0.1/v4/companies/{id}");
  ck_assert_uint_eq(counts[0].requests, 3);
  ck_assert_str_eq(counts[1].label, "GET 127.0.0.1/v4/companies/{id}/sites/2a");
  ck_assert_uint_eq(counts[1].requests, 1);
  ck_assert_str_eq(counts[2].label,
                   "GET 127.0.0.1/v4/companies/{id}/sites/{id}");
  ck_assert_uint_eq(counts[2].requests, 1);
  ck_assert_str_eq(counts[3].label, "autotask Contracts/query");
  ck_assert_uint_eq(counts[3].requests, 1);
  ck_assert_uint_eq(http_total_requests(c), 6);
  ck_assert_uint_eq(ts_request_count(srv), 6);
  http_reset_counts(c);
  ck_assert_uint_eq(http_counts(c, &counts), 0);
  ck_assert_uint_eq(http_total_requests(c), 0);
  http_client_free(c);
}
END_TEST

/* -- logging --------------------------------------------------------------- */

static char *read_all(FILE *f) {
  fflush(f);
  long n = ftell(f);
  char *s = calloc(1, (size_t)n + 1);
  ck_assert_ptr_nonnull(s);
  rewind(f);
  ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
  return s;
}

START_TEST(log_redacts_credentials) {
  FILE *f = tmpfile();
  ck_assert_ptr_nonnull(f);
  lpsa_log *log = log_new(f, LPSA_LOG_DEBUG);
  ck_assert_int_eq(log_add_secret(log, "tok3nValue"), 0);
  http_options o;
  http_options_default(&o);
  o.backoff_base_ms = 5;
  http_client *c = http_client_new(&o, log);
  /* The PSAs' own credential headers, as their drivers declare them (the
   * host opens a driver with host_open_driver, which adds them). */
  const char *declared[] = {"Secret", "ApiIntegrationCode", "UserName",
                            "clientId"};
  for (size_t i = 0; i < 4; i++)
    ck_assert_int_eq(http_client_add_sensitive_header(c, declared[i]), 0);
  push("GET", "/api/users", 429, "Retry-After: 0", NULL);
  lpsa_http_request req = get("/api/users?key=tok3nValue&page=2");
  const char *h[] = {"Authorization: Basic c2VjcmV0",
                     "Secret: hunter22",
                     "apiintegrationcode: ABCD1234",
                     "UserName: svc-user@example.com",
                     "ClientID: 6a1f00d2-client",
                     "Accept: application/json",
                     NULL};
  req.headers = h;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  char *text = read_all(f);
  /* The lines are there... */
  ck_assert_ptr_nonnull(strstr(text, "GET "));
  ck_assert_ptr_nonnull(strstr(text, "/api/users?key=***&page=2"));
  ck_assert_ptr_nonnull(strstr(text, "429"));
  ck_assert_ptr_nonnull(strstr(text, "attempt 2"));
  ck_assert_ptr_nonnull(strstr(text, "Authorization: ***"));
  ck_assert_ptr_nonnull(strstr(text, "Accept: application/json"));
  ck_assert_ptr_nonnull(
      strstr(text, "429 from 127.0.0.1/api/users; retrying in 0.0 s "
                   "(attempt 2 of 5)"));
  /* ...without a single credential. */
  static const char *const secrets[] = {"c2VjcmV0", "hunter22", "ABCD1234",
                                        "svc-user", "6a1f00d2", "tok3n"};
  for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
    ck_assert_msg(strstr(text, secrets[i]) == NULL, "%s leaked in:\n%s",
                  secrets[i], text);
  free(text);
  http_client_free(c);
  log_free(log);
  fclose(f);
}
END_TEST

/* The host hard-codes no PSA's header: until a driver declares clientId
 * (ConnectWise's), a client shows it like any other header. */
START_TEST(no_psa_header_is_the_hosts) {
  FILE *f = tmpfile();
  ck_assert_ptr_nonnull(f);
  lpsa_log *log = log_new(f, LPSA_LOG_DEBUG);
  http_client *c = http_client_new(NULL, log);
  push("GET", "/api/b", 200, NULL, "{}");
  lpsa_http_request req = get("/api/b");
  const char *h[] = {"clientId: not-declared-yet", "Cookie: sid=c00kie", NULL};
  req.headers = h;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  char *text = read_all(f);
  ck_assert_ptr_nonnull(strstr(text, "clientId: not-declared-yet"));
  ck_assert_ptr_nonnull(strstr(text, "Cookie: ***"));
  ck_assert_ptr_null(strstr(text, "c00kie"));
  free(text);
  http_client_free(c);
  log_free(log);
  fclose(f);
}
END_TEST

/* A header value the client sends as sensitive is redacted wherever it
 * shows later (a server quoting it, base64-encoded too); a name added to
 * the table at run time counts as well; a line break in a header is
 * refused before anything is sent. */
START_TEST(sensitive_headers_learned_as_sent) {
  FILE *f = tmpfile();
  ck_assert_ptr_nonnull(f);
  lpsa_log *log = log_new(f, LPSA_LOG_DEBUG);
  http_client *c = http_client_new(NULL, log);
  ck_assert_int_eq(http_client_add_sensitive_header(c, "X-Auth-Token"), 0);
  ck_assert_int_eq(http_client_add_sensitive_header(c, "Bad Name:"), -1);
  push("GET", "/api/a", 200, NULL, "{}");
  lpsa_http_request req = get("/api/a");
  const char *h[] = {"Authorization: Bearer eyJhbGciOi.payload",
                     "X-Auth-Token: drv-token-9911", "Accept: text/plain",
                     NULL};
  req.headers = h;
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  http_response_release(&resp);
  char *text = read_all(f);
  ck_assert_ptr_nonnull(strstr(text, "X-Auth-Token: ***"));
  ck_assert_ptr_null(strstr(text, "drv-token"));
  free(text);
  /* "ZHJ2LXRva2VuLTk5MTE=" is base64 of drv-token-9911; its last "E"
   * depends on what follows the value too (here padding), so it stays:
   * four bits of the last character, too little to matter. */
  char *clean =
      log_redact(log, "echo: Bearer eyJhbGciOi.payload, ZHJ2LXRva2VuLTk5MTE=, "
                      "eyJhbGciOi.payload alone, Accept: text/plain");
  ck_assert_str_eq(clean, "echo: ***, ***E=, *** alone, Accept: text/plain");
  free(clean);

  size_t before = ts_request_count(srv);
  const char *bad[] = {"Secret: s3cret\r\nX-Injected: 1", NULL};
  req.headers = bad;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(resp.error, "line break"));
  http_response_release(&resp);
  ck_assert_uint_eq(ts_request_count(srv), before);
  http_client_free(c);
  log_free(log);
  fclose(f);
}
END_TEST

/* -- http_send_many -------------------------------------------------------- */

/* Answers every request with its own target, so order can be checked. */
static int echo_target(void *arg, const ts_request *req, ts_response *out) {
  (void)arg;
  out->status = 200;
  out->body = strdup(req->target);
  out->owned = 1;
  out->delay_ms = 150;
  return out->body != NULL;
}

START_TEST(many_bounded_by_max_concurrency) {
  http_client *c = client_with(4, 20);
  ts_set_handler(srv, echo_target, NULL);
  char urls[10][128];
  lpsa_http_request reqs[10];
  lpsa_http_response resps[10];
  for (int i = 0; i < 10; i++) {
    snprintf(urls[i], sizeof urls[i], "%s/item/%d", ts_url(srv), i);
    reqs[i] = (lpsa_http_request){
        .size = sizeof reqs[i], .method = "GET", .url = urls[i]};
  }
  ck_assert_int_eq(http_send_many(c, reqs, resps, 10), LPSA_OK);
  for (int i = 0; i < 10; i++) {
    char want[32];
    snprintf(want, sizeof want, "/item/%d", i);
    ck_assert_int_eq(resps[i].status, 200);
    ck_assert_str_eq(resps[i].body, want);
    ck_assert_uint_eq(resps[i].attempts, 1);
    http_response_release(&resps[i]);
  }
  ck_assert_uint_eq(ts_request_count(srv), 10);
  unsigned most = ts_max_in_flight(srv, NULL);
  ck_assert_uint_le(most, 4);
  ck_assert_uint_ge(most, 2);
  ck_assert_uint_eq(http_total_requests(c), 10);
  ck_assert_int_eq(http_send_many(c, reqs, resps, 0), LPSA_OK);
  http_client_free(c);
}
END_TEST

START_TEST(many_bounded_by_group_limit) {
  http_options o;
  http_options_default(&o);
  o.max_concurrency = 8;
  o.backoff_base_ms = 5;
  http_client *c = http_client_new(&o, logger);
  ts_set_handler(srv, echo_target, NULL);
  char urls[14][128];
  lpsa_http_request reqs[14];
  lpsa_http_response resps[14];
  for (int i = 0; i < 14; i++) {
    int grouped = i < 10;
    snprintf(urls[i], sizeof urls[i], "%s/%s/%d", ts_url(srv),
             grouped ? "contracts" : "other", i);
    reqs[i] = (lpsa_http_request){.size = sizeof reqs[i],
                                  .method = "GET",
                                  .url = urls[i],
                                  .group = grouped ? "Contracts" : NULL,
                                  .group_limit = grouped ? 3 : 0};
  }
  ck_assert_int_eq(http_send_many(c, reqs, resps, 14), LPSA_OK);
  for (int i = 0; i < 14; i++) {
    ck_assert_int_eq(resps[i].status, 200);
    http_response_release(&resps[i]);
  }
  unsigned grouped = ts_max_in_flight(srv, "/contracts/");
  ck_assert_uint_le(grouped, 3);
  ck_assert_uint_ge(grouped, 2);
  /* The group limit does not bound the others. */
  ck_assert_uint_ge(ts_max_in_flight(srv, NULL), 4);
  ck_assert_uint_le(ts_max_in_flight(srv, NULL), 8);
  http_client_free(c);
}
END_TEST

START_TEST(many_retry_waits_without_blocking) {
  http_options o;
  http_options_default(&o);
  o.max_concurrency = 1;
  o.backoff_base_ms = 5;
  o.backoff_max_ms = 5000;
  http_client *c = http_client_new(&o, logger);
  push("GET", "/a", 429, "Retry-After: 1", NULL);
  push("GET", "/a", 200, NULL, "a");
  push("GET", "/b", 200, NULL, "b");
  push("GET", "/c", 503, NULL, NULL);
  push("GET", "/c", 200, NULL, "c");
  push("POST", "/d", 503, NULL, "d");
  char urls[4][128];
  lpsa_http_request reqs[4];
  lpsa_http_response resps[4];
  const char *paths[] = {"/a", "/b", "/c", "/d"};
  for (int i = 0; i < 4; i++) {
    snprintf(urls[i], sizeof urls[i], "%s%s", ts_url(srv), paths[i]);
    reqs[i] = (lpsa_http_request){.size = sizeof reqs[i],
                                  .method = i == 3 ? "POST" : "GET",
                                  .url = urls[i]};
  }
  struct timespec t0 = now_mono();
  ck_assert_int_eq(http_send_many(c, reqs, resps, 4), LPSA_OK);
  ck_assert_int_ge(ms_since(t0), 950);
  ck_assert_int_eq(resps[0].status, 200);
  ck_assert_uint_eq(resps[0].attempts, 2);
  ck_assert_str_eq(resps[0].body, "a");
  ck_assert_int_eq(resps[1].status, 200);
  ck_assert_uint_eq(resps[1].attempts, 1);
  ck_assert_int_eq(resps[2].status, 200);
  ck_assert_uint_eq(resps[2].attempts, 2);
  ck_assert_int_eq(resps[3].status, 503); /* a POST: sent once */
  ck_assert_uint_eq(resps[3].attempts, 1);
  ck_assert_uint_eq(ts_request_count(srv), 6);
  /* While /a waited out its Retry-After, everything else was served. */
  const ts_request *last = ts_request_at(srv, 5);
  ck_assert_str_eq(last->target, "/a");
  ck_assert_uint_eq(ts_max_in_flight(srv, NULL), 1);
  for (int i = 0; i < 4; i++)
    http_response_release(&resps[i]);
  http_client_free(c);
}
END_TEST

START_TEST(many_reports_first_failure) {
  http_client *c = client_with(0, 20);
  push("GET", "/ok", 200, NULL, "fine");
  ts_response drop = {.close = 1};
  ck_assert_int_eq(ts_push(srv, "GET", "/drop", &drop), 0);
  char u0[128], u1[128];
  snprintf(u0, sizeof u0, "%s/ok", ts_url(srv));
  snprintf(u1, sizeof u1, "%s/drop", ts_url(srv));
  lpsa_http_request reqs[3] = {
      {.size = sizeof reqs[0], .method = "GET", .url = u0},
      {.size = sizeof reqs[0], .method = "GET", .url = u1},
      {.size = sizeof reqs[0], .method = "GET", .url = NULL}};
  lpsa_http_response resps[3];
  ck_assert_int_eq(http_send_many(c, reqs, resps, 3), LPSA_ERR_NETWORK);
  ck_assert_int_eq(resps[0].status, 200);
  ck_assert_str_eq(resps[0].body, "fine");
  ck_assert_int_eq(resps[1].status, 0);
  ck_assert_str_ne(resps[1].error, "");
  ck_assert_str_ne(resps[2].error, "");
  for (int i = 0; i < 3; i++)
    http_response_release(&resps[i]);
  http_client_free(c);
}
END_TEST

START_TEST(many_size_cap_and_timeout) {
  http_options o;
  http_options_default(&o);
  o.max_response_bytes = 100;
  o.max_retries = 0;
  http_client *c = http_client_new(&o, logger);
  char *big = big_body(500);
  ts_response r = {.status = 200, .body = big, .chunked = 1};
  ck_assert_int_eq(ts_push(srv, "GET", "/big", &r), 0);
  ts_response slow = {.status = 200, .delay_ms = 3000};
  ck_assert_int_eq(ts_push(srv, "GET", "/slow", &slow), 0);
  char u0[128], u1[128];
  snprintf(u0, sizeof u0, "%s/big", ts_url(srv));
  snprintf(u1, sizeof u1, "%s/slow", ts_url(srv));
  lpsa_http_request reqs[2] = {
      {.size = sizeof reqs[0], .method = "GET", .url = u0},
      {.size = sizeof reqs[0], .method = "GET", .url = u1, .timeout_ms = 200}};
  lpsa_http_response resps[2];
  ck_assert_int_eq(http_send_many(c, reqs, resps, 2), LPSA_ERR_TOO_LARGE);
  ck_assert_ptr_nonnull(strstr(resps[0].error, "limit on one answer"));
  ck_assert_ptr_nonnull(strstr(resps[1].error, "timed out after 200 ms"));
  for (int i = 0; i < 2; i++)
    http_response_release(&resps[i]);
  free(big);
  http_client_free(c);
}
END_TEST

/* -- misc ------------------------------------------------------------------ */

START_TEST(url_escape_rfc3986) {
  char out[64];
  ck_assert_uint_eq(http_url_escape("a b&c=d/\xc3\xa9~-._Z9", out, sizeof out),
                    28);
  ck_assert_str_eq(out, "a%20b%26c%3Dd%2F%C3%A9~-._Z9");
  ck_assert_uint_eq(http_url_escape("", out, sizeof out), 0);
  ck_assert_str_eq(out, "");
  /* Short buffer: whole encodings only, NUL-terminated, full length told. */
  char small[5];
  memset(small, '#', sizeof small);
  ck_assert_uint_eq(http_url_escape("ab c", small, sizeof small), 6);
  ck_assert_str_eq(small, "ab");
  ck_assert_uint_eq(http_url_escape("x+y", NULL, 0), 5);
  ck_assert_uint_eq(http_url_escape("abc", small, 0), 3);
  ck_assert_int_eq(small[0], 'a'); /* cap 0: nothing written */
}
END_TEST

START_TEST(release_is_safe) {
  lpsa_http_response zero = {0};
  http_response_release(&zero);
  http_response_release(NULL);
  char buf[8] = "junk";
  ck_assert_int_eq(http_response_header(&zero, "X", buf, sizeof buf), -1);
  ck_assert_str_eq(buf, "");
  http_options o;
  http_options_default(&o);
  ck_assert_int_eq(o.connect_timeout_ms, 10000);
  ck_assert_int_eq(o.timeout_ms, 60000);
  ck_assert_uint_eq(o.max_response_bytes, 64u * 1024 * 1024);
  ck_assert_uint_eq(o.max_retries, 4);
  ck_assert_int_eq(o.backoff_base_ms, 500);
  ck_assert_int_eq(o.backoff_max_ms, 30000);
  ck_assert_uint_eq(o.max_concurrency, 4);
  ck_assert_ptr_null(o.ca_file);
}
END_TEST

START_TEST(https_to_plain_server_fails) {
  http_client *c = client_with(4, 20);
  char u[128];
  snprintf(u, sizeof u, "https://127.0.0.1:%u/x", (unsigned)ts_port(srv));
  lpsa_http_request req = {.size = sizeof req, .method = "GET", .url = u};
  lpsa_http_response resp;
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_int_eq(resp.status, 0);
  ck_assert_str_ne(resp.error, "");
  http_response_release(&resp);
  http_client_free(c);
}
END_TEST

/* -- TLS with a certificate made for the test ------------------------------ */

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *s = calloc(1, 65536);
  if (s)
    fread(s, 1, 65535, f);
  fclose(f);
  return s;
}

START_TEST(tls_verified_against_ca_file) {
  char dir[] = "/tmp/lpsa-tls-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  char cmd[1024], cert[256], key[256];
  snprintf(cert, sizeof cert, "%s/cert.pem", dir);
  snprintf(key, sizeof key, "%s/key.pem", dir);
  snprintf(cmd, sizeof cmd,
           "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
           "-nodes -days 1 -subj /CN=127.0.0.1 "
           "-addext subjectAltName=IP:127.0.0.1 -keyout %s -out %s "
           ">/dev/null 2>&1",
           key, cert);
  if (system(cmd) != 0) {
    fprintf(stderr, "tls test skipped: openssl could not make a cert\n");
    rmdir(dir);
    return;
  }
  char *cert_pem = slurp(cert), *key_pem = slurp(key);
  ck_assert_ptr_nonnull(cert_pem);
  ck_assert_ptr_nonnull(key_pem);
  test_server *tls = ts_start_tls(cert_pem, key_pem);
  ck_assert_ptr_nonnull(tls);
  ts_response ok = {.status = 200, .body = "secure"};
  ts_set_default(tls, &ok);
  char u[128];
  snprintf(u, sizeof u, "%s/x", ts_url(tls));
  ck_assert_ptr_nonnull(strstr(u, "https://"));
  lpsa_http_request req = {.size = sizeof req, .method = "GET", .url = u};
  lpsa_http_response resp;

  /* Unknown issuer: refused, and not retried (it would fail again). */
  http_client *c = client_with(4, 20);
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_ERR_NETWORK);
  ck_assert_uint_eq(resp.attempts, 1);
  ck_assert_str_ne(resp.error, "");
  http_response_release(&resp);
  http_client_free(c);
  ck_assert_uint_eq(ts_request_count(tls), 0);

  http_options o;
  http_options_default(&o);
  o.ca_file = cert;
  c = http_client_new(&o, logger);
  ck_assert_int_eq(http_send(c, &req, &resp), LPSA_OK);
  ck_assert_int_eq(resp.status, 200);
  ck_assert_str_eq(resp.body, "secure");
  http_response_release(&resp);
  http_client_free(c);

  ts_stop(tls);
  free(cert_pem);
  free(key_pem);
  unlink(cert);
  unlink(key);
  rmdir(dir);
}
END_TEST

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("transport");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, get_round_trip);
  tcase_add_test(tc, methods_and_bodies);
  tcase_add_test(tc, unrepeatable_writes_are_told_first);
  tcase_add_test(tc, not_found_and_redirect_returned_as_is);
  tcase_add_test(tc, only_http_and_https);
  tcase_add_test(tc, retry_after_seconds_honoured);
  tcase_add_test(tc, retry_after_http_date_honoured);
  tcase_add_test(tc, retry_after_capped_still_retries);
  tcase_add_test(tc, gateway_errors_retried);
  tcase_add_test(tc, other_errors_not_retried);
  tcase_add_test(tc, retries_exhausted_returns_last_answer);
  tcase_add_test(tc, no_retry_flag);
  tcase_add_test(tc, post_not_retried_on_503);
  tcase_add_test(tc, post_not_resent_after_dropped_connection);
  tcase_add_test(tc, get_retried_after_dropped_connection);
  tcase_add_test(tc, retry_safe_post_retried);
  tcase_add_test(tc, connection_refused_is_network_error);
  tcase_add_test(tc, timeout_reported);
  tcase_add_test(tc, timeout_retried_for_get);
  tcase_add_test(tc, trickling_body_read_whole);
  tcase_add_test(tc, oversized_body_refused);
  tcase_add_test(tc, counters_by_label);
  tcase_add_test(tc, log_redacts_credentials);
  tcase_add_test(tc, no_psa_header_is_the_hosts);
  tcase_add_test(tc, sensitive_headers_learned_as_sent);
  tcase_add_test(tc, many_bounded_by_max_concurrency);
  tcase_add_test(tc, many_bounded_by_group_limit);
  tcase_add_test(tc, many_retry_waits_without_blocking);
  tcase_add_test(tc, many_reports_first_failure);
  tcase_add_test(tc, many_size_cap_and_timeout);
  tcase_add_test(tc, url_escape_rfc3986);
  tcase_add_test(tc, release_is_safe);
  tcase_add_test(tc, https_to_plain_server_fails);
  tcase_add_test(tc, tls_verified_against_ca_file);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
