/* SPDX-License-Identifier: MIT */
/*
 * strmap.c — open addressing with linear probing, FNV-1a hashing.
 */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

void strmap_free(strmap *m) {
  for (size_t i = 0; i < m->cap; i++)
    free(m->keys[i]);
  free(m->keys);
  free(m->values);
  memset(m, 0, sizeof *m);
}

static size_t slot(const strmap *m, const char *key) {
  size_t i = (size_t)hash(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static int grow(strmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  strmap bigger = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)),
                   cap, 0};
  if (!bigger.keys || !bigger.values) {
    free(bigger.keys);
    free(bigger.values);
    return -1;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t j = slot(&bigger, m->keys[i]);
    bigger.keys[j] = m->keys[i];
    bigger.values[j] = m->values[i];
    bigger.len++;
  }
  free(m->keys);
  free(m->values);
  *m = bigger;
  return 0;
}

int strmap_put(strmap *m, const char *key, size_t value) {
  if ((m->len + 1) * 2 > m->cap && grow(m) != 0)
    return -1;
  size_t i = slot(m, key);
  if (!m->keys[i]) {
    if (!(m->keys[i] = strdup(key)))
      return -1;
    m->len++;
  }
  m->values[i] = value;
  return 0;
}

int strmap_get(const strmap *m, const char *key, size_t *value) {
  if (!m->cap)
    return 0;
  size_t i = slot(m, key);
  if (!m->keys[i])
    return 0;
  if (value)
    *value = m->values[i];
  return 1;
}
