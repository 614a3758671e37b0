/* SPDX-License-Identifier: MIT */
/*
 * http.c — the host's HTTP transport on libcurl (see http.h): the client,
 * its settings, counters, deadline and window, and the two calls that send.
 *
 * Every request is a transfer (http_transfer.c) and every call a batch of
 * them in one pool (http_pool.c) worked on one curl multi handle, so the
 * answers of a single request and of many share one connection cache and
 * one bound on what is in flight, whichever thread asked.
 */
#include "http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"

/* -- the client ----------------------------------------------------------- */

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
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  http_window_init(&c->window, c->opt.max_concurrency);
  if (c->opt.ca_file && !(c->ca_file = strdup(c->opt.ca_file)))
    goto fail;
  c->opt.ca_file = c->ca_file;
  if (http_sensitive_init(&c->sensitive))
    goto fail;
  c->active = calloc(c->opt.max_concurrency, sizeof *c->active);
  if (!c->active || !(c->multi = curl_multi_init()))
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

http_client *http_client_new_like(const http_client *like) {
  if (!like)
    return NULL;
  pthread_mutex_t *mu = (pthread_mutex_t *)&like->mu;
  pthread_mutex_lock(mu);
  http_options opt = like->opt;
  int has_deadline = like->has_deadline;
  struct timespec deadline = like->deadline;
  char why[sizeof like->deadline_why];
  memcpy(why, like->deadline_why, sizeof why);
  pthread_mutex_unlock(mu);
  http_client *c = http_client_new(&opt, like->log);
  if (c) {
    c->has_deadline = has_deadline;
    c->deadline = deadline;
    memcpy(c->deadline_why, why, sizeof why);
  }
  return c;
}

void http_client_free(http_client *c) {
  if (!c)
    return;
  pool_free_spares(c);
  if (c->multi)
    curl_multi_cleanup(c->multi);
  http_reset_counts(c);
  free(c->counts);
  free(c->active);
  free(c->ca_file);
  pace_free(c->pace);
  http_sensitive_free(&c->sensitive);
  pthread_cond_destroy(&c->cv);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

int http_client_add_sensitive_header(http_client *c, const char *name) {
  if (!c)
    return -1;
  pthread_mutex_lock(&c->mu);
  int rc = http_sensitive_add(&c->sensitive, name);
  pthread_mutex_unlock(&c->mu);
  return rc;
}

int http_set_pace(http_client *c, const char *group, unsigned max_requests,
                  long window_ms, long backoff_ms, unsigned retries_429) {
  if (!c)
    return -1;
  pthread_mutex_lock(&c->mu);
  int rc = -1;
  if (c->pace || (c->pace = pace_new()))
    rc = pace_set(c->pace, group, max_requests, window_ms, backoff_ms,
                  retries_429);
  pthread_mutex_unlock(&c->mu);
  return rc;
}

/* -- progress ------------------------------------------------------------- */

void http_set_progress(http_client *c, http_progress_fn fn, void *arg) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  c->progress = fn;
  c->progress_arg = arg;
  c->progress_done = c->progress_asked = 0;
  pthread_mutex_unlock(&c->mu);
}

void http_progress_asked(http_client *c, size_t n) {
  if (c->progress) {
    c->progress_asked += n;
    c->progress(c->progress_arg, c->progress_done, c->progress_asked);
  }
}

void http_progress_done(http_client *c) {
  if (c->progress) {
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
  if (!c)
    return 0;
  pthread_mutex_t *mu = (pthread_mutex_t *)&c->mu;
  pthread_mutex_lock(mu);
  unsigned long total = c->total;
  pthread_mutex_unlock(mu);
  return total;
}

void http_reset_counts(http_client *c) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n_counts; i++)
    free((char *)c->counts[i].label);
  c->n_counts = 0;
  c->total = 0;
  /* A run starts the window afresh. */
  http_window_init(&c->window, c->opt.max_concurrency);
  pthread_mutex_unlock(&c->mu);
}

