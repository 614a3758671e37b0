/* SPDX-License-Identifier: MIT */
/*
 * http.h — the host's HTTP transport (libcurl), lent to drivers and used by
 * the LastPass client through the same calls.
 *
 * What it guarantees, for every request:
 *   - connect and total timeouts, TLS peer and host verification (ca_file to
 *     trust a private CA), a cap on the response size (headers and body);
 *   - only http:// and https:// URLs; redirects are never followed (one to
 *     another host would carry the credentials there): a 3xx is returned as
 *     the status;
 *   - retries of GET/HEAD (and of requests flagged LPSA_HTTP_RETRY_SAFE) on
 *     429, 502, 503, 504 and connection errors (refused, reset, no answer,
 *     timeout), with exponential back-off and full jitter, honouring
 *     Retry-After in seconds or as an HTTP-date (capped at backoff_max_ms:
 *     a longer Retry-After waits the cap and still retries). Other statuses
 *     (500 included) are returned at once. After the last attempt the last
 *     answer is returned (LPSA_OK with, say, status 429);
 *   - a non-idempotent request is sent once unless flagged RETRY_SAFE; it
 *     always gets a connection of its own, because curl silently resends a
 *     request whose kept-alive connection died, which could apply a POST
 *     twice;
 *   - a per-run count of requests (every send counts, curl's own resends
 *     included: the remote counts them too) by label, or by
 *     "METHOD host/path" (no port, no query) with purely numeric path
 *     segments replaced by {id};
 *   - the value of every sensitive header (the client's table,
 *     http_sensitive.h) registered with the logger before it is sent, in
 *     every encoding (redact.h), so an answer quoting it is redacted
 *     wherever it is shown; a header holding a line break is refused;
 *   - debug logging of each attempt (method, URL, status, duration, attempt)
 *     with the values of the sensitive headers replaced by "***" and the
 *     logger's registered secrets removed (log_msg does that); a warning
 *     line for each retry. Bodies are not logged.
 * Concurrency: every request of a client, from http_send() or
 * http_send_many(), from any thread, goes into one pool worked on one curl
 * multi handle (one connection cache): when one answer arrives the next
 * request starts, with no barrier between the calls. At most the window's
 * size is in flight (http_window.h: it starts at 4, grows while answers are
 * healthy up to max_concurrency, halves on a 429 or a thread-threshold
 * answer), and at most group_limit per group, counted over every thread's
 * requests; a request waiting out its back-off does not hold a slot.
 * Thread-safe: several threads may send through one client at once (one of
 * them works the multi handle while the others wait for their answers).
 * Configure it (sensitive headers, paces) before requests run. No global
 * state: the program's main() must call curl_global_init(CURL_GLOBAL_DEFAULT)
 * once before the first client (and should ignore SIGPIPE: transfers run
 * with CURLOPT_NOSIGNAL so that no signal handler is touched behind the
 * program's back).
 */
#ifndef LPSA_CORE_HTTP_H
#define LPSA_CORE_HTTP_H

#include <stddef.h>

#include "log.h"
#include "lpsa/host.h"

typedef struct http_options {
  long connect_timeout_ms;   /* default 10000 */
  long timeout_ms;           /* whole transfer; default 60000 */
  size_t max_response_bytes; /* default 64 MiB */
  unsigned max_retries;      /* retries after the first attempt; default 4 */
  long backoff_base_ms;      /* first back-off; default 500 */
  long backoff_max_ms;       /* longest wait, Retry-After included; 30000 */
  unsigned max_concurrency;  /* most in flight; default 4; 0 is 1 */
  const char *ca_file;       /* extra trust anchors (PEM), or NULL */
} http_options;

/* Fill `opt` with the defaults above. */
void http_options_default(http_options *opt);

typedef struct http_client http_client;

/* A client bound to a logger (which must outlive it; NULL: no logging).
 * `opt` is copied (ca_file too); NULL means the defaults. NULL on failure. */
http_client *http_client_new(const http_options *opt, lpsa_log *log);
void http_client_free(http_client *client);
/* A new client with the same options, logger and deadline as `like` (not
 * its counters, paces or extra sensitive headers): for a thread that talks
 * to another service during the same run. NULL on failure. */
http_client *http_client_new_like(const http_client *like);
/* Count header `name` as sensitive from now on (a driver's own credential
 * header). 0, or -1 when out of memory or not a header name. */
int http_client_add_sensitive_header(http_client *client, const char *name);

