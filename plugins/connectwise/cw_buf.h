/* SPDX-License-Identifier: MIT */
/*
 * cw_buf.h — a growable NUL-terminated string, the one tool every URL,
 * condition and message builder of the driver writes into.
 *
 * Allocation failures are sticky: once an append fails, the buffer is marked
 * `oom` and every later append is a no-op, so a builder can append many
 * pieces and check once at the end.
 */
#ifndef CW_BUF_H
#define CW_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct cw_buf {
  char *data; /* NUL-terminated when len > 0 or after any append */
  size_t len;
  size_t cap;
  int oom; /* 1 once an allocation failed */
} cw_buf;

void cw_buf_init(cw_buf *b);
void cw_buf_free(cw_buf *b);
void cw_buf_clear(cw_buf *b);
void cw_buf_putn(cw_buf *b, const char *s, size_t n);
void cw_buf_puts(cw_buf *b, const char *s);
void cw_buf_putc(cw_buf *b, char c);
void cw_buf_printf(cw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The text so far ("" when empty), or NULL after an allocation failure. */
const char *cw_buf_str(const cw_buf *b);
/* Hand the string to the caller (who frees it) and reset the buffer. NULL
 * after an allocation failure. */
char *cw_buf_steal(cw_buf *b);

/* Copy src into dst (capacity cap > 0), truncating, always NUL-terminated. */
void cw_strlcpy(char *dst, const char *src, size_t cap);

#endif
