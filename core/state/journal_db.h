/*
 * journal_db.h — inside state/ only: the journal's SQLite handle, for the
 * files that keep their own tables in it (journal_acks.c) or read it
 * (journal_history.c), so journal.c keeps only runs, changes and lines.
 */
#ifndef LPSA_CORE_JOURNAL_DB_H
#define LPSA_CORE_JOURNAL_DB_H

#include <sqlite3.h>

#include "journal.h"

sqlite3 *journal_db(journal *j);

/* A column as text, "" for NULL. */
const char *journal_col_text(sqlite3_stmt *st, int col);
/* A column as a new string ("" for NULL), or NULL when out of memory. */
char *journal_col_dup(sqlite3_stmt *st, int col);
/* A column as a new string, or NULL for SQL NULL (and out of memory). */
char *journal_col_dup_or_null(sqlite3_stmt *st, int col);

#endif
