/* SPDX-License-Identifier: MIT */
/*
 * redact.c — the forms of each credential, and one pass that hides them.
 */
#include "redact.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MIN_VALUE 4  /* shorter values are not registered */
#define MIN_BASE64 6 /* shorter base64 pieces are not registered */

typedef struct form {
  char *text;
  size_t len;
  int exact_case; /* base64: case is meaning */
} form;

struct redact_set {
  form *forms; /* longest first */
  size_t n, cap;
  char **values; /* the values as registered (to skip repeats) */
  size_t n_values, cap_values;
  unsigned char first[256]; /* 1 for a byte some form can begin with */
};

redact_set *redact_new(void) {
  return calloc(1, sizeof(redact_set));
}

static void wipe_free(char *s) {
  if (!s)
    return;
  /* Wiped so a later core dump or heap reuse does not carry it. */
  memset(s, 0, strlen(s));
  free(s);
}

void redact_free(redact_set *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->n; i++)
    wipe_free(r->forms[i].text);
  for (size_t i = 0; i < r->n_values; i++)
    wipe_free(r->values[i]);
  free(r->forms);
  free(r->values);
  free(r);
}

size_t redact_count(const redact_set *r) {
  return r ? r->n : 0;
}

static unsigned char lower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Insert a form (taking `text`), keeping the longest first. 0 or -1. */
static int add_form(redact_set *r, char *text, int exact_case) {
  size_t len = strlen(text);
  for (size_t i = 0; i < r->n; i++)
    if (r->forms[i].len == len && strcmp(r->forms[i].text, text) == 0) {
      r->forms[i].exact_case &= exact_case;
      wipe_free(text);
      return 0;
    }
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    form *grown = realloc(r->forms, cap * sizeof *grown);
    if (!grown) {
      wipe_free(text);
      return -1;
    }
    r->forms = grown;
    r->cap = cap;
  }
  size_t at = 0;
  while (at < r->n && r->forms[at].len >= len)
    at++;
  memmove(r->forms + at + 1, r->forms + at, (r->n - at) * sizeof *r->forms);
  r->forms[at] = (form){text, len, exact_case};
  r->n++;
  unsigned char c = (unsigned char)text[0];
  r->first[c] = 1;
  if (!exact_case) {
    r->first[lower(c)] = 1;
    if (c >= 'a' && c <= 'z')
      r->first[c - 32] = 1;
  }
  return 0;
}

static int unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

/* The percent-encoding of s, or NULL when it is s itself or on OOM. */
static char *percent_encoded(const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(s), extra = 0;
  for (size_t i = 0; i < n; i++)
    extra += unreserved((unsigned char)s[i]) ? 0 : 2;
  if (!extra)
    return NULL;
  char *out = malloc(n + extra + 1), *o = out;
  for (size_t i = 0; out && i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (unreserved(c)) {
      *o++ = (char)c;
    } else {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  if (out)
    *o = '\0';
  return out;
}

/* The base64 characters of s placed `shift` bytes into an encoded text
 * that depend on s alone (neither on the bytes before nor after it): the
 * character i covers bits [6i, 6i + 6) of the whole, s covers bits
 * [8 shift, 8 (shift + n)). NULL when fewer than MIN_BASE64 or on OOM. */
static char *base64_core(const char *s, size_t shift) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t n = strlen(s), bits_from = 8 * shift, bits_to = 8 * (shift + n);
  size_t first = (bits_from + 5) / 6, end = bits_to / 6;
  if (end < first || end - first < MIN_BASE64)
    return NULL;
  char *out = malloc(end - first + 1);
  if (!out)
    return NULL;
  for (size_t i = first; i < end; i++) {
    unsigned v = 0;
    for (size_t b = 0; b < 6; b++) {
      size_t bit = 6 * i + b, byte = bit / 8 - shift; /* inside s */
      unsigned char c = (unsigned char)s[byte];
      v = (v << 1) | ((c >> (7 - bit % 8)) & 1u);
    }
    out[i - first] = tab[v];
  }
  out[end - first] = '\0';
  return out;
}

int redact_add(redact_set *r, const char *value) {
  if (!r || !value || strlen(value) < MIN_VALUE)
    return 0;
  for (size_t i = 0; i < r->n_values; i++)
    if (strcmp(r->values[i], value) == 0)
      return 0;
  if (r->n_values == r->cap_values) {
    size_t cap = r->cap_values ? r->cap_values * 2 : 8;
    char **grown = realloc(r->values, cap * sizeof *grown);
    if (!grown)
      return -1;
    r->values = grown;
    r->cap_values = cap;
  }
  char *copy = strdup(value), *raw = strdup(value);
  if (!copy || !raw) {
    free(copy);
    free(raw);
    return -1;
  }
  r->values[r->n_values++] = copy;
  if (add_form(r, raw, 0))
    return -1;
  char *pct = percent_encoded(value);
  if (pct && add_form(r, pct, 0))
    return -1;
  for (size_t shift = 0; shift < 3; shift++) {
    char *b64 = base64_core(value, shift);
    if (b64 && add_form(r, b64, 1))
      return -1;
  }
  return 0;
}

/* RFC 9110 token characters (an authentication scheme is a token). */
static int tchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

int redact_add_header_value(redact_set *r, const char *value) {
  if (!value)
    return 0;
  while (*value == ' ' || *value == '\t')
    value++;
  if (redact_add(r, value))
    return -1;
  size_t scheme = 0;
  while (value[scheme] && tchar((unsigned char)value[scheme]))
    scheme++;
  if (scheme == 0 || value[scheme] != ' ')
    return 0;
  const char *cred = value + scheme;
  while (*cred == ' ')
    cred++;
  return redact_add(r, cred);
}

/* The length of the longest form at p (n bytes left), or 0. */
static size_t match_at(const redact_set *r, const char *p, size_t n) {
  if (!r->first[(unsigned char)*p])
    return 0;
  for (size_t i = 0; i < r->n; i++) {
    const form *f = &r->forms[i];
    if (f->len > n)
      continue;
    if (f->exact_case ? memcmp(p, f->text, f->len) == 0
                      : strncasecmp(p, f->text, f->len) == 0)
      return f->len;
  }
  return 0;
}

char *redact_text(const redact_set *r, const char *in) {
  size_t n = strlen(in);
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  if (!r || !r->n) {
    memcpy(out, in, n + 1);
    return out;
  }
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t hit = match_at(r, in + i, n - i);
    if (hit) {
      /* Every form is at least 4 bytes: "***" never grows the text. */
      memcpy(out + o, "***", 3);
      o += 3;
      i += hit;
    } else {
      out[o++] = in[i++];
    }
  }
  out[o] = '\0';
  return out;
}

int redact_finds(const redact_set *r, const char *in) {
  if (!r || !r->n || !in)
    return 0;
  size_t n = strlen(in);
  for (size_t i = 0; i < n; i++)
    if (match_at(r, in + i, n - i))
      return 1;
  return 0;
}
