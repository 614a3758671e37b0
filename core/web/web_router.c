/* SPDX-License-Identifier: MIT */
/*
 * web_router.c — the route table and the checks before a handler runs.
 */
#include "web_router.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web_audit.h"
#include "web_csrf.h"

typedef struct route {
  const char *method;
  const char *pattern; /* "{}" matches one path segment: req->param */
  web_auth auth;
  web_handler fn;
} route;

static const route routes[] = {
    {"GET", "/api/v1/session", WEB_AUTH_VIEWER, web_api_session_get},
    {"POST", "/api/v1/session", WEB_AUTH_NONE, web_api_session_login},
    {"DELETE", "/api/v1/session", WEB_AUTH_VIEWER, web_api_session_logout},
    {"GET", "/api/v1/overview", WEB_AUTH_VIEWER, web_api_overview},
    {"GET", "/api/v1/runs", WEB_AUTH_VIEWER, web_api_runs_list},
    {"GET", "/api/v1/runs/{}", WEB_AUTH_VIEWER, web_api_run_detail},
    {"GET", "/api/v1/companies/{}", WEB_AUTH_VIEWER, web_api_company},
    {"GET", "/api/v1/mapping", WEB_AUTH_VIEWER, web_api_mapping_get},
    {"POST", "/api/v1/mapping/rows", WEB_AUTH_APPROVER, web_api_mapping_add},
    {"PUT", "/api/v1/mapping/rows/{}", WEB_AUTH_APPROVER,
     web_api_mapping_change},
    {"DELETE", "/api/v1/mapping/rows/{}", WEB_AUTH_APPROVER,
     web_api_mapping_remove},
    {"GET", "/api/v1/mapping/backups", WEB_AUTH_VIEWER,
     web_api_mapping_backups},
    {"GET", "/api/v1/mapping/suggestions", WEB_AUTH_VIEWER,
     web_api_suggest_get},
    {"POST", "/api/v1/mapping/suggestions", WEB_AUTH_APPROVER,
     web_api_suggest_start},
    {"GET", "/api/v1/audit", WEB_AUTH_VIEWER, web_api_audit},
    {"GET", "/api/v1/plans", WEB_AUTH_VIEWER, web_api_plans_list},
    {"POST", "/api/v1/plans", WEB_AUTH_APPROVER, web_api_plans_make},
    {"GET", "/api/v1/plans/{}", WEB_AUTH_VIEWER, web_api_plan_get},
    {"POST", "/api/v1/plans/{}/approvals", WEB_AUTH_APPROVER,
     web_api_plan_approve},
    {"POST", "/api/v1/plans/{}/apply", WEB_AUTH_APPROVER, web_api_plan_apply},
    {"GET", "/api/v1/job", WEB_AUTH_VIEWER, web_api_job},
    {"GET", "/api/v1/acks", WEB_AUTH_VIEWER, web_api_acks_list},
    {"POST", "/api/v1/acks", WEB_AUTH_APPROVER, web_api_ack_add},
    {"DELETE", "/api/v1/acks", WEB_AUTH_APPROVER, web_api_ack_remove},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

/* ---- replies ------------------------------------------------------------ */

void web_reply_json(web_reply *rep, int status, json_object *json) {
  json_object_put(rep->json);
  rep->status = status;
  rep->json = json;
}

void web_reply_error(web_reply *rep, int status, const char *code,
                     const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_object *e = json_object_new_object();
  json_object_object_add(e, "code", json_object_new_string(code));
  json_object_object_add(e, "message", json_object_new_string(msg));
  json_object *root = json_object_new_object();
  json_object_object_add(root, "error", e);
  web_reply_json(rep, status, root);
}

json_object *web_request_json(web_request *req, web_reply *rep) {
  if (!req->body_len) {
    web_reply_error(rep, 400, "bad_request",
                    "this request needs a JSON object as its body");
    return NULL;
  }
  json_tokener *tok = json_tokener_new();
  json_object *o =
      tok ? json_tokener_parse_ex(tok, req->body, (int)req->body_len) : NULL;
  int complete = tok && json_tokener_get_error(tok) == json_tokener_success &&
                 json_tokener_get_parse_end(tok) == req->body_len;
  json_tokener_free(tok);
  if (!o || !complete || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    web_reply_error(rep, 400, "bad_request", "the body is not one JSON object");
    return NULL;
  }
  return o;
}

const char *web_json_str(json_object *o, const char *key, web_reply *rep,
                         int *bad) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return NULL;
  if (!json_object_is_type(v, json_type_string)) {
    web_reply_error(rep, 400, "bad_request", "\"%s\" must be a string", key);
    *bad = 1;
    return NULL;
  }
  return json_object_get_string(v);
}

