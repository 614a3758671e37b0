/* SPDX-License-Identifier: MIT */
/*
 * http_transfer.c — one request of the HTTP client (see http.h): its set-up,
 * the curl options of each attempt, and the judging of each answer (retry,
 * back-off, Retry-After, pace, window, the size cap, counting, logging).
 * The pool (http_pool.c) decides when attempts start.
 */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "backoff.h"
#include "http_internal.h"
#include "retry_after.h"
#include "version.h"

/* -- small growable byte buffer ------------------------------------------- */

/* Append n bytes, keeping a NUL after them. -1 when out of memory. */
int buf_add(buf *b, const char *p, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown)
      return -1;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

void buf_clear(buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* -- URL helpers ---------------------------------------------------------- */

/* "host/path" of a URL, without scheme, port, query or fragment. NULL when
 * out of memory; the URL itself (query cut) when curl cannot parse it. */
static char *url_where(const char *url) {
  char *host = NULL, *path = NULL, *where = NULL;
  CURLU *u = curl_url();
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
    size_t n = strlen(host) + strlen(path) + 1;
    if ((where = malloc(n)))
      snprintf(where, n, "%s%s", host, path);
  } else if ((where = strdup(url))) {
    where[strcspn(where, "?#")] = '\0';
  }
  curl_free(host);
  curl_free(path);
  curl_url_cleanup(u);
  return where;
}

static int all_digits(const char *p, size_t n) {
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (p[i] < '0' || p[i] > '9')
      return 0;
  return 1;
}

/* "METHOD host/path" with every purely numeric path segment made "{id}", so
 * that /companies/17 and /companies/18 count as one endpoint. */
static char *derive_label(const char *method, const char *where) {
  buf b = {0};
  const char *p = where;
  int ok = buf_add(&b, method, strlen(method)) == 0 && buf_add(&b, " ", 1) == 0;
  size_t hostlen = strcspn(p, "/");
  ok = ok && buf_add(&b, p, hostlen) == 0;
  p += hostlen;
  while (ok && *p == '/') {
    p++;
    size_t seg = strcspn(p, "/");
    ok = buf_add(&b, "/", 1) == 0 &&
         (all_digits(p, seg) ? buf_add(&b, "{id}", 4) : buf_add(&b, p, seg)) ==
             0;
    p += seg;
  }
  if (!ok) {
    free(b.data);
    return NULL;
  }
  return b.data ? b.data : strdup("");
}

/* -- one request ---------------------------------------------------------- */

void transfer_set_error(lpsa_http_response *resp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(resp->error, sizeof resp->error, fmt, ap);
  va_end(ap);
}

static int method_is(const transfer *t, const char *m) {
  return strcmp(t->req.method, m) == 0;
}

/* Clear the response and prepare the transfer. On failure the response
 * carries the error and the status is returned. */
