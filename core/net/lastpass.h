/* SPDX-License-Identifier: MIT */
/*
 * lastpass.h — the LastPass REST client: managed companies and their seat
 * counts for the current billing cycle.
 *
 * ASSUMPTION (the one place it is stated in code; README "LastPass data"
 * says the same): LastPass does not publish the fields of a managed-company
 * list item nor of a billing-report record. We assume
 *   company item:   {"id":123,"name":"Acme","status":"active"|"suspended",
 *                    "type":"managed","licenseLimit":50,"addons":["mfa"]}
 *   billing record: {"companyId":123,"companyName":"Acme",
 *                    "licenseType":"msp-managed-company","activeUsers":12}
 * The SKU is "LastPass + MFA" when addons holds "mfa", else "LastPass"; the
 * seat count is activeUsers (consumed licences) of the current cycle. `id`
 * and `companyId` may be JSON integers or digit strings. A company with no
 * billing record in the cycle has 0 seats (the guardrail then holds any drop
 * to zero).
 */
#ifndef LPSA_CORE_LASTPASS_H
#define LPSA_CORE_LASTPASS_H

#include <stddef.h>

#include "http.h"
#include "lastpass_data.h"

typedef struct lp_options {
  const char *api_url; /* ".../business", no trailing slash needed */
  const char *api_key;
  const char *as_of;  /* "YYYY-MM-DD": picks the cycle covering it */
  int companies_only; /* skip cycles and billing reports (map suggest) */
  /* Called after each page read (progress for people), or NULL. */
  void (*on_page)(void *arg);
  void *on_page_arg;
} lp_options;

/* Read every managed company and its seats, from the one billing cycle
 * that covers opt->as_of. Returns LPSA_OK, or a status with one line in
 * err: LPSA_ERR_AUTH ("LastPass rejected the API key"), LPSA_ERR_NETWORK,
 * LPSA_ERR_REMOTE (ProblemDetails shown), LPSA_ERR_PROTOCOL (malformed
 * answer, paging loop, paging past any plausible size (50,000 records, 10
 * empty pages in a row), duplicate records, an id beyond int64, no cycle
 * covering as_of, an empty company list, every seat count zero). */
int lastpass_fetch(http_client *http, const lp_options *opt, lp_data *out,
                   char *err, size_t errlen);

/* The page parsers, exposed for tests and fuzzers. Each appends to `out`,
 * writes the next page token ("" at the end) and returns LPSA_OK or
 * LPSA_ERR_PROTOCOL with err set. */
int lastpass_parse_companies(const char *body, size_t len, lp_data *out,
                             char *next, size_t next_cap, char *err,
                             size_t errlen);
int lastpass_parse_billing(const char *body, size_t len, lp_data *out,
                           char *next, size_t next_cap, char *err,
                           size_t errlen);
/* Pick the cycle covering as_of into out->cycle_*, wherever the list has
 * it; LPSA_ERR_PROTOCOL naming the listed cycles when none covers it (or
 * two different ones do). */
int lastpass_parse_cycles(const char *body, size_t len, const char *as_of,
                          lp_data *out, char *err, size_t errlen);

/* One line from an RFC 9457 problem-details body, or NULL if it is not one.
 * The caller frees. */
char *lastpass_problem_text(const char *body, size_t len);

#endif
