/* SPDX-License-Identifier: MIT */
/*
 * diag.h — one way to say what is wrong: an error buffer that collects
 * messages one a line, each naming the file and line it is about
 * ("lpsa.conf:12: ..."), up to a limit past which they are only counted
 * and one last line says how many were not shown.
 *
 * The buffer is the caller's (the `err, errlen` of a loading function), so
 * the text reads the same whoever collects it.
 */
#ifndef LPSA_CORE_DIAG_H
#define LPSA_CORE_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef struct diag {
  char *buf; /* the caller's, NUL-terminated; NULL: messages only counted */
  size_t cap, used;
  const char *file; /* named before located messages (not copied) */
  int max;          /* messages kept; more are only counted (0: no limit) */
  int n;            /* messages said, kept or not */
} diag;

/* Start with an empty buffer. */
void diag_init(diag *d, char *buf, size_t cap, const char *file, int max);

/* One message: line > 0 "FILE:LINE: text", line 0 "FILE: text", line -1
 * the text alone (it already says where). */
void diag_at(diag *d, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_vat(diag *d, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Out of memory: what was said cannot be trusted to be complete, so the
 * buffer becomes this one message ("FILE: text"); it counts as a failure. */
void diag_oom(diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* After the last message: when some were not shown, a line counting them
 * ("FILE: N more problems not shown; fix these and run again"). */
void diag_finish(diag *d);

/* 1 when anything was said. */
int diag_failed(const diag *d);

/* A single message: `err` becomes it (cut to errlen), and `rc` is
 * returned, for `return diag_say(err, errlen, LPSA_ERR_..., "...")`. */
int diag_say(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
