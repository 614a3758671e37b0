/* SPDX-License-Identifier: MIT */
/*
 * disk_full_shim.c — a full disk for one set of files: an LD_PRELOAD module
 * whose write(2), pwrite(2) and pwrite64 fail with ENOSPC on any file whose
 * path contains $LPSA_DISK_FULL_MATCH (the journal's files, say), and work
 * normally everywhere else (stdout, stderr, the PSA file). SQLite writes
 * through these calls, so a journal on a full disk is what lpsa-host sees.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* 1 when fd is a file whose path contains the configured text. */
static int is_full(int fd) {
  const char *match = getenv("LPSA_DISK_FULL_MATCH");
  char link[64], path[4096];
  if (!match || !*match || fd < 0)
    return 0;
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0)
    return 0;
  path[n] = '\0';
  return strstr(path, match) != NULL;
}

ssize_t write(int fd, const void *buf, size_t count) {
  ssize_t (*real)(int, const void *, size_t) =
      (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
  if (is_full(fd)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
  ssize_t (*real)(int, const void *, size_t, off_t) =
      (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  if (is_full(fd)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
  ssize_t (*real)(int, const void *, size_t, off64_t) =
      (ssize_t(*)(int, const void *, size_t, off64_t))dlsym(RTLD_NEXT,
                                                            "pwrite64");
  if (is_full(fd)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count, offset);
}
