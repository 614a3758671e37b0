/* SPDX-License-Identifier: MIT */
/*
 * text_escape.c — control, C1 and bidi characters shown as escapes.
 */
#include "text_escape.h"

#include <stdlib.h>
#include <string.h>

/* The length (1..4) of the well-formed UTF-8 sequence at s and its code
 * point, or 0 when the byte at s does not begin one (overlong forms,
 * surrogates and values beyond U+10FFFF are not well-formed). */
static size_t utf8_next(const unsigned char *s, unsigned *cp) {
  unsigned c = s[0], min;
  size_t n;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, *cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, *cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, *cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) /* the terminating NUL stops here too */
      return 0;
    *cp = (*cp << 6) | (s[i] & 0x3Fu);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
    return 0;
  return n;
}

/* The escape of code point cp into esc, or 0 when it is shown as it is. */
static size_t escape_of(unsigned cp, unsigned flags, char esc[8]) {
  static const char hex[] = "0123456789abcdef";
  if (cp == '\n' && (flags & TEXT_KEEP_NEWLINE))
    return 0;
  if (cp < 0x20 || cp == 0x7F) {
    esc[0] = '\\', esc[1] = 'x', esc[2] = hex[cp >> 4], esc[3] = hex[cp & 15];
    return 4;
  }
  if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
      (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029) {
    esc[0] = '\\', esc[1] = 'u';
    for (int i = 0; i < 4; i++)
      esc[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
    return 6;
  }
  return 0;
}

/* Where the escaped text goes: a buffer (cut between pieces, never inside
 * one) or a stream. `total` counts every byte of the whole escaped text. */
typedef struct sink {
  char *out;
  size_t cap, used, total;
  int full; /* a piece did not fit: nothing more is copied */
  FILE *f;
} sink;

static void put(sink *s, const char *p, size_t n) {
  if (s->f)
    fwrite(p, 1, n, s->f);
  else if (!s->full && s->used + n < s->cap)
    memcpy(s->out + s->used, p, n), s->used += n;
  else
    s->full = 1;
  s->total += n;
}

/* Walk `in`, sending each piece to the sink (when there is one); returns
 * how many pieces were escaped. */
static size_t walk(const char *in, unsigned flags, sink *s) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)(in ? in : "");
  size_t escaped = 0;
  char esc[8];
  while (*p) {
    unsigned cp;
    size_t n = utf8_next(p, &cp), e;
    if (n == 0) { /* not UTF-8: the byte itself, escaped */
      esc[0] = '\\', esc[1] = 'x', esc[2] = hex[*p >> 4], esc[3] = hex[*p & 15];
      e = 4, n = 1;
    } else {
      e = escape_of(cp, flags, esc);
    }
    escaped += e > 0;
    if (s)
      put(s, e ? esc : (const char *)p, e ? e : n);
    p += n;
  }
  return escaped;
}

size_t text_escape(const char *in, unsigned flags, char *out, size_t cap) {
  sink s = {out, cap, 0, 0, 0, NULL};
  walk(in, flags, &s);
  if (cap)
    out[s.used] = '\0';
  return s.total;
}

char *text_escape_dup(const char *in, unsigned flags) {
  size_t need = text_escape(in, flags, NULL, 0);
  char *out = malloc(need + 1);
  if (out)
    text_escape(in, flags, out, need + 1);
  return out;
}

void text_escape_put(FILE *f, const char *in, unsigned flags) {
  sink s = {NULL, 0, 0, 0, 0, f};
  walk(in, flags, &s);
}

int text_needs_escape(const char *in, unsigned flags) {
  return walk(in, flags, NULL) > 0;
}
