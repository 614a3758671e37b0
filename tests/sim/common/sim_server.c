/* SPDX-License-Identifier: MIT */
/*
 * sim_server.c — the simulators' HTTP server on libmicrohttpd: collects each
 * request, counts it in flight, applies latency and fault rules, calls the
 * app under one mutex, logs it and sends the answer (see sim_server.h).
 */
#include "sim_server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sim_body.h"
#include "sim_internal.h"

/* Bigger request bodies are refused with 413: no client of ours sends them. */
#define SIM_MAX_REQUEST_BODY (16u * 1024 * 1024)

/* One request in progress (MHD's per-request pointer). */
typedef struct conn_req {
  char *uri; /* the raw request target, query included */
  int started;
  char *body;
  size_t len, cap;
  int too_big;
  char key[256];
  int counted;
} conn_req;

const char *sim_header(const sim_request *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *sim_query(const sim_request *r, const char *name) {
  const char *v =
      MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
  if (v)
    return v;
  /* MHD reports "?flag" (no '=') as present with a NULL value. */
  return MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name,
                                       strlen(name), NULL, NULL) == MHD_YES
             ? ""
             : NULL;
}

int sim_server_sleep(sim_server *srv, long ms) {
  struct timespec until;
  int stopped;
  if (ms <= 0)
    return 0;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += ms / 1000;
  until.tv_nsec += (ms % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&srv->sleep_lock);
  while (!srv->stopping &&
         pthread_cond_timedwait(&srv->sleep_cond, &srv->sleep_lock, &until) !=
             ETIMEDOUT)
    ;
  stopped = srv->stopping;
  pthread_mutex_unlock(&srv->sleep_lock);
  return stopped ? -1 : 0;
}

static int all_digits(const char *s, size_t n) {
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

const char *sim_default_endpoint_key(const sim_request *req, char *buf,
                                     size_t cap) {
  size_t used = (size_t)snprintf(buf, cap, "%s ", req->method);
  const char *p = req->path;
  while (*p && used + 1 < cap) {
    const char *seg = p + (*p == '/');
    size_t n = strcspn(seg, "/");
    int w = all_digits(seg, n) ? snprintf(buf + used, cap - used, "/{id}")
                               : snprintf(buf + used, cap - used, "%.*s%.*s",
                                          *p == '/', "/", (int)n, seg);
    used += (size_t)w;
    p = seg + n;
  }
  if (used >= cap)
    buf[cap - 1] = '\0';
  return buf;
}

/* ---- per-request bookkeeping ---------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls;
  (void)c;
  conn_req *r = calloc(1, sizeof *r);
  if (r)
    r->uri = strdup(uri ? uri : "");
  return r; /* NULL: on_request allocates instead */
}

/* The request is no longer in flight (once). */
static void leave(sim_server *srv, conn_req *r) {
  if (!r->counted)
    return;
  r->counted = 0;
  pthread_mutex_lock(&srv->lock);
  sim_stats_leave(&srv->stats, r->key);
  pthread_cond_broadcast(&srv->changed); /* GET /_sim/wait (idle=1) */
  pthread_mutex_unlock(&srv->lock);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  sim_server *srv = cls;
  conn_req *r = *con_cls;
  (void)c;
  (void)toe;
  if (!r)
    return;
  leave(srv, r);
  free(r->uri);
  free(r->body);
  free(r);
  *con_cls = NULL;
}

static void append_body(conn_req *r, const char *data, size_t n) {
  if (r->too_big)
    return;
  if (r->len + n > SIM_MAX_REQUEST_BODY) {
    r->too_big = 1;
    return;
  }
  if (r->len + n + 1 > r->cap) {
    size_t cap = r->cap ? r->cap : 1024;
    while (cap < r->len + n + 1)
      cap *= 2;
    char *b = realloc(r->body, cap);
    if (!b) {
      r->too_big = 1; /* answered 413: the closest honest status */
      return;
    }
    r->body = b;
    r->cap = cap;
  }
  memcpy(r->body + r->len, data, n);
  r->len += n;
  r->body[r->len] = '\0';
}

