/* SPDX-License-Identifier: MIT */
/*
 * host_api.h — the host side of lpsa/host.h: the lpsa_host object and the
 * services table handed to drivers.
 */
#ifndef LPSA_CORE_HOST_API_H
#define LPSA_CORE_HOST_API_H

#include <time.h>

#include "http.h"
#include "log.h"
#include "lpsa/driver.h"
#include "lpsa/host.h"

/* Receives check_item() calls during driver.check(). */
typedef void (*host_check_fn)(void *arg, const char *what, int ok,
                              const char *detail);

struct lpsa_host {
  lpsa_log *log;     /* borrowed */
  http_client *http; /* borrowed */
  host_check_fn check_fn;
  void *check_arg;
  /* The driver's instance said its set_quantity() may run on several
   * threads at once (lpsa_host_api.concurrent_writes). */
  int concurrent_writes;
};

/* The table (static, immutable). */
const lpsa_host_api *host_api(void);

/* Initialise a host; warns when LPSA_NOW fixes the clock (clock.h), whose
 * time the table's now() returns. */
void host_init(lpsa_host *host, lpsa_log *log, http_client *http);

/* Open driver `d` for `host`, as every host command does: first the
 * credential headers the driver declares (lpsa_driver.sensitive_headers,
 * ABI 1.1) join the table of host->http (http_sensitive.h), so their values
 * are hidden from the first request on; then d->open() with the host
 * table. Returns what open() returns, or LPSA_ERR_NOMEM (err says so). */
int host_open_driver(lpsa_host *host, const lpsa_driver *d,
                     const lpsa_config_value *config, size_t n_config,
                     lpsa_driver_ctx **out, char *err, size_t errlen);

/* The run date of `t` in local time, "YYYY-MM-DD". */
void host_local_date(time_t t, char out[11]);

const char *host_status_str(int status);

#endif
