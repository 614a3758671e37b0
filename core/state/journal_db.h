/* SPDX-License-Identifier: MIT */
/*
 * journal_db.h — for the journal's own files in state/ only: the SQLite
 * handle behind a journal, the schema of the tables kept by
 * journal_plans.c (created when the journal opens), and column helpers for
 * the files that read it back (journal_history.c) or keep their own tables
 * in it (journal_acks.c).
 */
#ifndef LPSA_CORE_JOURNAL_DB_H
#define LPSA_CORE_JOURNAL_DB_H

#include <sqlite3.h>

#include "journal.h"

sqlite3 *journal_sqlite(journal *j);

/* CREATE TABLE IF NOT EXISTS of plans, plan_lines, plan_runs, approvals
 * and mapping_sizes. SQLITE_OK, or an error with *msg (sqlite3_free). */
int journal_plans_schema(sqlite3 *db, char **msg);

/* A column as text, "" for NULL. */
const char *journal_col_text(sqlite3_stmt *st, int col);
/* A column as a new string ("" for NULL), or NULL when out of memory. */
char *journal_col_dup(sqlite3_stmt *st, int col);
/* A column as a new string, or NULL for SQL NULL (and out of memory). */
char *journal_col_dup_or_null(sqlite3_stmt *st, int col);

#endif
