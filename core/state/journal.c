/* SPDX-License-Identifier: MIT */
/*
 * journal.c — SQLite storage of runs, changes and last-known line counts.
 */
#include "journal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "journal_db.h"
#include "lpsa/status.h"

struct journal {
  sqlite3 *db;
  char error[600]; /* journal_error()'s text */
};

static const char *const schema =
    "CREATE TABLE IF NOT EXISTS runs("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL,"
    " finished TEXT, driver TEXT NOT NULL, driver_version TEXT,"
    " mode TEXT NOT NULL, result TEXT NOT NULL DEFAULT 'running',"
    " exit_code INTEGER, summary TEXT, report TEXT);"
    "CREATE TABLE IF NOT EXISTS changes("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL,"
    " driver TEXT NOT NULL, ts TEXT NOT NULL, lastpass_id TEXT,"
    " lastpass_name TEXT, psa_company_id TEXT, agreement_id TEXT,"
    " line_id TEXT NOT NULL, product TEXT, old_quantity INTEGER,"
    " new_quantity INTEGER, effective_date TEXT,"
    " state TEXT NOT NULL DEFAULT 'intent', observed INTEGER, message TEXT,"
    " resolved_by INTEGER, billing_period TEXT, in_flight_until INTEGER);"
    "CREATE INDEX IF NOT EXISTS changes_run ON changes(run_id);"
    "CREATE INDEX IF NOT EXISTS changes_state ON changes(state, driver);"
    "CREATE TABLE IF NOT EXISTS line_state("
    " driver TEXT NOT NULL, line_id TEXT NOT NULL, quantity INTEGER NOT NULL,"
    " run_id INTEGER, ts TEXT, PRIMARY KEY(driver, line_id));";

static void now_text(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* How long a statement waits for a lock another program holds. lpsa's own
 * runs are serialised by the run lock and WAL readers never block the
 * writer, so a lock that outlasts this is not going away. */
#define JOURNAL_BUSY_MS 2000

/* SQLite's last error, with the system's reason when there is one. */
static void db_error(sqlite3 *db, char *buf, size_t cap) {
  int sys = db ? sqlite3_system_errno(db) : 0;
  const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
  if (sys)
    snprintf(buf, cap, "%s (%s)", msg, strerror(sys));
  else
    snprintf(buf, cap, "%s", msg);
}

const char *journal_error(journal *j) {
  db_error(j->db, j->error, sizeof j->error);
  return j->error;
}

/* The class of an SQLite failure. */
static journal_status status_of(int rc) {
  rc &= 0xff;
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
    return JOURNAL_DAMAGED;
  return rc == SQLITE_NOMEM ? JOURNAL_NOMEM : JOURNAL_UNAVAILABLE;
}

static void damaged_text(const char *path, const char *what, char *err,
                         size_t errlen) {
  snprintf(err, errlen,
           "the journal %s is damaged (%s); lpsa does not write to the PSA "
           "with a journal it cannot trust: restore journal.sqlite from a "
           "backup, or move it aside (mv %s %s.damaged) to start a new "
           "journal",
           path, what, path, path);
}

static void unavailable_text(const char *path, const char *doing,
                             const char *why, char *err, size_t errlen) {
  snprintf(err, errlen,
           "cannot %s the journal %s: %s; nothing was written (is the disk "
           "full, or another program holding the file? free space or stop "
           "it, then run again)",
           doing, path, why);
}

/* PRAGMA quick_check: JOURNAL_OK when it says "ok". */
static journal_status quick_check(sqlite3 *db, char *what, size_t cap) {
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(3)", -1, &st, NULL);
  if (rc != SQLITE_OK) {
    db_error(db, what, cap);
    return status_of(rc);
  }
  journal_status out = JOURNAL_OK;
  size_t used = 0;
  what[0] = '\0';
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *line = sqlite3_column_text(st, 0);
    if (line && strcmp((const char *)line, "ok") == 0)
      continue;
    out = JOURNAL_DAMAGED;
    int w = snprintf(
        what + used, cap - used, "%s%s",
        used ? "; " : "PRAGMA quick_check: ", line ? (const char *)line : "?");
    if (w > 0 && (size_t)w < cap - used)
      used += (size_t)w;
  }
  /* One line: SQLite's report has a line per problem. */
  for (char *p = what; (p = strchr(p, '\n')) != NULL;)
    *p = ' ';
  if (rc != SQLITE_DONE && out == JOURNAL_OK) {
    db_error(db, what, cap);
    out = status_of(rc);
  }
  sqlite3_finalize(st);
  return out;
}

