/* SPDX-License-Identifier: MIT */
/*
 * journal_history.h — reading the journal back: the runs, one run with its
 * stored report, the changes of a run or of one customer, and the retention
 * that prunes old runs. Printing is output/'s (history.h); the web console
 * reads the same structures.
 */
#ifndef LPSA_CORE_JOURNAL_HISTORY_H
#define LPSA_CORE_JOURNAL_HISTORY_H

#include <stddef.h>

#include "journal.h"

/* One row of the runs table. Strings are owned; NULL when the column is. */
typedef struct journal_run_info {
  long long id;
  char *started, *finished; /* UTC; finished NULL while running */
  char *driver, *driver_version;
  char *mode;   /* "apply" | "dry-run" */
  char *result; /* "running" | "ok" | "problems" | "aborted" | "stopped" |
                   "interrupted" */
  int has_exit_code;
  int exit_code;
  char *summary; /* JSON object text, or NULL */
  char *report;  /* the lpsa.report/1 JSON text, or NULL when none was
                    stored (the run never finished); only journal_run_get()
                    fills it */
} journal_run_info;

/* The newest `limit` runs, newest first (report left NULL). */
int journal_runs_list(journal *j, int limit, journal_run_info **out, size_t *n);
/* One run with its report. LPSA_ERR_NOT_FOUND when there is no such run. */
int journal_run_get(journal *j, long long run_id, journal_run_info *out);
void journal_run_info_clear(journal_run_info *r);
void journal_runs_free(journal_run_info *runs, size_t n);

/* One row of the changes table: a change lpsa meant to make (its intent)
 * and what became of it (state). */
typedef struct journal_change {
  long long id, run_id;
  char *ts, *driver, *lastpass_id, *lastpass_name, *psa_company_id;
  char *agreement_id, *line_id, *product, *effective_date;
  long long old_quantity, new_quantity;
  char *state; /* intent | applied | already | failed | unconfirmed |
                  psa-did-not-apply | other-writer |
                  resolved-applied | resolved-not-applied | resolved-unknown */
  int has_observed;
  long long observed;
  char *message;
  long long resolved_by; /* the run that resolved it, or 0 */
  /* Who approved the change: from the journal's `approvals` table when it
   * has one with run_id, lastpass_id and approved_by columns, else "". */
  char *approved_by;
} journal_change;

/* The changes made by run_id, and those it resolved, in order. */
int journal_run_changes(journal *j, long long run_id, journal_change **out,
                        size_t *n);
/* The changes of one LastPass company, oldest first (driver NULL: all). */
int journal_company_changes(journal *j, const char *lastpass_id,
                            const char *driver, journal_change **out,
                            size_t *n);
void journal_changes_free(journal_change *c, size_t n);

/* The newest run of `driver` (NULL: any) that stored a report, with it.
 * 1 found, 0 none, -1 on a journal error. */
int journal_latest_report(journal *j, const char *driver,
                          journal_run_info *run);

/* The newest run whose stored report lists LastPass company `lastpass_id`
 * (driver NULL: any driver), with that company's entry as JSON text in
 * *company_json (caller frees). 1 found, 0 none, -1 on a journal error. */
int journal_latest_company_entry(journal *j, const char *lastpass_id,
                                 const char *driver, journal_run_info *run,
                                 char **company_json);

/* Retention: delete the runs started before `cutoff` (UTC text, as the runs
 * table writes it) with their changes, except runs still running and runs
 * holding a change that is not resolved (an intent or an unconfirmed
 * write: the next run must still see it). *pruned: runs deleted. */
int journal_prune(journal *j, const char *cutoff, int *pruned);

#endif
