/* SPDX-License-Identifier: MIT */
/*
 * mapping_diff.h — what changed between two readings of the mapping file,
 * row by row (a row is its LastPass company, PSA company and agreement; the
 * note and the line number do not count), for the daemon's "the mapping
 * file changed since the last run".
 */
#ifndef LPSA_CORE_MAPPING_DIFF_H
#define LPSA_CORE_MAPPING_DIFF_H

#include <stddef.h>

#include "mapping.h"

typedef struct mapping_diff {
  size_t added;   /* LastPass companies only `after` maps */
  size_t removed; /* LastPass companies only `before` maps */
  size_t changed; /* mapped by both, to another PSA company or agreement */
} mapping_diff;

/* Compare; with `text` (may be NULL) also say it in words, naming the first
 * few LastPass company ids of each kind: "1 row added (LastPass 305), 1
 * removed (LastPass 303); 4 rows now". 0, or -1 when out of memory. */
int mapping_diff_of(const mapping *before, const mapping *after,
                    mapping_diff *out, char *text, size_t cap);
/* 1 when the diff holds any change. */
int mapping_diff_any(const mapping_diff *d);

#endif
