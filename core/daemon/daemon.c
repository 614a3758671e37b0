/* SPDX-License-Identifier: MIT */
/*
 * daemon.c — waiting and locking for the daemon; the driver file's stamp.
 */
#include "daemon.h"

#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"

/* The longest single sleep: the clock is looked at again after it. */
#define DAEMON_MAX_SLEEP 60

void daemon_signal_set(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGUSR1);
  sigaddset(set, SIGUSR2);
}

static int flagged(const daemon_signals *sig) {
  return (sig->stop && *sig->stop) || (sig->reload && *sig->reload) ||
         (sig->run_now && *sig->run_now) || (sig->web_job && *sig->web_job);
}

int daemon_wait(time_t until, const daemon_signals *sig) {
  sigset_t block, old;
  daemon_signal_set(&block);
  sigprocmask(SIG_BLOCK, &block, &old);
  int woke = 0;
  for (;;) {
    if (flagged(sig)) {
      woke = 1;
      break;
    }
    time_t now = time(NULL);
    if (now >= until)
      break;
    time_t left = until - now;
    struct timespec ts = {left < DAEMON_MAX_SLEEP ? left : DAEMON_MAX_SLEEP, 0};
    /* pselect unblocks the signals only while it sleeps: a signal that
     * arrived since the test above interrupts it at once. */
    pselect(0, NULL, NULL, NULL, &ts, &old);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  return woke;
}

time_t daemon_next_run(const schedule *s, time_t last_start, time_t now) {
  time_t next = schedule_next(s, last_start);
  if (next == (time_t)-1 || next <= now)
    next = schedule_next(s, now);
  return next;
}

int daemon_lock(const char *state_dir, int *held, char *err, size_t errlen) {
  char pid[32];
  int fd = lock_take(state_dir, LOCK_DAEMON_FILE, held, pid, sizeof pid, err,
                     errlen);
  if (fd < 0 && *held)
    snprintf(err, errlen,
             "another lpsa-host daemon (pid %s) is running with state_dir %s; "
             "stop it first (systemctl stop lpsa-host) or use another "
             "state_dir",
             pid, state_dir);
  return fd;
}

void daemon_unlock(int fd) {
  lock_release(fd);
}

int daemon_run_lock_busy(const char *state_dir) {
  return lock_busy(state_dir, LOCK_RUN_FILE);
}

void driver_stamp_take(const char *path, driver_stamp *s) {
  struct stat st;
  memset(s, 0, sizeof *s);
  if (!path || stat(path, &st) != 0)
    return;
  snprintf(s->path, sizeof s->path, "%s", path);
  s->dev = st.st_dev;
  s->ino = st.st_ino;
  s->mtime = st.st_mtim;
}

int driver_stamp_changed(const char *path, const driver_stamp *s) {
  struct stat st;
  if (!path || !s->path[0] || strcmp(path, s->path) != 0 ||
      stat(path, &st) != 0)
    return 0;
  return st.st_dev != s->dev || st.st_ino != s->ino ||
         st.st_mtim.tv_sec != s->mtime.tv_sec ||
         st.st_mtim.tv_nsec != s->mtime.tv_nsec;
}
