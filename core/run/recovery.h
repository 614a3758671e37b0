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

/* Add CHANGED_IN_PSA to outcomes whose line differs from the count lpsa
 * last saw or set. Returns 0, or -1 when out of memory. */
int recovery_check_drift(journal *j, const char *driver, run_result *res);

/* Make every planned outcome whose line the PSA did not apply a write to
 * in the same billing period (apply.h) an error: WRITE_FAILED naming that
 * run, nothing written. cycle_start: the LastPass cycle's first day, the
 * period of lines whose agreement has none. Returns 0, or -1 when out of
 * memory or the journal fails. */
int recovery_check_not_applied(journal *j, const char *driver,
                               const char *cycle_start, const lpsa_terms *terms,
                               run_result *res);

/* Remember the count of every line this run saw (and did not change). */
int recovery_remember(journal *j, const char *driver, long long run_id,
                      const run_result *res);

#endif
