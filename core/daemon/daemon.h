/* SPDX-License-Identifier: MIT */
/*
 * daemon.h — the mechanisms of `lpsa-host --daemon` (the loop itself is
 * cmd_daemon.c): waking at the next run or at a signal, the daemon's own
 * lock, waiting out a one-off run, and noticing a changed driver file
 * (reloading the configuration is the CLI's: daemon_reload.h).
 *
 * Locks. Every sync takes <state_dir>/lpsa.lock for its duration (lock.h),
 * so two syncs never write at once. The daemon also holds
 * <state_dir>/lpsa-daemon.lock for its whole life, so a second daemon on the
 * same state_dir exits at start with a message naming the first. Between
 * the daemon's syncs the run lock is free, so a person may run a one-off
 * sync or dry run; while the daemon syncs, a one-off run exits 3 (stopped
 * before any write) with "another lpsa-host (pid N) is running". When a
 * scheduled run finds a one-off run holding the run lock, it waits for it to
 * finish and then runs.
 *
 * Signals (the handlers, in main.c, only set flags):
 *   SIGTERM, SIGINT  stop: at once while waiting; during a sync, after the
 *                    write in progress (apply checks the flag between
 *                    writes), then exit 0;
 *   SIGHUP           reload the configuration, driver and mapping file
 *                    after the sync in progress, if any; a configuration
 *                    with errors is logged and the old one keeps running;
 *   SIGUSR1          run a sync now (then carry on with the schedule);
 *   SIGUSR2          the web console's thread asks the main thread to run
 *                    what a web user asked for (a plan, an apply): syncs
 *                    stay on the main thread, one at a time.
 */
#ifndef LPSA_CORE_DAEMON_H
#define LPSA_CORE_DAEMON_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "schedule.h"

/* The flags set by main.c's signal handlers. A NULL member is not
 * watched. */
typedef struct daemon_signals {
  volatile sig_atomic_t *stop;    /* SIGTERM, SIGINT */
  volatile sig_atomic_t *reload;  /* SIGHUP */
  volatile sig_atomic_t *run_now; /* SIGUSR1 */
  volatile sig_atomic_t *web_job; /* SIGUSR2: the web console has work */
} daemon_signals;

/* The signals whose handlers set the flags; blocked while a flag is tested
 * so a signal cannot slip in between the test and the sleep. */
void daemon_signal_set(sigset_t *set);

/* Sleep until `until` (wall clock) or until a watched flag is set,
 * whichever is first. Wakes at least once a minute to look at the clock
 * again, so a clock step (NTP, a resumed laptop) is noticed. Returns 1 when
 * a flag is set, else 0. */
int daemon_wait(time_t until, const daemon_signals *sig);

/* The next run after a run that started at `last_start` (or, before the
 * first run, pass now as both): schedule_next(last_start), or
 * schedule_next(now) when that moment has already passed (a run longer than
 * its interval, or a clock step), so runs never pile up. */
time_t daemon_next_run(const schedule *s, time_t last_start, time_t now);

/* Take <state_dir>/lpsa-daemon.lock (creating state_dir). Returns the
 * descriptor, or -1 with one line in err; *held is then 1 when another
 * daemon holds it (err names its pid), 0 for any other failure. */
int daemon_lock(const char *state_dir, int *held, char *err, size_t errlen);
void daemon_unlock(int fd);

/* 1 when a sync (one-off or ours) holds <state_dir>/lpsa.lock now. */
int daemon_run_lock_busy(const char *state_dir);

/* What a driver file was when it was loaded. A reload cannot swap a
 * driver's code: the dynamic linker hands back the object it already has
 * for that path, so an upgraded file only takes effect after a restart. The
 * stamp lets the reload say so instead of silently running the old code. */
typedef struct driver_stamp {
  char path[4096];
  dev_t dev;
  ino_t ino;
  struct timespec mtime;
} driver_stamp;

void driver_stamp_take(const char *path, driver_stamp *s);
/* 1 when `path` is the stamped file and it changed on disk since. */
int driver_stamp_changed(const char *path, const driver_stamp *s);

#endif
