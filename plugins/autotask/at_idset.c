/* SPDX-License-Identifier: MIT */
/*
 * at_idset.c — open addressing with linear probing (see at_idset.h).
 */
#include "at_idset.h"

#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(long long id, size_t cap) {
  /* splitmix64 finaliser: Autotask ids are sequential, so spread them. */
  uint64_t x = (uint64_t)id;
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return (size_t)(x & (cap - 1));
}

void at_idset_free(at_idset *s) {
  if (!s)
    return;
  free(s->keys);
  free(s->values);
  free(s->used);
  *s = (at_idset){0};
}

int at_idset_get(const at_idset *s, long long id, size_t *value) {
  if (!s->cap)
    return 0;
  for (size_t i = slot_of(id, s->cap);; i = (i + 1) & (s->cap - 1)) {
    if (!s->used[i])
      return 0;
    if (s->keys[i] == id) {
      if (value)
        *value = s->values[i];
      return 1;
    }
  }
}

static void put_unchecked(at_idset *s, long long id, size_t value) {
  size_t i = slot_of(id, s->cap);
  while (s->used[i])
    i = (i + 1) & (s->cap - 1);
  s->used[i] = 1;
  s->keys[i] = id;
  s->values[i] = value;
  s->len++;
}

static int grow(at_idset *s) {
  size_t ncap = s->cap ? s->cap * 2 : 64;
  at_idset n = {0};
  n.keys = malloc(ncap * sizeof *n.keys);
  n.values = malloc(ncap * sizeof *n.values);
  n.used = calloc(ncap, 1);
  n.cap = ncap;
  if (!n.keys || !n.values || !n.used) {
    at_idset_free(&n);
    return -1;
  }
  for (size_t i = 0; i < s->cap; i++)
    if (s->used[i])
      put_unchecked(&n, s->keys[i], s->values[i]);
  at_idset_free(s);
  *s = n;
  return 0;
}

int at_idset_add(at_idset *s, long long id, size_t value) {
  if (at_idset_get(s, id, NULL))
    return 0;
  /* Keep the load under one half so probes stay short. */
  if ((s->len + 1) * 2 > s->cap && grow(s))
    return -1;
  put_unchecked(s, id, value);
  return 1;
}

int at_idset_put(at_idset *s, long long id, size_t value) {
  if (s->cap) {
    for (size_t i = slot_of(id, s->cap); s->used[i]; i = (i + 1) & (s->cap - 1))
      if (s->keys[i] == id) {
        s->values[i] = value;
        return 0;
      }
  }
  return at_idset_add(s, id, value) < 0 ? -1 : 0;
}