/* Journals made before changes had these columns get them. */
static int migrate(sqlite3 *db) {
  static const char *const added[][2] = {
      {"billing_period", "ALTER TABLE changes ADD COLUMN billing_period TEXT"},
      {"in_flight_until",
       "ALTER TABLE changes ADD COLUMN in_flight_until INTEGER"}};
  enum { N_ADDED = sizeof added / sizeof added[0] };
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(db, "PRAGMA table_info(changes)", -1, &st, NULL) !=
      SQLITE_OK)
    return sqlite3_errcode(db);
  int have[N_ADDED] = {0}, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *name = sqlite3_column_text(st, 1);
    for (size_t i = 0; name && i < N_ADDED; i++)
      have[i] |= strcmp((const char *)name, added[i][0]) == 0;
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE)
    return rc;
  for (size_t i = 0; i < N_ADDED; i++)
    if (!have[i] &&
        (rc = sqlite3_exec(db, added[i][1], NULL, NULL, NULL)) != SQLITE_OK)
      return rc;
  return SQLITE_OK;
}

journal_status journal_open(const char *state_dir, unsigned flags,
                            journal **out, char *err, size_t errlen) {
  if (mkdir(state_dir, 0700) != 0 && errno != EEXIST) {
    snprintf(err, errlen,
             "cannot create state_dir %s: %s; create it or set state_dir in "
             "[host]",
             state_dir, strerror(errno));
    return JOURNAL_NO_STATE_DIR;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/journal.sqlite", state_dir);
  journal *j = calloc(1, sizeof *j);
  if (!j) {
    snprintf(err, errlen, "out of memory opening the journal");
    return JOURNAL_NOMEM;
  }
  int rc = sqlite3_open_v2(path, &j->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK) {
    journal_status why = j->db ? status_of(rc) : JOURNAL_NOMEM;
    if (why == JOURNAL_DAMAGED)
      damaged_text(path, journal_error(j), err, errlen);
    else
      unavailable_text(path, "open", journal_error(j), err, errlen);
    journal_close(j);
    return why;
  }
  sqlite3_busy_timeout(j->db, JOURNAL_BUSY_MS);
  sqlite3_extended_result_codes(j->db, 1);
  char what[1024];
  journal_status qc = flags & JOURNAL_VERIFY
                          ? quick_check(j->db, what, sizeof what)
                          : JOURNAL_OK;
  if (qc == JOURNAL_DAMAGED) {
    damaged_text(path, what, err, errlen);
    journal_close(j);
    return qc;
  }
  if (qc != JOURNAL_OK) {
    unavailable_text(path, "check", what, err, errlen);
    journal_close(j);
    return qc;
  }
  if ((rc = sqlite3_exec(j->db,
                         "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                         NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = sqlite3_exec(j->db, schema, NULL, NULL, NULL)) != SQLITE_OK ||
      (rc = migrate(j->db)) != SQLITE_OK ||
      (rc = journal_plans_schema(j->db, NULL)) != SQLITE_OK) {
    journal_status why = status_of(rc);
    if (why == JOURNAL_DAMAGED)
      damaged_text(path, journal_error(j), err, errlen);
    else
      unavailable_text(path, "prepare", journal_error(j), err, errlen);
    journal_close(j);
    return why;
  }
  *out = j;
  return JOURNAL_OK;
}

journal_status journal_verify(const char *state_dir, int *exists, char *err,
                              size_t errlen) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/journal.sqlite", state_dir);
  *exists = stat(path, &st) == 0;
  if (!*exists)
    return JOURNAL_OK;
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
  journal_status out;
  char what[1024];
  if (rc != SQLITE_OK) {
    db_error(db, what, sizeof what);
    out = db ? status_of(rc) : JOURNAL_NOMEM;
  } else {
    sqlite3_busy_timeout(db, JOURNAL_BUSY_MS);
    out = quick_check(db, what, sizeof what);
  }
  if (out == JOURNAL_DAMAGED)
    damaged_text(path, what, err, errlen);
  else if (out != JOURNAL_OK)
    unavailable_text(path, "read", what, err, errlen);
  sqlite3_close(db);
  return out;
}

sqlite3 *journal_sqlite(journal *j) {
  return j->db;
}

void journal_close(journal *j) {
  if (!j)
    return;
  sqlite3_close(j->db);
  free(j);
}

/* Prepare, bind with a tiny format ('t' text, 'i' int64, 'n' null), step
 * once. Returns the sqlite3 step result, or SQLITE_ERROR. */
static int exec_stmt(journal *j, const char *sql, const char *fmt, ...) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
    return SQLITE_ERROR;
  va_list ap;
  va_start(ap, fmt);
  for (int i = 0; fmt && fmt[i]; i++) {
    if (fmt[i] == 't')
      sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
                        SQLITE_TRANSIENT);
    else if (fmt[i] == 'i')
      sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
    else
      sqlite3_bind_null(st, i + 1);
  }
  va_end(ap);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc;
}

