/* SPDX-License-Identifier: MIT */
/*
 * hp_ctx.h — one HaloPSA driver instance: its configuration, the
 * authorisation server it found and the token it holds. Created by open(),
 * freed by close(); the only state the driver keeps (no global state).
 */
#ifndef HP_CTX_H
#define HP_CTX_H

#include <pthread.h>
#include <time.h>

#include "lpsa/lpsa.h"

/* Every request to Halo is in this concurrency group, paced by the host
 * (requests_per_5min). */
#define HP_GROUP "halopsa"
/* Halo's documented rate window (hosted: "per rolling 5 minute window"). */
#define HP_DEFAULT_WINDOW_S 300.0
#define HP_DEFAULT_RATE 250
#define HP_DEFAULT_PAGE_SIZE 100
#define HP_DEFAULT_SCOPE "all"
/* Retries of a 429: 5, 10, 20 s, then the host's 30 s cap nine times make
 * 305 s, a whole default window. */
#define HP_RETRIES_429 12

/* The instance is the SDK's opaque struct lpsa_driver_ctx, defined here. */
typedef struct lpsa_driver_ctx hp_ctx;
struct lpsa_driver_ctx {
  const lpsa_host_api *api;
  lpsa_host *host;
  /* configuration */
  char *url;      /* the instance, without trailing '/' or "/api" */
  char *api_base; /* url + "/api" */
  char *auth_url; /* configured, or found by /api/authinfo; no trailing '/' */
  int auth_configured;
  char *tenant; /* or NULL */
  char *client_id;
  char *client_secret;
  char *scope;   /* space-separated */
  unsigned rate; /* requests per window */
  long window_ms;
  long page_size;
  /* the token, under token_lock (set_quantity() may run on several threads
   * at once) */
  pthread_mutex_t token_lock;
  char *token_header; /* "Authorization: Bearer ..." or NULL */
  time_t token_expires;
  char *granted_scope; /* as the token reply named it, or NULL */
  long token_lifetime; /* expires_in, seconds */
  unsigned tokens;     /* tokens obtained by this instance */
};

#endif
