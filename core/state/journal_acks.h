/* SPDX-License-Identifier: MIT */
/*
 * journal_acks.h — acknowledgements kept in the journal (table `acks`):
 * added by `lpsa-host ack` (or, later, a web user), read by every run,
 * listed and removed. A removed or replaced acknowledgement keeps its row,
 * with who removed it and when, so the journal stays an audit trail.
 */
#ifndef LPSA_CORE_JOURNAL_ACKS_H
#define LPSA_CORE_JOURNAL_ACKS_H

#include <stddef.h>

#include "ack.h"
#include "journal.h"

/* Record `a` (its id is ignored). An acknowledgement still in force for
 * the same driver, company and code is replaced: marked removed by a->who
 * at a->created. *id: the new row's id (may be NULL). */
int journal_ack_add(journal *j, const ack_record *a, long long *id);

/* Mark the acknowledgement in force for (driver, lastpass_id, code)
 * removed by `who` at `when` (UTC). *removed: 1, or 0 when none was in
 * force. */
int journal_ack_remove(journal *j, const char *driver, const char *lastpass_id,
                       const char *code, const char *who, const char *when,
                       int *removed);

/* The acknowledgements in force (not removed; expired ones included: the
 * run decides by its date), of `driver` or of every driver when NULL,
 * ordered by driver, company and code. */
int journal_acks_list(journal *j, const char *driver, ack_record **out,
                      size_t *n);

/* Retention: delete acknowledgements removed before `cutoff` (UTC text)
 * or expired before `cutoff_date` ("YYYY-MM-DD"). *pruned: rows deleted. */
int journal_acks_prune(journal *j, const char *cutoff, const char *cutoff_date,
                       int *pruned);

#endif
