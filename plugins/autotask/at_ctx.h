/* SPDX-License-Identifier: MIT */
/*
 * at_ctx.h — one Autotask driver instance: its configuration, the headers
 * it sends, and the zone it found. Created by open(), freed by close(); the
 * only state the driver keeps between calls (there is no global state).
 * Everything but the zone is read-only after open().
 */
#ifndef AT_CTX_H
#define AT_CTX_H

#include <pthread.h>

#include "lpsa/lpsa.h"

#define AT_DEFAULT_ZONE_LOOKUP "https://webservices.autotask.net/atservicesrest"

/* Documented by Autotask: the contractType of Recurring Service contracts. */
#define AT_CONTRACT_TYPE_RECURRING 7
/* Contracts status "Active" as third parties document it; used only when
 * the instance's status picklist has no "Active" label. */
#define AT_CONTRACT_STATUS_ACTIVE_FALLBACK 1

/* Concurrent requests Autotask allows per integration per entity. */
#define AT_THREADS_PER_ENTITY 3

/* The instance is the SDK's opaque struct lpsa_driver_ctx, defined here. */
typedef struct lpsa_driver_ctx at_ctx;
struct lpsa_driver_ctx {
  const lpsa_host_api *api;
  lpsa_host *host;
  char *zone_lookup_url;   /* without trailing slash */
  char *zone_url;          /* configured zone (trimmed), or NULL */
  char *username;          /* for the zone lookup */
  char *contract_category; /* the filter as configured, or NULL */
  /* "Name: value" strings, NULL-terminated: the credentials, the optional
   * impersonation, Content-Type and Accept. */
  char *header_storage[6];
  const char *headers[7];
  /* Found by at_zone(): "{zone url}/v1.0", and the zone's name. Set once,
   * under `zone_lock` (set_quantity() may run on several threads at once),
   * never changed after. */
  pthread_mutex_t zone_lock;
  char *base;
  char *zone_name;
};

#endif
