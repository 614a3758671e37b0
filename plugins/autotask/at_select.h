/* SPDX-License-Identifier: MIT */
/*
 * at_select.h — which Autotask contracts a snapshot emits. Pure.
 *
 * The ContractServices of a mapped service lead to every contract that ever
 * billed it, including ones that ended years ago. Emitting them all would
 * turn every renewed customer into MULTIPLE_AGREEMENTS, so:
 *   - only contracts whose status is the instance's "Active" value count;
 *   - only Recurring Service contracts (contractType 7) of the configured
 *     contract_category, if any — except contracts pinned by the mapping
 *     file, which are kept whatever their type or category;
 *   - for a mapped company, the contracts covering as_of (start <= as_of <=
 *     end) are kept; when none covers it, ONE contract is kept so the person
 *     learns why there is no billing period: the next one to start, else the
 *     last one to end, else (no dates) the lowest id;
 *   - for a company that is not mapped, only contracts covering as_of are
 *     kept: those companies are emitted so the host can report
 *     ORPHAN_BILLING (someone is billed for LastPass but not mapped);
 *   - pinned contracts are always kept when active.
 */
#ifndef AT_SELECT_H
#define AT_SELECT_H

#include <stddef.h>

#include "at_date.h"
#include "at_idset.h"
#include "at_records.h"

typedef struct at_select_rules {
  long long active_status;
  int has_category;
  long long category;
  const at_idset *pinned; /* contract ids */
  const at_idset *mapped; /* company ids; NULL: every company is mapped */
  at_date as_of;
} at_select_rules;

/* 1 when the contract has a start date and as_of lies in [start, end]. */
int at_contract_covers(const at_contract *c, const at_date *as_of);

/* keep[i] = 1 for each contract to emit. Returns 0, or -1 when out of
 * memory. */
int at_select_contracts(const at_contract *contracts, size_t n,
                        const at_select_rules *rules, unsigned char *keep);

#endif
