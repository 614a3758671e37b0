/*
 * http.h — the host's HTTP transport (libcurl), lent to drivers and used by
 * the LastPass client through the same calls.
 *
 * What it guarantees, for every request:
 *   - connect and total timeouts, TLS peer and host verification (ca_file to
 *     trust a private CA), a cap on the response size;
 *   - retries of GET/HEAD (and of requests flagged LPSA_HTTP_RETRY_SAFE) on
 *     429, 502, 503, 504 and connection errors, with exponential back-off and
 *     full jitter, honouring Retry-After in seconds or as an HTTP-date
 *     (capped at backoff_max_ms);
 *   - a non-idempotent request is sent once unless flagged RETRY_SAFE;
 *   - a per-run count of requests (every attempt counts: the remote counts
 *     them too) by label, or by "METHOD host/path" with numeric path segments
 *     replaced by {id};
 *   - debug logging of each request with the Authorization, Secret,
 *     ApiIntegrationCode, UserName and clientId headers redacted, and the
 *     logger's registered secrets removed from URLs and bodies.
 * Concurrency: http_send_many() drives a curl multi handle with at most
 * max_concurrency transfers at once, and at most group_limit per group.
 * Not thread-safe: one client per thread.
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
  unsigned max_concurrency;  /* http_send_many() bound; default 4 */
  const char *ca_file;       /* extra trust anchors (PEM), or NULL */
} http_options;

/* Fill `opt` with the defaults above. */
void http_options_default(http_options *opt);

typedef struct http_client http_client;

/* A client bound to a logger (which must outlive it). NULL on failure. */
http_client *http_client_new(const http_options *opt, lpsa_log *log);
void http_client_free(http_client *client);

/* See lpsa_host_api.http / http_many / http_release / http_header. */
int http_send(http_client *client, const lpsa_http_request *req,
              lpsa_http_response *resp);
int http_send_many(http_client *client, const lpsa_http_request *reqs,
                   lpsa_http_response *resps, size_t n);
void http_response_release(lpsa_http_response *resp);
long http_response_header(const lpsa_http_response *resp, const char *name,
                          char *buf, size_t cap);
size_t http_url_escape(const char *in, char *out, size_t cap);

/* Per-run request counters, sorted by label. */
typedef struct http_count {
  const char *label;
  unsigned long requests;
} http_count;
/* The counters so far; valid until the next request or reset. */
size_t http_counts(const http_client *client, const http_count **out);
unsigned long http_total_requests(const http_client *client);
void http_reset_counts(http_client *client);

#endif
