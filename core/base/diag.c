/* SPDX-License-Identifier: MIT */
/*
 * diag.c — the error buffer: appending, bounded and always terminated.
 */
#include "diag.h"

#include <stdio.h>

void diag_init(diag *d, char *buf, size_t cap, const char *file, int max) {
  *d = (diag){.buf = cap ? buf : NULL, .cap = cap, .file = file, .max = max};
  if (d->buf)
    d->buf[0] = '\0';
}

/* Append printf text; a message cut short stays cut, never overruns. */
__attribute__((format(printf, 2, 0))) static void put(diag *d, const char *fmt,
                                                      va_list ap) {
  if (!d->buf || d->used + 1 >= d->cap)
    return;
  int n = vsnprintf(d->buf + d->used, d->cap - d->used, fmt, ap);
  if (n > 0)
    d->used += (size_t)n < d->cap - d->used ? (size_t)n : d->cap - d->used - 1;
}

__attribute__((format(printf, 2, 3))) static void putf(diag *d, const char *fmt,
                                                       ...) {
  va_list ap;
  va_start(ap, fmt);
  put(d, fmt, ap);
  va_end(ap);
}

void diag_vat(diag *d, int line, const char *fmt, va_list ap) {
  if (++d->n > d->max && d->max > 0)
    return;
  const char *file = d->file ? d->file : "";
  putf(d, "%s", d->used ? "\n" : "");
  if (line > 0)
    putf(d, "%s:%d: ", file, line);
  else if (line == 0)
    putf(d, "%s: ", file);
  put(d, fmt, ap);
}

void diag_at(diag *d, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vat(d, line, fmt, ap);
  va_end(ap);
}

void diag_oom(diag *d, const char *fmt, ...) {
  if (d->buf)
    d->buf[0] = '\0';
  d->used = 0;
  putf(d, "%s: ", d->file ? d->file : "");
  va_list ap;
  va_start(ap, fmt);
  put(d, fmt, ap);
  va_end(ap);
  d->n = d->n ? d->n : 1;
  d->max = 0; /* nothing "not shown" to count after it */
}

void diag_finish(diag *d) {
  if (d->max > 0 && d->n > d->max)
    putf(d, "\n%s: %d more problems not shown; fix these and run again",
         d->file ? d->file : "", d->n - d->max);
}

int diag_failed(const diag *d) {
  return d->n > 0;
}

int diag_say(char *err, size_t errlen, int rc, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return rc;
}
