/* SPDX-License-Identifier: MIT */
/*
 * lp_token.c — page tokens: base64url (no padding) of
 * "lp1.<generation>.<offset>.<query hash hex>.<variant>". Opaque to clients;
 * decoding re-encodes and compares, so only tokens we issued are accepted.
 */
#include <stdio.h>
#include <string.h>

#include "lp_app.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64_encode(const unsigned char *in, size_t n, char *out,
                       size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < n && o + 5 < cap; i += 3) {
    unsigned v = (unsigned)in[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)in[i + 1] << 8;
    if (i + 2 < n)
      v |= in[i + 2];
    out[o++] = b64[(v >> 18) & 63];
    out[o++] = b64[(v >> 12) & 63];
    if (i + 1 < n)
      out[o++] = b64[(v >> 6) & 63];
    if (i + 2 < n)
      out[o++] = b64[v & 63];
  }
  out[o] = '\0';
}

static int b64_value(char c) {
  const char *p = c ? strchr(b64, c) : NULL;
  return p ? (int)(p - b64) : -1;
}

/* -1 on a character outside the alphabet or an impossible length. */
static int b64_decode(const char *in, char *out, size_t cap) {
  size_t n = strlen(in), o = 0;
  if (n % 4 == 1 || n / 4 * 3 + 3 >= cap)
    return -1;
  for (size_t i = 0; i < n; i += 4) {
    unsigned v = 0;
    size_t k;
    for (k = 0; k < 4 && i + k < n; k++) {
      int x = b64_value(in[i + k]);
      if (x < 0)
        return -1;
      v |= (unsigned)x << (18 - 6 * k);
    }
    out[o++] = (char)(v >> 16);
    if (k > 2)
      out[o++] = (char)(v >> 8);
    if (k > 3)
      out[o++] = (char)v;
  }
  out[o] = '\0';
  return 0;
}

void lp_token_encode(unsigned generation, long offset, unsigned long qhash,
                     int variant, char *out, size_t cap) {
  char plain[128];
  int n = snprintf(plain, sizeof plain, "lp1.%u.%ld.%lx.%d", generation, offset,
                   qhash, variant);
  b64_encode((const unsigned char *)plain, (size_t)n, out, cap);
}

int lp_token_decode(const char *token, unsigned *generation, long *offset,
                    unsigned long *qhash, int *variant) {
  char plain[128], again[256];
  if (!token || strlen(token) > 160 || b64_decode(token, plain, sizeof plain))
    return -1;
  if (sscanf(plain, "lp1.%u.%ld.%lx.%d", generation, offset, qhash, variant) !=
          4 ||
      *offset < 0 || *variant < 0)
    return -1;
  lp_token_encode(*generation, *offset, *qhash, *variant, again, sizeof again);
  return strcmp(again, token) == 0 ? 0 : -1;
}
