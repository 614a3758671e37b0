/* SPDX-License-Identifier: MIT */
/*
 * conf_capture.c — point fds 1 and 2 at a private file while a driver runs.
 */
#include "conf_capture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int conf_capture_begin(conf_capture *c, const char *dir) {
  c->fd = c->saved_out = c->saved_err = -1;
  snprintf(c->path, sizeof c->path, "%s/capture.XXXXXX", dir);
  fflush(stdout);
  fflush(stderr);
  c->fd = mkstemp(c->path);
  if (c->fd < 0)
    return -1;
  c->saved_out = dup(STDOUT_FILENO);
  c->saved_err = dup(STDERR_FILENO);
  if (c->saved_out < 0 || c->saved_err < 0 || dup2(c->fd, STDOUT_FILENO) < 0 ||
      dup2(c->fd, STDERR_FILENO) < 0) {
    int e = errno;
    if (c->saved_out >= 0) {
      dup2(c->saved_out, STDOUT_FILENO);
      close(c->saved_out);
    }
    if (c->saved_err >= 0) {
      dup2(c->saved_err, STDERR_FILENO);
      close(c->saved_err);
    }
    close(c->fd);
    unlink(c->path);
    c->fd = c->saved_out = c->saved_err = -1;
    errno = e;
    return -1;
  }
  return 0;
}

size_t conf_capture_end(conf_capture *c, char *out, size_t cap) {
  if (cap)
    out[0] = '\0';
  if (c->fd < 0)
    return 0;
  /* What the driver left in stdio buffers belongs to the capture too. */
  fflush(stdout);
  fflush(stderr);
  dup2(c->saved_out, STDOUT_FILENO);
  dup2(c->saved_err, STDERR_FILENO);
  close(c->saved_out);
  close(c->saved_err);
  struct stat st;
  size_t written = fstat(c->fd, &st) == 0 ? (size_t)st.st_size : 0;
  if (cap > 1 && written) {
    ssize_t got = pread(c->fd, out, cap - 1, 0);
    out[got > 0 ? (size_t)got : 0] = '\0';
  }
  close(c->fd);
  unlink(c->path);
  c->fd = c->saved_out = c->saved_err = -1;
  return written;
}
