/* SPDX-License-Identifier: MIT */
/*
 * hps_auth.h — HaloPSA's client-credentials tokens, simulated: the token
 * endpoint (form-urlencoded grant_type, client_id, client_secret, scope,
 * and ?tenant= for hosted tenants), bearer checks with expiry, and scopes
 * per area ("read:customers", "edit:invoices"; "all" covers everything).
 *
 * Expiry: a token answers for ttl_s seconds (expires_in), and, when
 * max_uses is set, for that many API calls only, so tests can expire
 * tokens without waiting. hps_auth_expire_all() expires every token now.
 */
#ifndef HPS_AUTH_H
#define HPS_AUTH_H

#include <stddef.h>

#include "sim_server.h"

typedef struct hps_auth_config {
  const char *client_id;     /* default "lpsa-demo-client" */
  const char *client_secret; /* default "demosecret" */
  const char *tenant;        /* required ?tenant= value, or NULL */
  const char *scopes;        /* granted to the application; default "all" */
  long ttl_s;                /* expires_in; default 3600 */
  long max_uses;             /* API calls per token; 0: no limit */
} hps_auth_config;

void hps_auth_config_default(hps_auth_config *cfg);

#define HPS_MAX_TOKENS 64

typedef struct hps_token {
  char value[64];
  char scope[256];
  long long expires_ms; /* monotonic */
  long uses;
  int expired;
} hps_token;

typedef struct hps_auth {
  hps_auth_config cfg;
  hps_token tokens[HPS_MAX_TOKENS]; /* a ring: the oldest is reused */
  size_t next;
  unsigned long long serial;
  long issued; /* tokens handed out */
} hps_auth;

void hps_auth_init(hps_auth *a, const hps_auth_config *cfg);

/* POST {auth}/token: `tenant` is the query's tenant (NULL when absent),
 * `body` the form. Fills resp. */
void hps_auth_token(hps_auth *a, const char *tenant, const char *body,
                    long long now_ms, sim_response *resp);

/* Check `authorization` (the header, or NULL) for a call on `area`
 * ("customers", "items", "invoices") that reads (edit = 0) or changes
 * (edit = 1). 0 when allowed (the token's use is counted); otherwise -1
 * with a 401 or 403 answer in resp. */
int hps_auth_check(hps_auth *a, const char *authorization, const char *area,
                   int edit, long long now_ms, sim_response *resp);

/* Expire every token handed out so far. */
void hps_auth_expire_all(hps_auth *a);
/* Expire the token of this Authorization header, if known. */
void hps_auth_expire(hps_auth *a, const char *authorization);

#endif
