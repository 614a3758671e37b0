/* SPDX-License-Identifier: MIT */
/*
 * hp_auth.c — the authorisation server, the token and its reuse (see
 * hp_auth.h).
 */
#include "hp_auth.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hp_config.h"
#include "hp_error.h"
#include "hp_json.h"

static json_object *parse(const lpsa_http_response *resp) {
  json_tokener *tok = json_tokener_new();
  json_object *doc =
      tok && resp->body
          ? json_tokener_parse_ex(tok, resp->body, (int)resp->body_len)
          : NULL;
  if (tok && json_tokener_get_error(tok) != json_tokener_success) {
    json_object_put(doc);
    doc = NULL;
  }
  json_tokener_free(tok);
  return doc;
}

static void request(hp_ctx *ctx, lpsa_http_request *req, const char *method,
                    const char *url, const char *const *headers,
                    const char *body, const char *label) {
  memset(req, 0, sizeof *req);
  req->size = sizeof *req;
  req->method = method;
  req->url = url;
  req->headers = headers;
  req->body = body;
  req->body_len = body ? strlen(body) : 0;
  /* Asking for a token or the server's address twice changes nothing. */
  req->flags = LPSA_HTTP_RETRY_SAFE;
  req->label = label;
  req->group = HP_GROUP;
  (void)ctx;
}

static int unreachable(const lpsa_http_response *resp, int rc,
                       const char *doing, char *err, size_t errlen) {
  snprintf(err, errlen, "could not reach HaloPSA while %s: %s", doing,
           resp->error[0] ? resp->error : "no answer");
  return rc == LPSA_ERR_TOO_LARGE || rc == LPSA_ERR_NOMEM ? rc
                                                          : LPSA_ERR_NETWORK;
}

static int set_auth_url(hp_ctx *ctx, const char *url, char *err,
                        size_t errlen) {
  if (!hp_url_is_safe(url)) {
    snprintf(err, errlen,
             "HaloPSA's /api/authinfo names an authorisation server that is "
             "not https (%.120s): refusing to send the client secret there; "
             "set auth_url in [driver.halopsa]",
             url);
    return LPSA_ERR_PROTOCOL;
  }
  free(ctx->auth_url);
  ctx->auth_url = hp_url_trim(url);
  if (!ctx->auth_url) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  return LPSA_OK;
}

int hp_auth_discover(hp_ctx *ctx, char *err, size_t errlen) {
  if (ctx->auth_url)
    return LPSA_OK;
  size_t n = strlen(ctx->api_base) + 16;
  char *url = malloc(n);
  if (!url) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  snprintf(url, n, "%s/authinfo", ctx->api_base);
  static const char *const headers[] = {"Accept: application/json", NULL};
  lpsa_http_request req;
  request(ctx, &req, "GET", url, headers, NULL, "halopsa GET authinfo");
  lpsa_http_response resp;
  int rc = ctx->api->http(ctx->host, &req, &resp);
  const char *doing = "looking up its authorisation server (/api/authinfo)";
  json_object *doc = NULL;
  if (resp.status == 0) {
    rc = unreachable(&resp, rc, doing, err, errlen);
  } else if (resp.status == 200 && (doc = parse(&resp)) &&
             hp_string(doc, "auth_url") && hp_string(doc, "auth_url")[0]) {
    rc = set_auth_url(ctx, hp_string(doc, "auth_url"), err, errlen);
  } else if (resp.status == 200 || resp.status == 404) {
    /* No authinfo (older or on-premises Halo): the auth server lives at
     * {url}/auth. */
    char fallback[2048];
    snprintf(fallback, sizeof fallback, "%s/auth", ctx->url);
    rc = set_auth_url(ctx, fallback, err, errlen);
  } else {
    rc = hp_error_from_answer(resp.status, resp.body, resp.body_len, doing,
                              NULL, err, errlen);
  }
  if (rc == LPSA_OK)
    ctx->api->log(ctx->host, LPSA_LOG_DEBUG,
                  "HaloPSA authorisation server %s (%s)", ctx->auth_url,
                  doc ? "from /api/authinfo" : "the default");
  json_object_put(doc);
  ctx->api->http_release(ctx->host, &resp);
  free(url);
  return rc;
}

