/* SPDX-License-Identifier: MIT */
/*
 * strmap.h — a string-keyed hash map to size_t, for id lookups.
 *
 * Snapshots of thousands of companies are joined by id (lines to agreements,
 * agreements to companies, mapping rows to LastPass companies); a linear
 * search would make those joins quadratic.
 */
#ifndef LPSA_CORE_STRMAP_H
#define LPSA_CORE_STRMAP_H

#include <stddef.h>

typedef struct strmap {
  char **keys; /* owned copies; NULL marks an empty slot */
  size_t *values;
  size_t cap; /* a power of two, or 0 */
  size_t len;
} strmap;

/* An empty map is all zeroes: `strmap m = {0};`. */
void strmap_free(strmap *m);
/* Insert or replace. Returns 0, or -1 when out of memory. */
int strmap_put(strmap *m, const char *key, size_t value);
/* 1 and *value when present, else 0. */
int strmap_get(const strmap *m, const char *key, size_t *value);

#endif
