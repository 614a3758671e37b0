/* SPDX-License-Identifier: MIT */
/*
 * journal_plans.h — what the journal keeps of plans, approvals and the
 * mapping's size, in tables of their own next to runs and changes:
 *
 *   plans(id, created, created_epoch, driver, driver_version, cycle_start,
 *         cycle_end, path, made_by_run, made_by, changes, held, refused,
 *         refused_ts)                     one row per saved plan
 *   plan_lines(plan_id, line_id, lastpass_id, run_id, state, approved_by,
 *         ts)                             what became of each line of a plan
 *                                         applied (state applied, already,
 *                                         changed, failed, unconfirmed)
 *   plan_runs(run_id, plan_id, ts)        which plan a run applied
 *   approvals(id, run_id, plan_id, lastpass_id, lastpass_name, line_id,
 *         codes, old_quantity, new_quantity, approved_by, ts)
 *                                         who released which held change
 *   mapping_sizes(run_id, driver, rows, ts)
 *                                         the mapping's row count at each
 *                                         successful run (MAPPING_SHRANK)
 *   mapping_accepts(id, driver, rows, after_run, accepted_by, ts)
 *                                         a smaller mapping a person
 *                                         accepted (`map accept`)
 */
#ifndef LPSA_CORE_JOURNAL_PLANS_H
#define LPSA_CORE_JOURNAL_PLANS_H

#include <stddef.h>
#include <stdio.h>

#include "journal.h"
#include "outcome.h"
#include "plan.h"

/* A plan was saved at `path` (written again when the same plan is saved
 * twice). */
int journal_plan_saved(journal *j, const plan_meta *m, const char *path,
                       size_t changes, size_t held);
/* Applying the plan was refused (the plan's row is added if unknown). */
int journal_plan_refused(journal *j, const plan_meta *m, const char *path,
                         size_t changes, size_t held, const char *reason);
/* The person running run_id did not confirm its writes: it is a dry run. */
int journal_run_declined(journal *j, long long run_id);
/* Run `run_id` applies the plan. */
int journal_plan_run(journal *j, long long run_id, const char *plan_id);
/* 1 when an earlier apply of the plan wrote the line, or found it at its
 * target (*run_id: that run; `by`: who approved it, "" for a planned
 * change), 0 when not, -1 on a journal error. */
int journal_plan_line_done(journal *j, const char *plan_id, const char *line_id,
                           long long *run_id, char *by, size_t cap);
/* What became of the plan's line in run_id. state: "applied" | "already" |
 * "changed" (not written: the PSA no longer held the plan's count) |
 * "failed" | "unconfirmed". */
int journal_plan_line_set(journal *j, const char *plan_id, const char *line_id,
                          const char *lastpass_id, long long run_id,
                          const char *state, const char *approved_by);

/* A person released o's held change in run_id (plan_id may be NULL);
 * `codes` lists the holds ("LARGE_INCREASE,MAPPING_SHRANK"). */
int journal_approval_add(journal *j, long long run_id, const char *plan_id,
                         const outcome *o, const char *codes);
/* Who approved the change of `lastpass_id` in run_id: 1 and `by` filled, 0
 * when nobody did. For `history`. */
int journal_approval_get(journal *j, long long run_id, const char *lastpass_id,
                         char *by, size_t cap);

/* The mapping had `rows` rows at the successful run run_id. */
int journal_mapping_rows_set(journal *j, long long run_id, const char *driver,
                             long long rows);
/* The row count runs of `driver` compare with (MAPPING_SHRANK): that of
 * the latest successful run, or of a later acceptance (*run_id is then the
 * newest run when it was made). 1 and filled, 0 when none is recorded, -1
 * on a journal error. */
int journal_mapping_rows_last(journal *j, const char *driver, long long *rows,
                              long long *run_id);

/* A person (`by`) accepts that the mapping of `driver` now has `rows` rows:
 * runs compare with that from now on, and a shrink is no longer pending. */
int journal_mapping_accept(journal *j, const char *driver, long long rows,
                           const char *by);

/* One saved plan and its fate. */
typedef struct journal_plan_info {
  char id[PLAN_ID_LEN];
  char created[32];
  char *driver, *path, *made_by, *refused;
  long long made_by_run;
  long long changes, held;
  long long written;  /* planned lines written or found at target */
  long long approved; /* held lines approved and written */
  long long skipped;  /* lines not written: changed since, failed */
  long long last_run; /* the latest run that applied it, or 0 */
  const char *fate;   /* "applied" | "partly applied" | "not applied" |
                         "expired" | "refused" | "nothing to apply" */
} journal_plan_info;

/* The `limit` newest plans; `now` and `max_age` (seconds) tell expired
 * ones. Free with journal_plans_free. */
int journal_plans_list(journal *j, long long now, long long max_age, int limit,
                       journal_plan_info **out, size_t *n);
void journal_plans_free(journal_plan_info *p, size_t n);
/* The same, one page at a time and filtered (the web console): plans of
 * `driver` (NULL: every driver), or the one plan `id` (NULL: all), newest
 * first from `offset`; *total (may be NULL) counts every plan the filter
 * selects. */
typedef struct journal_plans_query {
  long long now, max_age; /* seconds: which plans expired */
  const char *driver, *id;
  int offset, limit;
} journal_plans_query;
int journal_plans_find(journal *j, const journal_plans_query *q,
                       journal_plan_info **out, size_t *n, long long *total);
/* `lpsa-host history --plans`: the list as a table or JSON
 * ("lpsa.history-plans/1"). */
int journal_print_plans(journal *j, FILE *out, int json, long long now,
                        long long max_age, int limit);
/* The plan run_id applied: 1 and id filled, 0 when none. For `history`. */
int journal_run_plan(journal *j, long long run_id, char id[PLAN_ID_LEN]);

#endif
