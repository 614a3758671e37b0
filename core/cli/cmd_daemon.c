/* SPDX-License-Identifier: MIT */
/*
 * cmd_daemon.c — `lpsa-host --daemon`: sync on the configured schedule
 * until SIGTERM (see daemon.h for locks and signals).
 *
 * The loop: wait for the next run time or a signal; on SIGHUP reload, on
 * SIGUSR1 run at once; before a run, wait out a one-off sync holding the run
 * lock; run (sync_run, exactly what a one-off run does), write --report FILE,
 * metrics and notifications (followup.h), log a one-line summary; compute
 * the next run. The report tables are not printed: the journal keeps every
 * run (`lpsa-host history --run N`). With a [web] section the web console
 * answers from its own thread for the daemon's whole life (cmd_web.h), told
 * the next run time and when a sync is going.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd_web.h"
#include "commands.h"
#include "daemon.h"
#include "daemon_refresh.h"
#include "daemon_reload.h"
#include "sync.h"

/* Seconds between looks at a run lock held by a one-off run. */
#define RUN_LOCK_POLL 2

/* `console`: the web console, when [web] is configured, else NULL. */
static void log_next(const app *a, web_server *console, time_t next) {
  if (console)
    web_server_set_next_run(console, next);
  char when[64];
  struct tm tm;
  localtime_r(&next, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm);
  log_msg(a->log, LPSA_LOG_INFO, "next run at %s (schedule %s)", when,
          a->cfg.schedule_text);
}

/* Wait while a one-off run holds the run lock. 0, or -1 when told to stop
 * meanwhile. */
static int wait_for_run_lock(const app *a, const daemon_signals *sig) {
  daemon_signals stop_only = {sig->stop, NULL, NULL, NULL};
  int said = 0;
  while (daemon_run_lock_busy(a->cfg.state_dir)) {
    if (!said++)
      log_msg(a->log, LPSA_LOG_WARN,
              "another lpsa-host is syncing with state_dir %s; the scheduled "
              "run starts when it finishes",
              a->cfg.state_dir);
    if (daemon_wait(time(NULL) + RUN_LOCK_POLL, &stop_only))
      return -1;
  }
  return 0;
}

static void run_once(app *a, web_server *console) {
  finding_list notices = {0};
  if (daemon_refresh(a, &notices))
    log_msg(a->log, LPSA_LOG_WARN,
            "out of memory reading the mapping file again; this run uses the "
            "mapping read before");
  sync_settings s;
  sync_settings_from_app(a, &s);
  s.notices = &notices;
  progress *p =
      progress_new(progress_mode_for(a->opt.quiet, 0, a->opt.verbose, 1, 0),
                   stderr, a->log, a->driver.desc->terms->psa, NULL);
  s.progress = p;
  sync_report r;
  if (console)
    web_server_set_syncing(console, 1);
  sync_run(&s, &r); /* logs its own abort reason */
  if (console)
    web_server_set_syncing(console, 0);
  progress_free(p);
  cmd_sync_report_file(a, &r);
  cmd_followup(a, &r);
  const run_summary *m = &r.summary;
  char see[96] = "";
  if (r.exit_code != EXIT_IN_STEP && r.run_id > 0)
    snprintf(see, sizeof see, "; see lpsa-host history --run %lld", r.run_id);
  log_msg(a->log, r.exit_code == EXIT_IN_STEP ? LPSA_LOG_INFO : LPSA_LOG_WARN,
          "run %lld finished with exit code %d: %zu companies, %zu updated, "
          "%zu in step, %zu planned, %zu skipped, %zu held, %zu errors "
          "(%.1f s)%s",
          r.run_id, r.exit_code, m->companies, m->updated, m->unchanged,
          m->planned, m->skipped, m->held, m->errors, r.duration_s, see);
  sync_report_free(&r);
  findings_free(&notices);
}

/* After a reload: the console follows the new configuration (started,
 * stopped, or listening anew when its address or certificate changed). */
