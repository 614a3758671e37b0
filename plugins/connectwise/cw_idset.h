/* SPDX-License-Identifier: MIT */
/*
 * cw_idset.h — a set of ConnectWise record ids (positive 64-bit integers).
 *
 * Used to catch a record that appears twice across pages (a server whose
 * paging shifted under concurrent edits, or a broken one) and to dedupe the
 * id lists the driver sends.
 */
#ifndef CW_IDSET_H
#define CW_IDSET_H

#include <stddef.h>

typedef struct cw_idset {
  long long *slots; /* 0 marks an empty slot: ids are positive */
  size_t cap;       /* a power of two, or 0 */
  size_t n;
} cw_idset;

void cw_idset_init(cw_idset *s);
void cw_idset_free(cw_idset *s);
/* 1 when present. */
int cw_idset_has(const cw_idset *s, long long id);
/* 1 added, 0 already there, -1 out of memory or id <= 0. */
int cw_idset_add(cw_idset *s, long long id);

#endif
