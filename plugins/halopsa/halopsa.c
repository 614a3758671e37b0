/* SPDX-License-Identifier: MIT */
/*
 * halopsa.c — the HaloPSA driver's descriptor, words, and open/close. The
 * only exported symbol is lpsa_driver_entry (LPSA_DRIVER_DEFINE).
 *
 * Built only against the installed lpsa SDK (lpsa/lpsa.h), as a third
 * party's driver is. It needs two services of driver ABI 1.1: add_note
 * (invoice lines it cannot bill from) and http_pace (HaloPSA's rate
 * limit), and refuses an older host at open().
 *
 * One file per concept: hp_config.c (keys), hp_auth.c (authorisation
 * server, token), hp_client.c (requests), hp_list.c / hp_paging.c
 * (lists), hp_items.c and hp_snapshot.c (the snapshot), hp_invoice.c and
 * hp_set_quantity.c (writes), hp_check.c, and the pure helpers hp_json.c,
 * hp_error.c, hp_idset.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_check.h"
#include "hp_config.h"
#include "hp_ctx.h"
#include "hp_set_quantity.h"
#include "hp_snapshot.h"

#ifndef LPSA_DRIVER_VERSION
#error "LPSA_DRIVER_VERSION must be defined by the build (lpsa_add_driver)"
#endif

static const lpsa_terms terms = {
    .psa = "HaloPSA",
    .company = "client",
    .agreement = "recurring invoice",
    .line = "invoice line",
    .product = "item",
};

/* The host services this driver needs: driver ABI 1 with add_note and
 * http_pace (1.1: invoice lines it cannot bill from are notes; Halo's rate
 * limit is a paced group). Checked first in open(), in the same shape and
 * words as the other lpsa drivers. */
static int hp_host_ok(const lpsa_host_api *api, char *err, size_t errlen) {
  if (api->abi_major == LPSA_ABI_MAJOR && LPSA_HOST_HAS(api, add_note) &&
      LPSA_HOST_HAS(api, http_pace))
    return LPSA_OK;
  snprintf(err, errlen,
           "the HaloPSA driver %s needs a host of driver ABI %d.1 or newer "
           "(add_note, http_pace); this host speaks ABI %u.%u: upgrade "
           "lpsa-host",
           LPSA_DRIVER_VERSION, LPSA_ABI_MAJOR, (unsigned)api->abi_major,
           (unsigned)api->abi_minor);
  return LPSA_ERR_UNSUPPORTED;
}

static int hp_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || !out || !err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  int rc = hp_host_ok(api, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  hp_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) {
    snprintf(err, errlen, "out of memory opening the HaloPSA driver");
    return LPSA_ERR_NOMEM;
  }
  ctx->api = api;
  ctx->host = host;
  pthread_mutex_init(&ctx->token_lock, NULL);
  rc = hp_config_apply(ctx, config, n_config, err, errlen);
  if (rc == LPSA_OK) {
    /* Halo limits requests per rolling window: the host paces the group,
     * and after a 429 holds it window/60 (5 s for 5 minutes), doubling up
     * to the host's cap, for up to HP_RETRIES_429 tries: together longer
     * than a whole window, as a limit shared with another client needs. */
    lpsa_http_pace pace = LPSA_INIT(lpsa_http_pace);
    pace.group = HP_GROUP;
    pace.max_requests = ctx->rate;
    pace.window_ms = ctx->window_ms;
    pace.backoff_ms = ctx->window_ms / 60 > 0 ? ctx->window_ms / 60 : 1;
    pace.retries_429 = HP_RETRIES_429;
    rc = api->http_pace(host, &pace);
    if (rc)
      snprintf(err, errlen, "the host refused the request budget (%s)",
               api->status_str(rc));
  }
  if (rc) {
    hp_ctx_free(ctx);
    return rc;
  }
  /* set_quantity() is safe on several threads at once (hp_auth.h): the
   * host may write invoices in parallel, within the pace. */
  if (LPSA_HOST_HAS(api, concurrent_writes))
    api->concurrent_writes(host);
  *out = ctx;
  return LPSA_OK;
}

static void hp_close(lpsa_driver_ctx *ctx) {
  hp_ctx_free(ctx);
}

/* Halo's credentials travel in Authorization (the host's own) and in the
 * token request's body: no header of its own to declare. */
LPSA_DRIVER_DEFINE(.name = "halopsa", .version = LPSA_DRIVER_VERSION,
                   .description =
                       "HaloPSA recurring invoice lines, through its REST API",
                   .terms = &terms, .config_keys = hp_config_keys,
                   .open = hp_open, .close = hp_close, .snapshot = hp_snapshot,
                   .set_quantity = hp_set_quantity, .check = hp_check);
