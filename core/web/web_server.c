/* SPDX-License-Identifier: MIT */
/*
 * web_server.c — libmicrohttpd glue: listen (HTTP or HTTPS), collect each
 * request's body, hand it to the router with the console locked, and send
 * the answer with the security headers every answer carries.
 */
#include "web_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "web_approvals.h"
#include "web_audit.h"
#include "web_console.h"
#include "web_db.h"
#include "web_random.h"
#include "web_router.h"
#include "web_suggest.h"
#include "web_tls.h"

struct web_server {
  web_console c;
  struct MHD_Daemon *mhd;
  web_tls tls;
  char *listen_text, *tls_cert, *tls_key;
};

/* ---- settings ----------------------------------------------------------- */

static int set_str(char **slot, const char *v) {
  char *copy = NULL;
  if (v && !(copy = strdup(v)))
    return -1;
  free(*slot);
  *slot = copy;
  return 0;
}

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Copy what the console reads from the settings (not listen/TLS). */
static int take_settings(web_console *c, const web_settings *s) {
  if (set_str(&c->config_path, s->config_path) ||
      set_str(&c->driver_name, s->driver_name) ||
      set_str(&c->psa_name, s->psa_name) ||
      set_str(&c->driver_id, s->driver_id) ||
      set_str(&c->driver_version, s->driver_version) ||
      set_str(&c->state_dir, s->state_dir) ||
      set_str(&c->mapping_file, s->mapping_file) ||
      set_str(&c->schedule_text, s->schedule_text) ||
      set_str(&c->self_exe, s->self_exe ? s->self_exe : "/proc/self/exe"))
    return -1;
  if (!same(c->users_file, s->users_file)) {
    if (set_str(&c->users_file, s->users_file))
      return -1;
    c->users_read = 0;
  }
  c->has_schedule = s->schedule != NULL;
  if (s->schedule)
    c->sched = *s->schedule;
  c->daemon = s->daemon;
  c->plan_max_age = s->plan_max_age > 0 ? s->plan_max_age : 24 * 3600;
  c->wake = s->wake;
  c->wake_arg = s->wake_arg;
  c->session_minutes = s->session_minutes > 0 ? s->session_minutes : 30;
  if (c->sessions)
    web_sessions_set_idle(c->sessions, c->session_minutes);
  return 0;
}

static void free_console(web_console *c) {
  web_suggest_stop(c);
  free(c->config_path);
  free(c->driver_name);
  free(c->psa_name);
  free(c->driver_id);
  free(c->driver_version);
  free(c->state_dir);
  free(c->mapping_file);
  free(c->users_file);
  free(c->self_exe);
  free(c->schedule_text);
  web_users_free(&c->users);
  web_sessions_free(c->sessions);
  web_ratelimit_free(c->rl_address);
  web_ratelimit_free(c->rl_user);
  web_db_close(c->db);
  journal_close(c->journal);
  json_object_put(c->report);
  json_object_put(c->suggestions);
  web_job_free(&c->job);
  web_plan_free(c->plan_cache);
}

static int open_db(web_console *c, char *err, size_t errlen) {
  sqlite3 *db;
  if (web_db_open(c->state_dir, &db, err, errlen) != 0)
    return -1;
  if (web_audit_init(db) != 0 || web_approvals_init(db) != 0) {
    snprintf(err, errlen,
             "cannot add the console's tables to the journal in "
             "%s: %s",
             c->state_dir, sqlite3_errmsg(db));
    web_db_close(db);
    return -1;
  }
  /* The library's own view of the journal, for the plans' fates. */
  journal *j;
  if (journal_open(c->state_dir, 0, &j, err, errlen) != JOURNAL_OK) {
    web_db_close(db);
    return -1;
  }
  web_db_close(c->db);
  c->db = db;
  journal_close(c->journal);
  c->journal = j;
  web_plan_free(c->plan_cache);
  c->plan_cache = NULL;
  json_object_put(c->report);
  c->report = NULL;
  c->report_run = 0;
  return 0;
}

