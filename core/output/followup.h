/*
 * followup.h — what happens after a sync run, one-off or scheduled: the
 * metrics file is rewritten, then people are notified (notify.h).
 *
 * Which runs count:
 *   - a dry run does neither: it is a person previewing, not the service
 *     running, and must not overwrite the last real run's metrics;
 *   - a run that never started (refused by the lock because another lpsa-host
 *     was running, or the journal could not be opened: no run number) does
 *     neither, so a one-off run bounced by the daemon leaves the daemon's
 *     metrics alone;
 *   - a run stopped by SIGTERM/SIGINT writes its metrics but sends no
 *     notification: whoever stopped it knows, and its unwritten changes stay
 *     planned for the next run.
 * Failures are logged; they never change the run's exit code.
 */
#ifndef LPSA_CORE_FOLLOWUP_H
#define LPSA_CORE_FOLLOWUP_H

#include "app.h"
#include "sync.h"

void followup_after_run(const app *a, const sync_report *r);

#endif
