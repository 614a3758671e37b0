/* SPDX-License-Identifier: MIT */
/*
 * cw_ctx.h — one open instance of the ConnectWise driver, and the internal
 * entry points of its operations.
 *
 * The context holds the configuration (secrets only inside the prepared
 * headers) and the API root once discovered. Nothing here is global: two
 * instances (two sites) never share state. set_quantity() may run on
 * several threads at once (the driver says so at open()): the API root,
 * the one thing an operation may change (a codebase that moved), is read
 * and replaced under `lock`; the flag that limits re-discovery to once
 * per operation belongs to the calling thread (cw_client.c).
 */
#ifndef CW_CTX_H
#define CW_CTX_H

#include <pthread.h>
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

  /* Under `lock`: the codebase in use and {site}/{codebase}apis/3.0/,
   * NULL until discovered. */
  pthread_mutex_t lock;
  char *codebase;
  char *root;

  /* Prepared request headers; the secrets live only in these strings. */
  char *h_auth;
  char *h_client;
  char *h_accept;
  const char *hdr_get[4];  /* auth, clientId, accept, NULL */
  const char *hdr_body[5]; /* the same plus Content-Type, NULL */
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
