/* SPDX-License-Identifier: MIT */
/*
 * sim_log.h — the request log of a simulator: one JSON object per app
 * request, appended (and flushed) to the --log file as a JSON line and kept
 * in memory for GET /_sim/log. Not thread-safe: the server calls it under
 * its mutex.
 *
 * Entry: {"seq":N,"ts_ms":...,"method":"PATCH","path":"/x","query":"a=b",
 *         "status":200,"body":"<request body, first 4096 bytes>",
 *         "fault":"<rule name>"|null}
 * status 0 means the connection was closed without an answer (reset, hang).
 */
#ifndef LPSA_SIM_LOG_H
#define LPSA_SIM_LOG_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#define SIM_LOG_BODY_MAX 4096

typedef struct sim_log {
  FILE *file;           /* NULL without --log */
  json_object *entries; /* array, oldest first */
  size_t max;           /* in-memory cap; the oldest entries are dropped */
  long seq;             /* last sequence number given */
} sim_log;

/* Open (append) `path` when not NULL. 0 or -1 with err filled. */
int sim_log_open(sim_log *log, const char *path, size_t max, char *err,
                 size_t cap);
void sim_log_close(sim_log *log);
/* Record one request. */
void sim_log_add(sim_log *log, const char *method, const char *path,
                 const char *query, int status, const char *body,
                 size_t body_len, const char *fault);
/* The in-memory entries (a borrowed reference: serialise it under the lock).
 */
json_object *sim_log_entries(sim_log *log);
/* Forget the in-memory entries (the file keeps them; seq continues). */
void sim_log_clear(sim_log *log);

#endif
