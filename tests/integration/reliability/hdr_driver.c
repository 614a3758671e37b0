/* SPDX-License-Identifier: MIT */
/*
 * hdr_driver.c — hdrpsa, a test driver whose PSA hands out a session token
 * at run time and wants it back in a credential header of the PSA's own,
 * X-Hdr-Session, which the driver declares in its 1.1 descriptor. The
 * token is in no configuration, so only the declaration lets the host know
 * it is a secret. Used by test_driver_headers.c against a scripted server.
 *
 * snapshot() and check(): GET {url}/session (the token, as plain text),
 * then GET {url}/companies with the token; an answer that is not 200
 * fails with the server's body quoted, as drivers quote error texts.
 */
#include <stdio.h>
#include <string.h>

#include "lpsa/lpsa.h"

struct lpsa_driver_ctx {
  const lpsa_host_api *api;
  lpsa_host *host;
  char url[512];
};

static struct lpsa_driver_ctx the_ctx; /* one instance is enough */

static int hd_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || api->abi_major != LPSA_ABI_MAJOR) {
    snprintf(err, errlen, "hdrpsa: the host speaks another driver ABI");
    return LPSA_ERR_UNSUPPORTED;
  }
  memset(&the_ctx, 0, sizeof the_ctx);
  the_ctx.api = api;
  the_ctx.host = host;
  for (size_t i = 0; i < n; i++)
    if (strcmp(config[i].key, "url") == 0)
      snprintf(the_ctx.url, sizeof the_ctx.url, "%s", config[i].value);
  *out = &the_ctx;
  return LPSA_OK;
}

static void hd_close(lpsa_driver_ctx *ctx) {
  (void)ctx;
}

/* The session, then the companies read with it. */
static int read_companies(lpsa_driver_ctx *c, char *err, size_t errlen) {
  char url[600], header[300];
  snprintf(url, sizeof url, "%s/session", c->url);
  lpsa_http_request req = LPSA_INIT(lpsa_http_request);
  req.method = "GET";
  req.url = url;
  lpsa_http_response resp;
  int rc = c->api->http(c->host, &req, &resp);
  if (rc == LPSA_OK && resp.status == 200)
    snprintf(header, sizeof header, "X-Hdr-Session: %s", resp.body);
  else if (rc == LPSA_OK)
    rc = LPSA_ERR_REMOTE;
  c->api->http_release(c->host, &resp);
  if (rc != LPSA_OK) {
    snprintf(err, errlen, "hdrpsa: no session (%s)", c->api->status_str(rc));
    return rc;
  }
  const char *headers[] = {header, "Accept: application/json", NULL};
  snprintf(url, sizeof url, "%s/companies", c->url);
  req.url = url;
  req.headers = headers;
  rc = c->api->http(c->host, &req, &resp);
  if (rc == LPSA_OK && resp.status != 200) {
    snprintf(err, errlen, "hdrpsa: the PSA refused the read (HTTP %ld): %.400s",
             resp.status, resp.body ? resp.body : "");
    rc = LPSA_ERR_REMOTE;
  } else if (rc != LPSA_OK) {
    snprintf(err, errlen, "hdrpsa: %s", resp.error);
  }
  c->api->http_release(c->host, &resp);
  return rc;
}

static int hd_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                       lpsa_snapshot *snap, char *err, size_t errlen) {
  (void)snap;
  if (!req) {
    snprintf(err, errlen, "hdrpsa: no request");
    return LPSA_ERR_INVALID;
  }
  return read_companies(ctx, err, errlen); /* an empty PSA when it reads */
}

static int hd_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                           long long target, lpsa_set_result *out, char *err,
                           size_t errlen) {
  (void)ctx, (void)line, (void)target, (void)out;
  snprintf(err, errlen, "hdrpsa: the empty PSA has no lines");
  return LPSA_ERR_NOT_FOUND;
}

static int hd_check(lpsa_driver_ctx *ctx, char *err, size_t errlen) {
  int rc = read_companies(ctx, err, errlen);
  ctx->api->check_item(ctx->host, "read the companies with a session", !rc,
                       rc ? err : NULL);
  return rc;
}

static const lpsa_terms terms = {"Header PSA", "company", "agreement", "line",
                                 "product"};
static const lpsa_config_key keys[] = {
    {"url", LPSA_KEY_REQUIRED | LPSA_KEY_URL, "the PSA's address"},
    {NULL, 0, NULL}};
static const char *const headers[] = {"X-Hdr-Session", NULL};

LPSA_DRIVER_DEFINE(.name = "hdrpsa", .version = "1.0.0",
                   .description = "A PSA with a session header (tests)",
                   .terms = &terms, .config_keys = keys, .open = hd_open,
                   .close = hd_close, .snapshot = hd_snapshot,
                   .set_quantity = hd_set_quantity, .check = hd_check,
                   .sensitive_headers = headers);
