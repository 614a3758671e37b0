/* SPDX-License-Identifier: MIT */
/*
 * cw_idset.c — open addressing with linear probing; the set only grows.
 */
#include "cw_idset.h"

#include <stdlib.h>
#include <string.h>

void cw_idset_init(cw_idset *s) {
  memset(s, 0, sizeof *s);
}

void cw_idset_free(cw_idset *s) {
  free(s->slots);
  cw_idset_init(s);
}

static size_t slot_of(long long id, size_t cap) {
  unsigned long long h = (unsigned long long)id * 0x9E3779B97F4A7C15ull;
  return (size_t)(h >> 17) & (cap - 1);
}

int cw_idset_has(const cw_idset *s, long long id) {
  if (!s->cap || id <= 0)
    return 0;
  for (size_t i = slot_of(id, s->cap);; i = (i + 1) & (s->cap - 1)) {
    if (s->slots[i] == id)
      return 1;
    if (s->slots[i] == 0)
      return 0;
  }
}

static int rehash(cw_idset *s) {
  size_t ncap = s->cap ? s->cap * 2 : 64;
  long long *ns = calloc(ncap, sizeof *ns);
  if (!ns)
    return -1;
  for (size_t i = 0; i < s->cap; i++) {
    long long id = s->slots[i];
    if (!id)
      continue;
    size_t j = slot_of(id, ncap);
    while (ns[j])
      j = (j + 1) & (ncap - 1);
    ns[j] = id;
  }
  free(s->slots);
  s->slots = ns;
  s->cap = ncap;
  return 0;
}

int cw_idset_add(cw_idset *s, long long id) {
  if (id <= 0)
    return -1;
  if (cw_idset_has(s, id))
    return 0;
  if ((s->n + 1) * 2 > s->cap && rehash(s))
    return -1;
  size_t i = slot_of(id, s->cap);
  while (s->slots[i])
    i = (i + 1) & (s->cap - 1);
  s->slots[i] = id;
  s->n++;
  return 1;
}
