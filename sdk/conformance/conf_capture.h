/* SPDX-License-Identifier: MIT */
/*
 * conf_capture.h — catch what a driver writes to stdout or stderr.
 *
 * A driver must never print (lpsa/host.h): the host may be a daemon whose
 * standard streams are a terminal, a pipe to a report, or closed. The tests
 * point file descriptors 1 and 2 at a private file while the driver runs and
 * look at the file afterwards; stdio buffers are flushed on both sides, so
 * a printf() without a newline is caught too.
 */
#ifndef LPSA_CONF_CAPTURE_H
#define LPSA_CONF_CAPTURE_H

#include <stddef.h>

typedef struct conf_capture {
  int fd;        /* the file, or -1 when not capturing */
  int saved_out; /* the original fd 1 */
  int saved_err; /* the original fd 2 */
  char path[4200];
} conf_capture;

/* Start capturing into a new file in `dir`. 0, or -1 (nothing changed). */
int conf_capture_begin(conf_capture *c, const char *dir);

/* Stop, restore fds 1 and 2, and copy at most cap - 1 bytes of what was
 * written into out (NUL-terminated). Returns the number of bytes written
 * (possibly more than copied), or 0 when not capturing. Removes the file. */
size_t conf_capture_end(conf_capture *c, char *out, size_t cap);

#endif
