/* SPDX-License-Identifier: MIT */
/*
 * sim_stats.h — per endpoint key request counts and in-flight tracking. The
 * in-flight count is what lets a simulator reproduce "too many concurrent
 * requests on this endpoint" answers. Not thread-safe: used under the server
 * mutex.
 */
#ifndef LPSA_SIM_STATS_H
#define LPSA_SIM_STATS_H

#include <json-c/json.h>
#include <stddef.h>

typedef struct sim_endpoint_stat {
  char key[256];
  long requests;
  int inflight;
  int max_inflight;
} sim_endpoint_stat;

typedef struct sim_stats {
  sim_endpoint_stat *eps;
  size_t n, cap;
  long total;
  int inflight;     /* every endpoint */
  int max_inflight; /* every endpoint */
  /* The simulator's own cost: time its handlers ran (under the server's one
   * lock, latency excluded), so a benchmark can show it is not the
   * bottleneck. */
  double handler_ms, handler_max_ms;
  long handled;
} sim_stats;

/* A request starts on `key`: returns the in-flight count for that key, this
 * request included (1 on allocation failure, so the caller goes on). */
int sim_stats_enter(sim_stats *s, const char *key);
/* That request is finished. */
void sim_stats_leave(sim_stats *s, const char *key);
/* A handler ran for `ms` (under the server mutex). */
void sim_stats_handled(sim_stats *s, double ms);
/* Zero the counters and maxima (requests still in flight stay counted). */
void sim_stats_reset(sim_stats *s);
json_object *sim_stats_to_json(const sim_stats *s);
void sim_stats_free(sim_stats *s);

#endif
