/* SPDX-License-Identifier: MIT */
/*
 * rules.h — LastPass's best-practice rules, checked per company: pure
 * functions from (LastPass companies, mapping rows, PSA snapshot) to
 * outcomes and findings. No I/O.
 *
 * Rule codes (severity): UNMAPPED (info), MAPPING_DUPLICATE (error),
 * MAPPING_UNKNOWN_LASTPASS (warning), PSA_COMPANY_NOT_FOUND (error),
 * SKU_NOT_CONFIGURED (error), PRODUCT_NOT_FOUND (error),
 * PRODUCT_SHARED_BY_SKUS (warning), NO_AGREEMENT (error),
 * MULTIPLE_AGREEMENTS (error), AGREEMENT_NOT_FOUND (error),
 * MULTIPLE_PRODUCTS (error), SKU_MISMATCH (error), SUSPENDED (info),
 * NO_BILLING_PERIOD (error), PRORATE_AGREEMENT (warning),
 * ORPHAN_BILLING (warning), and from a driver's notes BAD_PSA_RECORD (error)
 * and MID_PERIOD_ADJUSTED (info). The planner adds LARGE_DECREASE and
 * NO_BILLING_RECORD (warning, held), apply adds WRITE_FAILED (also for a
 * write the PSA did not apply, and for another writer seen), the sync adds
 * CHANGED_IN_PSA, INTERRUPTED_CHANGE and WRITE_FAILED for a line the PSA
 * did not apply a write to in the billing period.
 */
#ifndef LPSA_CORE_RULES_H
#define LPSA_CORE_RULES_H

#include <stddef.h>

#include "lastpass_data.h"
#include "lpsa/driver.h"
#include "outcome.h"
#include "snapshot.h"

/* One row of the mapping file, as the rules need it. */
typedef struct map_row {
  const char *lastpass_id;
  const char *psa_company_id;
  const char *agreement_id; /* NULL or "" when not pinned */
  int line;                 /* line in the mapping file */
} map_row;

typedef struct rules_input {
  const lp_data *lastpass;
  const map_row *rows;
  size_t n_rows;
  const lpsa_snapshot *snap;
  const lpsa_terms *terms; /* the PSA's words */
  const char *driver_name; /* for "add sku.x to [driver.NAME]" */
  int suspended_zero;      /* suspended_companies = zero */
} rules_input;

/* Evaluate every LastPass company into `out` (sorted by name), plus the
 * findings not tied to one company. A company that passes every rule has
 * has_line = 1 and status ST_UNCHANGED, waiting for the planner. Returns 0,
 * or -1 when out of memory. */
int rules_evaluate(const rules_input *in, run_result *out);

#endif
