/* SPDX-License-Identifier: MIT */
/*
 * textcmp.c — SQL-Server-like case-insensitive comparison over UTF-8.
 *
 * Code points are decoded one at a time and folded to lower case before they
 * are compared; bytes that are not valid UTF-8 stand for themselves, so the
 * functions are total (fixtures are ours, but request text is not).
 */
#include "textcmp.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decodes one code point at *s and advances *s; 0 at the end of the string. */
static uint32_t next_cp(const char **s) {
  const unsigned char *p = (const unsigned char *)*s;
  if (!*p)
    return 0;
  uint32_t cp;
  int extra;
  if (p[0] < 0x80) {
    cp = p[0];
    extra = 0;
  } else if ((p[0] & 0xE0) == 0xC0) {
    cp = p[0] & 0x1F;
    extra = 1;
  } else if ((p[0] & 0xF0) == 0xE0) {
    cp = p[0] & 0x0F;
    extra = 2;
  } else if ((p[0] & 0xF8) == 0xF0) {
    cp = p[0] & 0x07;
    extra = 3;
  } else {
    *s += 1;
    return p[0];
  }
  for (int i = 1; i <= extra; i++) {
    if ((p[i] & 0xC0) != 0x80) { /* truncated sequence: take the byte */
      *s += 1;
      return p[0];
    }
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  *s += 1 + extra;
  return cp;
}

/* Lower-cases the letters a Western collation folds: ASCII, Latin-1 and the
 * Latin Extended-A pairs (upper case at even code points, mostly). */
static uint32_t fold(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z')
    return cp + 32;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
    return cp + 32;
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
    return cp | 1;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
    return (cp & 1) ? cp + 1 : cp;
  if (cp == 0x178)
    return 0xFF;
  return cp;
}

/* Length of `s` without its trailing spaces. */
static size_t trimmed_len(const char *s) {
  size_t n = strlen(s);
  while (n > 0 && s[n - 1] == ' ')
    n--;
  return n;
}

int cw_text_cmp(const char *a, const char *b) {
  const char *ea = a + trimmed_len(a);
  const char *eb = b + trimmed_len(b);
  while (a < ea && b < eb) {
    uint32_t ca = fold(next_cp(&a));
    uint32_t cb = fold(next_cp(&b));
    if (ca != cb)
      return ca < cb ? -1 : 1;
  }
  if (a < ea)
    return 1;
  if (b < eb)
    return -1;
  return 0;
}

/* 1 when `needle` is a case-insensitive prefix of `hay`. */
static int starts_with(const char *hay, const char *needle) {
  while (*needle) {
    if (!*hay)
      return 0;
    if (fold(next_cp(&hay)) != fold(next_cp(&needle)))
      return 0;
  }
  return 1;
}

int cw_text_contains(const char *hay, const char *needle) {
  for (;;) {
    if (starts_with(hay, needle))
      return 1;
    if (!*hay)
      return 0;
    next_cp(&hay);
  }
}

int cw_text_like(const char *text, const char *pattern) {
  /* Iterative wildcard matching with one backtrack point for the last `%`:
   * linear in practice and never recursive, so hostile patterns cannot blow
   * the stack. */
  const char *star_p = NULL, *star_t = NULL;
  while (*text) {
    const char *t = text, *p = pattern;
    uint32_t pc = *p ? next_cp(&p) : 0;
    if (pc == '%') {
      star_p = p;
      star_t = text;
      pattern = p;
      continue;
    }
    uint32_t tc = next_cp(&t);
    if (pc != 0 && (pc == '_' || fold(pc) == fold(tc))) {
      text = t;
      pattern = p;
      continue;
    }
    if (!star_p)
      return 0;
    next_cp(&star_t);
    text = star_t;
    pattern = star_p;
  }
  while (*pattern == '%')
    pattern++;
  return *pattern == '\0';
}
