/* SPDX-License-Identifier: MIT */
/*
 * abi10_driver.c — a driver frozen at driver ABI 1.0, as a binary built by
 * the first SDK would be: it declares minor 0 and the 1.0 descriptor size
 * (up to and including `check`, the last member 1.0 defined), whatever the
 * headers it is compiled with today. Every later 1.x host must load it.
 */
#include <stddef.h>
#include <stdio.h>

#include "lpsa/lpsa.h"

#define ABI10_DESCRIPTOR_SIZE                                                  \
  (offsetof(lpsa_driver, check) + sizeof(((lpsa_driver *)0)->check))

static int a_open(const lpsa_host_api *api, lpsa_host *host,
                  const lpsa_config_value *config, size_t n,
                  lpsa_driver_ctx **out, char *err, size_t errlen) {
  (void)host;
  (void)config;
  (void)n;
  if (!api || api->abi_major != 1) {
    snprintf(err, errlen, "abi10: the host speaks another ABI major");
    return LPSA_ERR_UNSUPPORTED;
  }
  *out = (lpsa_driver_ctx *)api; /* no state of its own */
  return LPSA_OK;
}

static void a_close(lpsa_driver_ctx *ctx) {
  (void)ctx;
}

static int a_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                      lpsa_snapshot *snap, char *err, size_t errlen) {
  (void)ctx;
  (void)snap;
  if (!req) {
    snprintf(err, errlen, "abi10: no request");
    return LPSA_ERR_INVALID;
  }
  return LPSA_OK; /* an empty PSA */
}

static int a_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                          long long target, lpsa_set_result *out, char *err,
                          size_t errlen) {
  (void)ctx;
  (void)line;
  (void)target;
  (void)out;
  snprintf(err, errlen, "abi10: the empty PSA has no lines");
  return LPSA_ERR_NOT_FOUND;
}

static const lpsa_terms terms = {"ABI 1.0 PSA", "company", "agreement", "line",
                                 "product"};
static const lpsa_config_key keys[] = {{NULL, 0, NULL}};

static const lpsa_driver descriptor = {
    .magic = LPSA_DRIVER_MAGIC,
    .abi_major = 1,
    .abi_minor = 0,
    .struct_size = ABI10_DESCRIPTOR_SIZE,
    .name = "abi10",
    .version = "1.0.0",
    .description = "A driver built for driver ABI 1.0 (SDK tests)",
    .terms = &terms,
    .config_keys = keys,
    .open = a_open,
    .close = a_close,
    .snapshot = a_snapshot,
    .set_quantity = a_set_quantity,
    .check = NULL,
};

LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void);
const lpsa_driver *lpsa_driver_entry(void) {
  return &descriptor;
}
