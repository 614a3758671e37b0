/* SPDX-License-Identifier: MIT */
/*
 * test_server.c — the scriptable loopback HTTP(S) server (see test_server.h),
 * on libmicrohttpd with one thread per connection.
 */
#include "test_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct scripted {
  char *method, *prefix;
  ts_response r; /* with owned copies of headers and body */
  int used;
} scripted;

struct test_server {
  struct MHD_Daemon *daemon;
  unsigned short port;
  char url[64];
  pthread_mutex_t lock;
  pthread_cond_t changed; /* on the monotonic clock; signalled at stop and
                             when a request is answered */
  int stopping;
  scripted *script;
  size_t n_script, cap_script;
  scripted fallback;
  ts_handler handler;
  void *handler_arg;
  ts_request **reqs;
  size_t n_reqs, cap_reqs;
  /* Records forgotten by ts_clear(): a connection may still point at them,
   * so they live until ts_stop(). */
  ts_request **old;
  size_t n_old;
  size_t connections; /* TCP connections accepted */
};

/* Per-connection state of one request (MHD's con_cls). */
typedef struct exchange {
  test_server *s;
  ts_request *rec;
  int listed; /* rec belongs to the server's list (else to this exchange) */
} exchange;

/* A body being trickled out. */
typedef struct trickle {
  test_server *s;
  ts_request *rec;
  char *body;
  size_t len, chunk;
  long every_ms;
} trickle;

static struct timespec mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts;
}

static char *dup_or_null(const char *p, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    if (n)
      memcpy(d, p, n);
    d[n] = '\0';
  }
  return d;
}

static void free_request(ts_request *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n_headers; i++) {
    free(r->names[i]);
    free(r->values[i]);
  }
  free(r->names);
  free(r->values);
  free(r->method);
  free(r->target);
  free(r->body);
  free(r);
}

static void free_scripted(scripted *e) {
  free(e->method);
  free(e->prefix);
  free((char *)e->r.headers);
  free((char *)e->r.body);
  memset(e, 0, sizeof *e);
}

/* Copy r (and its strings) into e. */
static int copy_scripted(scripted *e, const char *method, const char *prefix,
                         const ts_response *r) {
  memset(e, 0, sizeof *e);
  e->r = *r;
  e->r.owned = 0;
  size_t blen = r->body ? (r->body_len ? r->body_len : strlen(r->body)) : 0;
  e->r.body_len = blen;
  e->r.headers = NULL;
  e->r.body = NULL;
  if ((method && !(e->method = strdup(method))) ||
      (prefix && !(e->prefix = strdup(prefix))) ||
      (r->headers && !(e->r.headers = strdup(r->headers))) ||
      !(e->r.body = dup_or_null(r->body ? r->body : "", blen))) {
    free_scripted(e);
    return -1;
  }
  return 0;
}

/* Wait up to ms, returning early (1) when the server stops. */
static int pause_ms(test_server *s, long ms) {
  struct timespec until = mono_now();
  until.tv_sec += ms / 1000;
  until.tv_nsec += (ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&s->lock);
  while (!s->stopping &&
         pthread_cond_timedwait(&s->changed, &s->lock, &until) == 0)
    ;
  int stopping = s->stopping;
  pthread_mutex_unlock(&s->lock);
  return stopping;
}

static void mark_answered(test_server *s, ts_request *rec) {
  pthread_mutex_lock(&s->lock);
  if (!rec->done) {
    rec->answered = mono_now();
    rec->done = 1;
    pthread_cond_broadcast(&s->changed);
  }
  pthread_mutex_unlock(&s->lock);
}

/* -- recording ------------------------------------------------------------- */

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing seen of a request, with the
 * target still raw (the access handler only gets the decoded path). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)c;
  exchange *x = calloc(1, sizeof *x);
  ts_request *rec = calloc(1, sizeof *rec);
  if (!x || !rec || !(rec->target = strdup(uri ? uri : ""))) {
    free(x);
    free_request(rec);
    return NULL;
  }
  rec->arrived = mono_now();
  x->s = cls;
  x->rec = rec;
  return x;
}

