/* SPDX-License-Identifier: MIT */
/*
 * sim_log.c — the request log (see sim_log.h): JSON lines on disk, an array
 * in memory.
 */
#include "sim_log.h"

#include <errno.h>
#include <string.h>
#include <sys/time.h>

int sim_log_open(sim_log *log, const char *path, size_t max, char *err,
                 size_t cap) {
  memset(log, 0, sizeof *log);
  log->max = max ? max : 1;
  log->entries = json_object_new_array();
  if (!log->entries) {
    snprintf(err, cap, "out of memory");
    return -1;
  }
  if (path) {
    log->file = fopen(path, "a");
    if (!log->file) {
      snprintf(err, cap, "cannot open the request log %s: %s", path,
               strerror(errno));
      json_object_put(log->entries);
      log->entries = NULL;
      return -1;
    }
  }
  return 0;
}

void sim_log_close(sim_log *log) {
  if (log->file) {
    fflush(log->file);
    fclose(log->file);
    log->file = NULL;
  }
  json_object_put(log->entries);
  log->entries = NULL;
}

static long long now_ms(void) {
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static json_object *make_entry(long seq, const char *method, const char *path,
                               const char *query, int status, const char *body,
                               size_t body_len, const char *fault) {
  json_object *e = json_object_new_object();
  if (!e)
    return NULL;
  if (body_len > SIM_LOG_BODY_MAX)
    body_len = SIM_LOG_BODY_MAX;
  json_object_object_add(e, "seq", json_object_new_int64(seq));
  json_object_object_add(e, "ts_ms", json_object_new_int64(now_ms()));
  json_object_object_add(e, "method", json_object_new_string(method));
  json_object_object_add(e, "path", json_object_new_string(path));
  json_object_object_add(e, "query",
                         json_object_new_string(query ? query : ""));
  json_object_object_add(e, "status", json_object_new_int(status));
  json_object_object_add(
      e, "body", json_object_new_string_len(body ? body : "", (int)body_len));
  json_object_object_add(
      e, "fault", fault && *fault ? json_object_new_string(fault) : NULL);
  return e;
}

void sim_log_add(sim_log *log, const char *method, const char *path,
                 const char *query, int status, const char *body,
                 size_t body_len, const char *fault) {
  json_object *e = make_entry(++log->seq, method, path, query, status, body,
                              body_len, fault);
  if (!e)
    return;
  if (log->file) {
    fputs(json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN |
                                                JSON_C_TO_STRING_NOSLASHESCAPE),
          log->file);
    fputc('\n', log->file);
    fflush(log->file); /* tests read the file while we run */
  }
  if (json_object_array_length(log->entries) >= log->max)
    json_object_array_del_idx(log->entries, 0, 1);
  if (json_object_array_add(log->entries, e) != 0)
    json_object_put(e);
}

json_object *sim_log_entries(sim_log *log) {
  return log->entries;
}

void sim_log_clear(sim_log *log) {
  size_t n = json_object_array_length(log->entries);
  if (n)
    json_object_array_del_idx(log->entries, 0, n);
}