int transfer_init(transfer *t, http_client *c, const lpsa_http_request *req,
                  lpsa_http_response *resp, int exempt) {
  memset(t, 0, sizeof *t);
  /* The response is the caller's and may be uninitialised: it is cleared
   * whole. lpsa_http_response is frozen at its ABI 1.0 size (host.h). */
  memset(resp, 0, sizeof *resp);
  resp->size = sizeof *resp;
  t->client = c;
  t->resp = resp;
  t->exempt = exempt;
  t->state = T_DONE;
  if (!c || !req || !req->url) {
    transfer_set_error(resp, "invalid HTTP request: no client or no URL");
    return t->result = LPSA_ERR_INVALID;
  }
  size_t n = req->size && req->size < sizeof t->req ? req->size : sizeof t->req;
  memcpy(&t->req, req, n);
  if (!t->req.method)
    t->req.method = "GET";
  t->resendable = method_is(t, "GET") || method_is(t, "HEAD") ||
                  (t->req.flags & LPSA_HTTP_RETRY_SAFE);
  if (t->req.flags & LPSA_HTTP_NO_RETRY)
    t->resendable = 0;
  t->once = !t->resendable && !method_is(t, "GET") && !method_is(t, "HEAD");
  t->timeout_ms = t->req.timeout_ms > 0 ? t->req.timeout_ms : c->opt.timeout_ms;
  if (!(t->where = url_where(t->req.url)))
    goto nomem;
  t->label = t->req.label ? strdup(t->req.label)
                          : derive_label(t->req.method, t->where);
  if (!t->label)
    goto nomem;
  for (const char *const *h = t->req.headers; h && *h; h++) {
    /* A line break would end the header and start another one of the
     * value's choosing (a credential read with its "\r\n"). */
    if (strpbrk(*h, "\r\n")) {
      transfer_set_error(resp,
                         "refused to send %s %s: a header holds a line break",
                         t->req.method, t->where);
      return t->result = LPSA_ERR_INVALID;
    }
    /* Known before it is sent, so an answer quoting it is redacted. */
    const char *colon = strchr(*h, ':');
    if (colon && c->log && http_sensitive_has(&c->sensitive, *h) &&
        log_add_sensitive_header(c->log, colon + 1))
      goto nomem;
    struct curl_slist *next = curl_slist_append(t->headers, *h);
    if (!next)
      goto nomem;
    t->headers = next;
  }
  /* No "Expect: 100-continue" round trip before larger bodies. */
  struct curl_slist *next = curl_slist_append(t->headers, "Expect:");
  if (!next)
    goto nomem;
  t->headers = next;
  t->state = T_QUEUED;
  return t->result = LPSA_OK;
nomem:
  transfer_set_error(resp, "out of memory preparing %s %s", t->req.method,
                     t->where ? t->where : "request");
  return t->result = LPSA_ERR_NOMEM;
}

void transfer_cleanup(transfer *t) {
  curl_slist_free_all(t->headers);
  free(t->where);
  free(t->label);
  free(t->body.data);
  free(t->head.data);
  t->headers = NULL;
  t->where = t->label = NULL;
  t->body.data = t->head.data = NULL;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg) {
  transfer *t = arg;
  size_t len = size * n;
  if (t->body.len + len > t->client->opt.max_response_bytes) {
    t->too_large = 1;
    return 0; /* aborts the transfer */
  }
  if (buf_add(&t->body, p, len) != 0) {
    t->nomem = 1;
    return 0;
  }
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg) {
  transfer *t = arg;
  size_t len = size * n;
  /* A new status line (after a 100 Continue, say) starts a new header set. */
  if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
    buf_clear(&t->head);
  if (t->head.len + len > t->client->opt.max_response_bytes) {
    t->too_large = 1;
    return 0;
  }
  if (buf_add(&t->head, p, len) != 0) {
    t->nomem = 1;
    return 0;
  }
  return len;
}

#if LIBCURL_VERSION_NUM >= 0x075000
/* Called before each send. curl resends on its own when a reused connection
 * turns out dead; those hidden sends are counted too, since the server may
 * have counted them. */
static int on_send(void *arg, char *remote_ip, char *local_ip, int remote_port,
                   int local_port) {
  (void)remote_ip;
  (void)local_ip;
  (void)remote_port;
  (void)local_port;
  transfer *t = arg;
  if (++t->sends > 1) {
    if (http_count_request(t->client, t->label) != 0) {
      t->nomem = 1;
      return CURL_PREREQFUNC_ABORT;
    }
    t->resp->attempts++;
  }
  return CURL_PREREQFUNC_OK;
}
#endif

#define SETOPT(easy, opt, val)                                                 \
  do {                                                                         \
    if (curl_easy_setopt(easy, opt, val) != CURLE_OK)                          \
      return -1;                                                               \
  } while (0)

static int set_method(transfer *t, CURL *e) {
  const lpsa_http_request *r = &t->req;
  if (method_is(t, "GET") && !r->body) {
    SETOPT(e, CURLOPT_HTTPGET, 1L);
    return 0;
  }
  if (method_is(t, "HEAD")) {
    SETOPT(e, CURLOPT_NOBODY, 1L);
    return 0;
  }
  if (r->body || method_is(t, "POST")) {
    /* POSTFIELDS does not copy: the caller's body outlives the call. */
    SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
           (curl_off_t)(r->body ? r->body_len : 0));
    SETOPT(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
  }
  if (!method_is(t, "POST"))
    SETOPT(e, CURLOPT_CUSTOMREQUEST, r->method);
  return 0;
}

