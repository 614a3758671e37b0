/* SPDX-License-Identifier: MIT */
/*
 * web_api_session.c — /api/v1/session: log in (POST), who am I and the
 * CSRF token (GET), log out (DELETE).
 */
#include <stdio.h>
#include <string.h>

#include "version.h"
#include "web_password.h"
#include "web_router.h"

static void cookie(web_request *req, web_reply *rep, const char *id) {
  snprintf(rep->set_cookie, sizeof rep->set_cookie,
           WEB_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
           id ? id : "", req->c->tls ? "; Secure" : "",
           id ? "" : "; Max-Age=0");
}

static json_object *who(const web_request *req, const web_session *s) {
  const web_console *c = req->c;
  json_object *o = json_object_new_object();
  json_object_object_add(o, "user", json_object_new_string(s->user));
  json_object_object_add(o, "role",
                         json_object_new_string(web_role_name(s->role)));
  json_object_object_add(o, "csrf_token", json_object_new_string(s->csrf));
  json_object_object_add(o, "session_minutes",
                         json_object_new_int(c->session_minutes));
  json_object *console = json_object_new_object();
  json_object_object_add(console, "version",
                         json_object_new_string(LPSA_VERSION));
  json_object_object_add(console, "driver",
                         c->driver_name ? json_object_new_string(c->driver_name)
                                        : NULL);
  json_object_object_add(
      console, "psa", c->psa_name ? json_object_new_string(c->psa_name) : NULL);
  json_object_object_add(
      console, "served_by",
      json_object_new_string(c->daemon ? "daemon" : "serve"));
  json_object_object_add(console, "tls", json_object_new_boolean(c->tls));
  json_object_object_add(o, "console", console);
  return o;
}

void web_api_session_get(web_request *req, web_reply *rep) {
  web_reply_json(rep, 200, who(req, &req->session));
}

static void refuse(web_request *req, web_reply *rep, const char *name,
                   int retry) {
  json_object *d = json_object_new_object();
  json_object_object_add(d, "retry_after", json_object_new_int(retry));
  web_request_audit(req, "login.blocked", name, d);
  json_object_put(d);
  rep->retry_after = retry;
  web_reply_error(rep, 429, "too_many_attempts",
                  "too many failed logins; try again in %d seconds", retry);
}

void web_api_session_login(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  json_object *body = web_request_json(req, rep);
  if (!body)
    return;
  int bad = 0;
  const char *name = web_json_str(body, "user", rep, &bad);
  const char *password = bad ? NULL : web_json_str(body, "password", rep, &bad);
  if (bad) {
    json_object_put(body);
    return;
  }
  if (!name || !password || !*name || strlen(name) > WEB_USER_NAME_MAX) {
    json_object_put(body);
    web_reply_error(rep, 400, "bad_request",
                    "send {\"user\": NAME, \"password\": PASSWORD}");
    return;
  }
  char user[WEB_USER_NAME_MAX + 1]; /* outlives the body */
  snprintf(user, sizeof user, "%s", name);
  name = user;
  char akey[96], ukey[96];
  snprintf(akey, sizeof akey, "address %s", req->address);
  snprintf(ukey, sizeof ukey, "user %s", name);
  int retry = 0;
  if (web_ratelimit_blocked(c->rl_address, akey, &retry) ||
      web_ratelimit_blocked(c->rl_user, ukey, &retry)) {
    refuse(req, rep, name, retry);
    json_object_put(body);
    return;
  }
  const web_users *users = web_console_users(c);
  if (!users) {
    json_object_put(body);
    web_reply_error(rep, 503, "users_file",
                    "the console cannot read its users file; see the log");
    return;
  }
  const web_user *u = web_users_find(users, name);
  int ok = 0;
  if (u)
    ok = web_password_verify(u->hash, password);
  else
    web_password_dummy_verify(password);
  json_object_put(body); /* the password is not needed any more */
  if (!ok) {
    web_ratelimit_fail(c->rl_address, akey);
    web_ratelimit_fail(c->rl_user, ukey);
    web_request_audit(req, "login.failed", name, NULL);
    web_reply_error(rep, 401, "bad_login", "wrong user name or password");
    return;
  }
  web_ratelimit_clear(c->rl_user, ukey);
  web_session s;
  if (web_sessions_create(c->sessions, u, &s) != 0) {
    web_reply_error(rep, 500, "internal", "out of memory");
    return;
  }
  req->has_session = 1;
  req->session = s;
  cookie(req, rep, s.id);
  web_request_audit(req, "login", s.user, NULL);
  web_reply_json(rep, 200, who(req, &s));
}

void web_api_session_logout(web_request *req, web_reply *rep) {
  web_request_audit(req, "logout", req->session.user, NULL);
  web_sessions_remove(req->c->sessions, req->session.id);
  cookie(req, rep, NULL);
  web_reply_json(rep, 200, json_object_new_object());
}
