/*
 * connectwise.c — the ConnectWise PSA driver's descriptor: its name,
 * version, words, configuration keys, and open/close.
 *
 * Everything else lives in one file per concept: cw_client.c (discovery,
 * requests, errors), cw_snapshot.c / cw_catalog.c / cw_additions.c (the
 * snapshot), cw_set_quantity.c, cw_check.c, and the pure helpers
 * (cw_conditions.c, cw_link.c, cw_pager.c, cw_json.c, cw_error.c...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_ctx.h"

static const lpsa_terms terms = {
    .psa = "ConnectWise PSA",
    .company = "company",
    .agreement = "agreement",
    .line = "addition",
    .product = "product",
};

static const lpsa_config_key keys[] = {
    {"site", LPSA_KEY_REQUIRED | LPSA_KEY_URL,
     "ConnectWise API host, e.g. https://api-na.myconnectwise.net"},
    {"company_id", LPSA_KEY_REQUIRED,
     "the company id you log in to ConnectWise with"},
    {"public_key", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "API member public key (env:NAME, file:PATH or literal)"},
    {"private_key", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "API member private key (env:NAME, file:PATH or literal)"},
    {"client_id", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET,
     "clientId GUID from the ConnectWise developer network"},
    {"codebase", 0,
     "codebase such as v4_6_release/ (skips login/companyinfo discovery)"},
    {"api_version", 0, "API version pinned in Accept (default 2025.1)"},
    {"agreement_type", 0, "only agreements of this type name count"},
    {"page_size", 0, "records per page, 1..1000 (default 1000)"},
    {NULL, 0, NULL},
};

static int cw_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || !out || api->abi_major != LPSA_ABI_MAJOR ||
      api->struct_size < sizeof(lpsa_host_api)) {
    snprintf(err, errlen,
             "the ConnectWise driver %s needs a host with driver ABI %d.%d "
             "or newer",
             CW_DRIVER_VERSION, LPSA_ABI_MAJOR, LPSA_ABI_MINOR);
    return LPSA_ERR_UNSUPPORTED;
  }
  /* A record that cannot be billed safely is reported through a note
   * (ABI 1.1): a host without notes could only fail the whole run. */
  if (!LPSA_HOST_HAS(api, add_note)) {
    snprintf(err, errlen,
             "the ConnectWise driver %s needs a host with driver ABI 1.1 or "
             "newer (this host has %u.%u): upgrade lpsa",
             CW_DRIVER_VERSION, (unsigned)api->abi_major,
             (unsigned)api->abi_minor);
    return LPSA_ERR_UNSUPPORTED;
  }
  cw_ctx *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errlen, "out of memory opening the ConnectWise driver");
    return LPSA_ERR_NOMEM;
  }
  c->api = api;
  c->host = host;
  pthread_mutex_init(&c->lock, NULL);
  int rc = cw_config_apply(c, config, n_config, err, errlen);
  if (rc) {
    cw_ctx_free(c);
    return rc;
  }
  /* set_quantity() is safe on several threads at once (cw_ctx.h): the
   * host may write additions in parallel. */
  if (LPSA_HOST_HAS(api, concurrent_writes))
    api->concurrent_writes(host);
  *out = c;
  return LPSA_OK;
}

static void cw_close(lpsa_driver_ctx *ctx) {
  cw_ctx_free(ctx);
}

static const lpsa_driver descriptor = {
    .magic = LPSA_DRIVER_MAGIC,
    .abi_major = LPSA_ABI_MAJOR,
    .abi_minor = LPSA_ABI_MINOR,
    .struct_size = sizeof(lpsa_driver),
    .name = "connectwise",
    .version = CW_DRIVER_VERSION,
    .description = "ConnectWise PSA agreement additions, through its REST API",
    .terms = &terms,
    .config_keys = keys,
    .open = cw_open,
    .close = cw_close,
    .snapshot = cw_snapshot,
    .set_quantity = cw_set_quantity,
    .check = cw_check,
};

LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void) {
  return &descriptor;
}