/* Count `n` requests under `label` (binary search keeps the array
 * sorted). */
static int count_n(http_client *c, const char *label, unsigned long n) {
  size_t lo = 0, hi = c->n_counts;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int cmp = strcmp(c->counts[mid].label, label);
    if (cmp == 0) {
      c->counts[mid].requests += n;
      c->total += n;
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
  c->counts[lo].requests = n;
  c->n_counts++;
  c->total += n;
  return 0;
}

int http_count_request(http_client *c, const char *label) {
  return count_n(c, label, 1);
}

int http_add_counts(http_client *into, http_client *from) {
  if (!into || !from || into == from)
    return into && from ? 0 : -1;
  int rc = 0;
  pthread_mutex_lock(&from->mu);
  pthread_mutex_lock(&into->mu);
  for (size_t i = 0; rc == 0 && i < from->n_counts; i++)
    rc = count_n(into, from->counts[i].label, from->counts[i].requests);
  pthread_mutex_unlock(&into->mu);
  pthread_mutex_unlock(&from->mu);
  return rc;
}

void http_concurrency(const http_client *c, http_concurrency_stats *out) {
  memset(out, 0, sizeof *out);
  if (!c)
    return;
  pthread_mutex_t *mu = (pthread_mutex_t *)&c->mu;
  pthread_mutex_lock(mu);
  out->max = c->window.max;
  out->peak = c->window.peak;
  out->window = http_window_limit(&c->window);
  out->halvings = c->window.halvings;
  out->smallest = c->window.smallest;
  pthread_mutex_unlock(mu);
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

/* -- monotonic time ------------------------------------------------------- */

struct timespec http_mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts;
}

long http_ms_between(struct timespec from, struct timespec to) {
  return (long)((to.tv_sec - from.tv_sec) * 1000 +
                (to.tv_nsec - from.tv_nsec) / 1000000);
}

struct timespec http_mono_after(long ms) {
  struct timespec ts = http_mono_now();
  ts.tv_sec += ms / 1000;
  ts.tv_nsec += (ms % 1000) * 1000000L;
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  return ts;
}

int http_ts_before(struct timespec a, struct timespec b) {
  return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

int64_t http_mono_ms(void) {
  struct timespec ts = http_mono_now();
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* -- the run's deadline, and abandoning ------------------------------------ */

/* The client whose deadline this thread holds (around one write), or
 * NULL: a hold belongs to the thread that writes, so parallel writes hold
 * it each for their own requests. */
static _Thread_local const http_client *held_by_thread;

void http_set_deadline(http_client *c, double deadline_s, const char *why) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  c->has_deadline = deadline_s > 0;
  c->deadline.tv_sec = (time_t)deadline_s;
  c->deadline.tv_nsec = (long)((deadline_s - (double)c->deadline.tv_sec) * 1e9);
  snprintf(c->deadline_why, sizeof c->deadline_why, "%s",
           why ? why : "the run's deadline has passed");
  pthread_mutex_unlock(&c->mu);
}

/* The hook of the requests this thread sends (http_on_unrepeatable): each
 * parallel writer tells the journal about its own change. */
static _Thread_local struct {
  const http_client *client;
  http_unrepeatable_fn fn;
  void *arg;
} unrepeatable_by_thread;

void http_on_unrepeatable(http_client *c, http_unrepeatable_fn fn, void *arg) {
  if (!c)
    return;
  unrepeatable_by_thread.client = fn ? c : NULL;
  unrepeatable_by_thread.fn = fn;
  unrepeatable_by_thread.arg = arg;
}

/* A transfer takes its thread's hook with it: whichever thread drives the
 * pool sends it. */
static void take_hook(transfer *t, const http_client *c) {
  if (t->once && unrepeatable_by_thread.client == c) {
    t->unrepeatable = unrepeatable_by_thread.fn;
    t->unrepeatable_arg = unrepeatable_by_thread.arg;
  }
}

void http_hold_deadline(http_client *c, int hold) {
  if (c)
    held_by_thread = hold ? c : NULL;
}

static int deadline_passed_locked(const http_client *c) {
  return c->has_deadline && !http_ts_before(http_mono_now(), c->deadline);
}

int http_deadline_passed(const http_client *c) {
  if (!c)
    return 0;
  pthread_mutex_t *mu = (pthread_mutex_t *)&c->mu;
  pthread_mutex_lock(mu);
  int passed = deadline_passed_locked(c);
  pthread_mutex_unlock(mu);
  return passed;
}

void http_abandon(http_client *c, const char *why) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  c->abandoned = 1;
  snprintf(c->abandon_why, sizeof c->abandon_why, "%s",
           why ? why : "the run stopped");
  pthread_mutex_unlock(&c->mu);
  /* Whoever waits in the pool looks again now. */
  curl_multi_wakeup(c->multi);
}

void http_abandon_clear(http_client *c) {
  if (!c)
    return;
  pthread_mutex_lock(&c->mu);
  c->abandoned = 0;
  c->abandon_why[0] = '\0';
  pthread_mutex_unlock(&c->mu);
}

int http_stops(const transfer *t) {
  const http_client *c = t->client;
  return c->abandoned || (!t->exempt && deadline_passed_locked(c));
}

const char *http_stop_why(const http_client *c) {
  return c->abandoned ? c->abandon_why : c->deadline_why;
}

struct timespec http_before_deadline(const transfer *t, struct timespec when) {
  const http_client *c = t->client;
  if (c->abandoned)
    return http_mono_now();
  return c->has_deadline && !t->exempt && http_ts_before(c->deadline, when)
             ? c->deadline
             : when;
}

/* -- sending ----------------------------------------------------------------
 */

int http_send(http_client *c, const lpsa_http_request *req,
              lpsa_http_response *resp) {
  if (!resp)
    return LPSA_ERR_INVALID;
  transfer t;
  batch b = {.ts = &t, .n = 1};
  if (transfer_init(&t, c, req, resp, held_by_thread == c) != LPSA_OK) {
    transfer_cleanup(&t);
    return t.result;
  }
  take_hook(&t, c);
  t.owner = &b;
  b.remaining = 1;
  pool_run(c, &b);
  transfer_cleanup(&t);
  return t.result;
}

int http_send_many(http_client *c, const lpsa_http_request *reqs,
                   lpsa_http_response *resps, size_t n) {
  if (n == 0)
    return LPSA_OK;
  if (!resps)
    return LPSA_ERR_INVALID;
  batch b = {.n = n};
  b.ts = c && reqs ? calloc(n, sizeof *b.ts) : NULL;
  if (!b.ts) {
    int rc = c && reqs ? LPSA_ERR_NOMEM : LPSA_ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
      memset(&resps[i], 0, sizeof resps[i]);
      resps[i].size = sizeof resps[i];
      transfer_set_error(&resps[i], "%s",
                         rc == LPSA_ERR_NOMEM
                             ? "out of memory starting HTTP requests"
                             : "invalid HTTP request list");
    }
    return rc;
  }
  int exempt = held_by_thread == c;
  for (size_t i = 0; i < n; i++) {
    if (transfer_init(&b.ts[i], c, &reqs[i], &resps[i], exempt) == LPSA_OK) {
      take_hook(&b.ts[i], c);
      b.remaining++;
    }
    b.ts[i].owner = &b;
  }
  if (b.remaining)
    pool_run(c, &b);
  int result = LPSA_OK;
  for (size_t i = 0; i < n; i++) {
    if (result == LPSA_OK)
      result = b.ts[i].result;
    transfer_cleanup(&b.ts[i]);
  }
  free(b.ts);
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
