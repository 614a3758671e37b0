/* SPDX-License-Identifier: MIT */
/*
 * test_server.h — a scriptable HTTP(S) server on 127.0.0.1 for tests.
 *
 * Bound to an OS-chosen port so tests run in parallel, one thread per
 * connection so concurrent requests really overlap. A test scripts the
 * answers (status, headers, body, a delay, a dropped connection, a body that
 * trickles out), then asserts on what the server saw: every request (method,
 * path and query as sent, headers, body) and how many were in flight at once.
 *
 * Matching: each request takes the first scripted response, in the order
 * pushed, whose method and path prefix match (NULL matches anything); a
 * scripted response is used once. With none left it goes to the handler, if
 * any, then to the default response (404 "no scripted response" unless set).
 */
#ifndef LPSA_TEST_SERVER_H
#define LPSA_TEST_SERVER_H

#include <stddef.h>
#include <time.h>

typedef struct ts_response {
  int status;          /* HTTP status (ignored when close is set) */
  const char *headers; /* "Name: value" lines separated by '\n', or NULL */
  const char *body;    /* NULL: empty */
  size_t body_len;     /* 0: strlen(body) */
  long delay_ms;       /* wait this long before answering (or closing) */
  int close;           /* drop the connection without answering */
  /* > 0: send the body trickle_bytes (default 1) at a time, waiting
   * trickle_ms before each piece. Content-Length is still announced. */
  long trickle_ms;
  size_t trickle_bytes;
  /* Send the body with chunked encoding (no Content-Length). */
  int chunked;
  /* For handler answers only: free(headers) and free(body) once copied. */
  int owned;
} ts_response;

typedef struct ts_request {
  char *method;
  char *target; /* path and query exactly as sent, "/a/b?x=1" */
  size_t n_headers;
  char **names, **values;
  char *body; /* NUL-terminated; body_len excludes the NUL */
  size_t body_len;
  /* When the server saw the request and when it finished answering it (the
   * answer was handed over: never after the client could have it). */
  struct timespec arrived, answered;
  int done;
} ts_request;

/* Answer requests that no scripted response matched. Called without locks,
 * possibly from several threads at once. Return 0 to fall through to the
 * default response. */
typedef int (*ts_handler)(void *arg, const ts_request *req, ts_response *out);

typedef struct test_server test_server;

/* Plain HTTP. NULL on failure. */
test_server *ts_start(void);
/* HTTPS with a PEM certificate and key (the contents, not file names). */
test_server *ts_start_tls(const char *cert_pem, const char *key_pem);
/* Stop (interrupting delays and trickles) and free everything. */
void ts_stop(test_server *s);

unsigned short ts_port(const test_server *s);
/* "http://127.0.0.1:PORT" (or https), no trailing slash. */
const char *ts_url(const test_server *s);

/* Queue a response (copied). Returns 0, or -1 when out of memory. */
int ts_push(test_server *s, const char *method, const char *prefix,
            const ts_response *r);
/* The answer when nothing else matches (copied). */
int ts_set_default(test_server *s, const ts_response *r);
void ts_set_handler(test_server *s, ts_handler fn, void *arg);
/* Forget the script, the recorded requests and the in-flight statistics. */
void ts_clear(test_server *s);

/* Requests received so far; a pointer stays valid until ts_clear/ts_stop. */
size_t ts_request_count(test_server *s);
const ts_request *ts_request_at(test_server *s, size_t i);
/* Value of a request header (case-insensitive name; last one wins) or NULL. */
const char *ts_request_header(const ts_request *r, const char *name);
/* How many requests had a target starting with prefix (NULL: all). */
size_t ts_count(test_server *s, const char *prefix);
/* Wait until at least n requests were answered (or dropped); 0 when they
 * were, -1 after timeout_ms. */
int ts_wait_answered(test_server *s, size_t n, long timeout_ms);
/* TCP connections accepted since the start (kept-alive connections reused
 * by a client count once). */
size_t ts_connection_count(test_server *s);
/* The most requests in flight at once, among those whose target starts with
 * prefix (NULL: all). */
unsigned ts_max_in_flight(test_server *s, const char *prefix);

#endif
