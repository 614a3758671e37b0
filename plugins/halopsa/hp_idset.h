/* SPDX-License-Identifier: MIT */
/*
 * hp_idset.h — a set of record ids (open addressing), to catch a record
 * sent twice while paging and to look requested ids up. Pure.
 */
#ifndef HP_IDSET_H
#define HP_IDSET_H

#include <stddef.h>

typedef struct hp_idset {
  long long *slots;
  unsigned char *used;
  size_t cap, n;
} hp_idset;

/* Add id: 1 when new, 0 when already there, -1 when out of memory. */
int hp_idset_add(hp_idset *s, long long id);
int hp_idset_has(const hp_idset *s, long long id);
void hp_idset_free(hp_idset *s);

#endif
