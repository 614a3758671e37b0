/* SPDX-License-Identifier: MIT */
/*
 * web_approvals.c — the web_plan_approvals table.
 */
#include "web_approvals.h"

#include <stdlib.h>
#include <string.h>

#include "web_db.h"

int web_approvals_init(sqlite3 *db) {
  return sqlite3_exec(db,
                      "CREATE TABLE IF NOT EXISTS web_plan_approvals("
                      " plan_id TEXT NOT NULL, lastpass_id TEXT NOT NULL,"
                      " approved_by TEXT NOT NULL, ts TEXT NOT NULL,"
                      " PRIMARY KEY(plan_id, lastpass_id));",
                      NULL, NULL, NULL) == SQLITE_OK
             ? 0
             : -1;
}

int web_approval_set(sqlite3 *db, const char *plan_id, const char *lastpass_id,
                     const char *by, const char *ts) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "INSERT OR REPLACE INTO web_plan_approvals(plan_id, "
                         "lastpass_id, approved_by, ts) VALUES(?,?,?,?)",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, lastpass_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 4, ts, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  sqlite3_finalize(st);
  return rc;
}

int web_approval_clear(sqlite3 *db, const char *plan_id,
                       const char *lastpass_id, int *removed) {
  sqlite3_stmt *st;
  *removed = 0;
  if (sqlite3_prepare_v2(db,
                         "DELETE FROM web_plan_approvals WHERE plan_id = ? "
                         "AND lastpass_id = ?",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, lastpass_id, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
  if (rc == 0)
    *removed = sqlite3_changes(db) > 0;
  sqlite3_finalize(st);
  return rc;
}

void web_approvals_free(web_approval *a, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(a[i].lastpass_id);
    free(a[i].approved_by);
    free(a[i].ts);
  }
  free(a);
}

int web_approvals_of(sqlite3 *db, const char *plan_id, web_approval **out,
                     size_t *n) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db,
                         "SELECT lastpass_id, approved_by, ts FROM "
                         "web_plan_approvals WHERE plan_id = ? ORDER BY "
                         "lastpass_id",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_TRANSIENT);
  size_t cap = 0;
  int rc = 0, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      web_approval *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = -1;
        break;
      }
      *out = grown;
    }
    web_approval *a = &(*out)[(*n)++];
    a->lastpass_id = strdup(web_db_text(st, 0));
    a->approved_by = strdup(web_db_text(st, 1));
    a->ts = strdup(web_db_text(st, 2));
    if (!a->lastpass_id || !a->approved_by || !a->ts)
      rc = -1;
    if (rc)
      break;
  }
  if (rc == 0 && step != SQLITE_DONE)
    rc = -1;
  sqlite3_finalize(st);
  if (rc) {
    web_approvals_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

const web_approval *web_approval_find(const web_approval *a, size_t n,
                                      const char *lastpass_id) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(a[i].lastpass_id, lastpass_id) == 0)
      return &a[i];
  return NULL;
}
