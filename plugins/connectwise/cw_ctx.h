/* SPDX-License-Identifier: MIT */
/*
 * cw_ctx.h — one open instance of the ConnectWise driver, and the internal
 * entry points of its operations.
 *
 * The context holds the configuration (secrets only inside the prepared
 * headers), the API root once discovered, and the per-operation flag that
 * limits codebase re-discovery to once per operation. Nothing here is
 * global: two instances (two sites) never share state.
 */
#ifndef CW_CTX_H
#define CW_CTX_H

#include <stddef.h>

#include "lpsa/lpsa.h"

#define CW_DEFAULT_API_VERSION "2025.1"
#define CW_MAX_PAGE_SIZE 1000

/* The instance is the SDK's opaque struct lpsa_driver_ctx, defined here. */
typedef struct lpsa_driver_ctx cw_ctx;
struct lpsa_driver_ctx {
  const lpsa_host_api *api;
  lpsa_host *host;

  char *site;           /* scheme://host[:port][/path], no trailing '/' */
  char *company_id;     /* the login company */
  char *codebase_cfg;   /* configured codebase ("v4_6_release/"), or NULL */
  char *agreement_type; /* only agreements of this type name, or NULL */
  long page_size;       /* 1..1000 */

  char *codebase; /* the codebase in use, NULL until discovered */
  char *root;     /* {site}/{codebase}apis/3.0/ once known */

  /* Prepared request headers; the secrets live only in these strings. */
  char *h_auth;
  char *h_client;
  char *h_accept;
  const char *hdr_get[4];  /* auth, clientId, accept, NULL */
  const char *hdr_body[5]; /* the same plus Content-Type, NULL */

  /* Per operation: a 404 has already triggered re-discovery. */
  int rediscovered;
};

/* cw_config.c: fill a zeroed ctx from the section's values. */
int cw_config_apply(cw_ctx *c, const lpsa_config_value *config, size_t n,
                    char *err, size_t errlen);
void cw_ctx_free(cw_ctx *c);

/* The operations (one file each). */
int cw_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                lpsa_snapshot *snap, char *err, size_t errlen);
int cw_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen);
int cw_check(lpsa_driver_ctx *ctx, char *err, size_t errlen);

#endif