int journal_mark_interrupted(journal *j) {
  if (exec_stmt(j,
                "UPDATE runs SET result='interrupted' WHERE result='running'",
                NULL) != SQLITE_DONE)
    return -1;
  return sqlite3_changes(j->db);
}

int journal_run_begin(journal *j, const char *driver,
                      const char *driver_version, const char *mode,
                      const char *started, long long *run_id) {
  if (exec_stmt(j,
                "INSERT INTO runs(started, driver, driver_version, mode) "
                "VALUES(?,?,?,?)",
                "tttt", started, driver, driver_version ? driver_version : "",
                mode) != SQLITE_DONE)
    return LPSA_ERR_INVALID;
  *run_id = sqlite3_last_insert_rowid(j->db);
  return LPSA_OK;
}

int journal_run_end(journal *j, long long run_id, const char *finished,
                    const char *result, int exit_code, const char *summary_json,
                    const char *report_json) {
  return exec_stmt(j,
                   "UPDATE runs SET finished=?, result=?, exit_code=?, "
                   "summary=?, report=? WHERE id=?",
                   "ttitti", finished, result, (long long)exit_code,
                   summary_json ? summary_json : "{}",
                   report_json ? report_json : "{}", run_id) == SQLITE_DONE
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_intent(journal *j, long long run_id, const char *driver,
                   const outcome *o, const char *billing_period,
                   long long *change_id) {
  char ts[32];
  now_text(ts);
  if (exec_stmt(j,
                "INSERT INTO changes(run_id, driver, ts, lastpass_id, "
                "lastpass_name, psa_company_id, agreement_id, line_id, "
                "product, old_quantity, new_quantity, effective_date, "
                "billing_period) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                "ittttttttiitt", run_id, driver, ts, o->lastpass_id,
                o->lastpass_name, o->psa_company_id, o->agreement_id,
                o->line_id, o->product ? o->product : "",
                (long long)o->old_quantity, (long long)o->new_quantity,
                o->effective_date ? o->effective_date : "",
                billing_period ? billing_period : "") != SQLITE_DONE)
    return LPSA_ERR_INVALID;
  *change_id = sqlite3_last_insert_rowid(j->db);
  return LPSA_OK;
}

int journal_result(journal *j, long long change_id, const char *state,
                   long long observed, const char *message) {
  return exec_stmt(j,
                   "UPDATE changes SET state=?, observed=?, message=? "
                   "WHERE id=?",
                   "titi", state, observed, message ? message : "",
                   change_id) == SQLITE_DONE
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_write_sent(journal *j, long long change_id,
                       long long in_flight_until) {
  return exec_stmt(j, "UPDATE changes SET in_flight_until=? WHERE id=?", "ii",
                   in_flight_until, change_id) == SQLITE_DONE
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_find_not_applied(journal *j, const char *driver,
                             const char *line_id, const char *billing_period,
                             journal_not_applied *found) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT id, run_id, old_quantity, new_quantity, "
                         "observed FROM changes WHERE "
                         "state='psa-did-not-apply' AND driver=? AND "
                         "line_id=? AND billing_period=? ORDER BY id LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, driver, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, line_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 3, billing_period, -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st), rc = 0;
  if (step == SQLITE_ROW) {
    found->change_id = sqlite3_column_int64(st, 0);
    found->run_id = sqlite3_column_int64(st, 1);
    found->old_quantity = sqlite3_column_int64(st, 2);
    found->new_quantity = sqlite3_column_int64(st, 3);
    found->observed = sqlite3_column_int64(st, 4);
    rc = 1;
  } else if (step != SQLITE_DONE) {
    rc = -1; /* a busy or broken journal must not pass for "none" */
  }
  sqlite3_finalize(st);
  return rc;
}

static const char *text(sqlite3_stmt *st, int col);

static char *col_dup(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return strdup(s ? (const char *)s : "");
}

int journal_pending_list(journal *j, const char *driver, journal_pending **out,
                         size_t *n) {
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT id, run_id, lastpass_id, lastpass_name, "
                         "psa_company_id, agreement_id, line_id, "
                         "old_quantity, new_quantity, state, "
                         "COALESCE(in_flight_until, 0) FROM changes "
                         "WHERE state IN ('intent','unconfirmed') AND "
                         "driver=? ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  sqlite3_bind_text(st, 1, driver, -1, SQLITE_TRANSIENT);
  size_t cap = 0;
  int rc = LPSA_OK;
  int step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 8;
      journal_pending *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = LPSA_ERR_NOMEM;
        break;
      }
      *out = grown;
    }
    journal_pending *p = &(*out)[(*n)++];
    p->change_id = sqlite3_column_int64(st, 0);
    p->run_id = sqlite3_column_int64(st, 1);
    p->lastpass_id = col_dup(st, 2);
    p->lastpass_name = col_dup(st, 3);
    p->psa_company_id = col_dup(st, 4);
    p->agreement_id = col_dup(st, 5);
    p->line_id = col_dup(st, 6);
    p->old_quantity = sqlite3_column_int64(st, 7);
    p->new_quantity = sqlite3_column_int64(st, 8);
    p->unconfirmed = strcmp(text(st, 9), "unconfirmed") == 0;
    p->in_flight_until = sqlite3_column_int64(st, 10);
  }
  /* A busy or broken journal must not pass for "nothing pending". */
  if (rc == LPSA_OK && step != SQLITE_DONE)
    rc = LPSA_ERR_INVALID;
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    journal_pending_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

