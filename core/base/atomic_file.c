/* SPDX-License-Identifier: MIT */
/*
 * atomic_file.c — temporary file, fsync, rename.
 */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(fd, data + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  return 0;
}

/* Make the rename durable: sync the directory holding `path` (best effort:
 * the content is already on disk under one name or the other). */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                    : strdup(".");
  int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
  free(dir);
}

int atomic_write_file(const char *path, const char *data, size_t len,
                      mode_t mode, char *err, size_t errlen) {
  size_t plen = strlen(path);
  char *tmp = malloc(plen + 8);
  if (!tmp) {
    snprintf(err, errlen, "cannot write %s: out of memory", path);
    return -1;
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".XXXXXX", 8);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen,
             "cannot write %s: %s; check that its directory exists and is "
             "writable",
             path, strerror(errno));
    free(tmp);
    return -1;
  }
  int ok =
      fchmod(fd, mode) == 0 && write_all(fd, data, len) == 0 && fsync(fd) == 0;
  int saved = errno;
  ok = close(fd) == 0 && ok;
  if (ok && rename(tmp, path) != 0) {
    saved = errno;
    ok = 0;
  }
  if (!ok) {
    snprintf(err, errlen, "cannot write %s: %s", path, strerror(saved));
    unlink(tmp);
  }
  free(tmp);
  if (ok)
    sync_dir(path);
  return ok ? 0 : -1;
}
