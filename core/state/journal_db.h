/*
 * journal_db.h — for the journal's own files in state/ only: the SQLite
 * handle behind a journal, and the schema of the tables kept by
 * journal_plans.c (created when the journal opens).
 */
#ifndef LPSA_CORE_JOURNAL_DB_H
#define LPSA_CORE_JOURNAL_DB_H

#include <sqlite3.h>

#include "journal.h"

sqlite3 *journal_sqlite(journal *j);

/* CREATE TABLE IF NOT EXISTS of plans, plan_lines, plan_runs, approvals
 * and mapping_sizes. SQLITE_OK, or an error with *msg (sqlite3_free). */
int journal_plans_schema(sqlite3 *db, char **msg);

#endif
