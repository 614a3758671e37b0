/* SPDX-License-Identifier: MIT */
/*
 * lock.c — the single-instance locks.
 */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state_owner.h"

int lock_take(const char *state_dir, const char *name, int *held, char *holder,
              size_t holder_cap, char *err, size_t errlen) {
  char path[4096];
  *held = 0;
  /* Every run and the daemon take a lock before any other state file. */
  if (state_owner_check(state_dir, err, errlen) != 0)
    return -1;
  if (mkdir(state_dir, 0700) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "cannot create state_dir %s: %s", state_dir,
             strerror(errno));
    return -1;
  }
  snprintf(path, sizeof path, "%s/%s", state_dir, name);
  /* Never through a planted link: the pid written here would land in
   * whatever file it points to. */
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open the lock file %s: %s", path,
             strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32];
    ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    pid[n > 0 ? n : 0] = '\0';
    pid[strcspn(pid, "\n")] = '\0';
    snprintf(holder, holder_cap, "%s", pid[0] ? pid : "?");
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

int lock_acquire(const char *state_dir, char *err, size_t errlen) {
  int held;
  char pid[32];
  int fd =
      lock_take(state_dir, LOCK_RUN_FILE, &held, pid, sizeof pid, err, errlen);
  if (fd < 0 && held)
    snprintf(err, errlen,
             "another lpsa-host (pid %s) is running with state_dir %s; wait "
             "for it to finish (or stop the daemon) and retry",
             pid, state_dir);
  return fd;
}

void lock_release(int fd) {
  if (fd >= 0)
    close(fd); /* closing drops the flock */
}

int lock_busy(const char *state_dir, const char *name) {
  /* Testing with our own descriptor and dropping it at once leaves the lock
   * free for its real user. */
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", state_dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0; /* no file: nobody has taken it yet */
  int busy = flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return busy;
}
