/* SPDX-License-Identifier: MIT */
/*
 * test_gate.c — the test's side of jsonpsa's gates (see test_gate.h).
 */
#include "test_gate.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_wait.h"

int gate_create(const char *path) {
  unlink(path);
  return mkfifo(path, 0600);
}

typedef struct opener {
  const char *path;
  int fd;
} opener;

/* Opening a FIFO for writing without blocking fails (ENXIO) until a reader
 * has it open: the driver, waiting. */
static int reader_there(void *arg) {
  opener *o = arg;
  o->fd = open(o->path, O_WRONLY | O_NONBLOCK);
  return o->fd >= 0 || errno != ENXIO;
}

int gate_wait(const char *path, long timeout_ms) {
  opener o = {path, -1};
  if (!test_wait_until(reader_there, &o, timeout_ms))
    return -1;
  return o.fd;
}

void gate_open(const char *path, int fd) {
  unlink(path);
  if (fd >= 0)
    close(fd);
}
