/* SPDX-License-Identifier: MIT */
/*
 * pace.c — request budgets per concurrency group (see pace.h).
 *
 * Each paced group keeps the start times of its last max_requests sends in
 * a ring: a new send may start once the oldest of them is window_ms old.
 * A 429 sets a hold time before which nothing of the group starts.
 */
#include "pace.h"

#include <stdlib.h>
#include <string.h>

typedef struct pace_group {
  char *name;
  unsigned max;
  long window_ms, backoff_ms;
  unsigned retries_429;
  int64_t *sent; /* ring of max send times */
  unsigned head, count;
  int64_t hold_until;
  unsigned throttled; /* consecutive 429s */
} pace_group;

struct pace_table {
  pace_group *groups;
  size_t n;
};

pace_table *pace_new(void) {
  return calloc(1, sizeof(pace_table));
}

static void group_free(pace_group *g) {
  free(g->name);
  free(g->sent);
}

void pace_free(pace_table *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    group_free(&p->groups[i]);
  free(p->groups);
  free(p);
}

static pace_group *find(const pace_table *p, const char *group) {
  if (!p || !group)
    return NULL;
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->groups[i].name, group) == 0)
      return &p->groups[i];
  return NULL;
}

int pace_has(const pace_table *p, const char *group) {
  return find(p, group) != NULL;
}

unsigned pace_retries_429(const pace_table *p, const char *group) {
  pace_group *g = find(p, group);
  return g ? g->retries_429 : 0;
}

int pace_set(pace_table *p, const char *group, unsigned max_requests,
             long window_ms, long backoff_ms, unsigned retries_429) {
  if (!p || !group || !*group || backoff_ms < 0 ||
      (max_requests && window_ms <= 0))
    return -1;
  pace_group *g = find(p, group);
  if (max_requests == 0) {
    if (g) {
      group_free(g);
      *g = p->groups[--p->n];
    }
    return 0;
  }
  int64_t *sent = calloc(max_requests, sizeof *sent);
  char *name = g ? NULL : strdup(group);
  if (!sent || (!g && !name)) {
    free(sent);
    free(name);
    return -1;
  }
  if (!g) {
    pace_group *grown = realloc(p->groups, (p->n + 1) * sizeof *grown);
    if (!grown) {
      free(sent);
      free(name);
      return -1;
    }
    p->groups = grown;
    g = &p->groups[p->n++];
    memset(g, 0, sizeof *g);
    g->name = name;
  }
  /* Keep the newest sends that still fit, so a replaced pace does not
   * forget what was just sent. */
  unsigned keep = g->count < max_requests ? g->count : max_requests;
  for (unsigned i = 0; i < keep; i++)
    sent[i] = g->sent[(g->head + g->count - keep + i) % g->max];
  free(g->sent);
  g->sent = sent;
  g->max = max_requests;
  g->head = 0;
  g->count = keep;
  g->window_ms = window_ms;
  g->backoff_ms = backoff_ms;
  g->retries_429 = retries_429;
  return 0;
}

long pace_wait_ms(pace_table *p, const char *group, int64_t now_ms) {
  pace_group *g = find(p, group);
  if (!g)
    return 0;
  int64_t ready = g->hold_until;
  if (g->count == g->max) {
    int64_t oldest_free = g->sent[g->head] + g->window_ms;
    if (oldest_free > ready)
      ready = oldest_free;
  }
  return ready > now_ms ? (long)(ready - now_ms) : 0;
}

void pace_sent(pace_table *p, const char *group, int64_t now_ms) {
  pace_group *g = find(p, group);
  if (!g)
    return;
  if (g->count == g->max) {
    g->head = (g->head + 1) % g->max;
    g->count--;
  }
  g->sent[(g->head + g->count) % g->max] = now_ms;
  g->count++;
}

long pace_throttled(pace_table *p, const char *group, int64_t now_ms,
                    long retry_after_ms, long cap_ms) {
  pace_group *g = find(p, group);
  if (!g)
    return -1;
  long hold;
  if (retry_after_ms >= 0) {
    hold = retry_after_ms;
  } else {
    hold = g->backoff_ms;
    for (unsigned i = 0; i < g->throttled && hold < cap_ms; i++)
      hold *= 2;
  }
  if (cap_ms > 0 && hold > cap_ms)
    hold = cap_ms;
  g->throttled++;
  if (now_ms + hold > g->hold_until)
    g->hold_until = now_ms + hold;
  return hold;
}

void pace_answered(pace_table *p, const char *group) {
  pace_group *g = find(p, group);
  if (g)
    g->throttled = 0;
}
