/* SPDX-License-Identifier: MIT */
/*
 * web_approvals.h — the held changes an approver released on a plan's
 * page, before the plan is applied: the journal's table
 * web_plan_approvals(plan_id, lastpass_id, approved_by, ts), one row per
 * company. Applying the plan releases exactly these, each in the name of
 * its approver (sync_settings.approve_by); leaving a company again removes
 * its row. Both are also in the audit trail (plan.approve, plan.leave).
 */
#ifndef LPSA_WEB_APPROVALS_H
#define LPSA_WEB_APPROVALS_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct web_approval {
  char *lastpass_id, *approved_by, *ts;
} web_approval;

/* Create the table if needed. 0 or -1. */
int web_approvals_init(sqlite3 *db);
/* `by` releases the held change of lastpass_id in plan_id (replacing an
 * earlier approval of it). 0 or -1. */
int web_approval_set(sqlite3 *db, const char *plan_id, const char *lastpass_id,
                     const char *by, const char *ts);
/* Leave it held. *removed: 1 when there was an approval. 0 or -1. */
int web_approval_clear(sqlite3 *db, const char *plan_id,
                       const char *lastpass_id, int *removed);
/* The plan's approvals, by LastPass id. 0 or -1. */
int web_approvals_of(sqlite3 *db, const char *plan_id, web_approval **out,
                     size_t *n);
void web_approvals_free(web_approval *a, size_t n);
/* The approval of lastpass_id in the list, or NULL. */
const web_approval *web_approval_find(const web_approval *a, size_t n,
                                      const char *lastpass_id);

#endif