const char *web_query(const web_request *req, const char *name) {
  const char *v =
      MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
  return v && *v ? v : NULL;
}

int web_query_int(const web_request *req, web_reply *rep, const char *name,
                  long long def, long long min, long long max, long long *out) {
  const char *v = web_query(req, name);
  *out = def;
  if (!v)
    return 0;
  char *end;
  long long n = strtoll(v, &end, 10);
  if (*end || end == v || n < min || n > max) {
    web_reply_error(rep, 400, "bad_request",
                    "%s must be a whole number from %lld to %lld, not \"%s\"",
                    name, min, max, v);
    return -1;
  }
  *out = n;
  return 0;
}

void web_request_audit(web_request *req, const char *action, const char *target,
                       json_object *detail) {
  char ts[32];
  web_console_iso(web_console_now(req->c), ts);
  if (!req->c->db ||
      web_audit_record(req->c->db, ts,
                       req->has_session ? req->session.user : NULL,
                       req->address, action, target, detail) != 0)
    log_msg(req->c->log, LPSA_LOG_ERROR,
            "web: cannot record %s of %s in the journal: %s", action,
            target ? target : "-",
            req->c->db ? sqlite3_errmsg(req->c->db) : "no journal");
  else
    log_msg(req->c->log, LPSA_LOG_INFO, "web: %s %s by %s from %s", action,
            target ? target : "", req->has_session ? req->session.user : "-",
            req->address);
}

/* ---- matching ----------------------------------------------------------- */

/* Copy one path segment (libmicrohttpd already decoded %XX). */
static int segment(const char *s, size_t n, char *out, size_t cap) {
  if (n == 0 || n >= cap)
    return -1;
  memcpy(out, s, n);
  out[n] = '\0';
  return 0;
}

/* 1 when `path` matches `pattern` (the {} segment copied to param). */
static int match(const char *pattern, const char *path, char *param,
                 size_t cap) {
  const char *hole = strstr(pattern, "{}");
  if (!hole)
    return strcmp(pattern, path) == 0;
  size_t head = (size_t)(hole - pattern);
  if (strncmp(pattern, path, head) != 0)
    return 0;
  const char *seg = path + head;
  size_t n = strcspn(seg, "/");
  if (n == 0 || strcmp(seg + n, hole + 2) != 0)
    return 0;
  return segment(seg, n, param, cap) == 0;
}

/* ---- the checks --------------------------------------------------------- */

/* On loopback, only a Host that names loopback: a DNS-rebinding page has its
 * own name in Host. */
static int host_allowed(const web_request *req) {
  if (!req->c->addr.loopback)
    return 1;
  const char *host =
      MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Host");
  if (!host)
    return 0;
  char name[128];
  snprintf(name, sizeof name, "%s", host);
  char *colon = name[0] == '[' ? strstr(name, "]:") : strrchr(name, ':');
  if (colon)
    colon[name[0] == '[' ? 1 : 0] = '\0';
  if (strcasecmp(name, "localhost") == 0 || strcmp(name, "[::1]") == 0 ||
      strcmp(name, "::1") == 0)
    return 1;
  return strncmp(name, "127.", 4) == 0 &&
         strspn(name, "0123456789.") == strlen(name);
}

