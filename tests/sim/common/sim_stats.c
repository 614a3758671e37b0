/* SPDX-License-Identifier: MIT */
/*
 * sim_stats.c — request counters per endpoint key (see sim_stats.h). A plain
 * array with linear search: simulators have a few dozen endpoint keys.
 */
#include "sim_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sim_endpoint_stat *find(sim_stats *s, const char *key, int create) {
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->eps[i].key, key) == 0)
      return &s->eps[i];
  if (!create)
    return NULL;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    sim_endpoint_stat *eps = realloc(s->eps, cap * sizeof *eps);
    if (!eps)
      return NULL;
    s->eps = eps;
    s->cap = cap;
  }
  sim_endpoint_stat *e = &s->eps[s->n++];
  memset(e, 0, sizeof *e);
  snprintf(e->key, sizeof e->key, "%s", key);
  return e;
}

int sim_stats_enter(sim_stats *s, const char *key) {
  s->total++;
  if (++s->inflight > s->max_inflight)
    s->max_inflight = s->inflight;
  sim_endpoint_stat *e = find(s, key, 1);
  if (!e)
    return 1;
  e->requests++;
  if (++e->inflight > e->max_inflight)
    e->max_inflight = e->inflight;
  return e->inflight;
}

void sim_stats_leave(sim_stats *s, const char *key) {
  if (s->inflight > 0)
    s->inflight--;
  sim_endpoint_stat *e = find(s, key, 0);
  if (e && e->inflight > 0)
    e->inflight--;
}

void sim_stats_handled(sim_stats *s, double ms) {
  s->handler_ms += ms;
  if (ms > s->handler_max_ms)
    s->handler_max_ms = ms;
  s->handled++;
}

void sim_stats_reset(sim_stats *s) {
  s->total = 0;
  s->handler_ms = s->handler_max_ms = 0;
  s->handled = 0;
  s->max_inflight = s->inflight;
  for (size_t i = 0; i < s->n; i++) {
    s->eps[i].requests = 0;
    s->eps[i].max_inflight = s->eps[i].inflight;
  }
}

json_object *sim_stats_to_json(const sim_stats *s) {
  json_object *o = json_object_new_object();
  json_object *eps = json_object_new_object();
  if (!o || !eps) {
    json_object_put(o);
    json_object_put(eps);
    return NULL;
  }
  for (size_t i = 0; i < s->n; i++) {
    if (!s->eps[i].requests && !s->eps[i].inflight)
      continue;
    json_object *e = json_object_new_object();
    if (!e)
      continue;
    json_object_object_add(e, "requests",
                           json_object_new_int64(s->eps[i].requests));
    json_object_object_add(e, "inflight",
                           json_object_new_int(s->eps[i].inflight));
    json_object_object_add(e, "max_inflight",
                           json_object_new_int(s->eps[i].max_inflight));
    json_object_object_add(eps, s->eps[i].key, e);
  }
  json_object_object_add(o, "total", json_object_new_int64(s->total));
  json_object_object_add(o, "max_inflight",
                         json_object_new_int(s->max_inflight));
  json_object_object_add(o, "endpoints", eps);
  json_object *h = json_object_new_object();
  if (h) {
    json_object_object_add(h, "requests", json_object_new_int64(s->handled));
    json_object_object_add(h, "total_ms",
                           json_object_new_double(s->handler_ms));
    json_object_object_add(h, "max_ms",
                           json_object_new_double(s->handler_max_ms));
    json_object_object_add(o, "handler", h);
  }
  return o;
}

void sim_stats_free(sim_stats *s) {
  free(s->eps);
  memset(s, 0, sizeof *s);
}
