// SPDX-License-Identifier: MIT
// cxx_macros.cpp — the SDK's record macros used from C++11 (run by
// check-cxx-headers.sh): LPSA_INIT zeroes a record and sets its size,
// LPSA_HAS_FIELD, LPSA_HOST_HAS and LPSA_DRIVER_HAS read sizes as in C.
#include <cstdio>
#include <cstring>

#include <lpsa/lpsa.h>

static int failures = 0;

static void expect(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "cxx_macros: %s\n", what);
    failures++;
  }
}

// A record from LPSA_INIT: its size set, every field zero (padding is not
// a field: a copy need not keep it).
#define EXPECT_INIT(type, ...)                                                 \
  do {                                                                         \
    type rec = LPSA_INIT(type);                                                \
    expect(rec.size == sizeof(type), "LPSA_INIT(" #type ") sets size");        \
    expect(__VA_ARGS__, "LPSA_INIT(" #type ") zeroes every field");            \
  } while (0)

int main() {
  EXPECT_INIT(lpsa_http_request, !rec.method && !rec.url && !rec.headers &&
                                     !rec.body && !rec.body_len && !rec.flags &&
                                     !rec.label && !rec.group &&
                                     !rec.group_limit && !rec.timeout_ms);
  EXPECT_INIT(lpsa_http_pace, !rec.group && !rec.max_requests &&
                                  !rec.window_ms && !rec.backoff_ms &&
                                  !rec.retries_429);
  EXPECT_INIT(lpsa_snapshot_request,
              !rec.products && !rec.n_products && !rec.company_ids &&
                  !rec.n_company_ids && !rec.agreement_ids &&
                  !rec.n_agreement_ids && !rec.as_of && !rec.flags);
  EXPECT_INIT(lpsa_company, !rec.id && !rec.name && !rec.active);
  EXPECT_INIT(lpsa_agreement,
              !rec.id && !rec.company_id && !rec.name && !rec.type &&
                  !rec.prorate && rec.period == LPSA_PERIOD_NONE &&
                  !rec.period_start && !rec.period_end && !rec.note);
  EXPECT_INIT(lpsa_line, !rec.id && !rec.agreement_id && !rec.product &&
                             !rec.quantity && !rec.description);
  EXPECT_INIT(lpsa_line_ref, !rec.company_id && !rec.agreement_id &&
                                 !rec.line_id && !rec.product_id &&
                                 !rec.period_start && !rec.as_of);
  EXPECT_INIT(lpsa_set_result,
              !rec.before && !rec.after && !rec.wrote && !rec.verified);
  EXPECT_INIT(lpsa_note, rec.kind == 0 && !rec.company_id &&
                             !rec.agreement_id && !rec.line_id && !rec.message);

  lpsa_set_result res = LPSA_INIT(lpsa_set_result);
  expect(LPSA_HAS_FIELD(&res, verified), "LPSA_HAS_FIELD: a whole record");
  res.size = offsetof(lpsa_set_result, verified); // as a 1.0 host sends it
  expect(!LPSA_HAS_FIELD(&res, verified), "LPSA_HAS_FIELD: a 1.0 record");
  expect(LPSA_HAS_FIELD(&res, wrote), "LPSA_HAS_FIELD: a 1.0 field");

  lpsa_host_api api;
  std::memset(&api, 0, sizeof api);
  api.struct_size = offsetof(lpsa_host_api, add_note);
  expect(!LPSA_HOST_HAS(&api, add_note), "LPSA_HOST_HAS: a 1.0 table");

  lpsa_driver d;
  std::memset(&d, 0, sizeof d);
  d.struct_size = sizeof d;
  expect(LPSA_DRIVER_HAS(&d, sensitive_headers), "LPSA_DRIVER_HAS: 1.1");
  d.struct_size = offsetof(lpsa_driver, sensitive_headers);
  expect(!LPSA_DRIVER_HAS(&d, sensitive_headers), "LPSA_DRIVER_HAS: 1.0");
  expect(LPSA_ERRLEN >= 256, "LPSA_ERRLEN");
  return failures ? 1 : 0;
}