/* ---- one request -------------------------------------------------------- */

typedef struct pending {
  char *body;
  size_t len;
  int too_large;
} pending;

static void add_security_headers(struct MHD_Response *r, int tls) {
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'self'; frame-ancestors 'none'; "
                          "base-uri 'none'; form-action 'self'");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
  MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
  if (tls)
    MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

static struct MHD_Response *make_response(web_console *c, web_reply *rep) {
  struct MHD_Response *r;
  if (rep->asset) {
    r = MHD_create_response_from_buffer(
        rep->asset->len, (void *)rep->asset->data, MHD_RESPMEM_PERSISTENT);
    if (r) {
      MHD_add_response_header(r, "Content-Type", rep->asset->content_type);
      MHD_add_response_header(r, "Cache-Control", "no-cache");
    }
  } else {
    const char *text = rep->json
                           ? json_object_to_json_string_ext(
                                 rep->json, JSON_C_TO_STRING_PLAIN |
                                                JSON_C_TO_STRING_NOSLASHESCAPE)
                           : "{}";
    /* Nothing configured as a secret leaves in an answer, whatever a
     * message quoted. */
    char *safe = log_redact(c->log, text);
    char *body = NULL;
    size_t n = 0;
    if (safe && (body = malloc((n = strlen(safe)) + 2))) {
      memcpy(body, safe, n);
      body[n++] = '\n';
    }
    free(safe);
    r = body ? MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE)
             : NULL;
    if (!r)
      free(body);
    else {
      MHD_add_response_header(r, "Content-Type",
                              "application/json; charset=utf-8");
      MHD_add_response_header(r, "Cache-Control", "no-store");
    }
  }
  if (!r)
    return NULL;
  add_security_headers(r, c->tls);
  if (rep->set_cookie[0])
    MHD_add_response_header(r, "Set-Cookie", rep->set_cookie);
  if (rep->allow[0])
    MHD_add_response_header(r, "Allow", rep->allow);
  if (rep->retry_after > 0) {
    char s[32];
    snprintf(s, sizeof s, "%d", rep->retry_after);
    MHD_add_response_header(r, "Retry-After", s);
  }
  return r;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t cap) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(out, cap, "?");
  if (!ci || !ci->client_addr)
    return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET)
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
              (socklen_t)cap);
  else if (sa->sa_family == AF_INET6)
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
              (socklen_t)cap);
}

