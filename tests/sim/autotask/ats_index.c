/* SPDX-License-Identifier: MIT */
/*
 * ats_index.c — items by the value of one integer field (see ats_index.h):
 * an open-addressing hash table of values, each with its positions.
 */
#include "ats_index.h"

#include <stdlib.h>
#include <string.h>

#include "ats_item.h"

typedef struct bucket {
  int used;
  int64_t value;
  size_t *pos;
  size_t n, cap;
} bucket;

struct ats_index {
  char *field;
  json_object *items; /* the array indexed so far */
  size_t indexed;     /* positions [0, indexed) are in the table */
  bucket *b;
  size_t cap, used; /* cap: a power of two */
};

ats_index *ats_index_new(const char *field) {
  ats_index *x = calloc(1, sizeof *x);
  if (x && !(x->field = strdup(field))) {
    free(x);
    x = NULL;
  }
  return x;
}

static void clear(ats_index *x) {
  for (size_t i = 0; i < x->cap; i++)
    free(x->b[i].pos);
  free(x->b);
  x->b = NULL;
  x->cap = x->used = x->indexed = 0;
  x->items = NULL;
}

void ats_index_free(ats_index *x) {
  if (!x)
    return;
  clear(x);
  free(x->field);
  free(x);
}

const char *ats_index_field(const ats_index *x) {
  return x->field;
}

static size_t slot_of(const ats_index *x, int64_t v) {
  uint64_t h = (uint64_t)v * 0x9E3779B97F4A7C15ull;
  size_t i = (size_t)(h >> 17) & (x->cap - 1);
  while (x->b[i].used && x->b[i].value != v)
    i = (i + 1) & (x->cap - 1);
  return i;
}

static int grow(ats_index *x) {
  size_t cap = x->cap ? x->cap * 2 : 1024;
  bucket *old = x->b;
  size_t old_cap = x->cap;
  x->b = calloc(cap, sizeof *x->b);
  if (!x->b) {
    x->b = old;
    return -1;
  }
  x->cap = cap;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].used)
      x->b[slot_of(x, old[i].value)] = old[i];
  free(old);
  return 0;
}

static int add(ats_index *x, int64_t v, size_t pos) {
  if ((x->used + 1) * 2 > x->cap && grow(x) != 0)
    return -1;
  bucket *b = &x->b[slot_of(x, v)];
  if (!b->used) {
    b->used = 1;
    b->value = v;
    x->used++;
  }
  if (b->n == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4;
    size_t *p = realloc(b->pos, cap * sizeof *p);
    if (!p)
      return -1;
    b->pos = p;
    b->cap = cap;
  }
  b->pos[b->n++] = pos;
  return 0;
}

const size_t *ats_index_lookup(ats_index *x, json_object *items, int64_t value,
                               size_t *n, int *failed) {
  size_t len = json_object_array_length(items);
  *n = 0;
  *failed = 0;
  /* Another array (a new dataset) or a shorter one: start again. */
  if (items != x->items || len < x->indexed)
    clear(x);
  x->items = items;
  for (; x->indexed < len; x->indexed++) {
    int64_t v;
    if (ats_item_int(json_object_array_get_idx(items, x->indexed), x->field,
                     &v) == 0 &&
        add(x, v, x->indexed) != 0) {
      clear(x);
      *failed = 1;
      return NULL;
    }
  }
  if (!x->cap)
    return NULL;
  const bucket *b = &x->b[slot_of(x, value)];
  if (!b->used)
    return NULL;
  *n = b->n;
  return b->pos;
}
