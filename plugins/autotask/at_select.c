/* SPDX-License-Identifier: MIT */
/*
 * at_select.c — choosing the contracts a snapshot emits (see at_select.h).
 */
#include "at_select.h"

#include <string.h>

#include "at_ctx.h"

int at_contract_covers(const at_contract *c, const at_date *as_of) {
  if (!c->has_start || at_date_cmp(&c->start, as_of) > 0)
    return 0;
  return !c->has_end || at_date_cmp(as_of, &c->end) <= 0;
}

static int eligible(const at_contract *c, const at_select_rules *r) {
  if (c->status != r->active_status)
    return 0;
  if (c->contract_type != AT_CONTRACT_TYPE_RECURRING)
    return 0;
  return !r->has_category || (c->has_category && c->category == r->category);
}

static int is_mapped(const at_select_rules *r, long long company) {
  return !r->mapped || at_idset_get(r->mapped, company, NULL);
}

/* Rank of a non-covering contract as the one to show: lower is better.
 * Future contracts first (soonest start), then ended ones (latest end). */
static int better_stand_in(const at_contract *a, const at_contract *b,
                           const at_date *as_of) {
  int a_future = a->has_start && at_date_cmp(&a->start, as_of) > 0;
  int b_future = b->has_start && at_date_cmp(&b->start, as_of) > 0;
  if (a_future != b_future)
    return a_future;
  if (a_future) {
    int c = at_date_cmp(&a->start, &b->start);
    return c ? c < 0 : a->id < b->id;
  }
  if (a->has_end != b->has_end)
    return a->has_end;
  if (a->has_end) {
    int c = at_date_cmp(&a->end, &b->end);
    return c ? c > 0 : a->id < b->id;
  }
  return a->id < b->id;
}

int at_select_contracts(const at_contract *contracts, size_t n,
                        const at_select_rules *rules, unsigned char *keep) {
  at_idset covered = {0}, stand_in = {0};
  int rc = 0;
  memset(keep, 0, n);
  /* Pass 1: covering contracts are kept (any company: unmapped ones are
   * the orphans), and their companies need no stand-in. */
  for (size_t i = 0; i < n && !rc; i++) {
    const at_contract *c = &contracts[i];
    if (eligible(c, rules) && at_contract_covers(c, &rules->as_of)) {
      keep[i] = 1;
      if (at_idset_add(&covered, c->company_id, i) < 0)
        rc = -1;
    }
  }
  /* Pass 2: the best stand-in of each mapped company without one. */
  for (size_t i = 0; i < n && !rc; i++) {
    const at_contract *c = &contracts[i];
    size_t best;
    if (!eligible(c, rules) || !is_mapped(rules, c->company_id) ||
        at_idset_get(&covered, c->company_id, NULL))
      continue;
    if (!at_idset_get(&stand_in, c->company_id, &best) ||
        better_stand_in(c, &contracts[best], &rules->as_of))
      if (at_idset_put(&stand_in, c->company_id, i))
        rc = -1;
  }
  for (size_t i = 0; i < n && !rc; i++) {
    size_t best;
    if (at_idset_get(&stand_in, contracts[i].company_id, &best) && best == i)
      keep[i] = 1;
    /* Pass 3: pinned contracts, whatever their type or category. */
    if (contracts[i].status == rules->active_status &&
        at_idset_get(rules->pinned, contracts[i].id, NULL))
      keep[i] = 1;
  }
  at_idset_free(&covered);
  at_idset_free(&stand_in);
  return rc;
}
