/* SPDX-License-Identifier: MIT */
/*
 * web_audit.c — the web_audit table.
 */
#include "web_audit.h"

#include <stdio.h>
#include <string.h>

#include "web_db.h"

int web_audit_init(sqlite3 *db) {
  return sqlite3_exec(db,
                      "CREATE TABLE IF NOT EXISTS web_audit("
                      " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                      " ts TEXT NOT NULL, user TEXT, address TEXT,"
                      " action TEXT NOT NULL, target TEXT, detail TEXT);"
                      "CREATE INDEX IF NOT EXISTS web_audit_action ON "
                      "web_audit(action);",
                      NULL, NULL, NULL) == SQLITE_OK
             ? 0
             : -1;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s) {
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

int web_audit_record(sqlite3 *db, const char *ts, const char *user,
                     const char *address, const char *action,
                     const char *target, json_object *detail) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "INSERT INTO web_audit(ts, user, address, action, "
                         "target, detail) VALUES(?,?,?,?,?,?)",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  bind_opt(st, 1, ts);
  bind_opt(st, 2, user);
  bind_opt(st, 3, address);
  bind_opt(st, 4, action);
  bind_opt(st, 5, target);
  bind_opt(st, 6,
           detail
               ? json_object_to_json_string_ext(detail, JSON_C_TO_STRING_PLAIN)
               : NULL);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  sqlite3_finalize(st);
  return rc;
}

static json_object *str_or_null(sqlite3_stmt *st, int col) {
  return sqlite3_column_type(st, col) == SQLITE_NULL
             ? NULL
             : json_object_new_string(web_db_text(st, col));
}

json_object *web_audit_list(sqlite3 *db, const char *action_prefix, int offset,
                            int limit) {
  char like[128];
  snprintf(like, sizeof like, "%s%%", action_prefix ? action_prefix : "");
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "SELECT count(*) FROM web_audit WHERE action LIKE ?",
                         -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
  long long total =
      sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (sqlite3_prepare_v2(db,
                         "SELECT id, ts, user, address, action, target, "
                         "detail FROM web_audit WHERE action LIKE ? ORDER BY "
                         "id DESC LIMIT ? OFFSET ?",
                         -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text(st, 1, like, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(st, 2, limit);
  sqlite3_bind_int(st, 3, offset);
  json_object *events = json_object_new_array();
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_object *e = json_object_new_object();
    json_object_object_add(e, "id",
                           json_object_new_int64(sqlite3_column_int64(st, 0)));
    json_object_object_add(e, "ts", str_or_null(st, 1));
    json_object_object_add(e, "user", str_or_null(st, 2));
    json_object_object_add(e, "address", str_or_null(st, 3));
    json_object_object_add(e, "action", str_or_null(st, 4));
    json_object_object_add(e, "target", str_or_null(st, 5));
    json_object *d = sqlite3_column_type(st, 6) == SQLITE_NULL
                         ? NULL
                         : json_tokener_parse(web_db_text(st, 6));
    json_object_object_add(e, "detail", d);
    json_object_array_add(events, e);
  }
  sqlite3_finalize(st);
  json_object *root = json_object_new_object();
  json_object_object_add(root, "total", json_object_new_int64(total));
  json_object_object_add(root, "events", events);
  return root;
}
