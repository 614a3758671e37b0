/*
 * daemon.c — waiting, locking and reloading for the daemon.
 */
#include "daemon.h"

#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "sync.h"
#include "zone.h"

/* The longest single sleep: the clock is looked at again after it. */
#define DAEMON_MAX_SLEEP 60

void daemon_signal_set(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGHUP);
  sigaddset(set, SIGUSR1);
}

static int flagged(const daemon_signals *sig) {
  return (sig->stop && *sig->stop) || (sig->reload && *sig->reload) ||
         (sig->run_now && *sig->run_now);
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

/* Log every line collected by a refused reload. */
static void log_refusal(app *old, const app *fresh) {
  const char *p = fresh->captured;
  while (*p) {
    size_t len = strcspn(p, "\n");
    log_msg(old->log, LPSA_LOG_ERROR, "reload: %.*s", (int)len, p);
    p += len;
    if (*p == '\n')
      p++;
  }
  log_msg(old->log, LPSA_LOG_ERROR,
          "reload refused: fix the configuration and send SIGHUP again; the "
          "configuration loaded before keeps running");
}

/* Load everything a run needs into `fresh`. 0 or the exit code. */
static int load_all(app *fresh) {
  int rc;
  if ((rc = app_load_config(fresh)) || (rc = app_load_driver(fresh)) ||
      (rc = app_load_mapping(fresh)) || (rc = app_http(fresh)))
    return rc;
  if (!fresh->cfg.schedule_text) {
    app_say(fresh,
            "%s: [host] sets no schedule; the daemon needs one (e.g. "
            "schedule = daily 02:00)",
            fresh->cfg.name);
    return EXIT_USAGE;
  }
  return 0;
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

int daemon_reload(app *a, int *lock_fd, driver_stamp *stamp) {
  app fresh;
  int rc = app_init_like(&fresh, a);
  fresh.capture = 1;
  if (rc == 0)
    rc = load_all(&fresh);
  int new_lock = -1;
  if (rc == 0 && strcmp(fresh.cfg.state_dir, a->cfg.state_dir) != 0) {
    char err[1024];
    int held;
    if ((new_lock = daemon_lock(fresh.cfg.state_dir, &held, err, sizeof err)) <
        0) {
      app_say(&fresh, "%s", err);
      rc = EXIT_USAGE;
    }
  }
  if (rc != 0) {
    log_refusal(a, &fresh);
    app_free(&fresh);
    zone_use(a->cfg.timezone); /* the refused file may have changed it */
    return -1;
  }
  if (new_lock >= 0) {
    daemon_unlock(*lock_fd);
    *lock_fd = new_lock;
  }
  fresh.capture = 0;
  app_take_log(&fresh, a);
  app_free(a);
  *a = fresh;
  log_msg(a->log, LPSA_LOG_INFO,
          "configuration reloaded from %s: driver %s %s, %zu mapping rows, "
          "schedule %s",
          a->cfg.name, a->driver_name, a->driver.desc->version, a->n_rows,
          a->cfg.schedule_text);
  if (driver_stamp_changed(a->driver.path, stamp))
    log_msg(a->log, LPSA_LOG_WARN,
            "the driver file %s changed since lpsa-host loaded it; a reload "
            "keeps running the loaded code (driver %s %s): restart lpsa-host "
            "between runs to use the new file",
            a->driver.path, a->driver_name, a->driver.desc->version);
  else if (strcmp(a->driver.path, stamp->path) != 0)
    driver_stamp_take(a->driver.path, stamp); /* another file: loaded anew */
  return 0;
}
