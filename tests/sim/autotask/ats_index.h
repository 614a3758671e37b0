/* SPDX-License-Identifier: MIT */
/*
 * ats_index.h — the positions of an entity's items by the value of one
 * integer field, so a query whose filter asks `field eq N` looks at the few
 * items with that value instead of scanning every item (ContractServiceUnits
 * holds over 100,000 rows at 5,000 companies, and every handler runs under
 * the simulator's one lock: without it the simulator, not the client, would
 * set the pace of a benchmark).
 *
 * Items are only ever appended (sorted by id), so the index follows the
 * array by indexing the positions it has not seen yet; the field must
 * never change on an item once added (the caller checks the whole filter on
 * each candidate anyway).
 */
#ifndef ATS_INDEX_H
#define ATS_INDEX_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ats_index ats_index;

ats_index *ats_index_new(const char *field);
void ats_index_free(ats_index *x);
const char *ats_index_field(const ats_index *x);

/* The positions in `items` (ascending) whose field equals `value`; *n
 * their count. NULL with *n 0 when there are none; -1 in *n when out of
 * memory (then scan). The pointer is valid until the next call. */
const size_t *ats_index_lookup(ats_index *x, json_object *items, int64_t value,
                               size_t *n, int *failed);

#endif
