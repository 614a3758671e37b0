/* SPDX-License-Identifier: MIT */
/*
 * recovery.h — what the journal remembers, checked against the PSA now:
 * intents left unfinished by a killed run are resolved by re-reading the
 * PSA (never by replaying them), and a count changed by a person since lpsa
 * last saw or set it is reported before it is overwritten.
 */
#ifndef LPSA_CORE_RECOVERY_H
#define LPSA_CORE_RECOVERY_H

#include "journal.h"
#include "lpsa/driver.h"
#include "outcome.h"
#include "snapshot.h"

/* Close every unfinished intent of `driver` with what `snap` shows, adding
 * an INTERRUPTED_CHANGE finding per intent to res->findings. Returns 0, or
 * -1 when out of memory or the journal fails. */
int recovery_resolve(journal *j, const char *driver, long long run_id,
                     const lpsa_snapshot *snap, const lpsa_terms *terms,
                     run_result *res);

/* A delta write an interrupted run sent (journal_write_sent) that `snap`
 * does not show applied may still land: a killed process's request stays
 * at the server, and a re-run that decided "not applied" from the old
 * count and posted again would apply the change twice. How many
 * milliseconds from `now_ms` (the real clock) until every such request
 * must have ended: its send, its HTTP timeout and RECOVERY_MARGIN_MS; 0
 * when none can still land. `what` (cap bytes) names the latest one for a
 * person. -1 when the journal fails. */
#define RECOVERY_MARGIN_MS 1000
long long recovery_in_flight_ms(journal *j, const char *driver,
                                const lpsa_snapshot *snap,
                                const lpsa_terms *terms, long long now_ms,
                                char *what, size_t cap);

/* Add CHANGED_IN_PSA to outcomes whose line differs from the count lpsa
 * last saw or set. Returns 0, or -1 when out of memory. */
int recovery_check_drift(journal *j, const char *driver, run_result *res);

/* A line the PSA did not apply a write to (apply.h) is not written again
 * in that billing period: when `o` would change such a line (planned, or
 * held with a target a person could release), it becomes an error with
 * WRITE_FAILED naming that run. cycle_start: the LastPass cycle's first
 * day, the period of lines whose agreement has none. 1 blocked, 0 not, -1
 * out of memory or the journal failed. apply.c asks this right before
 * every write, whatever path planned or released the change (a sync,
 * --approve, `apply PLAN`, the daemon): that is the block; the planning
 * steps ask it too, so a dry run, a plan and the question before writing
 * already show it. */
int recovery_not_applied(journal *j, const char *driver,
                         const char *cycle_start, const lpsa_terms *terms,
                         outcome *o);

/* recovery_not_applied() for every outcome of `res`. 0, or -1. */
int recovery_check_not_applied(journal *j, const char *driver,
                               const char *cycle_start, const lpsa_terms *terms,
                               run_result *res);

/* Remember the count of every line this run saw (and did not change). */
int recovery_remember(journal *j, const char *driver, long long run_id,
                      const run_result *res);

#endif
