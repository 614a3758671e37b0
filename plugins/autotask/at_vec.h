/* SPDX-License-Identifier: MIT */
/*
 * at_vec.h — growing an array of records by one. Pure, header-only.
 */
#ifndef AT_VEC_H
#define AT_VEC_H

#include <stdlib.h>
#include <string.h>

/* Append *value (elem bytes) to *items of *n with room *cap. 0, or -1 when
 * out of memory (nothing changed). */
static inline int at_vec_push(void **items, size_t *n, size_t *cap, size_t elem,
                              const void *value) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 32;
    void *grown = realloc(*items, ncap * elem);
    if (!grown)
      return -1;
    *items = grown;
    *cap = ncap;
  }
  memcpy((char *)*items + *n * elem, value, elem);
  (*n)++;
  return 0;
}

#endif
