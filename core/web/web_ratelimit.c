/* SPDX-License-Identifier: MIT */
/*
 * web_ratelimit.c — per key, the times of its recent failures (a ring of at
 * most `max`).
 */
#include "web_ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128

typedef struct entry {
  char key[KEY_MAX];
  time_t fails[WEB_RATELIMIT_MAX]; /* oldest first */
  int n;
  time_t last;
} entry;

struct web_ratelimit {
  entry *items;
  int max, window_s;
  web_clock_fn clock;
  void *clock_arg;
};

web_ratelimit *web_ratelimit_new(int max, int window_s, web_clock_fn clock,
                                 void *clock_arg) {
  web_ratelimit *r = calloc(1, sizeof *r);
  if (r)
    r->items = calloc(WEB_RATELIMIT_KEYS, sizeof *r->items);
  if (!r || !r->items) {
    web_ratelimit_free(r);
    return NULL;
  }
  r->max = max < 1 ? 1 : max > WEB_RATELIMIT_MAX ? WEB_RATELIMIT_MAX : max;
  r->window_s = window_s;
  r->clock = clock;
  r->clock_arg = clock_arg;
  return r;
}

void web_ratelimit_free(web_ratelimit *r) {
  if (r)
    free(r->items);
  free(r);
}

/* Drop failures that left the window. */
static void age(web_ratelimit *r, entry *e, time_t now) {
  int keep = 0;
  while (keep < e->n && now - e->fails[keep] >= r->window_s)
    keep++;
  memmove(e->fails, e->fails + keep, (size_t)(e->n - keep) * sizeof(time_t));
  e->n -= keep;
  if (e->n == 0)
    e->key[0] = '\0';
}

static entry *lookup(web_ratelimit *r, const char *key, int create,
                     time_t now) {
  char k[KEY_MAX];
  snprintf(k, sizeof k, "%s", key);
  entry *oldest = NULL, *empty = NULL;
  for (int i = 0; i < WEB_RATELIMIT_KEYS; i++) {
    entry *e = &r->items[i];
    if (e->key[0])
      age(r, e, now);
    if (e->key[0] && strcmp(e->key, k) == 0)
      return e;
    if (!e->key[0] && !empty)
      empty = e;
    if (e->key[0] && (!oldest || e->last < oldest->last))
      oldest = e;
  }
  if (!create)
    return NULL;
  entry *e = empty ? empty : oldest;
  memset(e, 0, sizeof *e);
  snprintf(e->key, sizeof e->key, "%s", k);
  return e;
}

int web_ratelimit_blocked(web_ratelimit *r, const char *key, int *retry_after) {
  time_t now = web_clock_now(r->clock, r->clock_arg);
  entry *e = lookup(r, key, 0, now);
  if (!e || e->n < r->max)
    return 0;
  long long wait = (long long)(e->fails[0] + r->window_s - now);
  *retry_after = wait < 1 ? 1 : (int)wait;
  return 1;
}

void web_ratelimit_fail(web_ratelimit *r, const char *key) {
  time_t now = web_clock_now(r->clock, r->clock_arg);
  entry *e = lookup(r, key, 1, now);
  if (e->n == r->max) {
    memmove(e->fails, e->fails + 1, (size_t)(e->n - 1) * sizeof(time_t));
    e->n--;
  }
  e->fails[e->n++] = now;
  e->last = now;
}

void web_ratelimit_clear(web_ratelimit *r, const char *key) {
  time_t now = web_clock_now(r->clock, r->clock_arg);
  entry *e = lookup(r, key, 0, now);
  if (e)
    memset(e, 0, sizeof *e);
}