/* "name=escaped(value)" appended to buf at *len. -1 when it does not fit. */
static int form_add(hp_ctx *ctx, char *buf, size_t cap, size_t *len,
                    const char *name, const char *value) {
  size_t need = ctx->api->url_escape(value, NULL, 0);
  size_t head = strlen(name) + 2;
  if (*len + head + need + 1 > cap)
    return -1;
  *len +=
      (size_t)snprintf(buf + *len, cap - *len, "%s%s=", *len ? "&" : "", name);
  ctx->api->url_escape(value, buf + *len, cap - *len);
  *len += need;
  return 0;
}

static char *token_body(hp_ctx *ctx) {
  size_t cap = 64 + 3 * (strlen(ctx->client_id) + strlen(ctx->client_secret) +
                         strlen(ctx->scope));
  char *body = malloc(cap);
  size_t len = 0;
  if (!body ||
      form_add(ctx, body, cap, &len, "grant_type", "client_credentials") ||
      form_add(ctx, body, cap, &len, "client_id", ctx->client_id) ||
      form_add(ctx, body, cap, &len, "client_secret", ctx->client_secret) ||
      form_add(ctx, body, cap, &len, "scope", ctx->scope)) {
    free(body);
    return NULL;
  }
  return body;
}

static char *token_url(hp_ctx *ctx) {
  size_t cap =
      strlen(ctx->auth_url) + 32 + (ctx->tenant ? 3 * strlen(ctx->tenant) : 0);
  char *url = malloc(cap);
  if (!url)
    return NULL;
  int n = snprintf(url, cap, "%s/token", ctx->auth_url);
  if (ctx->tenant) {
    n += snprintf(url + n, cap - (size_t)n, "?tenant=");
    ctx->api->url_escape(ctx->tenant, url + n, cap - (size_t)n);
  }
  return url;
}

/* Take the token out of a 200 answer. */
/* Forget the token, wiping it (token_lock held). */
static void drop_token(hp_ctx *ctx) {
  if (ctx->token_header)
    for (volatile char *p = ctx->token_header; *p; p++)
      *p = 0;
  free(ctx->token_header);
  ctx->token_header = NULL;
  ctx->token_expires = 0;
}

