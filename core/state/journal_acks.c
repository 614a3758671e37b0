/* SPDX-License-Identifier: MIT */
/*
 * journal_acks.c — the acks table.
 */
#include "journal_acks.h"

#include <stdlib.h>
#include <string.h>

#include "journal_db.h"
#include "lpsa/status.h"

static const char *const schema =
    "CREATE TABLE IF NOT EXISTS acks("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, driver TEXT NOT NULL,"
    " lastpass_id TEXT NOT NULL, lastpass_name TEXT, code TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL, message TEXT, who TEXT NOT NULL,"
    " created TEXT NOT NULL, until TEXT, note TEXT, run_id INTEGER,"
    " removed_at TEXT, removed_by TEXT);"
    "CREATE INDEX IF NOT EXISTS acks_live ON acks(driver, removed_at);";

static int ensure(journal *j) {
  return sqlite3_exec(journal_sqlite(j), schema, NULL, NULL, NULL) == SQLITE_OK
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
  if (s)
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(st, i);
}

/* Mark the live row of the key removed. */
static int retire(journal *j, const char *driver, const char *lastpass_id,
                  const char *code, const char *who, const char *when,
                  int *changed) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j),
                         "UPDATE acks SET removed_at=?4, removed_by=?5 WHERE "
                         "driver=?1 AND lastpass_id=?2 AND code=?3 AND "
                         "removed_at IS NULL",
                         -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  bind_text_or_null(st, 1, driver);
  bind_text_or_null(st, 2, lastpass_id);
  bind_text_or_null(st, 3, code);
  bind_text_or_null(st, 4, when);
  bind_text_or_null(st, 5, who);
  int ok = sqlite3_step(st) == SQLITE_DONE;
  sqlite3_finalize(st);
  if (changed)
    *changed = ok ? sqlite3_changes(journal_sqlite(j)) : 0;
  return ok ? LPSA_OK : LPSA_ERR_INVALID;
}

int journal_ack_add(journal *j, const ack_record *a, long long *id) {
  if (ensure(j) != LPSA_OK || journal_begin(j) != LPSA_OK)
    return LPSA_ERR_INVALID;
  int rc =
      retire(j, a->driver, a->lastpass_id, a->code, a->who, a->created, NULL);
  sqlite3_stmt *st = NULL;
  if (rc == LPSA_OK &&
      sqlite3_prepare_v2(journal_sqlite(j),
                         "INSERT INTO acks(driver, lastpass_id, lastpass_name, "
                         "code, fingerprint, message, who, created, until, "
                         "note, run_id) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                         -1, &st, NULL) != SQLITE_OK)
    rc = LPSA_ERR_INVALID;
  if (rc == LPSA_OK) {
    const char *text[] = {
        a->driver,  a->lastpass_id, a->lastpass_name, a->code,  a->fingerprint,
        a->message, a->who,         a->created,       a->until, a->note};
    for (int i = 0; i < 10; i++)
      bind_text_or_null(st, i + 1, text[i]);
    sqlite3_bind_int64(st, 11, a->run_id);
    if (sqlite3_step(st) != SQLITE_DONE)
      rc = LPSA_ERR_INVALID;
    else if (id)
      *id = sqlite3_last_insert_rowid(journal_sqlite(j));
  }
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    sqlite3_exec(journal_sqlite(j), "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  return journal_commit(j);
}

int journal_ack_remove(journal *j, const char *driver, const char *lastpass_id,
                       const char *code, const char *who, const char *when,
                       int *removed) {
  *removed = 0;
  if (ensure(j) != LPSA_OK)
    return LPSA_ERR_INVALID;
  return retire(j, driver, lastpass_id, code, who, when, removed);
}

int journal_acks_list(journal *j, const char *driver, ack_record **out,
                      size_t *n) {
  *out = NULL;
  *n = 0;
  if (ensure(j) != LPSA_OK)
    return LPSA_ERR_INVALID;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j),
                         "SELECT id, driver, lastpass_id, lastpass_name, code, "
                         "fingerprint, message, who, created, until, note, "
                         "run_id FROM acks WHERE removed_at IS NULL AND "
                         "(?1 IS NULL OR driver = ?1) ORDER BY driver, "
                         "CAST(lastpass_id AS INTEGER), lastpass_id, code",
                         -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  bind_text_or_null(st, 1, driver);
  size_t cap = 0;
  int rc = LPSA_OK, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      ack_record *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = LPSA_ERR_NOMEM;
        break;
      }
      *out = grown;
    }
    ack_record *a = &(*out)[(*n)++];
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->driver = journal_col_dup(st, 1);
    a->lastpass_id = journal_col_dup(st, 2);
    a->lastpass_name = journal_col_dup(st, 3);
    a->code = journal_col_dup(st, 4);
    a->fingerprint = journal_col_dup(st, 5);
    a->message = journal_col_dup(st, 6);
    a->who = journal_col_dup(st, 7);
    a->created = journal_col_dup(st, 8);
    a->until = journal_col_dup_or_null(st, 9);
    a->note = journal_col_dup_or_null(st, 10);
    a->run_id = sqlite3_column_int64(st, 11);
    if (!a->driver || !a->lastpass_id || !a->lastpass_name || !a->code ||
        !a->fingerprint || !a->message || !a->who || !a->created ||
        (!a->until && sqlite3_column_type(st, 9) != SQLITE_NULL) ||
        (!a->note && sqlite3_column_type(st, 10) != SQLITE_NULL)) {
      rc = LPSA_ERR_NOMEM;
      break;
    }
  }
  if (rc == LPSA_OK && step != SQLITE_DONE)
    rc = LPSA_ERR_INVALID;
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    ack_records_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int journal_acks_prune(journal *j, const char *cutoff, const char *cutoff_date,
                       int *pruned) {
  *pruned = 0;
  if (ensure(j) != LPSA_OK)
    return LPSA_ERR_INVALID;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j),
                         "DELETE FROM acks WHERE removed_at < ?1 OR "
                         "(removed_at IS NULL AND until < ?2)",
                         -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, cutoff_date, -1, SQLITE_TRANSIENT);
  int ok = sqlite3_step(st) == SQLITE_DONE;
  if (ok)
    *pruned = sqlite3_changes(journal_sqlite(j));
  sqlite3_finalize(st);
  return ok ? LPSA_OK : LPSA_ERR_INVALID;
}
