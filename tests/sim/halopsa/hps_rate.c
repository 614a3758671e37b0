/* SPDX-License-Identifier: MIT */
/*
 * hps_rate.c — the rolling-window request limit (see hps_rate.h).
 */
#include "hps_rate.h"

#include <stdlib.h>
#include <string.h>

void hps_rate_init(hps_rate *r, long limit, long window_ms) {
  memset(r, 0, sizeof *r);
  r->limit = limit;
  r->window_ms = window_ms > 0 ? window_ms : 300000;
}

void hps_rate_free(hps_rate *r) {
  free(r->at);
  r->at = NULL;
  r->cap = r->count = r->head = 0;
}

static void expire(hps_rate *r, long long now_ms) {
  while (r->count && r->at[r->head] <= now_ms - r->window_ms) {
    r->head = (r->head + 1) % r->cap;
    r->count--;
  }
}

int hps_rate_take(hps_rate *r, long long now_ms) {
  if (r->limit <= 0)
    return 0;
  expire(r, now_ms);
  if ((long)r->count >= r->limit) {
    r->refused++;
    return -1;
  }
  if (r->count == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 64;
    long long *grown = malloc(cap * sizeof *grown);
    if (!grown)
      return 0; /* without memory, let it pass rather than invent a 429 */
    for (size_t i = 0; i < r->count; i++)
      grown[i] = r->at[(r->head + i) % r->cap];
    free(r->at);
    r->at = grown;
    r->cap = cap;
    r->head = 0;
  }
  r->at[(r->head + r->count) % r->cap] = now_ms;
  r->count++;
  return 0;
}

long hps_rate_used(hps_rate *r, long long now_ms) {
  expire(r, now_ms);
  return (long)r->count;
}

void hps_rate_reset(hps_rate *r) {
  r->head = r->count = 0;
  r->refused = 0;
}
