// SPDX-License-Identifier: MIT
// cxx_driver.cpp — a driver written in C++20 with LPSA_DRIVER_DEFINE
// (built by check-cxx-headers.sh): the macro must give a C-linkage entry
// and a descriptor C++ accepts.
#include <lpsa/lpsa.h>

struct lpsa_driver_ctx {
  const lpsa_host_api *api;
};

static lpsa_driver_ctx the_ctx;

static int cx_open(const lpsa_host_api *api, lpsa_host *,
                   const lpsa_config_value *, size_t, lpsa_driver_ctx **out,
                   char *, size_t) {
  the_ctx.api = api;
  *out = &the_ctx;
  return LPSA_OK;
}

static void cx_close(lpsa_driver_ctx *) {}

static int cx_snapshot(lpsa_driver_ctx *, const lpsa_snapshot_request *,
                       lpsa_snapshot *, char *, size_t) {
  return LPSA_OK;
}

static int cx_set_quantity(lpsa_driver_ctx *, const lpsa_line_ref *, long long,
                           lpsa_set_result *out, char *, size_t) {
  if (LPSA_HAS_FIELD(out, verified))
    out->verified = 0;
  return LPSA_ERR_NOT_FOUND;
}

static const lpsa_terms terms = {"C++ PSA", "company", "agreement", "line",
                                 "product"};
static const lpsa_config_key keys[] = {{nullptr, 0, nullptr}};
static const char *const headers[] = {"X-Cxx-Token", nullptr};

LPSA_DRIVER_DEFINE(.name = "cxxdrv", .version = "1.0.0",
                   .description = "A driver in C++ (SDK tests)",
                   .terms = &terms, .config_keys = keys, .open = cx_open,
                   .close = cx_close, .snapshot = cx_snapshot,
                   .set_quantity = cx_set_quantity, .check = nullptr,
                   .sensitive_headers = headers);
