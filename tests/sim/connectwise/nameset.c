/* SPDX-License-Identifier: MIT */
/*
 * nameset.c — open addressing with linear probing over lower-cased names,
 * FNV-1a hashing (see nameset.h).
 */
#include "nameset.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++)
    h = (h ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ULL;
  return h;
}

static int same(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  return *a == *b;
}

void cw_nameset_free(cw_nameset *s) {
  for (size_t i = 0; i < s->cap; i++)
    free(s->slots[i]);
  free(s->slots);
  memset(s, 0, sizeof(*s));
}

/* The slot holding `name`, or the empty slot where it would go. */
static size_t find(const cw_nameset *s, const char *name) {
  size_t i = (size_t)hash(name) & (s->cap - 1);
  while (s->slots[i] && !same(s->slots[i], name))
    i = (i + 1) & (s->cap - 1);
  return i;
}

int cw_nameset_has(const cw_nameset *s, const char *name) {
  return s->cap && s->slots[find(s, name)] != NULL;
}

static int grow(cw_nameset *s) {
  size_t cap = s->cap ? s->cap * 2 : 64;
  cw_nameset bigger = {calloc(cap, sizeof(char *)), cap, s->len};
  if (!bigger.slots)
    return -1;
  for (size_t i = 0; i < s->cap; i++)
    if (s->slots[i])
      bigger.slots[find(&bigger, s->slots[i])] = s->slots[i];
  free(s->slots);
  *s = bigger;
  return 0;
}

int cw_nameset_add(cw_nameset *s, const char *name) {
  if ((s->len + 1) * 2 > s->cap && grow(s))
    return -1;
  size_t i = find(s, name);
  if (s->slots[i])
    return 0;
  if (!(s->slots[i] = strdup(name)))
    return -1;
  s->len++;
  return 0;
}