/* Publish a record once its method and headers are known. */
static int list_request(test_server *s, exchange *x) {
  int rc = 0;
  pthread_mutex_lock(&s->lock);
  if (s->n_reqs == s->cap_reqs) {
    size_t cap = s->cap_reqs ? s->cap_reqs * 2 : 32;
    ts_request **grown = realloc(s->reqs, cap * sizeof *grown);
    if (grown) {
      s->reqs = grown;
      s->cap_reqs = cap;
    }
  }
  if (s->n_reqs < s->cap_reqs) {
    s->reqs[s->n_reqs++] = x->rec;
    x->listed = 1;
  } else {
    rc = -1;
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value) {
  (void)kind;
  ts_request *rec = cls;
  char **names = realloc(rec->names, (rec->n_headers + 1) * sizeof *names);
  if (!names)
    return MHD_NO;
  rec->names = names;
  char **values = realloc(rec->values, (rec->n_headers + 1) * sizeof *values);
  if (!values)
    return MHD_NO;
  rec->values = values;
  char *k = strdup(key), *v = strdup(value ? value : "");
  if (!k || !v) {
    free(k);
    free(v);
    return MHD_NO;
  }
  rec->names[rec->n_headers] = k;
  rec->values[rec->n_headers] = v;
  rec->n_headers++;
  return MHD_YES;
}

static int append_body(ts_request *rec, const char *p, size_t n) {
  char *grown = realloc(rec->body, rec->body_len + n + 1);
  if (!grown)
    return -1;
  memcpy(grown + rec->body_len, p, n);
  rec->body_len += n;
  grown[rec->body_len] = '\0';
  rec->body = grown;
  return 0;
}

/* -- choosing and sending the answer --------------------------------------- */

static int matches(const scripted *e, const ts_request *rec) {
  return !e->used && (!e->method || strcmp(e->method, rec->method) == 0) &&
         (!e->prefix ||
          strncmp(rec->target, e->prefix, strlen(e->prefix)) == 0);
}

/* Copy the answer for rec into *out (owned strings). 0, or -1 on failure. */
static int choose(test_server *s, const ts_request *rec, scripted *out) {
  pthread_mutex_lock(&s->lock);
  for (size_t i = 0; i < s->n_script; i++)
    if (matches(&s->script[i], rec)) {
      s->script[i].used = 1;
      int rc = copy_scripted(out, NULL, NULL, &s->script[i].r);
      pthread_mutex_unlock(&s->lock);
      return rc;
    }
  ts_handler fn = s->handler;
  void *arg = s->handler_arg;
  pthread_mutex_unlock(&s->lock);
  ts_response r = {0};
  if (fn && fn(arg, rec, &r)) {
    int rc = copy_scripted(out, NULL, NULL, &r);
    if (r.owned) {
      free((char *)r.headers);
      free((char *)r.body);
    }
    return rc;
  }
  pthread_mutex_lock(&s->lock);
  int rc = copy_scripted(out, NULL, NULL, &s->fallback.r);
  pthread_mutex_unlock(&s->lock);
  return rc;
}

static int add_response_headers(struct MHD_Response *resp, const char *lines) {
  const char *p = lines;
  while (p && *p) {
    size_t len = strcspn(p, "\n");
    char *line = dup_or_null(p, len);
    if (!line)
      return -1;
    if (len && line[len - 1] == '\r')
      line[len - 1] = '\0';
    char *colon = strchr(line, ':');
    if (colon) {
      *colon = '\0';
      const char *v = colon + 1;
      while (*v == ' ')
        v++;
      MHD_add_response_header(resp, line, v);
    }
    free(line);
    p += len;
    if (*p == '\n')
      p++;
  }
  return 0;
}

static ssize_t trickle_read(void *cls, uint64_t pos, char *buf, size_t max) {
  trickle *t = cls;
  if (pos >= t->len)
    return MHD_CONTENT_READER_END_OF_STREAM;
  if (t->every_ms > 0 && pause_ms(t->s, t->every_ms))
    return MHD_CONTENT_READER_END_WITH_ERROR;
  size_t n = t->len - (size_t)pos;
  if (n > t->chunk)
    n = t->chunk;
  if (n > max)
    n = max;
  memcpy(buf, t->body + pos, n);
  if (pos + n >= t->len)
    mark_answered(t->s, t->rec);
  return (ssize_t)n;
}

static void trickle_free(void *cls) {
  trickle *t = cls;
  free(t->body);
  free(t);
}

static struct MHD_Response *make_trickle(test_server *s, ts_request *rec,
                                         scripted *a) {
  trickle *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->s = s;
  t->rec = rec;
  t->body = (char *)a->r.body;
  a->r.body = NULL;
  t->len = a->r.body_len;
  t->chunk = a->r.trickle_bytes    ? a->r.trickle_bytes
             : a->r.trickle_ms > 0 ? 1
                                   : 4096;
  t->every_ms = a->r.trickle_ms;
  struct MHD_Response *resp = MHD_create_response_from_callback(
      a->r.chunked ? MHD_SIZE_UNKNOWN : t->len, t->chunk, trickle_read, t,
      trickle_free);
  if (!resp)
    trickle_free(t);
  return resp;
}

static enum MHD_Result answer(test_server *s, struct MHD_Connection *c,
                              ts_request *rec) {
  scripted a;
  if (choose(s, rec, &a) != 0)
    return MHD_NO;
  if (a.r.delay_ms > 0 && pause_ms(s, a.r.delay_ms)) {
    free_scripted(&a);
    return MHD_NO;
  }
  if (a.r.close) {
    free_scripted(&a);
    mark_answered(s, rec);
    return MHD_NO; /* MHD drops the connection */
  }
  int trickling = (a.r.trickle_ms > 0 && a.r.body_len > 0) || a.r.chunked;
  struct MHD_Response *resp =
      trickling ? make_trickle(s, rec, &a)
                : MHD_create_response_from_buffer(
                      a.r.body_len, (void *)a.r.body, MHD_RESPMEM_MUST_COPY);
  enum MHD_Result rc = MHD_NO;
  if (resp && add_response_headers(resp, a.r.headers) == 0) {
    if (!trickling)
      mark_answered(s, rec);
    rc = MHD_queue_response(c, (unsigned)a.r.status, resp);
  }
  if (resp)
    MHD_destroy_response(resp);
  free_scripted(&a);
  return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  (void)url;
  (void)version;
  test_server *s = cls;
  exchange *x = *con_cls;
  if (!x)
    return MHD_NO;
  ts_request *rec = x->rec;
  if (!x->listed) {
    if (!(rec->method = strdup(method)))
      return MHD_NO;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, rec);
    return list_request(s, x) == 0 ? MHD_YES : MHD_NO;
  }
  if (*upload_size > 0) {
    pthread_mutex_lock(&s->lock);
    int rc = append_body(rec, upload, *upload_size);
    pthread_mutex_unlock(&s->lock);
    if (rc != 0)
      return MHD_NO;
    *upload_size = 0;
    return MHD_YES;
  }
  pthread_mutex_lock(&s->lock);
  int rc = rec->body ? 0 : append_body(rec, "", 0);
  pthread_mutex_unlock(&s->lock);
  if (rc != 0)
    return MHD_NO;
  return answer(s, c, rec);
}

