/* SPDX-License-Identifier: MIT */
/*
 * cw_buf.c — the growable string (see cw_buf.h).
 */
#include "cw_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cw_buf_init(cw_buf *b) {
  memset(b, 0, sizeof *b);
}

void cw_buf_free(cw_buf *b) {
  free(b->data);
  cw_buf_init(b);
}

void cw_buf_clear(cw_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

/* Make room for `extra` more bytes plus the NUL. */
static int grow(cw_buf *b, size_t extra) {
  if (b->oom)
    return -1;
  if (extra > (size_t)-1 / 2 - b->len) {
    b->oom = 1;
    return -1;
  }
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return 0;
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap < need)
    ncap *= 2;
  char *p = realloc(b->data, ncap);
  if (!p) {
    b->oom = 1;
    return -1;
  }
  b->data = p;
  b->cap = ncap;
  return 0;
}

void cw_buf_putn(cw_buf *b, const char *s, size_t n) {
  if (grow(b, n))
    return;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void cw_buf_puts(cw_buf *b, const char *s) {
  cw_buf_putn(b, s, strlen(s));
}

void cw_buf_putc(cw_buf *b, char c) {
  cw_buf_putn(b, &c, 1);
}

void cw_buf_printf(cw_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->oom = 1;
    return;
  }
  if (grow(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

const char *cw_buf_str(const cw_buf *b) {
  if (b->oom)
    return NULL;
  return b->data ? b->data : "";
}

char *cw_buf_steal(cw_buf *b) {
  char *s = NULL;
  if (!b->oom)
    s = b->data ? b->data : strdup("");
  else
    free(b->data);
  cw_buf_init(b);
  return s;
}

void cw_strlcpy(char *dst, const char *src, size_t cap) {
  if (!cap)
    return;
  size_t n = src ? strlen(src) : 0;
  if (n >= cap)
    n = cap - 1;
  if (n)
    memcpy(dst, src, n);
  dst[n] = '\0';
}