/* ---- answers ---------------------------------------------------------- */

static void add_headers(struct MHD_Response *mr, const sim_response *resp) {
  if (resp->content_type[0])
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
                            resp->content_type);
  for (int i = 0; i < resp->n_headers; i++)
    MHD_add_response_header(mr, resp->headers[i][0], resp->headers[i][1]);
}

/* Queue `mr` (or a plain response from resp's body when NULL); frees both. */
static enum MHD_Result send_answer(struct MHD_Connection *c, sim_response *resp,
                                   struct MHD_Response *mr) {
  if (!mr) {
    mr = resp->body ? MHD_create_response_from_buffer(
                          resp->body_len, resp->body, MHD_RESPMEM_MUST_FREE)
                    : MHD_create_response_from_buffer(0, (void *)"",
                                                      MHD_RESPMEM_PERSISTENT);
    if (mr)
      resp->body = NULL; /* MHD owns it now */
  }
  free(resp->body);
  resp->body = NULL;
  if (!mr) {
    sim_response_release(resp);
    return MHD_NO;
  }
  add_headers(mr, resp); /* MHD copies them */
  int status = resp->status;
  sim_response_release(resp);
  enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, mr);
  MHD_destroy_response(mr);
  return rc;
}

/* The answer a fault rule with action null gives. */
static void fault_answer(json_object *rule, sim_response *resp) {
  json_object *v;
  const char *ct = "application/json";
  resp->status = 500;
  if (json_object_object_get_ex(rule, "status", &v))
    resp->status = json_object_get_int(v);
  if (json_object_object_get_ex(rule, "content_type", &v) &&
      json_object_is_type(v, json_type_string))
    ct = json_object_get_string(v);
  sim_respond_text(resp, resp->status, ct,
                   json_object_object_get_ex(rule, "body", &v) &&
                           json_object_is_type(v, json_type_string)
                       ? json_object_get_string(v)
                       : "");
  if (json_object_object_get_ex(rule, "headers", &v) &&
      json_object_is_type(v, json_type_object)) {
    json_object_object_foreach(v, name, value) {
      sim_add_header(resp, name, json_object_get_string(value));
    }
  }
}

/* Rewrite the handler's answer for the faults that damage it; returns the
 * MHD response to send, or NULL to send resp as it is. */
static struct MHD_Response *damage(sim_server *srv, const sim_fault_hit *hit,
                                   sim_response *resp, int *failed) {
  static const char garbage[] = "{\"items\":[{\"id\":";
  struct MHD_Response *mr = NULL;
  *failed = 0;
  switch (hit->kind) {
  case SIM_FAULT_TRUNCATE:
    resp->body_len /= 2;
    return NULL;
  case SIM_FAULT_MALFORMED:
    sim_respond_text(resp, resp->status,
                     resp->content_type[0] ? resp->content_type
                                           : "application/json",
                     garbage);
    return NULL;
  case SIM_FAULT_SLOW_BODY:
    mr = sim_body_slow(srv, resp->body, resp->body_len, hit->chunk_bytes,
                       hit->delay_ms);
    break;
  case SIM_FAULT_CUT:
    mr = sim_body_cut(resp->body, resp->body_len);
    break;
  case SIM_FAULT_OVERSIZE:
    free(resp->body);
    mr = sim_body_oversize(hit->size_mb);
    break;
  default:
    return NULL;
  }
  resp->body = NULL; /* taken over by the callback body */
  *failed = mr == NULL;
  return mr;
}

/* ---- dispatch ---------------------------------------------------------- */

static const char *query_of(const conn_req *r) {
  const char *q = r->uri ? strchr(r->uri, '?') : NULL;
  return q ? q + 1 : "";
}

static int stopping(sim_server *srv) {
  pthread_mutex_lock(&srv->sleep_lock);
  int s = srv->stopping;
  pthread_mutex_unlock(&srv->sleep_lock);
  return s;
}

static long query_long(const sim_request *req, const char *name, long dflt) {
  const char *v = sim_query(req, name);
  char *end;
  long n = v && *v ? strtol(v, &end, 10) : dflt;
  return v && *v && *end ? dflt : n;
}

