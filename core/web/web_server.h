/* SPDX-License-Identifier: MIT */
/*
 * web_server.h — the web console as the rest of lpsa-host sees it: start
 * it with settings taken from the configuration, tell it what the daemon
 * knows (the next run, a sync in progress), update it after a reload, stop
 * it. `lpsa-host serve` runs it alone; the daemon runs it beside its
 * schedule when the configuration has a [web] section.
 *
 * It answers from a thread of its own (libmicrohttpd's internal polling
 * thread, one request at a time), so a long sync does not stop the
 * console, and the signals of the daemon stay with the main thread.
 */
#ifndef LPSA_WEB_SERVER_H
#define LPSA_WEB_SERVER_H

#include <stddef.h>
#include <time.h>

#include "log.h"
#include "schedule.h"
#include "sync.h"
#include "web_clock.h"

typedef struct web_settings {
  const char *config_path; /* for the `map suggest` child (-c) */
  const char *driver_name; /* [driver.NAME] in use, or NULL */
  const char *psa_name;    /* "ConnectWise PSA", or NULL */
  const char *driver_id;   /* the loaded driver's own name, or NULL */
  const char *driver_version;
  int plan_max_age; /* seconds ([host] plan_max_age) */
  const char *state_dir;
  const char *mapping_file; /* or NULL */
  const char *users_file;
  const char *listen;             /* HOST:PORT */
  const char *tls_cert, *tls_key; /* both or neither */
  int session_minutes;
  const schedule *schedule; /* or NULL */
  const char *schedule_text;
  int daemon;    /* served by the daemon (it reports the next run) */
  lpsa_log *log; /* must outlive the server; its secrets are redacted from
                    every answer */
  /* Tests: a clock to move time (NULL: the real one), and the program run
   * for suggestions (NULL: this one, /proc/self/exe). */
  web_clock_fn clock;
  void *clock_arg;
  const char *self_exe;
  /* Plans and applies asked for on the page run on the thread that
   * started the console: the console calls wake(wake_arg) (from its own
   * thread) when one is queued, and that thread then calls
   * web_server_job_pending() and web_server_job_run(). NULL: the console
   * offers no jobs (it answers 503). */
  void (*wake)(void *arg);
  void *wake_arg;
} web_settings;

typedef struct web_server web_server;

/* Check the settings (listen address, TLS files, loopback-or-TLS), open the
 * journal, and listen. 0, or -1 with one line in err (nothing started). */
int web_server_start(const web_settings *s, web_server **out, char *err,
                     size_t errlen);
/* New settings after a reload. 0 when applied; 1 when listen or TLS changed
 * (stop and start it again); -1 with err when refused (the old settings
 * stay). */
int web_server_update(web_server *w, const web_settings *s, char *err,
                      size_t errlen);
void web_server_set_next_run(web_server *w, time_t next);
/* Hold the console (requests wait) while the shared logger changes: a
 * reload registers the new configuration's secrets with it, which the
 * console's thread reads to redact every answer and log line. NULL-safe. */
void web_server_pause(web_server *w);
void web_server_resume(web_server *w);
void web_server_set_syncing(web_server *w, int syncing);
/* "http://127.0.0.1:8750" (the real port when 0 was asked for). */
const char *web_server_url(const web_server *w);
void web_server_stop(web_server *w);

/* The job a web user queued (web_job.h), for the thread that runs it:
 * pending tells whether one waits; refuse fails it when today's files do
 * not load (why: what the commands would print); run runs it with `base`,
 * a sync of today's configuration, driver and mapping, and fills `out`
 * (free with sync_report_free), returning the job's kind (web_job_kind),
 * or 0 when nothing was queued. NULL-safe. */
int web_server_job_pending(web_server *w);
void web_server_job_refuse(web_server *w, const char *why);
int web_server_job_run(web_server *w, const sync_settings *base,
                       sync_report *out);

#endif
