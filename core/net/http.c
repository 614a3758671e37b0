/* SPDX-License-Identifier: MIT */
/*
 * http.c — the host's HTTP transport on libcurl (see http.h): one request at
 * a time on a reused easy handle, several at once on a multi handle, with the
 * same retry, size-cap, counting and logging rules in both paths.
 *
 * Each request is a `transfer`; each send of it is an attempt. An attempt is
 * set up by attempt_start() and judged by attempt_finish(), which either ends
 * the transfer or asks for another attempt after a delay. http_send() sleeps
 * that delay; http_send_many() parks the transfer and keeps the others going.
 */
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "http_sensitive.h"
#include "pace.h"
#include "retry_after.h"
#include "version.h"

/* -- small growable byte buffer ------------------------------------------- */

typedef struct buf {
  char *data;
  size_t len, cap;
} buf;

/* Append n bytes, keeping a NUL after them. -1 when out of memory. */
static int buf_add(buf *b, const char *p, size_t n) {
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

static void buf_clear(buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* -- the client ----------------------------------------------------------- */

struct http_client {
  http_options opt;
  char *ca_file; /* owned copy of opt.ca_file */
  lpsa_log *log;
  CURL *easy;         /* http_send(): reused so its connections stay alive */
  CURLM *multi;       /* http_send_many(): likewise */
  http_count *counts; /* sorted by label; labels owned */
  size_t n_counts, cap_counts;
  unsigned long total;
  uint64_t rng;     /* jitter source, seeded per client */
  pace_table *pace; /* request budgets per group (http_set_pace), or NULL */
  http_sensitive sensitive; /* headers whose values are credentials */
  /* The run's deadline (http_set_deadline); has_deadline 0: none. */
  int has_deadline, deadline_held;
  struct timespec deadline;
  char deadline_why[256];
  http_progress_fn progress; /* http_set_progress(), or NULL */
  void *progress_arg;
  http_unrepeatable_fn unrepeatable; /* http_on_unrepeatable(), or NULL */
  void *unrepeatable_arg;
  unsigned long progress_done, progress_asked;
};

void http_options_default(http_options *opt) {
  opt->connect_timeout_ms = 10000;
  opt->timeout_ms = 60000;
  opt->max_response_bytes = (size_t)64 * 1024 * 1024;
  opt->max_retries = 4;
  opt->backoff_base_ms = 500;
  opt->backoff_max_ms = 30000;
  opt->max_concurrency = 4;
  opt->ca_file = NULL;
}

http_client *http_client_new(const http_options *opt, lpsa_log *log) {
  http_client *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (opt)
    c->opt = *opt;
  else
    http_options_default(&c->opt);
  if (c->opt.max_concurrency == 0)
    c->opt.max_concurrency = 1;
  c->log = log;
  if (c->opt.ca_file && !(c->ca_file = strdup(c->opt.ca_file)))
    goto fail;
  c->opt.ca_file = c->ca_file;
  if (http_sensitive_init(&c->sensitive))
    goto fail;
  if (!(c->easy = curl_easy_init()) || !(c->multi = curl_multi_init()))
    goto fail;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  c->rng = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
           ((uint64_t)getpid() << 16) ^ (uint64_t)(uintptr_t)c;
  return c;
fail:
  http_client_free(c);
  return NULL;
}

void http_client_free(http_client *c) {
  if (!c)
    return;
  if (c->easy)
    curl_easy_cleanup(c->easy);
  if (c->multi)
    curl_multi_cleanup(c->multi);
  http_reset_counts(c);
  free(c->counts);
  free(c->ca_file);
  pace_free(c->pace);
  http_sensitive_free(&c->sensitive);
  free(c);
}

int http_client_add_sensitive_header(http_client *c, const char *name) {
  return c ? http_sensitive_add(&c->sensitive, name) : -1;
}

int http_set_pace(http_client *c, const char *group, unsigned max_requests,
                  long window_ms, long backoff_ms, unsigned retries_429) {
  if (!c)
    return -1;
  if (!c->pace && !(c->pace = pace_new()))
    return -1;
  return pace_set(c->pace, group, max_requests, window_ms, backoff_ms,
                  retries_429);
}

/* -- progress ------------------------------------------------------------- */

void http_set_progress(http_client *c, http_progress_fn fn, void *arg) {
  if (!c)
    return;
  c->progress = fn;
  c->progress_arg = arg;
  c->progress_done = c->progress_asked = 0;
}

static void progress_asked(http_client *c, size_t n) {
  if (c && c->progress) {
    c->progress_asked += n;
    c->progress(c->progress_arg, c->progress_done, c->progress_asked);
  }
}

static void progress_done(http_client *c) {
  if (c && c->progress) {
    c->progress_done++;
    c->progress(c->progress_arg, c->progress_done, c->progress_asked);
  }
}

/* -- counters ------------------------------------------------------------- */

size_t http_counts(const http_client *c, const http_count **out) {
  if (out)
    *out = c ? c->counts : NULL;
  return c ? c->n_counts : 0;
}

unsigned long http_total_requests(const http_client *c) {
  return c ? c->total : 0;
}

void http_reset_counts(http_client *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->n_counts; i++)
    free((char *)c->counts[i].label);
  c->n_counts = 0;
  c->total = 0;
}

/* Count one attempt under `label` (binary search keeps the array sorted). */
static int count_request(http_client *c, const char *label) {
  size_t lo = 0, hi = c->n_counts;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int cmp = strcmp(c->counts[mid].label, label);
    if (cmp == 0) {
      c->counts[mid].requests++;
      c->total++;
      return 0;
    }
    if (cmp < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (c->n_counts == c->cap_counts) {
    size_t cap = c->cap_counts ? c->cap_counts * 2 : 16;
    http_count *grown = realloc(c->counts, cap * sizeof *grown);
    if (!grown)
      return -1;
    c->counts = grown;
    c->cap_counts = cap;
  }
  char *copy = strdup(label);
  if (!copy)
    return -1;
  memmove(c->counts + lo + 1, c->counts + lo,
          (c->n_counts - lo) * sizeof *c->counts);
  c->counts[lo].label = copy;
  c->counts[lo].requests = 1;
  c->n_counts++;
  c->total++;
  return 0;
}

/* -- URL helpers ---------------------------------------------------------- */

size_t http_url_escape(const char *in, char *out, size_t cap) {
  static const char hex[] = "0123456789ABCDEF";
  size_t need = 0, written = 0;
  int full = 0;
  for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p;
       p++) {
    int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
               (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
               *p == '_' || *p == '~';
    char enc[3] = {(char)*p, hex[*p >> 4], hex[*p & 15]};
    size_t n = keep ? 1 : 3;
    if (!keep)
      enc[0] = '%';
    /* Write only whole encodings, so a short buffer never ends in "%4". */
    if (!full && out && written + n < cap) {
      memcpy(out + written, enc, n);
      written += n;
    } else {
      full = 1;
    }
    need += n;
  }
  if (out && cap > 0)
    out[written] = '\0';
  return need;
}

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

/* -- monotonic time ------------------------------------------------------- */

static struct timespec mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts;
}

static long ms_between(struct timespec from, struct timespec to) {
  return (long)((to.tv_sec - from.tv_sec) * 1000 +
                (to.tv_nsec - from.tv_nsec) / 1000000);
}

static struct timespec mono_after(long ms) {
  struct timespec ts = mono_now();
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

static int ts_before(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

static int64_t mono_ms(void) {
  struct timespec ts = mono_now();
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep until `when` on the monotonic clock; restarts after signals. */
static void sleep_until(struct timespec when) {
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR)
    ;
}

/* -- one request ---------------------------------------------------------- */

enum { T_QUEUED, T_WAITING, T_RUNNING, T_DONE };

typedef struct transfer {
  http_client *client;
  lpsa_http_request req; /* a full-size copy (the caller's may be older) */
  lpsa_http_response *resp;
  char *where; /* "host/path" for messages */
  char *label; /* counting label */
  struct curl_slist *headers;
  int resendable; /* may be sent more than once (retried) */
  long timeout_ms;
  CURL *easy; /* the handle of the current attempt */
  buf body, head;
  int too_large, nomem;
  unsigned sends; /* times curl began sending in this attempt */
  char errbuf[CURL_ERROR_SIZE];
  struct timespec started;
  /* http_send_many() state */
  int state;
  struct timespec wake;
  int result;
} transfer;

static void set_error(lpsa_http_response *resp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_error(lpsa_http_response *resp, const char *fmt, ...) {
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
static int transfer_init(transfer *t, http_client *c,
                         const lpsa_http_request *req,
                         lpsa_http_response *resp) {
  memset(t, 0, sizeof *t);
  /* The response is the caller's and may be uninitialised: it is cleared
   * whole. lpsa_http_response is frozen at its ABI 1.0 size (host.h). */
  memset(resp, 0, sizeof *resp);
  resp->size = sizeof *resp;
  t->client = c;
  t->resp = resp;
  t->state = T_DONE;
  if (!c || !req || !req->url) {
    set_error(resp, "invalid HTTP request: no client or no URL");
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
      set_error(resp, "refused to send %s %s: a header holds a line break",
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
  set_error(resp, "out of memory preparing %s %s", t->req.method,
            t->where ? t->where : "request");
  return t->result = LPSA_ERR_NOMEM;
}

static void transfer_cleanup(transfer *t) {
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
    if (count_request(t->client, t->label) != 0) {
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

/* -- the run's deadline ---------------------------------------------------- */

void http_set_deadline(http_client *c, double deadline_s, const char *why) {
  if (!c)
    return;
  c->has_deadline = deadline_s > 0;
  c->deadline.tv_sec = (time_t)deadline_s;
  c->deadline.tv_nsec = (long)((deadline_s - (double)c->deadline.tv_sec) * 1e9);
  snprintf(c->deadline_why, sizeof c->deadline_why, "%s",
           why ? why : "the run's deadline has passed");
}

void http_on_unrepeatable(http_client *c, http_unrepeatable_fn fn, void *arg) {
  if (c) {
    c->unrepeatable = fn;
    c->unrepeatable_arg = arg;
  }
}

void http_hold_deadline(http_client *c, int hold) {
  if (c)
    c->deadline_held = hold;
}

int http_deadline_passed(const http_client *c) {
  return c && c->has_deadline && !ts_before(mono_now(), c->deadline);
}

/* The deadline stops new requests unless a write in progress holds it. */
static int deadline_stops(const http_client *c) {
  return !c->deadline_held && http_deadline_passed(c);
}

/* `when`, or the deadline when that comes first (no back-off outlives it). */
static struct timespec before_deadline(const http_client *c,
                                       struct timespec when) {
  return c->has_deadline && !c->deadline_held && ts_before(c->deadline, when)
             ? c->deadline
             : when;
}

/* Set up the next attempt on `easy`. Counts it. */
static int attempt_start(transfer *t, CURL *easy) {
  if (deadline_stops(t->client)) {
    set_error(t->resp, "%s %s not sent: %s", t->req.method, t->where,
              t->client->deadline_why);
    t->resp->status = 0;
    return t->result = LPSA_ERR_NETWORK;
  }
  /* Told before it can reach the server: once sent, it may still land
   * after this process is gone. */
  if (!t->resendable && !method_is(t, "GET") && !method_is(t, "HEAD") &&
      t->client->unrepeatable &&
      t->client->unrepeatable(t->client->unrepeatable_arg, t->timeout_ms)) {
    set_error(t->resp, "%s %s not sent: it could not be journaled first",
              t->req.method, t->where);
    t->resp->status = 0;
    /* As a lost answer: the driver reports the write unconfirmed, and the
     * next run reads the line before deciding anything. */
    return t->result = LPSA_ERR_NETWORK;
  }
  t->easy = easy;
  curl_easy_reset(easy);
  buf_clear(&t->body);
  buf_clear(&t->head);
  t->too_large = t->nomem = 0;
  t->sends = 0;
  t->errbuf[0] = '\0';
  if (set_options(t, easy) != 0 || count_request(t->client, t->label) != 0) {
    set_error(t->resp, "out of memory preparing %s %s", t->req.method,
              t->where);
    return t->result = LPSA_ERR_NOMEM;
  }
  t->resp->attempts++;
  t->started = mono_now();
  pace_sent(t->client->pace, t->req.group, mono_ms());
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
          ms_between(t->started, mono_now()), t->resp->attempts,
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
  return pace_throttled(c->pace, t->req.group, mono_ms(), retry_after,
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
    set_error(r, "out of memory reading the answer from %s", t->where);
    t->result = LPSA_ERR_NOMEM;
    return;
  }
  r->body = t->body.data;
  r->body_len = t->body.len;
  r->priv = t->head.data;
  t->body = (buf){0};
  t->head = (buf){0};
}

/* The end of an attempt. Returns the delay before the next attempt, or -1
 * when the transfer is over (t->result and the response then final). */
static long attempt_finish(transfer *t, CURLcode code) {
  lpsa_http_response *r = t->resp;
  long status = 0;
  curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
  log_attempt(t, status, code);
  if (t->nomem) {
    set_error(r, "out of memory reading the answer from %s", t->where);
    t->result = LPSA_ERR_NOMEM;
  } else if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
    set_error(r,
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
      set_error(r, "%s %s: could not connect: timed out after %ld ms (%s)",
                t->req.method, t->where, t->client->opt.connect_timeout_ms,
                text);
    else if (code == CURLE_OPERATION_TIMEDOUT)
      set_error(r, "%s %s: timed out after %ld ms (%s)", t->req.method,
                t->where, t->timeout_ms, text);
    else
      set_error(r, "%s %s: %s", t->req.method, t->where, text);
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

/* -- the single-request path ---------------------------------------------- */

int http_send(http_client *c, const lpsa_http_request *req,
              lpsa_http_response *resp) {
  if (!resp)
    return LPSA_ERR_INVALID;
  transfer t;
  if (transfer_init(&t, c, req, resp) != LPSA_OK) {
    transfer_cleanup(&t);
    return t.result;
  }
  progress_asked(c, 1);
  for (;;) {
    /* A paced group waits for room in its budget (and out its hold). */
    for (long w; !deadline_stops(c) &&
                 (w = pace_wait_ms(c->pace, t.req.group, mono_ms())) > 0;)
      sleep_until(before_deadline(c, mono_after(w)));
    if (attempt_start(&t, c->easy) != LPSA_OK)
      break;
    CURLcode code = curl_easy_perform(c->easy);
    long delay = attempt_finish(&t, code);
    if (delay < 0)
      break;
    sleep_until(before_deadline(c, mono_after(delay)));
  }
  /* Drop the handle's pointers into `t` (error buffer, header list). */
  curl_easy_reset(c->easy);
  transfer_cleanup(&t);
  progress_done(c);
  return t.result;
}

/* -- the concurrent path -------------------------------------------------- */

typedef struct many {
  http_client *client;
  transfer *ts;
  size_t n;
  transfer **active; /* the running transfers, max_concurrency slots */
  size_t running;
  size_t remaining; /* transfers not yet done */
  size_t first;     /* every transfer before this one is done */
  int have_wake;
  struct timespec next_wake;
} many;

static int group_has_room(const many *m, const transfer *t) {
  if (!t->req.group || t->req.group_limit == 0)
    return 1;
  unsigned in_group = 0;
  for (size_t i = 0; i < m->running; i++)
    if (m->active[i]->req.group &&
        strcmp(m->active[i]->req.group, t->req.group) == 0)
      in_group++;
  return in_group < t->req.group_limit;
}

static void finish_transfer(many *m, transfer *t) {
  t->state = T_DONE;
  m->remaining--;
  progress_done(m->client);
  if (t->easy)
    curl_easy_cleanup(t->easy);
  t->easy = NULL;
}

static void start_one(many *m, transfer *t) {
  CURL *easy = t->easy ? t->easy : curl_easy_init();
  if (!easy) {
    set_error(t->resp, "out of memory preparing %s %s", t->req.method,
              t->where);
    t->result = LPSA_ERR_NOMEM;
    finish_transfer(m, t);
    return;
  }
  t->easy = easy;
  if (attempt_start(t, easy) != LPSA_OK) {
    finish_transfer(m, t);
    return;
  }
  if (curl_multi_add_handle(m->client->multi, easy) != CURLM_OK) {
    set_error(t->resp, "could not start %s %s (curl multi)", t->req.method,
              t->where);
    t->result = LPSA_ERR_NOMEM;
    finish_transfer(m, t);
    return;
  }
  t->state = T_RUNNING;
  m->active[m->running++] = t;
}

/* Start what may start, in order; note the earliest pending back-off. */
static void start_ready(many *m) {
  struct timespec now = mono_now();
  m->have_wake = 0;
  while (m->first < m->n && m->ts[m->first].state == T_DONE)
    m->first++;
  for (size_t i = m->first;
       i < m->n && m->running < m->client->opt.max_concurrency; i++) {
    transfer *t = &m->ts[i];
    if (t->state == T_WAITING && ts_before(now, t->wake)) {
      if (!m->have_wake || ts_before(t->wake, m->next_wake))
        m->next_wake = t->wake;
      m->have_wake = 1;
      continue;
    }
    if (!(t->state == T_QUEUED || t->state == T_WAITING) ||
        !group_has_room(m, t))
      continue;
    /* A paced group without room in its budget waits, like a back-off. */
    long w = deadline_stops(m->client)
                 ? 0 /* past the deadline: start, and fail at once */
                 : pace_wait_ms(m->client->pace, t->req.group, mono_ms());
    if (w > 0) {
      struct timespec when = before_deadline(m->client, mono_after(w));
      if (!m->have_wake || ts_before(when, m->next_wake))
        m->next_wake = when;
      m->have_wake = 1;
      continue;
    }
    start_one(m, t);
  }
}

static void deactivate(many *m, transfer *t) {
  for (size_t i = 0; i < m->running; i++)
    if (m->active[i] == t) {
      m->active[i] = m->active[--m->running];
      break;
    }
  curl_multi_remove_handle(m->client->multi, t->easy);
}

/* Collect finished attempts. Returns 1 when something finished. */
static int reap(many *m) {
  int any = 0, queued;
  CURLMsg *msg;
  while ((msg = curl_multi_info_read(m->client->multi, &queued))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    char *priv = NULL;
    CURLcode code = msg->data.result;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    transfer *t = (transfer *)(void *)priv;
    if (!t)
      continue;
    deactivate(m, t);
    long delay = attempt_finish(t, code);
    if (delay < 0) {
      finish_transfer(m, t);
    } else {
      t->state = T_WAITING;
      t->wake = before_deadline(m->client, mono_after(delay));
    }
    any = 1;
  }
  return any;
}

static void run_many(many *m) {
  int dirty = 1;
  while (m->remaining > 0) {
    if (dirty || (m->have_wake && !ts_before(mono_now(), m->next_wake)))
      start_ready(m);
    dirty = 0;
    if (m->running == 0) {
      /* Everything left is waiting out a back-off. */
      if (m->have_wake)
        sleep_until(m->next_wake);
      dirty = 1;
      continue;
    }
    int still = 0;
    curl_multi_perform(m->client->multi, &still);
    if (reap(m)) {
      dirty = 1;
      continue;
    }
    long timeout = 1000;
    if (m->have_wake) {
      long until = ms_between(mono_now(), m->next_wake) + 1;
      timeout = until < 0 ? 0 : until < timeout ? until : timeout;
    }
    curl_multi_poll(m->client->multi, NULL, 0, (int)timeout, NULL);
  }
}

int http_send_many(http_client *c, const lpsa_http_request *reqs,
                   lpsa_http_response *resps, size_t n) {
  if (n == 0)
    return LPSA_OK;
  if (!resps)
    return LPSA_ERR_INVALID;
  many m = {.client = c, .n = n};
  m.ts = c && reqs ? calloc(n, sizeof *m.ts) : NULL;
  m.active =
      c && reqs ? calloc(c->opt.max_concurrency, sizeof *m.active) : NULL;
  if (!m.ts || !m.active) {
    int rc = c && reqs ? LPSA_ERR_NOMEM : LPSA_ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
      memset(&resps[i], 0, sizeof resps[i]);
      resps[i].size = sizeof resps[i];
      set_error(&resps[i], "%s",
                rc == LPSA_ERR_NOMEM ? "out of memory starting HTTP requests"
                                     : "invalid HTTP request list");
    }
    free(m.ts);
    free(m.active);
    return rc;
  }
  for (size_t i = 0; i < n; i++)
    if (transfer_init(&m.ts[i], c, &reqs[i], &resps[i]) == LPSA_OK)
      m.remaining++;
  progress_asked(c, m.remaining);
  run_many(&m);
  int result = LPSA_OK;
  for (size_t i = 0; i < n; i++) {
    if (result == LPSA_OK)
      result = m.ts[i].result;
    transfer_cleanup(&m.ts[i]);
  }
  free(m.ts);
  free(m.active);
  return result;
}

/* -- responses ------------------------------------------------------------ */

void http_response_release(lpsa_http_response *resp) {
  if (!resp)
    return;
  free(resp->body);
  free(resp->priv);
  resp->body = NULL;
  resp->priv = NULL;
  resp->body_len = 0;
}

long http_response_header(const lpsa_http_response *resp, const char *name,
                          char *buf, size_t cap) {
  if (buf && cap > 0)
    buf[0] = '\0';
  if (!resp || !resp->priv || !name)
    return -1;
  size_t nlen = strlen(name);
  const char *found = NULL;
  size_t found_len = 0;
  for (const char *line = resp->priv; *line;) {
    size_t len = strcspn(line, "\r\n");
    if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
      const char *v = line + nlen + 1, *end = line + len;
      while (v < end && (*v == ' ' || *v == '\t'))
        v++;
      while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
      found = v;
      found_len = (size_t)(end - v);
    }
    line += len;
    while (*line == '\r' || *line == '\n')
      line++;
  }
  if (!found)
    return -1;
  if (buf && cap > 0) {
    size_t n = found_len < cap - 1 ? found_len : cap - 1;
    memcpy(buf, found, n);
    buf[n] = '\0';
  }
  return (long)found_len;
}
