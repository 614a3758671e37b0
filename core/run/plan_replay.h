/* SPDX-License-Identifier: MIT */
/*
 * plan_replay.h — `apply PLAN`: a saved plan checked against the world it
 * is applied in, then turned into this run's result, so that apply.c
 * writes exactly the plan's changes and nothing that changed since.
 *
 * Refused whole, before anything is read: another [driver.NAME] section,
 * another driver or driver version, another configuration or mapping file
 * (their SHA-256 differs), a plan older than plan_max_age (or dated in the
 * future), a run date outside the plan's LastPass billing cycle.
 *
 * Then, line by line, against a read-only snapshot of the plan's PSA
 * companies taken before the first write: a line already written from
 * this plan is not written again (PLAN_APPLIED); a line whose count is no
 * longer the plan's `old` (or that moved, lost its product, or whose
 * billing period changed) is skipped with CHANGED_SINCE_PLAN; one already
 * at the plan's target is left as it is.
 *
 * Why a snapshot and not a new driver ABI field: it works with every
 * driver, whatever SDK it was built with, and a run that writes must first
 * resolve the intents an interrupted run left (recovery.h), which needs the
 * snapshot anyway. A change made between the snapshot and the write of that
 * line still shows in set_quantity's re-read (`before`), and is reported.
 */
#ifndef LPSA_CORE_PLAN_REPLAY_H
#define LPSA_CORE_PLAN_REPLAY_H

#include <stddef.h>

#include "journal.h"
#include "lpsa/driver.h"
#include "plan.h"
#include "snapshot.h"

/* What the plan is checked against. */
typedef struct plan_facts {
  const char *driver;         /* this run's [driver.NAME] section */
  const char *driver_name;    /* the loaded driver's name */
  const char *driver_version; /* and release */
  const char *config_path, *config_digest;
  const char *mapping_path, *mapping_digest;
  const char *as_of; /* the run's date */
  long long now;     /* the run's clock, epoch seconds */
  long long max_age; /* plan_max_age, seconds */
} plan_facts;

/* 0 when `p` may be applied; else 1 with one line in `why` saying what
 * differs and what to do. */
int plan_replay_refusal(const plan_doc *p, const plan_facts *f, char *why,
                        size_t cap);

/* The PSA company ids and agreement ids of the plan's planned changes and
 * of the changes interrupted runs left open (pointers into res and
 * pending; the arrays are new). 0, or -1 when out of memory. */
int plan_replay_request(const run_result *res, const journal_pending *pending,
                        size_t n_pending, const char ***companies,
                        size_t *n_companies, const char ***agreements,
                        size_t *n_agreements);

/* The plan's lines an earlier apply of plan `plan_id` wrote (or found at
 * their target) become ST_UNCHANGED with PLAN_APPLIED, before anything is
 * read. Every outcome is marked line_recorded: the plan's counts are not
 * this run's reading. 0, or -1 when out of memory or the journal fails. */
int plan_replay_done(journal *j, const char *plan_id, run_result *res);

/* Check every ST_PLANNED outcome of `res` against `snap` as described
 * above; the lines found are remembered as they are now. Returns 0, or -1
 * when out of memory or the journal fails. */
int plan_replay_check(journal *j, const char *driver, long long run_id,
                      const char *plan_id, const lpsa_snapshot *snap,
                      const lpsa_terms *t, run_result *res);

#endif