static double ms_since(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
         (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  web_server *w = cls;
  (void)version;
  pending *p = *con_cls;
  if (!p) {
    if (!(p = calloc(1, sizeof *p)))
      return MHD_NO;
    *con_cls = p;
    return MHD_YES;
  }
  if (*upload_size) {
    if (!p->too_large && p->len + *upload_size <= WEB_BODY_MAX) {
      char *grown = realloc(p->body, p->len + *upload_size + 1);
      if (!grown)
        return MHD_NO;
      memcpy(grown + p->len, upload, *upload_size);
      p->body = grown;
      p->len += *upload_size;
      p->body[p->len] = '\0';
    } else {
      p->too_large = 1;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  web_request req;
  memset(&req, 0, sizeof req);
  web_reply rep;
  memset(&rep, 0, sizeof rep);
  req.c = &w->c;
  req.conn = conn;
  req.method = method;
  req.path = url;
  req.body = p->body ? p->body : "";
  req.body_len = p->len;
  client_address(conn, req.address, sizeof req.address);
  pthread_mutex_lock(&w->c.lock); /* held while the logger is used, too */
  if (p->too_large)
    web_reply_error(&rep, 413, "too_large", "the body is larger than %d bytes",
                    WEB_BODY_MAX);
  else
    web_router_dispatch(&req, &rep);
  struct MHD_Response *r = make_response(&w->c, &rep);
  log_msg(w->c.log, LPSA_LOG_DEBUG, "web: %s %s %d (%.1f ms) from %s", method,
          url, rep.status, ms_since(&t0), req.address);
  pthread_mutex_unlock(&w->c.lock);
  json_object_put(rep.json);
  if (!r)
    return MHD_NO;
  enum MHD_Result ok = MHD_queue_response(conn, (unsigned)rep.status, r);
  MHD_destroy_response(r);
  return ok;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
  (void)cls;
  (void)conn;
  (void)why;
  pending *p = *con_cls;
  if (p) {
    free(p->body);
    free(p);
  }
  *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  web_server *w = cls;
  char line[512];
  vsnprintf(line, sizeof line, fmt, ap);
  line[strcspn(line, "\n")] = '\0';
  pthread_mutex_lock(&w->c.lock); /* recursive: may come from a handler */
  log_msg(w->c.log, LPSA_LOG_DEBUG, "web: libmicrohttpd: %s", line);
  pthread_mutex_unlock(&w->c.lock);
}

/* ---- start, update, stop ------------------------------------------------ */

static int listen_now(web_server *w, char *err, size_t errlen) {
  web_console *c = &w->c;
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  if (c->addr.family == AF_INET6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)c->addr.port);
    memcpy(&a->sin6_addr, c->addr.addr, 16);
  } else {
    struct sockaddr_in *a = (struct sockaddr_in *)&ss;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)c->addr.port);
    memcpy(&a->sin_addr, c->addr.addr, 4);
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
  if (c->addr.family == AF_INET6)
    flags |= MHD_USE_IPv6;
  if (c->tls)
    flags |= MHD_USE_TLS;
  /* The thread inherits this mask: the daemon's signals stay with the main
   * thread, whose pselect() they must interrupt. */
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGHUP);
  sigaddset(&block, SIGUSR1);
  sigaddset(&block, SIGUSR2);
  sigaddset(&block, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  if (c->tls)
    w->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, &ss,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)64, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_HTTPS_MEM_CERT,
        w->tls.cert_pem, MHD_OPTION_HTTPS_MEM_KEY, w->tls.key_pem,
        MHD_OPTION_END);
  else
    w->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, w, MHD_OPTION_SOCK_ADDR, &ss,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)64, MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)32,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (!w->mhd) {
    snprintf(err, errlen,
             "[web] cannot listen on %s%s (in use by another program, or "
             "not an address of this machine; or the TLS certificate and "
             "key do not load); choose another listen",
             w->listen_text, c->tls ? " with TLS" : "");
    return -1;
  }
  int port = c->addr.port;
  const union MHD_DaemonInfo *di =
      MHD_get_daemon_info(w->mhd, MHD_DAEMON_INFO_LISTEN_FD);
  struct sockaddr_storage bound;
  socklen_t blen = sizeof bound;
  if (di && getsockname(di->listen_fd, (struct sockaddr *)&bound, &blen) == 0)
    port = ntohs(bound.ss_family == AF_INET6
                     ? ((struct sockaddr_in6 *)&bound)->sin6_port
                     : ((struct sockaddr_in *)&bound)->sin_port);
  snprintf(c->url, sizeof c->url, "%s://%s%s%s:%d", c->tls ? "https" : "http",
           c->addr.family == AF_INET6 ? "[" : "", c->addr.host,
           c->addr.family == AF_INET6 ? "]" : "", port);
  return 0;
}