/* Pace the requests of `group` (lpsa_host_api.http_pace, pace.h): at most
 * max_requests sends per rolling window_ms, every attempt counted, and
 * after a 429 the whole group held (Retry-After, else backoff_ms doubled
 * per 429 in a row; capped at backoff_max_ms), and a 429 retried
 * retries_429 times (0: max_retries). max_requests 0 removes the pace. 0, or -1
 * (invalid values, out of memory). */
int http_set_pace(http_client *client, const char *group, unsigned max_requests,
                  long window_ms, long backoff_ms, unsigned retries_429);

/* See lpsa_host_api.http / http_many / http_release / http_header.
 * The response is cleared first (the caller need not initialise it) and must
 * be released in every case; its body is always NUL-terminated when not NULL.
 * resp->attempts counts the sends. http_response_release() is safe on a
 * zeroed or already released response. */
int http_send(http_client *client, const lpsa_http_request *req,
              lpsa_http_response *resp);
int http_send_many(http_client *client, const lpsa_http_request *reqs,
                   lpsa_http_response *resps, size_t n);
void http_response_release(lpsa_http_response *resp);
long http_response_header(const lpsa_http_response *resp, const char *name,
                          char *buf, size_t cap);
size_t http_url_escape(const char *in, char *out, size_t cap);

/* Progress of requests (a person watching a long run): after
 * http_set_progress(), fn is called with the requests finished and the
 * requests asked for since then, when a request is asked for (a batch of
 * http_send_many() at once) and each time one finishes (its answer, or its
 * last failure; retries are inside one request). fn NULL stops it. */
typedef void (*http_progress_fn)(void *arg, unsigned long done,
                                 unsigned long asked);
void http_set_progress(http_client *client, http_progress_fn fn, void *arg);

/* The whole run's deadline (run_timeout), on CLOCK_MONOTONIC in seconds:
 * once it has passed, no request starts (it fails at once with
 * LPSA_ERR_NETWORK and `why` in resp->error) and no back-off waits past it;
 * a request in progress still ends within its own timeout. deadline_s <= 0
 * clears it. */
void http_set_deadline(http_client *client, double deadline_s, const char *why);
/* While the calling thread holds it (around one write, so that its
 * verifying read is never cut off), the deadline stops none of that
 * thread's requests. */
void http_hold_deadline(http_client *client, int hold);
/* 1 once the deadline has passed (held or not). */
int http_deadline_passed(const http_client *client);
/* From any thread: no request of the client starts any more (it fails at
 * once with LPSA_ERR_NETWORK and `why`, held deadline or not) and no
 * back-off waits; requests in flight end as usual. For a run that already
 * failed on another side. http_abandon_clear() ends it. */
void http_abandon(http_client *client, const char *why);
void http_abandon_clear(http_client *client);

/* Called right before each request that must not be sent twice (any method
 * but GET and HEAD without LPSA_HTTP_RETRY_SAFE, or with
 * LPSA_HTTP_NO_RETRY: a delta write) is sent, with its timeout: the sync
 * journals until when it may be in flight (recovery.h). A non-zero return
 * refuses the request: it fails as unanswered (LPSA_ERR_NETWORK, status
 * 0), nothing sent. fn NULL stops it. The hook is the calling thread's:
 * it applies to the requests this thread sends on `client` (parallel
 * writers each set their own), and may be called from whichever thread
 * works the client's requests, without the client's lock. */
typedef int (*http_unrepeatable_fn)(void *arg, long timeout_ms);
void http_on_unrepeatable(http_client *client, http_unrepeatable_fn fn,
                          void *arg);

/* Per-run request counters, sorted by label. */
typedef struct http_count {
  const char *label;
  unsigned long requests;
} http_count;
/* The counters so far; valid until the next request or reset. */
size_t http_counts(const http_client *client, const http_count **out);
unsigned long http_total_requests(const http_client *client);
/* Forget the counters, and start the window afresh (a new run). */
void http_reset_counts(http_client *client);
/* Add `from`'s counters to `into`'s (a second client of the same run).
 * 0, or -1 when out of memory. */
int http_add_counts(http_client *into, http_client *from);

/* The concurrency the client used since the last reset. */
typedef struct http_concurrency_stats {
  unsigned max;      /* max_concurrency */
  unsigned peak;     /* most requests in flight at once */
  unsigned window;   /* the window's size now */
  unsigned halvings; /* times a throttled answer halved the window */
  unsigned smallest; /* the smallest it was halved to (0: never halved) */
} http_concurrency_stats;
void http_concurrency(const http_client *client, http_concurrency_stats *out);

#endif
