/* SPDX-License-Identifier: MIT */
/*
 * web_router.h — one request from arrival to answer: the checks every
 * request goes through, in order, then the handler of its route.
 *
 *   1. Host: on a loopback address only a loopback Host is answered (a
 *      page of another site that rebinds its name to 127.0.0.1 gets 421);
 *   2. the page and its files (GET/HEAD of /, /app.js, /app.css);
 *   3. /api/v1/...: the route (404 unknown, 405 wrong method with Allow);
 *   4. the session cookie (dropped when the user was removed or their
 *      password or role changed);
 *   5. the route's role: 401 without a session, 403 for a viewer on an
 *      approver's route;
 *   6. CSRF: every POST/PUT/PATCH/DELETE but the login carries the
 *      session's X-CSRF-Token (403 "csrf");
 *   7. a body is JSON (415 otherwise), at most WEB_BODY_MAX bytes (413).
 * Errors are {"error": {"code": "...", "message": "..."}}.
 */
#ifndef LPSA_WEB_ROUTER_H
#define LPSA_WEB_ROUTER_H

#include <json-c/json.h>
#include <microhttpd.h>

#include "web_assets.h"
#include "web_console.h"
#include "web_session.h"

#define WEB_BODY_MAX (64 * 1024)
#define WEB_COOKIE "lpsa_session"

typedef struct web_request {
  web_console *c;
  struct MHD_Connection *conn;
  const char *method, *path;
  const char *body;
  size_t body_len;
  char address[64]; /* the client's address */
  int has_session;
  web_session session;
  char param[256]; /* the {id} of the route, decoded */
} web_request;

typedef struct web_reply {
  int status;
  json_object *json; /* owned */
  const web_asset *asset;
  char set_cookie[256];
  int retry_after; /* seconds, 0: none */
  char allow[64];  /* 405 */
} web_reply;

typedef enum web_auth {
  WEB_AUTH_NONE = 0, /* anyone (the login) */
  WEB_AUTH_VIEWER,   /* any logged-in user */
  WEB_AUTH_APPROVER
} web_auth;

typedef void (*web_handler)(web_request *req, web_reply *rep);

/* Answer `req` into `rep` (c->lock held). */
void web_router_dispatch(web_request *req, web_reply *rep);

/* ---- for the handlers ------------------------------------------------- */

/* A JSON answer (takes the reference). */
void web_reply_json(web_reply *rep, int status, json_object *json);
/* An error answer. */
void web_reply_error(web_reply *rep, int status, const char *code,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The request's JSON object body: the new reference, or NULL after
 * answering 400. */
json_object *web_request_json(web_request *req, web_reply *rep);
/* A string member of a JSON body: NULL when absent or null; *bad set (and
 * 400 answered) when it is not a string. */
const char *web_json_str(json_object *o, const char *key, web_reply *rep,
                         int *bad);
/* Query parameter, or NULL. */
const char *web_query(const web_request *req, const char *name);
/* Integer query parameter in [min, max], or `def` when absent; -1 after
 * answering 400 for a bad value. */
int web_query_int(const web_request *req, web_reply *rep, const char *name,
                  long long def, long long min, long long max, long long *out);
/* Record an audit event for the request's user (web_audit.h). */
void web_request_audit(web_request *req, const char *action, const char *target,
                       json_object *detail);

/* The handlers (web_api_*.c). */
void web_api_session_get(web_request *req, web_reply *rep);
void web_api_session_login(web_request *req, web_reply *rep);
void web_api_session_logout(web_request *req, web_reply *rep);
void web_api_overview(web_request *req, web_reply *rep);
void web_api_runs_list(web_request *req, web_reply *rep);
void web_api_run_detail(web_request *req, web_reply *rep);
void web_api_company(web_request *req, web_reply *rep);
void web_api_mapping_get(web_request *req, web_reply *rep);
void web_api_mapping_add(web_request *req, web_reply *rep);
void web_api_mapping_change(web_request *req, web_reply *rep);
void web_api_mapping_remove(web_request *req, web_reply *rep);
void web_api_mapping_backups(web_request *req, web_reply *rep);
void web_api_suggest_get(web_request *req, web_reply *rep);
void web_api_suggest_start(web_request *req, web_reply *rep);
void web_api_audit(web_request *req, web_reply *rep);
void web_api_plans_list(web_request *req, web_reply *rep);
void web_api_plans_make(web_request *req, web_reply *rep);
void web_api_plan_get(web_request *req, web_reply *rep);
void web_api_plan_approve(web_request *req, web_reply *rep);
void web_api_plan_apply(web_request *req, web_reply *rep);
void web_api_job(web_request *req, web_reply *rep);
void web_api_acks_list(web_request *req, web_reply *rep);
void web_api_ack_add(web_request *req, web_reply *rep);
void web_api_ack_remove(web_request *req, web_reply *rep);

#endif
