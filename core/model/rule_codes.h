/* SPDX-License-Identifier: MIT */
/*
 * rule_codes.h — the catalogue of rule codes a finding can carry: one row
 * per code, so a code is spelt once, its usual severity is said once, and
 * whether it holds a change (until a person approves it) is data, not a
 * list kept elsewhere. The README's rule table and lpsa-host(1) are checked
 * against it by a test.
 *
 * X(NAME, severity, holds, "severity as documented", "one-line meaning")
 * The documented severity says more than the usual one where a code's
 * severity depends on the case (CHANGED_IN_PSA, INTERRUPTED_CHANGE).
 */
#ifndef LPSA_CORE_RULE_CODES_H
#define LPSA_CORE_RULE_CODES_H

#include <stdarg.h>

#include "outcome.h"

#define LPSA_RULE_CODES(X)                                                     \
  X(UNMAPPED, SEV_INFO, 0, "info", "no mapping row: not updated")              \
  X(MAPPING_DUPLICATE, SEV_ERROR, 0, "error",                                  \
    "a LastPass or PSA company in several rows")                               \
  X(MAPPING_UNKNOWN_LASTPASS, SEV_WARNING, 0, "warning",                       \
    "a row names a company LastPass does not list")                            \
  X(PSA_COMPANY_NOT_FOUND, SEV_ERROR, 0, "error",                              \
    "the mapped PSA company is missing or inactive")                           \
  X(SKU_NOT_CONFIGURED, SEV_ERROR, 0, "error",                                 \
    "no product configured for the SKU")                                       \
  X(PRODUCT_NOT_FOUND, SEV_ERROR, 0, "error",                                  \
    "a configured product is not in the PSA")                                  \
  X(PRODUCT_SHARED_BY_SKUS, SEV_WARNING, 0, "warning",                         \
    "one product configured for both SKUs")                                    \
  X(NO_AGREEMENT, SEV_ERROR, 0, "error",                                       \
    "no active agreement carries a LastPass line")                             \
  X(MULTIPLE_AGREEMENTS, SEV_ERROR, 0, "error",                                \
    "several active agreements carry LastPass lines")                          \
  X(AGREEMENT_NOT_FOUND, SEV_ERROR, 0, "error",                                \
    "the pinned agreement is not active")                                      \
  X(MULTIPLE_PRODUCTS, SEV_ERROR, 0, "error",                                  \
    "the agreement holds several LastPass lines")                              \
  X(SKU_MISMATCH, SEV_ERROR, 0, "error", "the line bills the other SKU")       \
  X(SUSPENDED, SEV_INFO, 0, "info", "suspended in LastPass")                   \
  X(LARGE_DECREASE, SEV_WARNING, 1, "warning",                                 \
    "a drop past the guardrail: held")                                         \
  X(LARGE_INCREASE, SEV_WARNING, 1, "warning",                                 \
    "growth past the guardrail: held")                                         \
  X(MAPPING_SHRANK, SEV_WARNING, 1, "warning",                                 \
    "the mapping lost over half its rows: every change held")                  \
  X(NO_BILLING_RECORD, SEV_WARNING, 1, "warning",                              \
    "LastPass has no billing record: held")                                    \
  X(NO_BILLING_PERIOD, SEV_ERROR, 0, "error", "no current billing period")     \
  X(PRORATE_AGREEMENT, SEV_WARNING, 0, "warning",                              \
    "the PSA will prorate the change")                                         \
  X(BAD_PSA_RECORD, SEV_ERROR, 0, "error",                                     \
    "a record of the company cannot be billed safely")                         \
  X(MID_PERIOD_ADJUSTED, SEV_INFO, 0, "info",                                  \
    "already adjusted within the period")                                      \
  X(WRITE_FAILED, SEV_ERROR, 0, "error", "the write failed or did not apply")  \
  X(ORPHAN_BILLING, SEV_WARNING, 0, "warning",                                 \
    "the PSA bills LastPass on a line lpsa does not manage")                   \
  X(CHANGED_IN_PSA, SEV_WARNING, 0, "warning/info",                            \
    "the count changed in the PSA since lpsa saw it")                          \
  X(INTERRUPTED_CHANGE, SEV_WARNING, 0, "warning (error if unexplained)",      \
    "an earlier run stopped between intent and result")                        \
  X(CHANGED_SINCE_PLAN, SEV_WARNING, 0, "warning",                             \
    "the line changed since the plan was made")                                \
  X(PLAN_APPLIED, SEV_INFO, 0, "info",                                         \
    "an earlier apply of the plan wrote this line")                            \
  X(MAPPING_CHANGED, SEV_INFO, 0, "info",                                      \
    "the daemon: the mapping differs from the last run's")                     \
  X(MAPPING_UNREADABLE, SEV_ERROR, 0, "error",                                 \
    "the daemon: the mapping file cannot be used now")                         \
  X(CONFIG_CHANGED, SEV_INFO, 0, "info",                                       \
    "the daemon: the configuration changed since loaded")

typedef enum rule_code {
#define LPSA_RULE_ENUM(name, sev, holds, doc, meaning) RULE_##name,
  LPSA_RULE_CODES(LPSA_RULE_ENUM)
#undef LPSA_RULE_ENUM
      RULE_COUNT_
} rule_code;

typedef struct rule_info {
  const char *code; /* "NO_AGREEMENT" */
  severity sev;     /* the usual severity */
  int holds;        /* a warning of it holds the company's change */
  const char *doc_severity;
  const char *meaning;
} rule_info;

/* The row of `r` (RULE_COUNT_ or beyond: NULL). */
const rule_info *rule_info_of(rule_code r);
/* The row of the code spelt `code`, or NULL (a code read from a stored
 * plan or report that this version no longer has). */
const rule_info *rule_info_find(const char *code);

/* A finding of rule `r` at its usual severity; 0, or -1 on OOM. */
int finding_rule(finding_list *list, rule_code r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same at severity `sev`, for the codes whose severity depends on the
 * case. */
int finding_rule_sev(finding_list *list, rule_code r, severity sev,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* 1 when `list` holds a finding of rule `r`. */
int findings_has_rule(const finding_list *list, rule_code r);

#endif
