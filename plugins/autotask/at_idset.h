/* SPDX-License-Identifier: MIT */
/*
 * at_idset.h — a set of Autotask ids (64-bit integers), optionally mapping
 * each to a size_t. Pure.
 *
 * A snapshot of a thousand customers joins thousands of records by id and
 * must notice a duplicate id on any page: a hash set keeps both linear.
 */
#ifndef AT_IDSET_H
#define AT_IDSET_H

#include <stddef.h>

typedef struct at_idset {
  long long *keys;
  size_t *values;
  unsigned char *used;
  size_t cap; /* a power of two, or 0 */
  size_t len;
} at_idset;

/* An empty set is all zeroes. */
void at_idset_free(at_idset *s);
/* Insert `id` with `value`. Returns 1 when added, 0 when already present
 * (the value is left alone), -1 when out of memory. */
int at_idset_add(at_idset *s, long long id, size_t value);
/* Insert or replace. Returns 0, or -1 when out of memory. */
int at_idset_put(at_idset *s, long long id, size_t value);
/* 1 and *value (when value is not NULL) if present, else 0. */
int at_idset_get(const at_idset *s, long long id, size_t *value);

#endif
