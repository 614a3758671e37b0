/* SPDX-License-Identifier: MIT */
/*
 * web_console.h — the console's state, shared by the router and the API
 * handlers: its own copies of the settings, the users file (read again
 * when it changes on disk), sessions, login rate limits, the journal
 * connection, the latest report (parsed once), the suggestion job, the
 * plan job and the plan last shown.
 *
 * Every request runs with `lock` held (web_server.c), and so do the
 * setters the main thread calls, so nothing here needs its own locking.
 * The lock is recursive and also covers the console's use of the shared
 * logger (web_server_pause()).
 */
#ifndef LPSA_WEB_CONSOLE_H
#define LPSA_WEB_CONSOLE_H

#include <json-c/json.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <time.h>

#include "journal.h"
#include "listen_addr.h"
#include "log.h"
#include "schedule.h"
#include "web_job.h"
#include "web_plan.h"
#include "web_ratelimit.h"
#include "web_server.h"
#include "web_session.h"
#include "web_users.h"

/* Login limits: per client address and per user name, in 15 minutes. */
#define WEB_LOGIN_WINDOW_S (15 * 60)
#define WEB_LOGIN_MAX_PER_ADDRESS 20
#define WEB_LOGIN_MAX_PER_USER 5

typedef struct web_console {
  pthread_mutex_t lock;
  /* Settings (owned copies). */
  char *config_path, *driver_name, *psa_name, *state_dir, *mapping_file,
      *users_file, *self_exe, *schedule_text;
  int has_schedule;
  schedule sched;
  int daemon;
  time_t next_run; /* reported by the daemon; 0 unknown */
  int syncing;
  int tls;
  int session_minutes;
  listen_addr addr;
  char url[128];
  lpsa_log *log;
  web_clock_fn clock;
  void *clock_arg;
  /* The users file as last read. */
  web_users users;
  struct timespec users_mtime;
  ino_t users_ino;
  off_t users_size;
  int users_read;
  char users_error[1024];
  web_sessions *sessions;
  web_ratelimit *rl_address, *rl_user;
  sqlite3 *db;
  /* The latest finished report of the driver, parsed. */
  long long report_run;
  json_object *report;
  /* The suggestion job (web_suggest.h). */
  pid_t suggest_pid;
  time_t suggest_started, suggest_finished;
  char suggest_error[8192];
  json_object *suggestions; /* the last successful run's "suggestions" */
  time_t suggestions_at;
  /* Plans and applies (web_job.h, web_plan.h). */
  char *driver_id, *driver_version; /* the loaded driver's name, release */
  int plan_max_age;                 /* seconds */
  journal *journal;                 /* the library's view of c->db's file */
  void (*wake)(void *arg);          /* ask the main thread to run the job */
  void *wake_arg;
  web_job job;
  web_plan *plan_cache;
} web_console;

time_t web_console_now(const web_console *c);
/* The clock of runs (LPSA_NOW fixes it in tests, as for a sync): which
 * plans expired, and the date a plan is checked against. */
time_t web_console_run_now(const web_console *c);
/* UTC ISO 8601 of t ("2026-11-25T12:00:00Z"). */
void web_console_iso(time_t t, char out[32]);
/* The users file, read again when it changed on disk. NULL (with
 * users_error set) when it cannot be read. */
const web_users *web_console_users(web_console *c);

#endif
