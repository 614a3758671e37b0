/* SPDX-License-Identifier: MIT */
/*
 * followup.c — metrics and notifications after a run.
 */
#include "followup.h"

#include <stdlib.h>
#include <time.h>

#include "metrics.h"
#include "notify.h"

static void write_metrics(const followup_settings *s, const notify_run *r,
                          double duration_s) {
  metrics_run m = {time(NULL), duration_s, r->exit_code,
                   r->run_id,  r->driver,  r->report};
  char *text = metrics_render(&m);
  char err[1024];
  if (!text) {
    log_msg(s->log, LPSA_LOG_WARN,
            "could not write the metrics file: out of "
            "memory");
    return;
  }
  if (metrics_write_file(s->cfg->metrics_file, text, err, sizeof err) != 0)
    log_msg(s->log, LPSA_LOG_WARN, "%s (the run itself is not affected)", err);
  else
    log_msg(s->log, LPSA_LOG_DEBUG, "metrics written to %s",
            s->cfg->metrics_file);
  free(text);
}

void followup_after_run(const followup_settings *s, const notify_run *r,
                        double duration_s) {
  if (r->dry_run || r->run_id <= 0)
    return;
  if (s->cfg->metrics_file)
    write_metrics(s, r, duration_s);
  if (s->stop && *s->stop) {
    log_msg(s->log, LPSA_LOG_INFO,
            "stopped by a signal: no notification is sent for this run");
    return;
  }
  notify_send(s->cfg, r, s->http, s->log);
}