static void on_connection(void *cls, struct MHD_Connection *c,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
  test_server *s = cls;
  (void)c;
  (void)socket_context;
  if (code != MHD_CONNECTION_NOTIFY_STARTED)
    return;
  pthread_mutex_lock(&s->lock);
  s->connections++;
  pthread_mutex_unlock(&s->lock);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
  (void)c;
  (void)why;
  exchange *x = *con_cls;
  if (!x)
    return;
  if (x->listed)
    mark_answered(cls, x->rec); /* no-op unless it ended early */
  else
    free_request(x->rec);
  free(x);
  *con_cls = NULL;
}

/* -- lifecycle ------------------------------------------------------------- */

static test_server *start(const char *cert, const char *key) {
  test_server *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&s->changed, &attr);
  pthread_condattr_destroy(&attr);
  pthread_mutex_init(&s->lock, NULL);
  ts_response nf = {.status = 404, .body = "no scripted response\n"};
  if (copy_scripted(&s->fallback, NULL, NULL, &nf) != 0) {
    ts_stop(s);
    return NULL;
  }
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
  if (cert)
    flags |= MHD_USE_TLS;
  s->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
      cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
      MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
  if (!s->daemon) {
    ts_stop(s);
    return NULL;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : 0;
  snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%u", cert ? "https" : "http",
           (unsigned)s->port);
  return s;
}

test_server *ts_start(void) {
  return start(NULL, NULL);
}

test_server *ts_start_tls(const char *cert_pem, const char *key_pem) {
  if (!cert_pem || !key_pem)
    return NULL;
  return start(cert_pem, key_pem);
}

static void clear_locked(test_server *s) {
  for (size_t i = 0; i < s->n_script; i++)
    free_scripted(&s->script[i]);
  s->n_script = 0;
}

