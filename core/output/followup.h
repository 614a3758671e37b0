/* SPDX-License-Identifier: MIT */
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

#include <signal.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "notify.h"

typedef struct followup_settings {
  const lpsa_config *cfg; /* metrics_file, and what notify_send() reads */
  http_client *http;
  lpsa_log *log;
  volatile sig_atomic_t *stop; /* set when a signal stopped the run */
} followup_settings;

/* `run` says what the run did (run_id <= 0: it never started);
 * `duration_s` is how long it took. */
void followup_after_run(const followup_settings *s, const notify_run *run,
                        double duration_s);

#endif
