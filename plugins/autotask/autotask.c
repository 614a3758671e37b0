/*
 * autotask.c — the Autotask PSA driver's descriptor, configuration keys,
 * open() and close(). The only exported symbol is lpsa_driver_entry.
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

#ifndef LPSA_AUTOTASK_VERSION
#error "LPSA_AUTOTASK_VERSION must be defined by the build"
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
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    const char *key = config[i].key, *value = config[i].value;
    while (k < sizeof map / sizeof map[0] && (!key || strcmp(key, map[k].key)))
      k++;
    if (k == sizeof map / sizeof map[0]) {
      snprintf(err, errlen, "unknown key \"%s\" in the Autotask section",
               key ? key : "(null)");
      return LPSA_ERR_INVALID;
    }
    if (value && *value)
      *map[k].slot = value;
  }
  const char *missing = !raw->username           ? "username"
                        : !raw->secret           ? "secret"
                        : !raw->integration_code ? "integration_code"
                                                 : NULL;
  if (missing) {
    snprintf(err, errlen, "the Autotask section needs %s", missing);
    return LPSA_ERR_INVALID;
  }
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
  const char *url_key = NULL;
  if (raw->zone_lookup_url && !at_url_is_safe(raw->zone_lookup_url))
    url_key = "zone_lookup_url";
  else if (raw->zone_url && !at_url_is_safe(raw->zone_url))
    url_key = "zone_url";
  if (url_key) {
    snprintf(err, errlen,
             "%s must be an https:// URL (http:// only to this machine)",
             url_key);
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

static int at_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || !out || !err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  if (api->abi_major != LPSA_ABI_MAJOR || !LPSA_HOST_HAS(api, status_str) ||
      !api->log || !api->http || !api->http_many || !api->http_release ||
      !api->url_escape) {
    snprintf(err, errlen,
             "this host's services table (ABI %u.%u) lacks what the Autotask "
             "driver needs (ABI %d.%d)",
             (unsigned)api->abi_major, (unsigned)api->abi_minor, LPSA_ABI_MAJOR,
             LPSA_ABI_MINOR);
    return LPSA_ERR_UNSUPPORTED;
  }
  /* A record that cannot be billed safely is told to the host as a note
   * (ABI 1.1); a host without notes could only be told by failing every
   * company's snapshot, so it is refused. */
  if (!LPSA_HOST_HAS(api, add_note)) {
    snprintf(err, errlen,
             "this host's services table (ABI %u.%u) has no add_note, which "
             "the Autotask driver needs (ABI 1.1): upgrade lpsa-host",
             (unsigned)api->abi_major, (unsigned)api->abi_minor);
    return LPSA_ERR_UNSUPPORTED;
  }
  raw_config raw;
  int rc = read_config(config, config ? n_config : 0, &raw, err, errlen);
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

static const lpsa_driver descriptor = {
    .magic = LPSA_DRIVER_MAGIC,
    .abi_major = LPSA_ABI_MAJOR,
    .abi_minor = LPSA_ABI_MINOR,
    .struct_size = sizeof(lpsa_driver),
    .name = "autotask",
    .version = LPSA_AUTOTASK_VERSION,
    .description = "Autotask PSA recurring service contracts, through its "
                   "REST API",
    .terms = &terms,
    .config_keys = keys,
    .open = at_open,
    .close = at_close,
    .snapshot = at_snapshot,
    .set_quantity = at_set_quantity,
    .check = at_check,
};

LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void) {
  return &descriptor;
}
