/*
 * daemon.c — waiting, locking and reloading for the daemon.
 */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync.h"

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

static int open_lock_file(const char *state_dir, const char *name, char *err,
                          size_t errlen) {
  char path[4096];
  if (mkdir(state_dir, 0700) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "cannot create state_dir %s: %s", state_dir,
             strerror(errno));
    return -1;
  }
  snprintf(path, sizeof path, "%s/%s", state_dir, name);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    snprintf(err, errlen, "cannot open the lock file %s: %s", path,
             strerror(errno));
  return fd;
}

int daemon_lock(const char *state_dir, int *held, char *err, size_t errlen) {
  *held = 0;
  int fd = open_lock_file(state_dir, "lpsa-daemon.lock", err, errlen);
  if (fd < 0)
    return -1;
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = "";
    ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    pid[n > 0 ? n : 0] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    snprintf(err, errlen,
             "another lpsa-host daemon (pid %s) is running with state_dir %s; "
             "stop it first (systemctl stop lpsa-host) or use another "
             "state_dir",
             pid[0] ? pid : "?", state_dir);
    close(fd);
    *held = 1;
    return -1;
  }
  char pid[32];
  int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
  if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)len, 0) < 0) {
    /* The pid is only informative; the flock is the lock. */
  }
  return fd;
}

void daemon_unlock(int fd) {
  if (fd >= 0)
    close(fd);
}

int daemon_run_lock_busy(const char *state_dir) {
  /* The run lock of lock.c: <state_dir>/lpsa.lock. Testing it with our own
   * descriptor and dropping it at once leaves it free for sync_run(). */
  char path[4096];
  snprintf(path, sizeof path, "%s/lpsa.lock", state_dir);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0; /* no file: nobody has run yet */
  int busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return busy;
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
