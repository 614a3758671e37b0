/*
 * followup.c — metrics and notifications after a run.
 */
#include "followup.h"

#include <stdlib.h>
#include <time.h>

#include "metrics.h"
#include "notify.h"

static void write_metrics(const app *a, const sync_report *r) {
  metrics_run m = {time(NULL), r->duration_s,  r->exit_code,
                   r->run_id,  a->driver_name, r->json};
  char *text = metrics_render(&m);
  char err[1024];
  if (!text) {
    log_msg(a->log, LPSA_LOG_WARN,
            "could not write the metrics file: out of "
            "memory");
    return;
  }
  if (metrics_write_file(a->cfg.metrics_file, text, err, sizeof err) != 0)
    log_msg(a->log, LPSA_LOG_WARN, "%s (the run itself is not affected)", err);
  else
    log_msg(a->log, LPSA_LOG_DEBUG, "metrics written to %s",
            a->cfg.metrics_file);
  free(text);
}

void followup_after_run(const app *a, const sync_report *r) {
  if (a->opt.dry_run || r->run_id <= 0)
    return;
  if (a->cfg.metrics_file)
    write_metrics(a, r);
  if (a->stop && *a->stop) {
    log_msg(a->log, LPSA_LOG_INFO,
            "stopped by a signal: no notification is sent for this run");
    return;
  }
  notify_run n = {.driver = a->driver_name,
                  .run_id = r->run_id,
                  .exit_code = r->exit_code,
                  .dry_run = a->opt.dry_run,
                  .summary = r->summary,
                  .text = r->text,
                  .report = r->json,
                  .error = r->error};
  notify_send(&a->cfg, &n, a->http, a->log);
}
