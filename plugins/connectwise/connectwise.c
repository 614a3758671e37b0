/* SPDX-License-Identifier: MIT */
/*
 * connectwise.c — the ConnectWise PSA driver's descriptor: its name,
 * version, words, configuration keys, credential headers, and open/close.
 * The only exported symbol is lpsa_driver_entry (LPSA_DRIVER_DEFINE).
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

#ifndef LPSA_DRIVER_VERSION
#error "LPSA_DRIVER_VERSION must be defined by the build (lpsa_add_driver)"
#endif

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

/* The host services this driver needs: driver ABI 1 with add_note (1.1: a
 * record that cannot be billed safely is a note; a host without notes
 * could only fail the whole run). Checked first in open(), in the same
 * shape and words as the other lpsa drivers. */
static int cw_host_ok(const lpsa_host_api *api, char *err, size_t errlen) {
  if (api->abi_major == LPSA_ABI_MAJOR && LPSA_HOST_HAS(api, add_note))
    return LPSA_OK;
  snprintf(err, errlen,
           "the ConnectWise driver %s needs a host of driver ABI %d.1 or "
           "newer (add_note); this host speaks ABI %u.%u: upgrade lpsa-host",
           LPSA_DRIVER_VERSION, LPSA_ABI_MAJOR, (unsigned)api->abi_major,
           (unsigned)api->abi_minor);
  return LPSA_ERR_UNSUPPORTED;
}

static int cw_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || !out || !err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  int rc = cw_host_ok(api, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  cw_ctx *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errlen, "out of memory opening the ConnectWise driver");
    return LPSA_ERR_NOMEM;
  }
  c->api = api;
  c->host = host;
  pthread_mutex_init(&c->lock, NULL);
  rc = cw_config_apply(c, config, n_config, err, errlen);
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

/* ConnectWise's credential header besides Authorization: the host hides
 * its value wherever it might show. */
static const char *const sensitive_headers[] = {"clientId", NULL};

LPSA_DRIVER_DEFINE(
        .name = "connectwise", .version = LPSA_DRIVER_VERSION,
        .description =
            "ConnectWise PSA agreement additions, through its REST API",
        .terms = &terms, .config_keys = keys, .open = cw_open,
        .close = cw_close, .snapshot = cw_snapshot,
        .set_quantity = cw_set_quantity, .check = cw_check,
        .sensitive_headers = sensitive_headers);
