/* SPDX-License-Identifier: MIT */
/*
 * conf_session.h — one test's host: in the test's own child process, load
 * the driver through the real loader, check its section with the real
 * config_driver code, lend it the real services table (HTTP client, log,
 * clock, builders), and take it down again.
 *
 * Everything a test asserts about the setup fails the test with the host's
 * own message, so a driver author sees what lpsa-host would say.
 */
#ifndef LPSA_CONF_SESSION_H
#define LPSA_CONF_SESSION_H

#include <stdio.h>

#include "conf_capture.h"
#include "conf_run.h"
#include "config_driver.h"
#include "host_api.h"
#include "http.h"
#include "loader.h"
#include "log.h"
#include "snapshot.h"

typedef struct conf_session {
  const conf_run *run;
  FILE *log_file;
  lpsa_log *log;
  http_client *http;
  lpsa_host host;
  loaded_driver drv;
  driver_config dcfg;
  lpsa_driver_ctx *ctx;
  conf_capture cap;
  /* check_item() calls seen during check(). */
  unsigned items, items_failed;
  char first_failed_item[512];
} conf_session;

/* The host side (log, HTTP, capture of fds 1 and 2) without a driver. */
void conf_session_host(conf_session *s, const conf_run *run);
/* conf_session_host(), then load the driver and resolve its section. */
void conf_session_load(conf_session *s, const conf_run *run);
/* conf_session_load(), then open() with the configured values. */
void conf_session_open(conf_session *s, const conf_run *run);

/* A snapshot with the run's request (products, companies, pins) and
 * `flags`; without products or companies when asked. Returns the driver's
 * status; *out is the snapshot (free it) or NULL when out of memory. */
int conf_session_snapshot(conf_session *s, unsigned flags, int no_products,
                          int no_companies, lpsa_snapshot **out, char *err,
                          size_t errlen);

/* close(), unload, free. When `quiet_matters`, fail the test if anything
 * reached stdout or stderr since conf_session_host(), quoting it, with
 * `during` saying which calls ran ("during open and close"). */
void conf_session_end(conf_session *s, int quiet_matters, const char *during);

#endif
