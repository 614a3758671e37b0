/* SPDX-License-Identifier: MIT */
/*
 * hps_api.h — the HaloPSA REST API as halopsa-sim answers it: routing,
 * the rate limit, authentication, and the handlers of hps_list.c (reads)
 * and hps_post.c (update by POST). hps_main.c plugs it into the shared
 * simulator framework, which serialises every call (no locking here).
 *
 *   GET  /api/authinfo                       no token: {"auth_url","tenant_id"}
 *   POST {auth_path}/token[?tenant=NAME]     form: client credentials
 *   GET  /api/Client[/{id}]                  read:customers
 *   GET  /api/Item[/{id}]                    read:items
 *   GET  /api/RecurringInvoice[/{id}]        read:invoices
 *   POST /api/RecurringInvoice               edit:invoices, JSON array
 * Paths are case-insensitive; a trailing '/' is ignored. Every request,
 * authinfo and token included, counts against the rate limit.
 */
#ifndef HPS_API_H
#define HPS_API_H

#include "hps_auth.h"
#include "hps_db.h"
#include "hps_rate.h"
#include "sim_server.h"

typedef struct hps_config {
  hps_auth_config auth;
  const char *auth_path; /* default "/auth" (the auth server's base path) */
  const char *base_url;  /* base of auth_url; default "http://" + Host */
  long page_cap;         /* rows per answer at most; default 100; 0: none */
  long rate_limit;       /* requests per window; default 300; 0: none */
  long rate_window_ms;   /* default 300000 (rolling 5 minutes) */
} hps_config;

void hps_config_default(hps_config *cfg);

typedef struct hps_api {
  hps_config cfg;
  hps_db db;
  hps_auth auth;
  hps_rate rate;
} hps_api;

/* A new API with an empty dataset, or NULL. */
hps_api *hps_api_new(const hps_config *cfg);
void hps_api_free(hps_api *api);
/* Replace the dataset (0, or -1 with err; the old one stays). */
int hps_api_load(hps_api *api, json_object *doc, char *err, size_t cap);

/* Answer one request at now_ms (monotonic). */
void hps_api_handle(hps_api *api, const sim_request *r, long long now_ms,
                    sim_response *resp);

/* ---- shared by the handlers -------------------------------------------- */

/* Halo's error document {"ClassName":...,"Message":...}. */
void hps_error(sim_response *resp, int status, const char *message);
/* The integer fault rule parameter `key`, or dflt. */
long hps_rule_int(const sim_request *r, const char *key, long dflt);

/* hps_list.c: GET of a list or of one record of `entity` ("Client",
 * "Item", "RecurringInvoice"); id NULL for the list. */
void hps_list_handle(hps_api *api, const sim_request *r, const char *entity,
                     const char *id, sim_response *resp);
/* hps_post.c: POST /api/RecurringInvoice. */
void hps_post_invoices(hps_api *api, const sim_request *r, sim_response *resp);

#endif
