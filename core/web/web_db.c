/* SPDX-License-Identifier: MIT */
/*
 * web_db.c — open the journal for the console.
 */
#include "web_db.h"

#include <stdio.h>

#include "journal.h"
#include "lpsa/status.h"

int web_db_open(const char *state_dir, sqlite3 **out, char *err,
                size_t errlen) {
  *out = NULL;
  journal *j;
  if (journal_open(state_dir, 0, &j, err, errlen) != JOURNAL_OK)
    return -1;
  journal_close(j);
  char path[4096];
  snprintf(path, sizeof path, "%s/journal.sqlite", state_dir);
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open the journal %s: %s", path,
             db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 10000);
  /* History by company reads changes by LastPass id. */
  sqlite3_exec(db,
               "CREATE INDEX IF NOT EXISTS web_changes_company ON "
               "changes(lastpass_id, run_id)",
               NULL, NULL, NULL);
  *out = db;
  return 0;
}

void web_db_close(sqlite3 *db) {
  sqlite3_close(db);
}

const char *web_db_text(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return s ? (const char *)s : "";
}
