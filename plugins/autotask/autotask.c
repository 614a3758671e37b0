/* SPDX-License-Identifier: MIT */
/*
 * autotask.c — the Autotask PSA driver's descriptor, configuration keys,
 * credential headers, open() and close(). The only exported symbol is
 * lpsa_driver_entry (LPSA_DRIVER_DEFINE).
 *
 * open() validates the section and prepares the request headers; it never
 * touches the network (the zone is looked up on first use).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "at_check.h"
#include "at_ctx.h"
#include "at_set_quantity.h"
#include "at_snapshot.h"
#include "at_url.h"

#ifndef LPSA_DRIVER_VERSION
#error "LPSA_DRIVER_VERSION must be defined by the build (lpsa_add_driver)"
#endif

static const lpsa_terms terms = {
    .psa = "Autotask",
    .company = "company",
    .agreement = "contract",
    .line = "contract service",
    .product = "service",
};

static const lpsa_config_key keys[] = {
    {"zone_lookup_url", LPSA_KEY_URL,
     "where to look the API user's zone up (default " AT_DEFAULT_ZONE_LOOKUP
     ")"},
    {"zone_url", LPSA_KEY_URL,
     "the zone's REST URL, skipping the lookup (for example "
     "https://webservices5.autotask.net/atservicesrest)"},
    {"username", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "the API user's e-mail address"},
    {"secret", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET, "the API user's secret"},
    {"integration_code", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "the API tracking identifier (integration code)"},
    {"impersonation_resource_id", 0,
     "optional resource id to act as (ImpersonationResourceId header)"},
    {"contract_category", 0,
     "only sync contracts of this category (its name or number)"},
    {NULL, 0, NULL},
};

static void ctx_free(at_ctx *ctx) {
  if (!ctx)
    return;
  free(ctx->zone_lookup_url);
  free(ctx->zone_url);
  free(ctx->username);
  free(ctx->contract_category);
  for (size_t i = 0; i < sizeof ctx->header_storage / sizeof(char *); i++) {
    /* Headers hold credentials: wipe them before giving the memory back. */
    if (ctx->header_storage[i]) {
      volatile char *p = ctx->header_storage[i];
      while (*p)
        *p++ = 0;
    }
    free(ctx->header_storage[i]);
  }
  free(ctx->base);
  free(ctx->zone_name);
  pthread_mutex_destroy(&ctx->zone_lock);
  free(ctx);
}

static void at_close(lpsa_driver_ctx *vctx) {
  ctx_free(vctx);
}

/* A header value must not be able to start another header. */
static int header_safe(const char *v) {
  return !strpbrk(v, "\r\n");
}

static char *header(const char *name, const char *value) {
  size_t n = strlen(name) + 2 + strlen(value) + 1;
  char *h = malloc(n);
  if (h)
    snprintf(h, n, "%s: %s", name, value);
  return h;
}

typedef struct raw_config {
  const char *zone_lookup_url, *zone_url, *username, *secret, *integration_code,
      *impersonation, *category;
} raw_config;

/* The section's values. The host has refused unknown keys, checked that
 * the required ones are set and that the URLs are https:// (or loopback
 * http://), so none of that is checked again; a required key the section
 * does not set reads as "" (only a caller bypassing the host sees that).
 * What remains is Autotask's own: values that go into headers stay on one
 * line, and an impersonation id is a number. */
