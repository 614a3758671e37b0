/* SPDX-License-Identifier: MIT */
/*
 * web_db.h — the console's own connection to the journal
 * (<state_dir>/journal.sqlite, journal.h): it reads runs and changes with
 * its own statements and keeps its audit table there (web_audit.h). WAL
 * lets it read while a sync writes; a write waits up to 10 s for the
 * sync's transaction.
 */
#ifndef LPSA_WEB_DB_H
#define LPSA_WEB_DB_H

#include <sqlite3.h>
#include <stddef.h>

/* Open (creating the journal through journal_open() when it does not exist
 * yet, so its tables are there). 0, or -1 with one line in err. */
int web_db_open(const char *state_dir, sqlite3 **out, char *err, size_t errlen);
void web_db_close(sqlite3 *db);

/* sqlite3_column_text() that is never NULL. */
const char *web_db_text(sqlite3_stmt *st, int col);

#endif
