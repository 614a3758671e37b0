/* SPDX-License-Identifier: MIT */
/*
 * hp_config.c — the [driver.halopsa] keys and their checks.
 */
#include "hp_config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const lpsa_config_key hp_config_keys[] = {
    {"url", LPSA_KEY_REQUIRED | LPSA_KEY_URL,
     "your Halo address, e.g. https://yourcompany.halopsa.com (the API is "
     "its /api)"},
    {"auth_url", LPSA_KEY_URL,
     "the authorisation server, skipping the /api/authinfo lookup (e.g. "
     "https://yourcompany.halopsa.com/auth)"},
    {"tenant", 0,
     "the hosted tenant name, sent to the token endpoint as ?tenant= "
     "(hosted Halo needs it)"},
    {"client_id", LPSA_KEY_REQUIRED,
     "the API application's Client ID (Halo: Configuration > Integrations > "
     "Halo API, authentication Client ID and Secret)"},
    {"client_secret", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "the API application's client secret (env:NAME, file:PATH or literal)"},
    {"scope", 0,
     "scopes to ask for, space-separated (default all; the sync needs "
     "read:customers read:items edit:invoices)"},
    {"requests_per_5min", 0,
     "requests lpsa sends per rate window at most, 1..100000 (default 250; "
     "hosted Halo refuses past 300 per rolling 5 minutes)"},
    {"rate_window_seconds", 0,
     "the window requests_per_5min counts in, in seconds (default 300)"},
    {"page_size", 0, "records asked per page, 1..1000 (default 100)"},
    {NULL, 0, NULL},
};

static void wipe(char *s) {
  if (!s)
    return;
  volatile char *p = s;
  while (*p)
    *p++ = 0;
}

void hp_ctx_free(hp_ctx *ctx) {
  if (!ctx)
    return;
  wipe(ctx->client_secret);
  wipe(ctx->token_header);
  free(ctx->url);
  free(ctx->api_base);
  free(ctx->auth_url);
  free(ctx->tenant);
  free(ctx->client_id);
  free(ctx->client_secret);
  free(ctx->scope);
  free(ctx->token_header);
  free(ctx->granted_scope);
  pthread_mutex_destroy(&ctx->token_lock);
  free(ctx);
}

char *hp_url_trim(const char *url) {
  char *copy = strdup(url ? url : "");
  size_t n = copy ? strlen(copy) : 0;
  while (n && copy[n - 1] == '/')
    copy[--n] = '\0';
  return copy;
}

char *hp_url_base(const char *url) {
  char *copy = hp_url_trim(url);
  if (!copy)
    return NULL;
  size_t n = strlen(copy);
  if (n >= 4 && strcasecmp(copy + n - 4, "/api") == 0) {
    n -= 4;
    copy[n] = '\0';
    while (n && copy[n - 1] == '/')
      copy[--n] = '\0';
  }
  return copy;
}

int hp_url_is_safe(const char *url) {
  if (!url)
    return 0;
  if (strncasecmp(url, "https://", 8) == 0)
    return url[8] != '\0' && url[8] != '/';
  if (strncasecmp(url, "http://", 7) != 0)
    return 0;
  const char *host = url + 7;
  static const char *const loopback[] = {"127.0.0.1", "localhost", "[::1]"};
  for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++) {
    size_t n = strlen(loopback[i]);
    if (strncasecmp(host, loopback[i], n) == 0 &&
        (host[n] == '\0' || host[n] == ':' || host[n] == '/'))
      return 1;
  }
  return 0;
}

typedef struct raw {
  const lpsa_config_value *url, *auth_url, *tenant, *client_id, *secret, *scope,
      *rate, *window, *page;
} raw;

static int where(const lpsa_config_value *v, char *buf, size_t cap) {
  if (v && v->line > 0)
    return snprintf(buf, cap, " (line %d)", v->line);
  buf[0] = '\0';
  return 0;
}

static int whole(const lpsa_config_value *v, long lo, long hi, long *out,
                 char *err, size_t errlen) {
  char at[32];
  where(v, at, sizeof at);
  char *end;
  errno = 0;
  long n = strtol(v->value, &end, 10);
  if (errno || end == v->value || *end || n < lo || n > hi) {
    snprintf(err, errlen,
             "%s = %.40s%s: give a whole number from %ld to %ld in "
             "[driver.halopsa]",
             v->key, v->value, at, lo, hi);
    return LPSA_ERR_INVALID;
  }
  *out = n;
  return LPSA_OK;
}