void ts_stop(test_server *s) {
  if (!s)
    return;
  pthread_mutex_lock(&s->lock);
  s->stopping = 1;
  pthread_cond_broadcast(&s->changed);
  pthread_mutex_unlock(&s->lock);
  if (s->daemon)
    MHD_stop_daemon(s->daemon);
  clear_locked(s);
  free(s->script);
  free_scripted(&s->fallback);
  for (size_t i = 0; i < s->n_reqs; i++)
    free_request(s->reqs[i]);
  free(s->reqs);
  for (size_t i = 0; i < s->n_old; i++)
    free_request(s->old[i]);
  free(s->old);
  pthread_cond_destroy(&s->changed);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

unsigned short ts_port(const test_server *s) {
  return s->port;
}

const char *ts_url(const test_server *s) {
  return s->url;
}

int ts_push(test_server *s, const char *method, const char *prefix,
            const ts_response *r) {
  scripted e;
  if (copy_scripted(&e, method, prefix, r) != 0)
    return -1;
  pthread_mutex_lock(&s->lock);
  if (s->n_script == s->cap_script) {
    size_t cap = s->cap_script ? s->cap_script * 2 : 16;
    scripted *grown = realloc(s->script, cap * sizeof *grown);
    if (!grown) {
      pthread_mutex_unlock(&s->lock);
      free_scripted(&e);
      return -1;
    }
    s->script = grown;
    s->cap_script = cap;
  }
  s->script[s->n_script++] = e;
  pthread_mutex_unlock(&s->lock);
  return 0;
}

int ts_set_default(test_server *s, const ts_response *r) {
  scripted e;
  if (copy_scripted(&e, NULL, NULL, r) != 0)
    return -1;
  pthread_mutex_lock(&s->lock);
  free_scripted(&s->fallback);
  s->fallback = e;
  pthread_mutex_unlock(&s->lock);
  return 0;
}

void ts_set_handler(test_server *s, ts_handler fn, void *arg) {
  pthread_mutex_lock(&s->lock);
  s->handler = fn;
  s->handler_arg = arg;
  pthread_mutex_unlock(&s->lock);
}

void ts_clear(test_server *s) {
  pthread_mutex_lock(&s->lock);
  clear_locked(s);
  ts_request **old = realloc(s->old, (s->n_old + s->n_reqs + 1) * sizeof *old);
  if (old) {
    s->old = old;
    for (size_t i = 0; i < s->n_reqs; i++)
      s->old[s->n_old++] = s->reqs[i];
    s->n_reqs = 0;
  }
  pthread_mutex_unlock(&s->lock);
}

/* -- assertion helpers ----------------------------------------------------- */

size_t ts_request_count(test_server *s) {
  pthread_mutex_lock(&s->lock);
  size_t n = s->n_reqs;
  pthread_mutex_unlock(&s->lock);
  return n;
}

const ts_request *ts_request_at(test_server *s, size_t i) {
  pthread_mutex_lock(&s->lock);
  const ts_request *r = i < s->n_reqs ? s->reqs[i] : NULL;
  pthread_mutex_unlock(&s->lock);
  return r;
}

const char *ts_request_header(const ts_request *r, const char *name) {
  const char *found = NULL;
  for (size_t i = 0; r && i < r->n_headers; i++)
    if (strcasecmp(r->names[i], name) == 0)
      found = r->values[i];
  return found;
}

static int has_prefix(const ts_request *r, const char *prefix) {
  return !prefix || strncmp(r->target, prefix, strlen(prefix)) == 0;
}

size_t ts_count(test_server *s, const char *prefix) {
  size_t n = 0;
  pthread_mutex_lock(&s->lock);
  for (size_t i = 0; i < s->n_reqs; i++)
    n += has_prefix(s->reqs[i], prefix);
  pthread_mutex_unlock(&s->lock);
  return n;
}

int ts_wait_answered(test_server *s, size_t n, long timeout_ms) {
  struct timespec until = mono_now();
  until.tv_sec += timeout_ms / 1000;
  until.tv_nsec += (timeout_ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  int rc = -1;
  pthread_mutex_lock(&s->lock);
  for (;;) {
    size_t done = 0;
    for (size_t i = 0; i < s->n_reqs; i++)
      done += s->reqs[i]->done;
    if (done >= n) {
      rc = 0;
      break;
    }
    if (pthread_cond_timedwait(&s->changed, &s->lock, &until) != 0)
      break;
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

typedef struct edge {
  struct timespec at;
  int delta; /* +1 arrival, -1 answer */
} edge;

static int edge_cmp(const void *a, const void *b) {
  const edge *x = a, *y = b;
  if (x->at.tv_sec != y->at.tv_sec)
    return x->at.tv_sec < y->at.tv_sec ? -1 : 1;
  if (x->at.tv_nsec != y->at.tv_nsec)
    return x->at.tv_nsec < y->at.tv_nsec ? -1 : 1;
  return x->delta - y->delta; /* an answer before an arrival at a tie */
}

size_t ts_connection_count(test_server *s) {
  pthread_mutex_lock(&s->lock);
  size_t n = s->connections;
  pthread_mutex_unlock(&s->lock);
  return n;
}

unsigned ts_max_in_flight(test_server *s, const char *prefix) {
  pthread_mutex_lock(&s->lock);
  edge *edges = calloc(2 * s->n_reqs + 1, sizeof *edges);
  size_t n = 0;
  for (size_t i = 0; edges && i < s->n_reqs; i++) {
    const ts_request *r = s->reqs[i];
    if (!has_prefix(r, prefix))
      continue;
    edges[n++] = (edge){r->arrived, +1};
    if (r->done)
      edges[n++] = (edge){r->answered, -1};
  }
  pthread_mutex_unlock(&s->lock);
  if (!edges)
    return 0;
  qsort(edges, n, sizeof *edges, edge_cmp);
  int now = 0, max = 0;
  for (size_t i = 0; i < n; i++) {
    now += edges[i].delta;
    if (now > max)
      max = now;
  }
  free(edges);
  return (unsigned)max;
}