static int set_options(transfer *t, CURL *e) {
  const http_options *o = &t->client->opt;
  SETOPT(e, CURLOPT_URL, t->req.url);
#if LIBCURL_VERSION_NUM >= 0x075500
  SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  SETOPT(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  /* Never follow redirects: one to another host would carry the
   * credentials there. The caller sees the 3xx. */
  SETOPT(e, CURLOPT_FOLLOWLOCATION, 0L);
  SETOPT(e, CURLOPT_SSL_VERIFYPEER, 1L);
  SETOPT(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (o->ca_file)
    SETOPT(e, CURLOPT_CAINFO, o->ca_file);
  SETOPT(e, CURLOPT_NOSIGNAL, 1L);
  SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  SETOPT(e, CURLOPT_TIMEOUT_MS, t->timeout_ms);
  /* Stop before reading an announced body that is too large. */
  SETOPT(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_response_bytes);
  SETOPT(e, CURLOPT_ACCEPT_ENCODING, "");
  SETOPT(e, CURLOPT_USERAGENT, "lpsa/" LPSA_VERSION);
  SETOPT(e, CURLOPT_HTTPHEADER, t->headers);
  SETOPT(e, CURLOPT_WRITEFUNCTION, on_body);
  SETOPT(e, CURLOPT_WRITEDATA, t);
  SETOPT(e, CURLOPT_HEADERFUNCTION, on_header);
  SETOPT(e, CURLOPT_HEADERDATA, t);
  SETOPT(e, CURLOPT_ERRORBUFFER, t->errbuf);
  SETOPT(e, CURLOPT_PRIVATE, t);
#if LIBCURL_VERSION_NUM >= 0x075000
  SETOPT(e, CURLOPT_PREREQFUNCTION, on_send);
  SETOPT(e, CURLOPT_PREREQDATA, t);
#endif
  /* curl silently resends a request whose reused connection died before an
   * answer began. That is right for a GET, but a POST may already have been
   * applied: a request that may not be resent gets its own connection. */
  if (!t->resendable)
    SETOPT(e, CURLOPT_FRESH_CONNECT, 1L);
  return set_method(t, e);
}

/* Set up the next attempt on `easy`. Counts it. */
int attempt_start(transfer *t, CURL *easy) {
  http_client *c = t->client;
  if (http_stops(t)) {
    transfer_set_error(t->resp, "%s %s not sent: %s", t->req.method, t->where,
                       http_stop_why(c));
    t->resp->status = 0;
    return t->result = LPSA_ERR_NETWORK;
  }
  t->easy = easy;
  curl_easy_reset(easy);
  buf_clear(&t->body);
  buf_clear(&t->head);
  t->too_large = t->nomem = 0;
  t->sends = 0;
  t->errbuf[0] = '\0';
  if (set_options(t, easy) != 0 || http_count_request(c, t->label) != 0) {
    transfer_set_error(t->resp, "out of memory preparing %s %s", t->req.method,
                       t->where);
    return t->result = LPSA_ERR_NOMEM;
  }
  t->resp->attempts++;
  t->started = http_mono_now();
  t->ticket = http_window_started(&c->window, (unsigned)c->running + 1);
  pace_sent(c->pace, t->req.group, http_mono_ms());
  return LPSA_OK;
}

/* -- judging an attempt --------------------------------------------------- */

static int status_retryable(long status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/* Failures where the request may not have arrived, or the answer was lost on
 * the way: worth another try for a resendable request. TLS verification and
 * protocol errors are not: they will fail the same way again. */
static int code_retryable(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return 1;
  default:
    return 0;
  }
}

static void log_attempt(const transfer *t, long status, CURLcode code) {
  lpsa_log *log = t->client->log;
  if (!log || log_level(log) > LPSA_LOG_DEBUG)
    return;
  buf h = {0};
  int ok = 1;
  for (const char *const *p = t->req.headers; ok && p && *p; p++) {
    size_t name = http_sensitive_has(&t->client->sensitive, *p)
                      ? strcspn(*p, ":")
                      : strlen(*p);
    ok = buf_add(&h, "; ", 2) == 0 && buf_add(&h, *p, name) == 0 &&
         (name == strlen(*p) || buf_add(&h, ": ***", 5) == 0);
  }
  char outcome[CURL_ERROR_SIZE + 32];
  if (code == CURLE_OK)
    snprintf(outcome, sizeof outcome, "%ld", status);
  else
    snprintf(outcome, sizeof outcome, "failed (%s)",
             t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
  log_msg(log, LPSA_LOG_DEBUG,
          "HTTP %s %s -> %s in %ld ms (attempt %u, %zu bytes sent, %zu "
          "received)%s",
          t->req.method, t->req.url, outcome,
          http_ms_between(t->started, http_mono_now()), t->resp->attempts,
          t->req.body ? t->req.body_len : 0, t->body.len,
          ok && h.data ? h.data : "");
  free(h.data);
}

/* How long to wait before retrying after an answer `status`: Retry-After
 * when the server sent one (capped), else exponential back-off with full
 * jitter. */
static long retry_delay_ms(transfer *t) {
  const http_options *o = &t->client->opt;
  char value[128];
  lpsa_http_response tmp = {.priv = t->head.data};
  if (http_response_header(&tmp, "Retry-After", value, sizeof value) >= 0) {
    long s = retry_after_seconds(value, time(NULL));
    if (s >= 0)
      return s > o->backoff_max_ms / 1000 ? o->backoff_max_ms : s * 1000;
  }
  return backoff_full_jitter_ms(o->backoff_base_ms, o->backoff_max_ms,
                                t->resp->attempts,
                                backoff_random_next(&t->client->rng));
}

/* Tell the group's pace (if any) how the attempt was answered. A 429 holds
 * the whole group; returns that hold in ms, else -1. */
static long note_pace(transfer *t, long status) {
  http_client *c = t->client;
  if (!pace_has(c->pace, t->req.group))
    return -1;
  if (status != 429) {
    pace_answered(c->pace, t->req.group);
    return -1;
  }
  long retry_after = -1;
  char value[128];
  lpsa_http_response tmp = {.priv = t->head.data};
  if (http_response_header(&tmp, "Retry-After", value, sizeof value) >= 0) {
    long s = retry_after_seconds(value, time(NULL));
    if (s >= 0)
      retry_after = s * 1000;
  }
  return pace_throttled(c->pace, t->req.group, http_mono_ms(), retry_after,
                        c->opt.backoff_max_ms);
}

static void warn_retry(const transfer *t, const char *why, long delay_ms) {
  unsigned paced = strcmp(why, "429") == 0
                       ? pace_retries_429(t->client->pace, t->req.group)
                       : 0;
  log_msg(t->client->log, LPSA_LOG_WARN,
          "%s from %s; retrying in %.1f s (attempt %u of %u)", why, t->where,
          delay_ms / 1000.0, t->resp->attempts + 1,
          (paced ? paced : t->client->opt.max_retries) + 1);
}

static int may_retry(const transfer *t) {
  return t->resendable && t->resp->attempts <= t->client->opt.max_retries;
}

/* Give the response the body (NUL-terminated) and the headers. */
static void hand_over(transfer *t) {
  lpsa_http_response *r = t->resp;
  if (!t->body.data && buf_add(&t->body, "", 0) != 0) {
    transfer_set_error(r, "out of memory reading the answer from %s", t->where);
    t->result = LPSA_ERR_NOMEM;
    return;
  }
  r->body = t->body.data;
  r->body_len = t->body.len;
  r->priv = t->head.data;
  t->body = (buf){0};
  t->head = (buf){0};
}

/* Autotask refuses a 4th concurrent request per entity with "thread
 * threshold of 3 threads has been exceeded", not always as a 429. */
static int says_thread_threshold(const buf *body) {
  static const char needle[] = "thread threshold";
  size_t n = sizeof needle - 1;
  if (!body->data || body->len > 4096)
    return 0;
  for (size_t i = 0; i + n <= body->len; i++)
    if (strncasecmp(body->data + i, needle, n) == 0)
      return 1;
  return 0;
}

/* Tell the window how the attempt ended. */
static void note_window(transfer *t, CURLcode code, long status) {
  http_window_answer how = HTTP_WINDOW_HEALTHY;
  if (code != CURLE_OK || status >= 500 || status == 0)
    how = HTTP_WINDOW_FAILED;
  if (code == CURLE_OK &&
      (status == 429 || (status >= 400 && says_thread_threshold(&t->body))))
    how = HTTP_WINDOW_THROTTLED;
  http_window_answered(&t->client->window, t->ticket, how,
                       http_ms_between(t->started, http_mono_now()));
}

/* The end of an attempt. Returns the delay before the next attempt, or -1
 * when the transfer is over (t->result and the response then final). */
long attempt_finish(transfer *t, CURLcode code) {
  lpsa_http_response *r = t->resp;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  log_attempt(t, status, code);
  note_window(t, code, status);
  if (t->nomem) {
    transfer_set_error(r, "out of memory reading the answer from %s", t->where);
    t->result = LPSA_ERR_NOMEM;
  } else if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
    transfer_set_error(
        r,
        "the answer from %s is larger than the %zu-byte limit on "
        "one answer: no page this API serves is that large, so it was "
        "refused",
        t->where, t->client->opt.max_response_bytes);
    t->result = LPSA_ERR_TOO_LARGE;
  } else if (code == CURLE_OK) {
    long held = note_pace(t, status);
    /* A paced group may ask for more retries of a 429 than usual. */
    unsigned paced =
        held >= 0 ? pace_retries_429(t->client->pace, t->req.group) : 0;
    int again =
        paced ? t->resendable && t->resp->attempts <= paced : may_retry(t);
    if (status_retryable(status) && again) {
      long delay = retry_delay_ms(t);
      if (held > delay)
        delay = held;
      char why[16];
      snprintf(why, sizeof why, "%ld", status);
      warn_retry(t, why, delay);
      return delay;
    }
    r->error[0] = '\0';
    t->result = LPSA_OK;
    hand_over(t);
    /* Only a complete answer carries a status: never 200 without a body. */
    if (t->result == LPSA_OK)
      r->status = status;
    return -1;
  } else {
    const char *text = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
    curl_off_t connected = 0;
    curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connected);
    if (code == CURLE_OPERATION_TIMEDOUT && connected == 0 &&
        t->client->opt.connect_timeout_ms > 0 &&
        t->client->opt.connect_timeout_ms < t->timeout_ms)
      transfer_set_error(
          r, "%s %s: could not connect: timed out after %ld ms (%s)",
          t->req.method, t->where, t->client->opt.connect_timeout_ms, text);
    else if (code == CURLE_OPERATION_TIMEDOUT)
      transfer_set_error(r, "%s %s: timed out after %ld ms (%s)", t->req.method,
                         t->where, t->timeout_ms, text);
    else
      transfer_set_error(r, "%s %s: %s", t->req.method, t->where, text);
    t->result = LPSA_ERR_NETWORK;
    if (code_retryable(code) && may_retry(t)) {
      long delay = backoff_full_jitter_ms(
          t->client->opt.backoff_base_ms, t->client->opt.backoff_max_ms,
          r->attempts, backoff_random_next(&t->client->rng));
      warn_retry(t,
                 code == CURLE_OPERATION_TIMEDOUT ? "timeout"
                                                  : "connection failure",
                 delay);
      return delay;
    }
  }
  /* Over without an HTTP answer: no status, but still a readable body. */
  r->status = 0;
  if (!r->body && (r->body = calloc(1, 1)) == NULL && t->result == LPSA_OK)
    t->result = LPSA_ERR_NOMEM;
  return -1;
}