/* GET /_sim/wait?log=N&idle=1&timeout_ms=T (sim_server.h): held, without
 * the lock, until the condition holds or T ms have passed. */
static void serve_wait(sim_server *srv, const sim_request *req,
                       sim_response *resp) {
  long want_log = query_long(req, "log", 0);
  int want_idle = query_long(req, "idle", 0) != 0;
  long timeout = query_long(req, "timeout_ms", 10000);
  if (timeout < 0 || timeout > 60000)
    timeout = 60000;
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_sec += timeout / 1000;
  until.tv_nsec += (timeout % 1000) * 1000000L;
  if (until.tv_nsec >= 1000000000L) {
    until.tv_sec++;
    until.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&srv->lock);
  long have = 0;
  int met = 0;
  for (;;) {
    have = (long)json_object_array_length(sim_log_entries(&srv->log));
    met = have >= want_log && (!want_idle || srv->stats.inflight == 0);
    if (met || stopping(srv))
      break;
    /* A slice at a time, so a stopping server is noticed. */
    struct timespec slice;
    clock_gettime(CLOCK_MONOTONIC, &slice);
    slice.tv_nsec += 100 * 1000000L;
    if (slice.tv_nsec >= 1000000000L) {
      slice.tv_sec++;
      slice.tv_nsec -= 1000000000L;
    }
    if (slice.tv_sec > until.tv_sec ||
        (slice.tv_sec == until.tv_sec && slice.tv_nsec > until.tv_nsec))
      slice = until;
    if (pthread_cond_timedwait(&srv->changed, &srv->lock, &slice) ==
            ETIMEDOUT &&
        slice.tv_sec == until.tv_sec && slice.tv_nsec == until.tv_nsec)
      break;
  }
  json_object *o = json_object_new_object();
  json_object_object_add(o, "met", json_object_new_boolean(met));
  json_object_object_add(o, "log", json_object_new_int64(have));
  json_object_object_add(o, "inflight",
                         json_object_new_int(srv->stats.inflight));
  pthread_mutex_unlock(&srv->lock);
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

static enum MHD_Result serve_control(sim_server *srv, sim_request *req) {
  sim_response resp;
  memset(&resp, 0, sizeof resp);
  if (strcmp(req->path, "/_sim/wait") == 0 && strcmp(req->method, "GET") == 0)
    serve_wait(srv, req, &resp);
  else {
    pthread_mutex_lock(&srv->lock);
    sim_control_handle(srv, req, &resp);
    pthread_mutex_unlock(&srv->lock);
  }
  return send_answer(req->conn, &resp, NULL);
}

/* Count the request in flight and find the fault that fires for it. */
static int admit(sim_server *srv, conn_req *r, sim_request *req,
                 sim_fault_hit *hit) {
  int latency;
  pthread_mutex_lock(&srv->lock);
  const char *key =
      srv->app.endpoint_key
          ? srv->app.endpoint_key(srv->app.ctx, req, r->key, sizeof r->key)
          : sim_default_endpoint_key(req, r->key, sizeof r->key);
  if (key != r->key)
    snprintf(r->key, sizeof r->key, "%s", key ? key : "");
  req->endpoint_key = r->key;
  req->inflight_same_endpoint = sim_stats_enter(&srv->stats, r->key);
  r->counted = 1;
  sim_faults_match(srv->faults, req->method, req->path, req->query, hit);
  latency = srv->latency_ms;
  pthread_mutex_unlock(&srv->lock);
  return latency;
}

static void log_request(sim_server *srv, const sim_request *req, int status,
                        const sim_fault_hit *hit) {
  sim_log_add(&srv->log, req->method, req->path, req->query, status, req->body,
              req->body_len, hit->kind != SIM_FAULT_NONE ? hit->name : NULL);
  pthread_cond_broadcast(&srv->changed);
}

/* Close without an answer ("reset", "hang"). */
static enum MHD_Result drop(sim_server *srv, const sim_request *req,
                            sim_fault_hit *hit) {
  pthread_mutex_lock(&srv->lock);
  log_request(srv, req, 0, hit);
  pthread_mutex_unlock(&srv->lock);
  if (hit->kind == SIM_FAULT_HANG)
    sim_server_sleep(srv, hit->delay_ms);
  sim_fault_hit_release(hit);
  return MHD_NO;
}

static void produce(sim_server *srv, const sim_request *req,
                    const sim_fault_hit *hit, sim_response *resp) {
  sim_request app_req = *req;
  pthread_mutex_lock(&srv->lock);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (hit->kind == SIM_FAULT_ANSWER) {
    fault_answer(hit->rule, resp);
  } else if (hit->kind == SIM_FAULT_OVERSIZE) {
    resp->status = 200;
    snprintf(resp->content_type, sizeof resp->content_type, "application/json");
  } else {
    if (hit->kind == SIM_FAULT_APP) {
      app_req.fault_action = hit->action;
      app_req.fault_rule = hit->rule;
    }
    srv->app.handle(srv->app.ctx, &app_req, resp);
  }
  if (resp->status == 0)
    sim_respond_text(resp, 500, "text/plain",
                     "simulator bug: the handler gave no answer\n");
  log_request(srv, req, resp->status, hit);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  sim_stats_handled(&srv->stats, (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
  pthread_mutex_unlock(&srv->lock);
}

static enum MHD_Result serve_app(sim_server *srv, conn_req *r,
                                 sim_request *req) {
  sim_fault_hit hit;
  sim_response resp;
  int failed;
  int latency = admit(srv, r, req, &hit);
  if (sim_server_sleep(srv, latency) != 0) {
    sim_fault_hit_release(&hit);
    return MHD_NO; /* stopping */
  }
  if (hit.kind == SIM_FAULT_RESET || hit.kind == SIM_FAULT_HANG)
    return drop(srv, req, &hit);
  if (hit.kind != SIM_FAULT_SLOW_BODY && hit.delay_ms > 0)
    sim_server_sleep(srv, hit.delay_ms);
  memset(&resp, 0, sizeof resp);
  produce(srv, req, &hit, &resp);
  struct MHD_Response *mr = damage(srv, &hit, &resp, &failed);
  sim_fault_hit_release(&hit);
  if (failed) {
    sim_response_release(&resp);
    return MHD_NO;
  }
  enum MHD_Result rc = send_answer(req->conn, &resp, mr);
  /* Its answer is handed over: no longer in flight (as a server's thread
   * is free once it has written the answer), so a client that starts the
   * next request on receiving this answer is never counted twice. A slow
   * body (a fault) stays in flight until it is sent. */
  if (hit.kind != SIM_FAULT_SLOW_BODY)
    leave(srv, r);
  return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  sim_server *srv = cls;
  conn_req *r = *con_cls;
  (void)version;
  if (!r) {
    r = calloc(1, sizeof *r);
    if (!r)
      return MHD_NO;
    *con_cls = r;
  }
  if (!r->started) {
    r->started = 1; /* headers only: the body (if any) comes next */
    return MHD_YES;
  }
  if (*upload_size) {
    append_body(r, upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  sim_request req;
  memset(&req, 0, sizeof req);
  req.method = method;
  req.path = url;
  req.query = query_of(r);
  req.body = r->body ? r->body : "";
  req.body_len = r->len;
  req.conn = c;
  if (r->too_big) {
    sim_response resp;
    memset(&resp, 0, sizeof resp);
    sim_respond_text(&resp, 413, "text/plain", "request body too large\n");
    return send_answer(c, &resp, NULL);
  }
  if (strncmp(url, "/_sim/", 6) == 0 || strcmp(url, "/_sim") == 0)
    return serve_control(srv, &req);
  return serve_app(srv, r, &req);
}

/* ---- life cycle --------------------------------------------------------- */

static int init_sync(sim_server *srv) {
  pthread_condattr_t attr;
  if (pthread_condattr_init(&attr) != 0)
    return -1;
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  int rc = pthread_cond_init(&srv->sleep_cond, &attr);
  if (rc == 0 && (rc = pthread_cond_init(&srv->changed, &attr)) != 0)
    pthread_cond_destroy(&srv->sleep_cond);
  pthread_condattr_destroy(&attr);
  if (rc != 0)
    return -1;
  pthread_mutex_init(&srv->lock, NULL);
  pthread_mutex_init(&srv->sleep_lock, NULL);
  return 0;
}

/* The whole of a small file (a PEM), NUL-terminated, or NULL. */
static char *read_pem(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = malloc(65537);
  size_t n = buf ? fread(buf, 1, 65536, f) : 0;
  int whole = buf && feof(f) && !ferror(f);
  fclose(f);
  if (!whole || n == 0) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  return buf;
}

static int start_daemon(sim_server *srv, const sim_options *opt, char *err,
                        size_t cap) {
  int port = opt->port;
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                   MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
  if (opt->tls_cert) {
    if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
      snprintf(err, cap, "this libmicrohttpd has no TLS support");
      return -1;
    }
    srv->tls_cert = read_pem(opt->tls_cert);
    srv->tls_key = read_pem(opt->tls_key);
    if (!srv->tls_cert || !srv->tls_key) {
      snprintf(err, cap, "cannot read the PEM file %s",
               srv->tls_cert ? opt->tls_key : opt->tls_cert);
      return -1;
    }
    flags |= MHD_USE_TLS;
  }
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  /* Without TLS the certificate options are not passed at all. */
  srv->daemon = MHD_start_daemon(
      flags, (uint16_t)port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
      (struct sockaddr *)&sa, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      srv->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, srv->tls_cert,
      MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key, MHD_OPTION_END);
  if (!srv->daemon) {
    snprintf(err, cap,
             "cannot listen on 127.0.0.1:%d (port in use?); try --port 0",
             port);
    return -1;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = info ? info->port : port;
  return 0;
}

sim_server *sim_server_start(const sim_options *opt, const sim_app *app,
                             char *err, size_t cap) {
  sim_server *srv = calloc(1, sizeof *srv);
  if (!srv || !app || !app->handle) {
    snprintf(err, cap,
             srv ? "the simulator has no request handler" : "out of memory");
    free(srv);
    return NULL;
  }
  srv->app = *app;
  srv->latency_ms = opt->latency_ms;
  if (init_sync(srv) != 0) {
    snprintf(err, cap, "cannot initialise the server's locks");
    free(srv);
    return NULL;
  }
  srv->faults = sim_faults_new();
  if (!srv->faults) {
    snprintf(err, cap, "out of memory");
  } else if (sim_log_open(&srv->log, opt->log_file, opt->log_max, err, cap) ==
             0) {
    if ((!opt->faults_file ||
         sim_faults_load_file(srv->faults, opt->faults_file, err, cap) == 0) &&
        start_daemon(srv, opt, err, cap) == 0)
      return srv;
    sim_log_close(&srv->log);
  }
  free(srv->tls_cert);
  free(srv->tls_key);
  sim_faults_free(srv->faults);
  pthread_mutex_destroy(&srv->lock);
  pthread_mutex_destroy(&srv->sleep_lock);
  pthread_cond_destroy(&srv->sleep_cond);
  free(srv);
  return NULL;
}

int sim_server_port(const sim_server *srv) {
  return srv->port;
}

void sim_server_stop(sim_server *srv) {
  if (!srv)
    return;
  pthread_mutex_lock(&srv->sleep_lock);
  srv->stopping = 1;
  pthread_cond_broadcast(&srv->sleep_cond);
  pthread_mutex_unlock(&srv->sleep_lock);
  MHD_stop_daemon(srv->daemon);
  sim_log_close(&srv->log);
  sim_stats_free(&srv->stats);
  sim_faults_free(srv->faults);
  pthread_mutex_destroy(&srv->lock);
  pthread_mutex_destroy(&srv->sleep_lock);
  pthread_cond_destroy(&srv->sleep_cond);
  pthread_cond_destroy(&srv->changed);
  free(srv->tls_cert);
  free(srv->tls_key);
  free(srv);
}
