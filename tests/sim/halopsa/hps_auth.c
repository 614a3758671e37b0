/* SPDX-License-Identifier: MIT */
/*
 * hps_auth.c — tokens, expiry and scopes (see hps_auth.h).
 */
#include "hps_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void hps_auth_config_default(hps_auth_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->client_id = "lpsa-demo-client";
  cfg->client_secret = "demosecret";
  cfg->scopes = "all";
  cfg->ttl_s = 3600;
}

void hps_auth_init(hps_auth *a, const hps_auth_config *cfg) {
  memset(a, 0, sizeof *a);
  a->cfg = *cfg;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The decoded value of form field `name` into out; 0, or -1 when absent. */
static int form_field(const char *body, const char *name, char *out,
                      size_t cap) {
  size_t nlen = strlen(name);
  for (const char *p = body; p && *p;) {
    const char *end = strchr(p, '&');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
      size_t o = 0;
      for (size_t i = nlen + 1; i < len && o + 1 < cap; i++) {
        char c = p[i];
        if (c == '+')
          c = ' ';
        else if (c == '%' && i + 2 < len && hexval(p[i + 1]) >= 0 &&
                 hexval(p[i + 2]) >= 0) {
          c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
          i += 2;
        }
        out[o++] = c;
      }
      out[o] = '\0';
      return 0;
    }
    p = end ? end + 1 : NULL;
  }
  return -1;
}

/* Is the space-separated `word` in the space-separated `list`? */
static int has_word(const char *list, const char *word, size_t wlen) {
  for (const char *p = list; *p;) {
    while (*p == ' ')
      p++;
    size_t len = strcspn(p, " ");
    if (len && len == wlen && strncasecmp(p, word, len) == 0)
      return 1;
    p += len;
  }
  return 0;
}

static void oauth_error(sim_response *resp, int status, const char *error,
                        const char *description) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "error", json_object_new_string(error));
  json_object_object_add(o, "error_description",
                         json_object_new_string(description));
  sim_respond_json(resp, status, o);
  json_object_put(o);
}

void hps_auth_token(hps_auth *a, const char *tenant, const char *body,
                    long long now_ms, sim_response *resp) {
  char grant[64], id[256], secret[256], scope[256];
  if (a->cfg.tenant && (!tenant || strcasecmp(tenant, a->cfg.tenant) != 0)) {
    /* What a client reports for a hosted instance asked without (or with
     * the wrong) tenant: a bare server error. */
    sim_respond_text(resp, 500, "text/html",
                     "<html><body>An error has occurred.</body></html>");
    return;
  }
  if (form_field(body, "grant_type", grant, sizeof grant) ||
      strcmp(grant, "client_credentials") != 0) {
    oauth_error(resp, 400, "unsupported_grant_type",
                "grant_type must be client_credentials");
    return;
  }
  if (form_field(body, "client_id", id, sizeof id) ||
      form_field(body, "client_secret", secret, sizeof secret) ||
      strcmp(id, a->cfg.client_id) != 0 ||
      strcmp(secret, a->cfg.client_secret) != 0) {
    oauth_error(resp, 401, "invalid_client",
                "The client id or client secret is not valid");
    return;
  }
  if (form_field(body, "scope", scope, sizeof scope) || !scope[0])
    snprintf(scope, sizeof scope, "all");
  for (const char *p = scope; *p;) {
    while (*p == ' ')
      p++;
    size_t len = strcspn(p, " ");
    if (len && !has_word(a->cfg.scopes, p, len)) {
      oauth_error(resp, 400, "invalid_scope",
                  "The application is not allowed the scope requested");
      return;
    }
    p += len;
  }
  hps_token *t = &a->tokens[a->next];
  a->next = (a->next + 1) % HPS_MAX_TOKENS;
  memset(t, 0, sizeof *t);
  a->serial++;
  snprintf(
      t->value, sizeof t->value, "hps.%llu.%08lx", a->serial,
      (unsigned long)(((unsigned long long)now_ms * 2654435761u) ^ a->serial));
  snprintf(t->scope, sizeof t->scope, "%s", scope);
  t->expires_ms = now_ms + a->cfg.ttl_s * 1000;
  a->issued++;
  json_object *o = json_object_new_object();
  json_object_object_add(o, "access_token", json_object_new_string(t->value));
  json_object_object_add(o, "token_type", json_object_new_string("Bearer"));
  json_object_object_add(o, "expires_in", json_object_new_int64(a->cfg.ttl_s));
  json_object_object_add(o, "scope", json_object_new_string(scope));
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

static hps_token *find(hps_auth *a, const char *authorization) {
  if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
    return NULL;
  const char *v = authorization + 7;
  while (*v == ' ')
    v++;
  for (size_t i = 0; i < HPS_MAX_TOKENS; i++)
    if (a->tokens[i].value[0] && strcmp(a->tokens[i].value, v) == 0)
      return &a->tokens[i];
  return NULL;
}

static int scope_allows(const char *scope, const char *area, int edit) {
  char want[64];
  if (has_word(scope, "all", 3) || has_word(scope, "all:standard", 12))
    return 1;
  snprintf(want, sizeof want, "edit:%s", area);
  if (has_word(scope, want, strlen(want)))
    return 1;
  snprintf(want, sizeof want, "read:%s", area);
  return !edit && has_word(scope, want, strlen(want));
}

int hps_auth_check(hps_auth *a, const char *authorization, const char *area,
                   int edit, long long now_ms, sim_response *resp) {
  hps_token *t = find(a, authorization);
  if (!t || t->expired || now_ms >= t->expires_ms ||
      (a->cfg.max_uses > 0 && t->uses >= a->cfg.max_uses)) {
    if (t)
      t->expired = 1;
    sim_add_header(resp, "WWW-Authenticate",
                   t ? "Bearer error=\"invalid_token\", "
                       "error_description=\"The token expired\""
                     : "Bearer");
    sim_respond_text(resp, 401, "", "");
    return -1;
  }
  if (!scope_allows(t->scope, area, edit)) {
    json_object *o = json_object_new_object();
    char msg[160];
    snprintf(msg, sizeof msg,
             "The API application is not permitted to %s %s: it needs the "
             "%s:%s scope",
             edit ? "change" : "read", area, edit ? "edit" : "read", area);
    json_object_object_add(o, "ClassName",
                           json_object_new_string("HaloSecurityException"));
    json_object_object_add(o, "Message", json_object_new_string(msg));
    sim_respond_json(resp, 403, o);
    json_object_put(o);
    return -1;
  }
  t->uses++;
  return 0;
}

void hps_auth_expire_all(hps_auth *a) {
  for (size_t i = 0; i < HPS_MAX_TOKENS; i++)
    a->tokens[i].expired = 1;
}

void hps_auth_expire(hps_auth *a, const char *authorization) {
  hps_token *t = find(a, authorization);
  if (t)
    t->expired = 1;
}
