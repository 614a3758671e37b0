/* SPDX-License-Identifier: MIT */
/*
 * approval.h — a person releases the held changes of the companies they
 * checked (--approve ID[,ID...], or the web console), and only those: every
 * hold of each listed company whose change has a target (LARGE_DECREASE,
 * LARGE_INCREASE, MAPPING_SHRANK). NO_BILLING_RECORD has no target, so
 * nothing releases it. Pure.
 */
#ifndef LPSA_CORE_APPROVAL_H
#define LPSA_CORE_APPROVAL_H

#include <stddef.h>

#include "outcome.h"

typedef struct approval {
  const char *const *ids; /* LastPass company ids */
  size_t n;
  const char *by; /* who: the Unix user, the web user; never NULL */
} approval;

/* What became of each id of an approval (same order as approval.ids). */
typedef enum approval_use {
  APPROVAL_UNKNOWN = 0, /* no company of the run has this LastPass id */
  APPROVAL_RELEASED,    /* its held change is planned now */
  APPROVAL_NOT_HELD,    /* the company has no held change */
  APPROVAL_NO_TARGET    /* held without a count to set (NO_BILLING_RECORD) */
} approval_use;

/* Release the held changes of the listed companies in `res`: status
 * ST_PLANNED, approved_by set, each hold finding turned into information
 * saying who approved it. `use` (a.n entries, may be NULL) tells what became
 * of each id. Returns how many changes were released, or -1 when out of
 * memory. */
long approval_apply(const approval *a, run_result *res, approval_use *use);

/* Release o's held change (it must be ST_HELD with a target): its hold
 * findings become information saying who approved it, approved_by is set,
 * the status is ST_PLANNED. 0, or -1 when out of memory. */
int approval_release(outcome *o, const char *by);

/* 1 when `code` is a finding that holds a change for a person. */
int approval_is_hold(const char *code);

/* Parse "ID[,ID...]" into a NULL-terminated array of new strings (free with
 * approval_ids_free); empty items are refused. 0, or -1 (bad list or OOM). */
int approval_ids_parse(const char *list, char ***ids, size_t *n);
void approval_ids_free(char **ids, size_t n);

#endif
