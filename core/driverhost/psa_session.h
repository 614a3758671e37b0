/* SPDX-License-Identifier: MIT */
/*
 * psa_session.h — one driver session, as every command that reads or writes
 * the PSA uses it: the host (its clock honours LPSA_NOW), the driver opened
 * with its configuration, snapshots read through it, closed once.
 *
 * A snapshot is refused when a builder refused one of the driver's records,
 * even if the driver went on and returned LPSA_OK: the rules must never see
 * a snapshot with a record missing.
 */
#ifndef LPSA_CORE_PSA_SESSION_H
#define LPSA_CORE_PSA_SESSION_H

#include <stddef.h>
#include <time.h>

#include "host_api.h"
#include "http.h"
#include "log.h"
#include "lpsa/driver.h"
#include "snapshot.h"

typedef struct psa_session {
  lpsa_host host;
  const lpsa_driver *driver;
  lpsa_driver_ctx *ctx; /* NULL until opened, and after close */
} psa_session;

/* The host for driver `d` (log and http borrowed), not yet opened. */
void psa_session_init(psa_session *s, const lpsa_driver *d, lpsa_log *log,
                      http_client *http);

/* Open the driver with its configuration (host_open_driver). LPSA_OK, or
 * the driver's status with err filled (never empty). */
int psa_session_open(psa_session *s, const lpsa_config_value *config,
                     size_t n_config, char *err, size_t errlen);

/* Read a snapshot per `req` into *out (a new snapshot, set even on failure:
 * free it with snapshot_free). LPSA_OK, or a status with err filled (never
 * empty); LPSA_ERR_PROTOCOL when a builder refused a record. */
int psa_session_snapshot(psa_session *s, const lpsa_snapshot_request *req,
                         lpsa_snapshot **out, char *err, size_t errlen);

/* The host's clock: LPSA_NOW when set, else the system's. */
time_t psa_session_now(psa_session *s);

/* Close the driver when open. Safe to call twice. */
void psa_session_close(psa_session *s);

#endif
