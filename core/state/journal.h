/* SPDX-License-Identifier: MIT */
/*
 * journal.h — the audit trail and crash memory of lpsa, in SQLite (WAL,
 * synchronous=FULL) at <state_dir>/journal.sqlite.
 *
 * Every run is a row (started, finished, driver, mode, result, summary, the
 * JSON report). Every change is written as an *intent* before the PSA write
 * and completed with its *result* after it, so a run killed in between
 * leaves an unfinished intent that the next run resolves by re-reading the
 * PSA, never by replaying it. The last quantity lpsa saw or set on each line
 * is kept too, so a count changed by a person in the PSA is noticed.
 */
#ifndef LPSA_CORE_JOURNAL_H
#define LPSA_CORE_JOURNAL_H

#include <stddef.h>
#include <stdio.h>

#include "outcome.h"

typedef struct journal journal;

/* What journal_open() found. */
typedef enum journal_status {
  JOURNAL_OK = 0,
  /* state_dir is missing and cannot be created: a configuration problem. */
  JOURNAL_NO_STATE_DIR,
  /* The journal cannot be used now: locked by another program, the disk
   * full, a read or write error. Nothing was written. */
  JOURNAL_UNAVAILABLE,
  /* The file is damaged (PRAGMA quick_check, or SQLite found it corrupt):
   * its memory of earlier changes cannot be trusted. */
  JOURNAL_DAMAGED,
  JOURNAL_NOMEM
} journal_status;

/* Flags of journal_open(). */
enum {
  /* Run PRAGMA quick_check first: for a run that may write to the PSA. */
  JOURNAL_VERIFY = 1u << 0
};

/* Open or create the journal in state_dir (created 0700 if missing). On
 * failure err says what happened and what to do. */
journal_status journal_open(const char *state_dir, unsigned flags,
                            journal **out, char *err, size_t errlen);
void journal_close(journal *j);

/* `lpsa-host check`: is <state_dir>/journal.sqlite sound (quick_check),
 * read only and without creating anything? JOURNAL_OK also when there is
 * no journal yet (*exists = 0). */
journal_status journal_verify(const char *state_dir, int *exists, char *err,
                              size_t errlen);

/* SQLite's last error on j, with the system error behind it when there is
 * one ("disk I/O error (No space left on device)"); valid until the next
 * call on j. */
const char *journal_error(journal *j);

/* Runs still marked "running" belong to a process that died: mark them
 * "interrupted". Returns how many, or -1 on error. */
int journal_mark_interrupted(journal *j);

int journal_run_begin(journal *j, const char *driver,
                      const char *driver_version, const char *mode,
                      const char *started, long long *run_id);
/* result: "ok" | "problems" | "aborted" | "stopped". */
int journal_run_end(journal *j, long long run_id, const char *finished,
                    const char *result, int exit_code, const char *summary_json,
                    const char *report_json);

/* Record the intent to change o's line, durably, before writing the PSA.
 * billing_period: the first day of the billing period the change belongs to
 * (the agreement's period_start, else the LastPass billing cycle's). */
int journal_intent(journal *j, long long run_id, const char *driver,
                   const outcome *o, const char *billing_period,
                   long long *change_id);
/* state: "applied" | "already" (the PSA held the target) | "failed" (not
 * applied) | "unconfirmed" (perhaps applied: the next run resolves it) |
 * "psa-did-not-apply" (accepted, but the read after it showed the old
 * count) | "other-writer" (the read after it showed neither count). */
int journal_result(journal *j, long long change_id, const char *state,
                   long long observed, const char *message);

/* A request of the change that must not be sent twice (a delta) is about
 * to be sent: until `in_flight_until` (the real clock, milliseconds since
 * the epoch: the send plus the request's timeout) it may still reach the
 * PSA, even after this process is gone. */
int journal_write_sent(journal *j, long long change_id,
                       long long in_flight_until);

/* A write the PSA accepted but did not apply, on `line_id` in the billing
 * period starting `billing_period`: lpsa never writes that line again in
 * that period. 1 with *found filled, 0 when none, -1 on error. */
typedef struct journal_not_applied {
  long long change_id, run_id;
  long long old_quantity, new_quantity, observed;
} journal_not_applied;
int journal_find_not_applied(journal *j, const char *driver,
                             const char *line_id, const char *billing_period,
                             journal_not_applied *found);

/* Changes left open by earlier runs of `driver`: intents of a killed run,
 * and writes that failed after perhaps reaching the PSA ("unconfirmed"). */
typedef struct journal_pending {
  long long change_id, run_id;
  char *lastpass_id, *lastpass_name, *psa_company_id, *agreement_id, *line_id;
  long long old_quantity, new_quantity;
  int unconfirmed; /* the write failed after perhaps reaching the PSA */
  /* journal_write_sent()'s time, or 0 when no such request was sent */
  long long in_flight_until;
} journal_pending;
int journal_pending_list(journal *j, const char *driver, journal_pending **out,
                         size_t *n);
void journal_pending_free(journal_pending *p, size_t n);
/* Close an unfinished intent with what the PSA shows now. state:
 * "resolved-applied" | "resolved-not-applied" | "resolved-unknown". */
int journal_resolve(journal *j, long long change_id, long long run_id,
                    const char *state, long long observed, const char *message);

/* The last quantity lpsa saw or set on a line: 1 and values, or 0. */
int journal_line_get(journal *j, const char *driver, const char *line_id,
                     long long *quantity, long long *run_id);
int journal_line_set(journal *j, const char *driver, const char *line_id,
                     long long quantity, long long run_id);

/* Wrap many line_set calls in one transaction (fast and atomic). */
int journal_begin(journal *j);
int journal_commit(journal *j);

/* Reading the journal back and its retention: journal_history.h. */

#endif
