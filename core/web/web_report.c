/* SPDX-License-Identifier: MIT */
/*
 * web_report.c — reports from the journal, the latest one cached.
 */
#include "web_report.h"

#include <string.h>
#include <strings.h>

#include "web_db.h"

json_object *web_json_get(json_object *o, const char *key) {
  json_object *v = NULL;
  return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

const char *web_json_string(json_object *o, const char *key) {
  json_object *v = web_json_get(o, key);
  return v && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : NULL;
}

int web_text_contains(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; hay && *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0)
      return 1;
  return hay && n == 0;
}

static json_object *parse_report(sqlite3_stmt *st, int col) {
  if (sqlite3_column_type(st, col) == SQLITE_NULL)
    return NULL;
  const char *text = (const char *)sqlite3_column_text(st, col);
  int n = sqlite3_column_bytes(st, col);
  json_tokener *tok = json_tokener_new_ex(64);
  if (!tok)
    return NULL;
  json_object *o = json_tokener_parse_ex(tok, text, n);
  json_tokener_free(tok);
  if (o && !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    o = NULL;
  }
  return o;
}

json_object *web_report_latest(web_console *c, long long *run_id) {
  *run_id = 0;
  if (!c->db)
    return NULL;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(c->db,
                         "SELECT id FROM runs WHERE result != 'running' AND "
                         "(?1 IS NULL OR driver = ?1) ORDER BY id DESC "
                         "LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return NULL;
  if (c->driver_name)
    sqlite3_bind_text(st, 1, c->driver_name, -1, SQLITE_TRANSIENT);
  long long id =
      sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  *run_id = id;
  if (!id)
    return NULL;
  if (id != c->report_run) {
    json_object_put(c->report);
    c->report = web_report_of(c, id);
    c->report_run = id;
  }
  return c->report;
}

json_object *web_report_of(web_console *c, long long run_id) {
  if (run_id == c->report_run && c->report)
    return json_object_get(c->report);
  sqlite3_stmt *st;
  if (!c->db ||
      sqlite3_prepare_v2(c->db, "SELECT report FROM runs WHERE id = ?", -1, &st,
                         NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64(st, 1, run_id);
  json_object *o = sqlite3_step(st) == SQLITE_ROW ? parse_report(st, 0) : NULL;
  sqlite3_finalize(st);
  return o;
}
