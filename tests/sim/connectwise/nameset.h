/* SPDX-License-Identifier: MIT */
/*
 * nameset.h — a set of names compared case-insensitively (ASCII), for the
 * uniqueness of company and product identifiers while a dataset loads.
 *
 * Generated datasets reach 10^5 companies, so a linear search per name would
 * make loading quadratic.
 */
#ifndef CW_NAMESET_H
#define CW_NAMESET_H

#include <stddef.h>

typedef struct cw_nameset {
  char **slots; /* lower-cased copies; NULL marks an empty slot */
  size_t cap;   /* a power of two, or 0 */
  size_t len;
} cw_nameset;

/* An empty set is all zeroes. */
void cw_nameset_free(cw_nameset *s);
/* 1 when `name` is in the set. */
int cw_nameset_has(const cw_nameset *s, const char *name);
/* Adds `name`: 0, or -1 when out of memory. */
int cw_nameset_add(cw_nameset *s, const char *name);

#endif
