/* SPDX-License-Identifier: MIT */
/*
 * query.c — query-string decoding and encoding (see query.h).
 */
#include "query.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes n bytes of s; a malformed %-escape is kept as it is. */
static char *decode(const char *s, size_t n) {
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '+') {
      out[o++] = ' ';
    } else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
               hexval(s[i + 2]) >= 0) {
      out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
  return out;
}

void cw_query_free(cw_query *q) {
  for (size_t i = 0; i < q->n; i++) {
    free(q->items[i].key);
    free(q->items[i].value);
  }
  free(q->items);
  q->items = NULL;
  q->n = 0;
}

/* Appends the pair in [s, s+n): "key=value" or "key". */
static int add_pair(cw_query *q, const char *s, size_t n) {
  const char *eq = memchr(s, '=', n);
  size_t kn = eq ? (size_t)(eq - s) : n;
  cw_kv kv = {decode(s, kn), eq ? decode(eq + 1, n - kn - 1) : strdup("")};
  cw_kv *grown = kv.key && kv.value
                     ? realloc(q->items, (q->n + 1) * sizeof(*grown))
                     : NULL;
  if (!grown) {
    free(kv.key);
    free(kv.value);
    return -1;
  }
  q->items = grown;
  q->items[q->n++] = kv;
  return 0;
}

int cw_query_parse(const char *raw, cw_query *q) {
  q->items = NULL;
  q->n = 0;
  if (!raw)
    return 0;
  while (*raw) {
    size_t n = strcspn(raw, "&");
    if (n > 0 && add_pair(q, raw, n)) {
      cw_query_free(q);
      return -1;
    }
    raw += n;
    if (*raw == '&')
      raw++;
  }
  return 0;
}

const char *cw_query_get(const cw_query *q, const char *key) {
  for (size_t i = 0; i < q->n; i++)
    if (strcasecmp(q->items[i].key, key) == 0)
      return q->items[i].value;
  return NULL;
}

char *cw_url_encode(const char *s, int keep_slash) {
  size_t n = strlen(s);
  char *out = malloc(3 * n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out[o++] = (char)c;
    } else {
      snprintf(out + o, 4, "%%%02X", c);
      o += 3;
    }
  }
  out[o] = '\0';
  return out;
}

/* Appends "[&]key=value" (encoded) to *buf. */
static int append_pair(char **buf, size_t *len, const char *key,
                       const char *value) {
  char *k = cw_url_encode(key, 0), *v = cw_url_encode(value, 0);
  size_t need = (k ? strlen(k) : 0) + (v ? strlen(v) : 0) + 3;
  char *grown = k && v ? realloc(*buf, *len + need) : NULL;
  if (grown) {
    *buf = grown;
    *len +=
        (size_t)snprintf(*buf + *len, need, "%s%s=%s", *len ? "&" : "", k, v);
  }
  free(k);
  free(v);
  return grown ? 0 : -1;
}

char *cw_query_build(const cw_query *q, const char *drop, const char *extra_key,
                     const char *extra_value) {
  char *buf = calloc(1, 1);
  size_t len = 0;
  if (!buf)
    return NULL;
  for (size_t i = 0; i < q->n; i++) {
    if (drop && strcasecmp(q->items[i].key, drop) == 0)
      continue;
    if (append_pair(&buf, &len, q->items[i].key, q->items[i].value))
      goto fail;
  }
  if (extra_key && append_pair(&buf, &len, extra_key, extra_value))
    goto fail;
  return buf;
fail:
  free(buf);
  return NULL;
}