static void console_reload(const app *a, web_server **console) {
  web_settings s;
  web_settings_from_app(a, &s);
  char err[2048] = "";
  int up = *console && a->cfg.web_configured
               ? web_server_update(*console, &s, err, sizeof err)
               : 1;
  if (up == 1) {
    web_server_stop(*console);
    *console = NULL;
    if (a->cfg.web_configured &&
        web_server_start(&s, console, err, sizeof err) != 0)
      up = -1;
  }
  if (up < 0)
    log_msg(a->log, LPSA_LOG_ERROR,
            "reload: the web console is off: %s; fix [web] and send SIGHUP "
            "again",
            err);
}

/* React to a flag. Returns 1 when a run is due now. */
static int handle_flags(app *a, web_server **console, const daemon_signals *sig,
                        int *lock, driver_stamp *stamp, time_t *next) {
  if (*sig->reload) {
    *sig->reload = 0;
    char *before = strdup(a->cfg.schedule_text);
    char *zone_before = a->cfg.timezone ? strdup(a->cfg.timezone) : NULL;
    web_server_pause(*console); /* the logger gets the new secrets */
    int reloaded = daemon_reload(a, lock, stamp) == 0;
    web_server_resume(*console);
    if (reloaded &&
        (!before || strcmp(before, a->cfg.schedule_text) != 0 ||
         !zone_before != !a->cfg.timezone ||
         (zone_before && strcmp(zone_before, a->cfg.timezone) != 0))) {
      time_t now = time(NULL);
      *next = daemon_next_run(&a->cfg.schedule, now, now);
    }
    free(before);
    free(zone_before);
    if (reloaded)
      console_reload(a, console);
    log_next(a, *console, *next);
  }
  if (*sig->run_now) {
    *sig->run_now = 0;
    log_msg(a->log, LPSA_LOG_INFO, "SIGUSR1: running a sync now");
    return 1;
  }
  return 0;
}

static int setup(app *a) {
  int rc;
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)) ||
      (rc = app_load_mapping(a)) || (rc = app_http(a)))
    return rc;
  if (!a->cfg.schedule_text) {
    app_error("%s: --daemon needs a schedule; add one to [host], e.g. "
              "schedule = daily 02:00 (see lpsa.conf(5))",
              a->cfg.name);
    return EXIT_USAGE;
  }
  return 0;
}

int cmd_daemon(app *a, const daemon_signals *sig) {
  int rc = setup(a);
  if (rc)
    return rc;
  char err[1024];
  int held;
  int lock = daemon_lock(a->cfg.state_dir, &held, err, sizeof err);
  if (lock < 0) {
    /* Another daemon is lock contention, as for a run (exit 3); a state_dir
     * that cannot be used is a configuration error (exit 2). */
    app_error("%s", err);
    return held ? EXIT_ABORTED : EXIT_USAGE;
  }
  web_server *console;
  if ((rc = cmd_web_start(a, 0, &console))) {
    daemon_unlock(lock);
    return rc;
  }
  log_msg(a->log, LPSA_LOG_INFO,
          "daemon started (pid %ld): driver %s %s, configuration %s, "
          "schedule %s",
          (long)getpid(), a->driver_name, a->driver.desc->version, a->cfg.name,
          a->cfg.schedule_text);
  driver_stamp stamp;
  driver_stamp_take(a->driver.path, &stamp);
  time_t now = time(NULL);
  time_t next =
      a->opt.run_now ? now : daemon_next_run(&a->cfg.schedule, now, now);
  if (!a->opt.run_now)
    log_next(a, console, next);
  for (;;) {
    daemon_wait(next, sig);
    if (*sig->stop)
      break;
    if (sig->web_job && *sig->web_job) {
      /* A plan or an apply asked for on the console: between runs, on
       * this thread, like a run. */
      *sig->web_job = 0;
      cmd_web_jobs(a, console);
      if (*sig->stop)
        break;
    }
    int due = handle_flags(a, &console, sig, &lock, &stamp, &next) ||
              time(NULL) >= next;
    if (!due)
      continue;
    if (wait_for_run_lock(a, sig) != 0)
      break;
    time_t started = time(NULL);
    run_once(a, console);
    if (*sig->stop)
      break;
    now = time(NULL);
    next = daemon_next_run(&a->cfg.schedule, started, now);
    log_next(a, console, next);
  }
  log_msg(a->log, LPSA_LOG_INFO, "stopping on a signal");
  web_server_stop(console);
  daemon_unlock(lock);
  return EXIT_IN_STEP;
}
