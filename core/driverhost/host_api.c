/* SPDX-License-Identifier: MIT */
/*
 * host_api.c — the services table drivers call (see lpsa/host.h).
 */
#include "host_api.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "lpsa/driver.h"
#include "snapshot.h"

static void api_log(lpsa_host *host, lpsa_log_level level, const char *fmt,
                    ...) {
  if (!host || !fmt)
    return;
  /* A newer driver's level this host does not know: an error (the growth
   * rule), never an index past the logger's tables. */
  if ((unsigned)level > LPSA_LOG_ERROR)
    level = LPSA_LOG_ERROR;
  va_list ap;
  va_start(ap, fmt);
  log_vmsg(host->log, level, fmt, ap);
  va_end(ap);
}

static int api_http(lpsa_host *host, const lpsa_http_request *req,
                    lpsa_http_response *resp) {
  if (!host || !req || !resp)
    return LPSA_ERR_INVALID;
  return http_send(host->http, req, resp);
}

static int api_http_many(lpsa_host *host, const lpsa_http_request *reqs,
                         lpsa_http_response *resps, size_t n) {
  if (!host || (n && (!reqs || !resps)))
    return LPSA_ERR_INVALID;
  return http_send_many(host->http, reqs, resps, n);
}

static int api_http_pace(lpsa_host *host, const lpsa_http_pace *pace) {
  if (!host || !pace || !LPSA_HAS_FIELD(pace, window_ms) || !pace->group ||
      !pace->group[0])
    return LPSA_ERR_INVALID;
  /* Read only what the caller's struct holds (a shorter one: no back-off). */
  long backoff = LPSA_HAS_FIELD(pace, backoff_ms) ? pace->backoff_ms : 0;
  unsigned retries = LPSA_HAS_FIELD(pace, retries_429) ? pace->retries_429 : 0;
  if ((pace->max_requests && pace->window_ms <= 0) || backoff < 0)
    return LPSA_ERR_INVALID;
  return http_set_pace(host->http, pace->group, pace->max_requests,
                       pace->window_ms, backoff, retries) == 0
             ? LPSA_OK
             : LPSA_ERR_NOMEM;
}

static int api_concurrent_writes(lpsa_host *host) {
  if (!host)
    return LPSA_ERR_INVALID;
  host->concurrent_writes = 1;
  return LPSA_OK;
}

static void api_http_release(lpsa_host *host, lpsa_http_response *resp) {
  (void)host;
  http_response_release(resp);
}

static long api_http_header(lpsa_host *host, const lpsa_http_response *resp,
                            const char *name, char *buf, size_t cap) {
  (void)host;
  if (!resp || !name)
    return -1;
  return http_response_header(resp, name, buf, cap);
}

void host_local_date(time_t t, char out[11]) {
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static time_t api_now(lpsa_host *host) {
  (void)host;
  return clock_now(); /* the one clock of the run */
}

static void api_check_item(lpsa_host *host, const char *what, int ok,
                           const char *detail) {
  if (host && host->check_fn && what)
    host->check_fn(host->check_arg, what, ok, detail);
}

const char *host_status_str(int status) {
  static const char *const names[LPSA_STATUS_COUNT_] = {
      [LPSA_OK] = "success",
      [LPSA_ERR_INVALID] = "invalid argument or configuration",
      [LPSA_ERR_AUTH] = "credentials rejected",
      [LPSA_ERR_PERMISSION] = "permission denied",
      [LPSA_ERR_NOT_FOUND] = "not found",
      [LPSA_ERR_CONFLICT] = "changed by someone else",
      [LPSA_ERR_NETWORK] = "network failure",
      [LPSA_ERR_REMOTE] = "remote error",
      [LPSA_ERR_PROTOCOL] = "unexpected answer",
      [LPSA_ERR_NOMEM] = "out of memory",
      [LPSA_ERR_UNSUPPORTED] = "not supported",
      [LPSA_ERR_RATE_LIMITED] = "rate limited",
      [LPSA_ERR_TOO_LARGE] = "answer too large",
  };
  if (status < 0 || status >= LPSA_STATUS_COUNT_)
    return "unknown status";
  return names[status];
}

static const lpsa_host_api table = {
    .abi_major = LPSA_ABI_MAJOR,
    .abi_minor = LPSA_ABI_MINOR,
    .struct_size = sizeof(lpsa_host_api),
    .log = api_log,
    .http = api_http,
    .http_many = api_http_many,
    .http_release = api_http_release,
    .http_header = api_http_header,
    .url_escape = http_url_escape,
    .now = api_now,
    .add_company = snapshot_add_company,
    .add_agreement = snapshot_add_agreement,
    .add_line = snapshot_add_line,
    .product_found = snapshot_product_found,
    .check_item = api_check_item,
    .status_str = host_status_str,
    .add_note = snapshot_add_note,
    .http_pace = api_http_pace,
    .concurrent_writes = api_concurrent_writes,
};

const lpsa_host_api *host_api(void) {
  return &table;
}

int host_open_driver(lpsa_host *host, const lpsa_driver *d,
                     const lpsa_config_value *config, size_t n_config,
                     lpsa_driver_ctx **out, char *err, size_t errlen) {
  /* The loader has checked the names (HTTP tokens, bounded, terminated). */
  const char *const *names =
      LPSA_DRIVER_HAS(d, sensitive_headers) ? d->sensitive_headers : NULL;
  for (size_t i = 0; host->http && names && names[i]; i++)
    if (http_client_add_sensitive_header(host->http, names[i]) != 0) {
      snprintf(err, errlen,
               "out of memory noting the credential header %s of driver %s",
               names[i], d->name);
      return LPSA_ERR_NOMEM;
    }
  return d->open(host_api(), host, config, n_config, out, err, errlen);
}

void host_init(lpsa_host *host, lpsa_log *log, http_client *http) {
  memset(host, 0, sizeof *host);
  host->log = log;
  host->http = http;
  if (clock_parse_utc(getenv("LPSA_NOW")) != (time_t)-1)
    log_msg(log, LPSA_LOG_WARN,
            "LPSA_NOW=%s fixes the clock (a test setting): the run date, the "
            "LastPass cycle and Autotask's effective dates follow it; unset "
            "it in production",
            getenv("LPSA_NOW"));
}