static int seconds(const lpsa_config_value *v, double *out, char *err,
                   size_t errlen) {
  char at[32];
  where(v, at, sizeof at);
  char *end;
  errno = 0;
  double s = strtod(v->value, &end);
  if (errno || end == v->value || *end || !isfinite(s) || s < 0.1 ||
      s > 86400) {
    snprintf(err, errlen,
             "%s = %.40s%s: give a number of seconds from 0.1 to 86400 in "
             "[driver.halopsa]",
             v->key, v->value, at);
    return LPSA_ERR_INVALID;
  }
  *out = s;
  return LPSA_OK;
}

/* The section's values. The host has refused unknown keys, checked that
 * url, client_id and client_secret are set and that url and auth_url are
 * https:// (or loopback http://), so none of that is checked again here. */
static void read_raw(const lpsa_config_value *config, size_t n, raw *r) {
  memset(r, 0, sizeof *r);
  struct {
    const char *key;
    const lpsa_config_value **slot;
  } map[] = {
      {"url", &r->url},
      {"auth_url", &r->auth_url},
      {"tenant", &r->tenant},
      {"client_id", &r->client_id},
      {"client_secret", &r->secret},
      {"scope", &r->scope},
      {"requests_per_5min", &r->rate},
      {"rate_window_seconds", &r->window},
      {"page_size", &r->page},
  };
  for (size_t i = 0; config && i < n; i++)
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
      if (config[i].key && strcmp(config[i].key, map[k].key) == 0 &&
          config[i].value && config[i].value[0])
        *map[k].slot = &config[i];
}

/* A required key's value; "" only for a caller bypassing the host. */
static const char *required(const lpsa_config_value *v) {
  return v ? v->value : "";
}

static int check_scope(const raw *r, char *err, size_t errlen) {
  if (r->scope && strpbrk(r->scope->value, "\r\n\t")) {
    snprintf(err, errlen,
             "scope holds a control character: list scopes "
             "separated by spaces");
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK;
}

static char *dup_opt(const lpsa_config_value *v, const char *dflt) {
  return strdup(v ? v->value : dflt);
}

int hp_config_apply(hp_ctx *ctx, const lpsa_config_value *config, size_t n,
                    char *err, size_t errlen) {
  raw r;
  read_raw(config, n, &r);
  int rc = check_scope(&r, err, errlen);
  long rate = HP_DEFAULT_RATE, page = HP_DEFAULT_PAGE_SIZE;
  double window = HP_DEFAULT_WINDOW_S;
  if (!rc && r.rate)
    rc = whole(r.rate, 1, 100000, &rate, err, errlen);
  if (!rc && r.page)
    rc = whole(r.page, 1, 1000, &page, err, errlen);
  if (!rc && r.window)
    rc = seconds(r.window, &window, err, errlen);
  if (rc)
    return rc;
  ctx->rate = (unsigned)rate;
  ctx->page_size = page;
  ctx->window_ms = (long)(window * 1000.0 + 0.5);
  ctx->url = hp_url_base(required(r.url));
  size_t n_base = ctx->url ? strlen(ctx->url) + 5 : 0;
  ctx->api_base = ctx->url ? malloc(n_base) : NULL;
  if (ctx->api_base)
    snprintf(ctx->api_base, n_base, "%s/api", ctx->url);
  ctx->auth_configured = r.auth_url != NULL;
  ctx->auth_url = r.auth_url ? hp_url_trim(r.auth_url->value) : NULL;
  ctx->tenant = r.tenant ? strdup(r.tenant->value) : NULL;
  ctx->client_id = strdup(required(r.client_id));
  ctx->client_secret = strdup(required(r.secret));
  ctx->scope = dup_opt(r.scope, HP_DEFAULT_SCOPE);
  if (!ctx->url || !ctx->api_base || (r.auth_url && !ctx->auth_url) ||
      (r.tenant && !ctx->tenant) || !ctx->client_id || !ctx->client_secret ||
      !ctx->scope) {
    snprintf(err, errlen, "out of memory opening the HaloPSA driver");
    return LPSA_ERR_NOMEM;
  }
  return LPSA_OK;
}