static int take_token(hp_ctx *ctx, json_object *doc, char *err, size_t errlen) {
  const char *token = hp_string(doc, "access_token");
  const char *type = hp_string(doc, "token_type");
  if (!token || !*token || strpbrk(token, "\r\n") ||
      (type && strcasecmp(type, "bearer") != 0)) {
    snprintf(err, errlen,
             "HaloPSA's token endpoint answered without a bearer "
             "access_token (token_type %.40s): is auth_url the Halo "
             "authorisation server?",
             type ? type : "absent");
    return LPSA_ERR_PROTOCOL;
  }
  json_object *e = hp_member(doc, "expires_in");
  long long expires = 3600;
  if (e && (json_object_is_type(e, json_type_int) ||
            json_object_is_type(e, json_type_string)))
    expires = json_object_get_int64(e);
  if (expires <= 0 || expires > 10 * 365 * 86400LL)
    expires = 3600;
  size_t n = strlen(token) + 32;
  char *header = malloc(n);
  const char *scope = hp_string(doc, "scope");
  char *granted = scope ? strdup(scope) : NULL;
  if (!header || (scope && !granted)) {
    free(header);
    free(granted);
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  snprintf(header, n, "Authorization: Bearer %s", token);
  drop_token(ctx);
  free(ctx->granted_scope);
  ctx->token_header = header;
  ctx->granted_scope = granted;
  ctx->token_lifetime = (long)expires;
  /* Renew a little early, so a token never expires in flight. */
  long margin = expires > 600 ? 60 : (long)expires / 10;
  ctx->token_expires = ctx->api->now(ctx->host) + (time_t)expires - margin;
  ctx->tokens++;
  return LPSA_OK;
}

static int token_error(hp_ctx *ctx, const lpsa_http_response *resp,
                       const char *doing, char *err, size_t errlen) {
  char msg[256];
  hp_error_text(resp->body, resp->body_len, msg, sizeof msg);
  json_object *doc = parse(resp);
  const char *code = hp_string(doc, "error");
  int rc;
  if (resp->status == 401 || (code && strcmp(code, "invalid_client") == 0)) {
    snprintf(err, errlen,
             "HaloPSA rejected the API application's credentials (HTTP %ld: "
             "%s): check client_id and client_secret (Configuration > "
             "Integrations > Halo API)",
             resp->status, msg[0] ? msg : "invalid_client");
    rc = LPSA_ERR_AUTH;
  } else if (code && strcmp(code, "invalid_scope") == 0) {
    snprintf(err, errlen,
             "HaloPSA would not grant the scope \"%.100s\" (%s): allow it to "
             "the API application, or set scope to what it may have",
             ctx->scope, msg);
    rc = LPSA_ERR_PERMISSION;
  } else if (resp->status >= 500 && !ctx->tenant) {
    snprintf(err, errlen,
             "HaloPSA's token endpoint failed (HTTP %ld): a hosted Halo "
             "needs tenant = <your tenant name> in [driver.halopsa]",
             resp->status);
    rc = LPSA_ERR_REMOTE;
  } else if (resp->status >= 500) {
    snprintf(err, errlen,
             "HaloPSA's token endpoint failed (HTTP %ld%s%s): check tenant "
             "= %.60s in [driver.halopsa], or try again later",
             resp->status, msg[0] ? ": " : "", msg, ctx->tenant);
    rc = LPSA_ERR_REMOTE;
  } else {
    rc = hp_error_from_answer(resp->status, resp->body, resp->body_len, doing,
                              NULL, err, errlen);
  }
  json_object_put(doc);
  return rc;
}

/* hp_auth_token() with token_lock held. */
static int ensure_token(hp_ctx *ctx, char *err, size_t errlen) {
  if (ctx->token_header && ctx->api->now(ctx->host) < ctx->token_expires)
    return LPSA_OK;
  drop_token(ctx);
  int rc = hp_auth_discover(ctx, err, errlen);
  if (rc)
    return rc;
  char *url = token_url(ctx), *body = token_body(ctx);
  if (!url || !body) {
    free(url);
    free(body);
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  static const char *const headers[] = {
      "Content-Type: application/x-www-form-urlencoded",
      "Accept: application/json", NULL};
  lpsa_http_request req;
  request(ctx, &req, "POST", url, headers, body, "halopsa POST token");
  lpsa_http_response resp;
  const char *doing = "asking for a token (client credentials)";
  rc = ctx->api->http(ctx->host, &req, &resp);
  json_object *doc = NULL;
  if (resp.status == 0)
    rc = unreachable(&resp, rc, doing, err, errlen);
  else if (resp.status != 200)
    rc = token_error(ctx, &resp, doing, err, errlen);
  else if (!(doc = parse(&resp))) {
    snprintf(err, errlen,
             "HaloPSA's token endpoint answered 200 with something that is "
             "not JSON: is auth_url (%.120s) the Halo authorisation server?",
             ctx->auth_url);
    rc = LPSA_ERR_PROTOCOL;
  } else
    rc = take_token(ctx, doc, err, errlen);
  json_object_put(doc);
  ctx->api->http_release(ctx->host, &resp);
  /* The form held the secret: wipe it before freeing. */
  for (volatile char *p = body; *p; p++)
    *p = 0;
  free(body);
  free(url);
  if (rc == LPSA_OK)
    ctx->api->log(ctx->host, LPSA_LOG_DEBUG,
                  "HaloPSA token obtained (expires in %ld s, scope %s)",
                  ctx->token_lifetime,
                  ctx->granted_scope ? ctx->granted_scope : "not reported");
  return rc;
}

int hp_auth_token(hp_ctx *ctx, char *err, size_t errlen) {
  /* Writes running at once share one token: one of them fetches it, the
   * others wait for it. */
  pthread_mutex_lock(&ctx->token_lock);
  int rc = ensure_token(ctx, err, errlen);
  pthread_mutex_unlock(&ctx->token_lock);
  return rc;
}

char *hp_auth_header(hp_ctx *ctx) {
  pthread_mutex_lock(&ctx->token_lock);
  char *h = ctx->token_header ? strdup(ctx->token_header) : NULL;
  pthread_mutex_unlock(&ctx->token_lock);
  return h;
}

void hp_auth_header_free(char *header) {
  if (header)
    for (volatile char *p = header; *p; p++)
      *p = 0;
  free(header);
}

void hp_auth_forget(hp_ctx *ctx) {
  pthread_mutex_lock(&ctx->token_lock);
  drop_token(ctx);
  pthread_mutex_unlock(&ctx->token_lock);
}
