/* SPDX-License-Identifier: MIT */
/*
 * hp_idset.c — a set of ids (see hp_idset.h).
 */
#include "hp_idset.h"

#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(long long id, size_t cap) {
  uint64_t x = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
  return (size_t)(x ^ (x >> 29)) & (cap - 1);
}

static int grow(hp_idset *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  long long *slots = calloc(cap, sizeof *slots);
  unsigned char *used = calloc(cap, 1);
  if (!slots || !used) {
    free(slots);
    free(used);
    return -1;
  }
  for (size_t i = 0; i < s->cap; i++) {
    if (!s->used[i])
      continue;
    size_t k = slot_of(s->slots[i], cap);
    while (used[k])
      k = (k + 1) & (cap - 1);
    used[k] = 1;
    slots[k] = s->slots[i];
  }
  free(s->slots);
  free(s->used);
  s->slots = slots;
  s->used = used;
  s->cap = cap;
  return 0;
}

int hp_idset_has(const hp_idset *s, long long id) {
  if (!s->cap)
    return 0;
  for (size_t k = slot_of(id, s->cap); s->used[k]; k = (k + 1) & (s->cap - 1))
    if (s->slots[k] == id)
      return 1;
  return 0;
}

int hp_idset_add(hp_idset *s, long long id) {
  if (hp_idset_has(s, id))
    return 0;
  if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
    return -1;
  size_t k = slot_of(id, s->cap);
  while (s->used[k])
    k = (k + 1) & (s->cap - 1);
  s->used[k] = 1;
  s->slots[k] = id;
  s->n++;
  return 1;
}

void hp_idset_free(hp_idset *s) {
  free(s->slots);
  free(s->used);
  s->slots = NULL;
  s->used = NULL;
  s->cap = s->n = 0;
}
