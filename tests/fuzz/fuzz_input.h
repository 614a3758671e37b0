/* SPDX-License-Identifier: MIT */
/*
 * fuzz_input.h — cutting one libFuzzer input into the pieces a structured
 * target needs (numbers, strings), like LLVM's FuzzedDataProvider.
 *
 * Pieces are taken from the front; once the input runs out every piece is
 * zero or empty, so a target never reads past the buffer and every input is
 * a valid sequence of pieces (the fuzzer then learns the layout).
 */
#ifndef LPSA_FUZZ_INPUT_H
#define LPSA_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_input {
  const uint8_t *data;
  size_t len;
} fuzz_input;

static inline fuzz_input fuzz_input_make(const uint8_t *data, size_t len) {
  fuzz_input in = {data, len};
  return in;
}

/* The next byte, 0 when the input is used up. */
static inline unsigned fuzz_byte(fuzz_input *in) {
  if (!in->len)
    return 0;
  unsigned b = in->data[0];
  in->data++;
  in->len--;
  return b;
}

/* The next `n` bytes (at most 8) as an unsigned little-endian number. */
static inline uint64_t fuzz_uint(fuzz_input *in, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && i < 8; i++)
    v |= (uint64_t)fuzz_byte(in) << (8 * i);
  return v;
}

/* An integer in [lo, hi] from the next bytes (hi >= lo). */
static inline long long fuzz_range(fuzz_input *in, long long lo, long long hi) {
  uint64_t span = (uint64_t)(hi - lo);
  unsigned n = span <= 0xff          ? 1
               : span <= 0xffff      ? 2
               : span <= 0xffffffffu ? 4
                                     : 8;
  uint64_t v = fuzz_uint(in, n);
  if (span != UINT64_MAX)
    v %= span + 1;
  return lo + (long long)v;
}

/* A new NUL-terminated string: the bytes up to the next `sep` (dropped) or
 * the end. NULL only when out of memory. */
static inline char *fuzz_string(fuzz_input *in, int sep) {
  const uint8_t *end = memchr(in->data, sep, in->len);
  size_t n = end ? (size_t)(end - in->data) : in->len;
  char *s = malloc(n + 1);
  if (!s)
    return NULL;
  memcpy(s, in->data, n);
  s[n] = '\0';
  size_t used = end ? n + 1 : n;
  in->data += used;
  in->len -= used;
  return s;
}

/* The rest of the input as a new NUL-terminated string (NULL: no memory). */
static inline char *fuzz_rest(fuzz_input *in) {
  char *s = malloc(in->len + 1);
  if (!s)
    return NULL;
  memcpy(s, in->data, in->len);
  s[in->len] = '\0';
  in->data += in->len;
  in->len = 0;
  return s;
}

#endif