int web_server_start(const web_settings *s, web_server **out, char *err,
                     size_t errlen) {
  *out = NULL;
  web_server *w = calloc(1, sizeof *w);
  if (!w) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  web_console *c = &w->c;
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&c->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  c->log = s->log;
  c->clock = s->clock;
  c->clock_arg = s->clock_arg;
  int rc = -1;
  if (listen_addr_parse(s->listen ? s->listen : "127.0.0.1:8750", &c->addr, err,
                        errlen) != 0 ||
      web_tls_load(s->tls_cert, s->tls_key, &w->tls, err, errlen) != 0 ||
      web_tls_required(&c->addr, s->listen, &w->tls, err, errlen) != 0)
    goto out;
  c->tls = w->tls.cert_pem != NULL;
  if (web_crypto_init() != 0) {
    snprintf(err, errlen, "libsodium cannot start (no entropy source?)");
    goto out;
  }
  if (set_str(&w->listen_text, s->listen) ||
      set_str(&w->tls_cert, s->tls_cert) || set_str(&w->tls_key, s->tls_key) ||
      take_settings(c, s) ||
      !(c->sessions =
            web_sessions_new(c->session_minutes, c->clock, c->clock_arg)) ||
      !(c->rl_address =
            web_ratelimit_new(WEB_LOGIN_MAX_PER_ADDRESS, WEB_LOGIN_WINDOW_S,
                              c->clock, c->clock_arg)) ||
      !(c->rl_user =
            web_ratelimit_new(WEB_LOGIN_MAX_PER_USER, WEB_LOGIN_WINDOW_S,
                              c->clock, c->clock_arg))) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  if (open_db(c, err, errlen) != 0 || listen_now(w, err, errlen) != 0)
    goto out;
  int missing = 0;
  web_users probe;
  char uerr[1024];
  if (web_users_load(c->users_file, &probe, &missing, uerr, sizeof uerr) != 0)
    log_msg(c->log, LPSA_LOG_WARN, "web: %s", uerr);
  else if (probe.n == 0)
    log_msg(c->log, LPSA_LOG_WARN,
            "web: %s has no user yet: nobody can log in; add one with "
            "lpsa-host web-user add NAME --role approver",
            c->users_file);
  web_users_free(&probe);
  log_msg(c->log, LPSA_LOG_INFO, "web console listening at %s", c->url);
  rc = 0;
out:
  if (rc != 0) {
    web_server_stop(w);
    return -1;
  }
  *out = w;
  return 0;
}

int web_server_update(web_server *w, const web_settings *s, char *err,
                      size_t errlen) {
  if (!same(w->listen_text, s->listen) || !same(w->tls_cert, s->tls_cert) ||
      !same(w->tls_key, s->tls_key))
    return 1;
  web_console *c = &w->c;
  pthread_mutex_lock(&c->lock);
  char *old_state = c->state_dir ? strdup(c->state_dir) : NULL;
  int rc = take_settings(c, s) == 0 ? 0 : -1;
  if (rc)
    snprintf(err, errlen, "out of memory");
  else if (!same(old_state, c->state_dir) && open_db(c, err, errlen) != 0)
    rc = -1;
  /* The report of another driver or journal is not this console's. */
  json_object_put(c->report);
  c->report = NULL;
  c->report_run = 0;
  pthread_mutex_unlock(&c->lock);
  free(old_state);
  return rc;
}

void web_server_set_next_run(web_server *w, time_t next) {
  pthread_mutex_lock(&w->c.lock);
  w->c.next_run = next;
  pthread_mutex_unlock(&w->c.lock);
}

void web_server_pause(web_server *w) {
  if (w)
    pthread_mutex_lock(&w->c.lock);
}

void web_server_resume(web_server *w) {
  if (w)
    pthread_mutex_unlock(&w->c.lock);
}

void web_server_set_syncing(web_server *w, int syncing) {
  pthread_mutex_lock(&w->c.lock);
  w->c.syncing = syncing;
  pthread_mutex_unlock(&w->c.lock);
}

int web_server_job_pending(web_server *w) {
  return w ? web_job_pending(&w->c) : 0;
}

void web_server_job_refuse(web_server *w, const char *why) {
  if (w)
    web_job_refuse(&w->c, why);
}

int web_server_job_run(web_server *w, const sync_settings *base,
                       sync_report *out) {
  if (!w) {
    memset(out, 0, sizeof *out);
    return 0;
  }
  return web_job_run(&w->c, base, out);
}

const char *web_server_url(const web_server *w) {
  return w->c.url;
}

void web_server_stop(web_server *w) {
  if (!w)
    return;
  if (w->mhd)
    MHD_stop_daemon(w->mhd);
  free_console(&w->c);
  pthread_mutex_destroy(&w->c.lock);
  web_tls_free(&w->tls);
  free(w->listen_text);
  free(w->tls_cert);
  free(w->tls_key);
  free(w);
}
