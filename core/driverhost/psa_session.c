/* SPDX-License-Identifier: MIT */
/*
 * psa_session.c — open, snapshot, close: the one place a driver is driven
 * for a read.
 */
#include "psa_session.h"

#include <stdio.h>
#include <string.h>

#include "lpsa/status.h"

void psa_session_init(psa_session *s, const lpsa_driver *d, lpsa_log *log,
                      http_client *http) {
  memset(s, 0, sizeof *s);
  s->driver = d;
  host_init(&s->host, log, http);
}

/* A status without words gets the standard ones. */
static int said(int rc, char *err, size_t errlen) {
  if (rc != LPSA_OK && errlen && !err[0])
    snprintf(err, errlen, "%s", host_status_str(rc));
  return rc;
}

int psa_session_open(psa_session *s, const lpsa_config_value *config,
                     size_t n_config, char *err, size_t errlen) {
  if (errlen)
    err[0] = '\0';
  lpsa_driver_ctx *ctx = NULL;
  int rc = host_open_driver(&s->host, s->driver, config, n_config, &ctx, err,
                            errlen);
  if (rc == LPSA_OK)
    s->ctx = ctx;
  return said(rc, err, errlen);
}

int psa_session_snapshot(psa_session *s, const lpsa_snapshot_request *req,
                         lpsa_snapshot **out, char *err, size_t errlen) {
  if (errlen)
    err[0] = '\0';
  if (!(*out = snapshot_new(req)))
    return said(LPSA_ERR_NOMEM, err, errlen);
  if (!s->ctx)
    return said(LPSA_ERR_INVALID, err, errlen);
  int rc = s->driver->snapshot(s->ctx, req, *out, err, errlen);
  if (rc == LPSA_OK && (*out)->error[0]) {
    /* A builder refused a record the driver then ignored. */
    snprintf(err, errlen, "the driver emitted a bad record: %s", (*out)->error);
    rc = LPSA_ERR_PROTOCOL;
  }
  return said(rc, err, errlen);
}

time_t psa_session_now(psa_session *s) {
  return host_api()->now(&s->host);
}

void psa_session_close(psa_session *s) {
  if (s->ctx)
    s->driver->close(s->ctx);
  s->ctx = NULL;
}