static int session_of(web_request *req) {
  const char *id =
      MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, WEB_COOKIE);
  if (!id || !web_sessions_lookup(req->c->sessions, id, &req->session))
    return 0;
  /* A removed user, a new password or another role ends the session. */
  const web_users *u = web_console_users(req->c);
  const web_user *w = u ? web_users_find(u, req->session.user) : NULL;
  if (!w || w->role != req->session.role ||
      strcmp(w->hash, req->session.hash) != 0) {
    web_sessions_remove(req->c->sessions, id);
    return 0;
  }
  return 1;
}

static int is_json(const web_request *req) {
  const char *type =
      MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
  if (!type)
    return 0;
  size_t n = strcspn(type, ";");
  while (n && type[n - 1] == ' ')
    n--;
  return n == strlen("application/json") &&
         strncasecmp(type, "application/json", n) == 0;
}

static void static_file(web_request *req, web_reply *rep) {
  const web_asset *a = web_asset_find(req->path);
  if (!a) {
    web_reply_error(rep, 404, "not_found", "no page at %s", req->path);
    return;
  }
  if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
    snprintf(rep->allow, sizeof rep->allow, "GET, HEAD");
    web_reply_error(rep, 405, "method_not_allowed", "%s is read only",
                    req->path);
    return;
  }
  rep->status = 200;
  rep->asset = a;
}

void web_router_dispatch(web_request *req, web_reply *rep) {
  if (!host_allowed(req)) {
    web_reply_error(rep, 421, "wrong_host",
                    "this console answers on loopback names only "
                    "(127.0.0.1, localhost, [::1])");
    return;
  }
  if (strncmp(req->path, "/api/", 5) != 0) {
    static_file(req, rep);
    return;
  }
  const route *hit = NULL;
  char allow[64] = "";
  for (size_t i = 0; i < N_ROUTES; i++) {
    char param[sizeof req->param];
    if (!match(routes[i].pattern, req->path, param, sizeof param))
      continue;
    size_t used = strlen(allow);
    snprintf(allow + used, sizeof allow - used, "%s%s", used ? ", " : "",
             routes[i].method);
    if (strcmp(routes[i].method, req->method) == 0) {
      hit = &routes[i];
      memcpy(req->param, param, sizeof param);
    }
  }
  if (!hit && allow[0]) {
    snprintf(rep->allow, sizeof rep->allow, "%s", allow);
    web_reply_error(rep, 405, "method_not_allowed",
                    "%s does not take %s; it takes %s", req->path, req->method,
                    allow);
    return;
  }
  if (!hit) {
    web_reply_error(rep, 404, "not_found",
                    "no API endpoint %s; see the "
                    "README's JSON API section",
                    req->path);
    return;
  }
  req->has_session = session_of(req);
  if (hit->auth != WEB_AUTH_NONE && !req->has_session) {
    web_reply_error(rep, 401, "unauthenticated",
                    "log in first (POST /api/v1/session); sessions end after "
                    "%d idle minutes",
                    req->c->session_minutes);
    return;
  }
  if (hit->auth == WEB_AUTH_APPROVER &&
      req->session.role != WEB_ROLE_APPROVER) {
    web_reply_error(rep, 403, "forbidden",
                    "%s is a viewer: only an approver may do this",
                    req->session.user);
    return;
  }
  if (web_csrf_needed(req->method) && hit->auth != WEB_AUTH_NONE &&
      !web_csrf_valid(&req->session,
                      MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                  WEB_CSRF_HEADER))) {
    web_reply_error(rep, 403, "csrf",
                    "missing or wrong " WEB_CSRF_HEADER " header; send the "
                    "csrf_token of GET /api/v1/session");
    return;
  }
  if (web_csrf_needed(req->method) &&
      (req->body_len || hit->auth == WEB_AUTH_NONE) && !is_json(req)) {
    web_reply_error(rep, 415, "unsupported_media_type",
                    "send the body as Content-Type: application/json");
    return;
  }
  hit->fn(req, rep);
}
