/* SPDX-License-Identifier: MIT */
/*
 * web_jobs.c — the web console's jobs (a plan, an apply: web_job.h) run on
 * the main thread of `serve` and of the daemon, the thread every sync runs
 * on: today's configuration, driver and mapping are loaded as `lpsa-host
 * plan` or `apply` would load them, the console runs the job with them,
 * and what follows every run (--report, metrics, notifications) follows it
 * too.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "cmd_web.h"
#include "commands.h"
#include "exit_codes.h"
#include "progress.h"
#include "web_job.h"

static pthread_t main_thread;

/* The console's thread wakes the main thread out of daemon_wait(). */
static void wake(void *arg) {
  (void)arg;
  pthread_kill(main_thread, SIGUSR2);
}

void cmd_web_jobs_enable(web_settings *s) {
  main_thread = pthread_self();
  s->wake = wake;
  s->wake_arg = NULL;
}

/* Load today's files into `job`, with the console held while the shared
 * logger learns the configuration's secrets (as a reload does). 0 or 2. */
static int load(app *job, web_server *w) {
  int rc;
  web_server_pause(w);
  if (!(rc = app_load_config(job)) && !(rc = app_load_driver(job)))
    rc = app_load_mapping(job);
  web_server_resume(w);
  if (!rc)
    rc = app_http(job);
  return rc;
}

void cmd_web_jobs(app *a, web_server *w) {
  while (web_server_job_pending(w)) {
    app job;
    int rc = app_init_like(&job, a);
    job.capture = 1;
    if (!rc)
      rc = load(&job, w);
    if (rc) {
      web_server_job_refuse(w, job.captured);
      app_free(&job);
      continue;
    }
    job.capture = 0;
    sync_settings s;
    sync_settings_from_app(&job, &s);
    /* Logged as the daemon's own runs are (-v); the console watches it. */
    s.progress =
        progress_new(progress_mode_for(a->opt.quiet, 0, a->opt.verbose, 1, 0),
                     stderr, job.log, job.driver.desc->terms->psa, NULL);
    sync_report r;
    int kind = web_server_job_run(w, &s, &r);
    progress_free(s.progress);
    if (r.run_id > 0) {
      job.opt.dry_run = kind == WEB_JOB_PLAN;
      cmd_sync_report_file(&job, &r);
      cmd_followup(&job, &r);
      log_msg(a->log,
              r.exit_code == EXIT_IN_STEP ? LPSA_LOG_INFO : LPSA_LOG_WARN,
              "web console: %s run %lld finished with exit code %d%s%s",
              kind == WEB_JOB_PLAN ? "plan" : "apply", r.run_id, r.exit_code,
              r.plan_id[0] ? ", plan " : "", r.plan_id);
    }
    sync_report_free(&r);
    app_free(&job);
  }
}
