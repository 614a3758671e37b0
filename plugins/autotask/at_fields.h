/* SPDX-License-Identifier: MIT */
/*
 * at_fields.h — reading the picklists the sync needs from
 * entityInformation/fields, and deciding the values they stand for.
 *
 * Services periodType gives each service's billing period by label. The
 * Contracts picklists give the "Active" status (read, not assumed: status
 * numbers are per instance; only when the instance has no "Active" label
 * does the driver fall back to 1, the value third parties document), the
 * contract type names, contractPeriodType and contract categories (for the
 * contract_category filter, which may be a label or a number).
 */
#ifndef AT_FIELDS_H
#define AT_FIELDS_H

#include "at_ctx.h"
#include "at_picklist.h"

typedef struct at_fields {
  at_picklist service_period;  /* Services.periodType */
  at_picklist contract_status; /* Contracts.status */
  at_picklist contract_type;   /* Contracts.contractType */
  at_picklist contract_period; /* Contracts.contractPeriodType */
  at_picklist contract_category;
  long long active_status;
  int active_from_picklist; /* 0: the fallback value is used */
  int has_category;         /* the contract_category filter is set */
  long long category;
} at_fields;

/* Read both entities' fields and resolve the filter. With services == 0,
 * only the Contracts fields are read. */
int at_fields_load(at_ctx *ctx, int services, at_fields *out, char *err,
                   size_t errlen);
void at_fields_free(at_fields *f);

/* Months of a periodType / contractPeriodType value, 0 if unknown. */
int at_fields_months(const at_picklist *p, int has, long long value);

#endif