static int read_config(const lpsa_config_value *config, size_t n,
                       raw_config *raw, char *err, size_t errlen) {
  struct {
    const char *key;
    const char **slot;
  } map[] = {
      {"zone_lookup_url", &raw->zone_lookup_url},
      {"zone_url", &raw->zone_url},
      {"username", &raw->username},
      {"secret", &raw->secret},
      {"integration_code", &raw->integration_code},
      {"impersonation_resource_id", &raw->impersonation},
      {"contract_category", &raw->category},
  };
  memset(raw, 0, sizeof *raw);
  raw->username = raw->secret = raw->integration_code = "";
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
      if (config[i].key && strcmp(config[i].key, map[k].key) == 0 &&
          config[i].value && *config[i].value)
        *map[k].slot = config[i].value;
  if (!header_safe(raw->username) || !header_safe(raw->secret) ||
      !header_safe(raw->integration_code)) {
    snprintf(err, errlen,
             "an Autotask credential contains a line break: check username, "
             "secret and integration_code");
    return LPSA_ERR_INVALID;
  }
  if (raw->impersonation &&
      (strspn(raw->impersonation, "0123456789") != strlen(raw->impersonation) ||
       strlen(raw->impersonation) > 18)) {
    snprintf(err, errlen,
             "impersonation_resource_id must be a resource id (a number)");
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK;
}

static int build_ctx(at_ctx *ctx, const raw_config *raw) {
  ctx->zone_lookup_url = at_url_base(
      raw->zone_lookup_url ? raw->zone_lookup_url : AT_DEFAULT_ZONE_LOOKUP);
  ctx->zone_url = raw->zone_url ? at_url_base(raw->zone_url) : NULL;
  ctx->username = strdup(raw->username);
  ctx->contract_category = raw->category ? strdup(raw->category) : NULL;
  if (!ctx->zone_lookup_url || (raw->zone_url && !ctx->zone_url) ||
      !ctx->username || (raw->category && !ctx->contract_category))
    return -1;
  size_t h = 0;
  char **s = ctx->header_storage;
  s[h++] = header("ApiIntegrationCode", raw->integration_code);
  s[h++] = header("UserName", raw->username);
  s[h++] = header("Secret", raw->secret);
  if (raw->impersonation)
    s[h++] = header("ImpersonationResourceId", raw->impersonation);
  s[h++] = strdup("Content-Type: application/json");
  s[h++] = strdup("Accept: application/json");
  for (size_t i = 0; i < h; i++) {
    if (!s[i])
      return -1;
    ctx->headers[i] = s[i];
  }
  ctx->headers[h] = NULL;
  return 0;
}

/* The host services this driver needs: driver ABI 1 with add_note (1.1: a
 * record that cannot be billed safely is a note; a host without notes
 * could only fail every company's snapshot). Checked first in open(), in
 * the same shape and words as the other lpsa drivers. */
static int at_host_ok(const lpsa_host_api *api, char *err, size_t errlen) {
  if (api->abi_major == LPSA_ABI_MAJOR && LPSA_HOST_HAS(api, add_note))
    return LPSA_OK;
  snprintf(err, errlen,
           "the Autotask driver %s needs a host of driver ABI %d.1 or newer "
           "(add_note); this host speaks ABI %u.%u: upgrade lpsa-host",
           LPSA_DRIVER_VERSION, LPSA_ABI_MAJOR, (unsigned)api->abi_major,
           (unsigned)api->abi_minor);
  return LPSA_ERR_UNSUPPORTED;
}

static int at_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || !out || !err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  int rc = at_host_ok(api, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  raw_config raw;
  rc = read_config(config, config ? n_config : 0, &raw, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  at_ctx *ctx = calloc(1, sizeof *ctx);
  if (ctx)
    pthread_mutex_init(&ctx->zone_lock, NULL);
  if (!ctx || build_ctx(ctx, &raw)) {
    ctx_free(ctx);
    snprintf(err, errlen, "out of memory opening the Autotask driver");
    return LPSA_ERR_NOMEM;
  }
  ctx->api = api;
  ctx->host = host;
  /* set_quantity() is safe on several threads at once (at_ctx.h): the host
   * may write contract services in parallel; the host's group limit keeps
   * Autotask's 3 threads per entity. */
  if (LPSA_HOST_HAS(api, concurrent_writes))
    api->concurrent_writes(host);
  *out = ctx;
  return LPSA_OK;
}

/* Autotask's credential headers (Authorization is the host's own): the
 * host hides their values wherever they might show. */
static const char *const sensitive_headers[] = {"ApiIntegrationCode",
                                                "UserName", "Secret", NULL};

LPSA_DRIVER_DEFINE(.name = "autotask", .version = LPSA_DRIVER_VERSION,
                   .description = "Autotask PSA recurring service contracts, "
                                  "through its REST API",
                   .terms = &terms, .config_keys = keys, .open = at_open,
                   .close = at_close, .snapshot = at_snapshot,
                   .set_quantity = at_set_quantity, .check = at_check,
                   .sensitive_headers = sensitive_headers);