void journal_pending_free(journal_pending *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(p[i].lastpass_id);
    free(p[i].lastpass_name);
    free(p[i].psa_company_id);
    free(p[i].agreement_id);
    free(p[i].line_id);
  }
  free(p);
}

int journal_resolve(journal *j, long long change_id, long long run_id,
                    const char *state, long long observed,
                    const char *message) {
  return exec_stmt(j,
                   "UPDATE changes SET state=?, observed=?, message=?, "
                   "resolved_by=? WHERE id=?",
                   "titii", state, observed, message ? message : "", run_id,
                   change_id) == SQLITE_DONE
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_line_get(journal *j, const char *driver, const char *line_id,
                     long long *quantity, long long *run_id) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(j->db,
                         "SELECT quantity, run_id FROM line_state WHERE "
                         "driver=? AND line_id=?",
                         -1, &st, NULL) != SQLITE_OK)
    return 0;
  sqlite3_bind_text(st, 1, driver, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, line_id, -1, SQLITE_TRANSIENT);
  int found = sqlite3_step(st) == SQLITE_ROW;
  if (found) {
    *quantity = sqlite3_column_int64(st, 0);
    if (run_id)
      *run_id = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return found;
}

int journal_line_set(journal *j, const char *driver, const char *line_id,
                     long long quantity, long long run_id) {
  char ts[32];
  now_text(ts);
  return exec_stmt(j,
                   "INSERT INTO line_state(driver, line_id, quantity, run_id, "
                   "ts) VALUES(?,?,?,?,?) ON CONFLICT(driver, line_id) DO "
                   "UPDATE SET quantity=excluded.quantity, "
                   "run_id=excluded.run_id, ts=excluded.ts",
                   "ttiit", driver, line_id, quantity, run_id,
                   ts) == SQLITE_DONE
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_begin(journal *j) {
  return sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

int journal_commit(journal *j) {
  return sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
             ? LPSA_OK
             : LPSA_ERR_INVALID;
}

static const char *text(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return s ? (const char *)s : "";
}

const char *journal_col_text(sqlite3_stmt *st, int col) {
  return text(st, col);
}

char *journal_col_dup(sqlite3_stmt *st, int col) {
  return col_dup(st, col);
}

char *journal_col_dup_or_null(sqlite3_stmt *st, int col) {
  return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : col_dup(st, col);
}
