/* SPDX-License-Identifier: MIT */
/*
 * journal_plans.c — plans, approvals and mapping sizes in the journal.
 */
#include "journal_plans.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal_db.h"
#include "lpsa/status.h"

int journal_plans_schema(sqlite3 *db, char **msg) {
  return sqlite3_exec(
      db,
      "CREATE TABLE IF NOT EXISTS plans("
      " id TEXT PRIMARY KEY, created TEXT NOT NULL,"
      " created_epoch INTEGER NOT NULL, driver TEXT NOT NULL,"
      " driver_version TEXT, cycle_start TEXT, cycle_end TEXT, path TEXT,"
      " made_by_run INTEGER, made_by TEXT, changes INTEGER NOT NULL,"
      " held INTEGER NOT NULL, refused TEXT, refused_ts TEXT);"
      "CREATE TABLE IF NOT EXISTS plan_lines("
      " plan_id TEXT NOT NULL, line_id TEXT NOT NULL, lastpass_id TEXT,"
      " run_id INTEGER NOT NULL, state TEXT NOT NULL, approved_by TEXT,"
      " ts TEXT, PRIMARY KEY(plan_id, line_id));"
      "CREATE TABLE IF NOT EXISTS plan_runs("
      " run_id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, ts TEXT);"
      "CREATE TABLE IF NOT EXISTS approvals("
      " id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL,"
      " plan_id TEXT, lastpass_id TEXT NOT NULL, lastpass_name TEXT,"
      " line_id TEXT, codes TEXT, old_quantity INTEGER, new_quantity INTEGER,"
      " approved_by TEXT NOT NULL, ts TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS approvals_run ON approvals(run_id);"
      "CREATE TABLE IF NOT EXISTS mapping_sizes("
      " run_id INTEGER PRIMARY KEY, driver TEXT NOT NULL,"
      " rows INTEGER NOT NULL, ts TEXT);"
      "CREATE TABLE IF NOT EXISTS mapping_accepts("
      " id INTEGER PRIMARY KEY AUTOINCREMENT, driver TEXT NOT NULL,"
      " rows INTEGER NOT NULL, after_run INTEGER NOT NULL,"
      " accepted_by TEXT NOT NULL, ts TEXT NOT NULL);",
      NULL, NULL, msg);
}

static void now_text(char out[32]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Prepare and bind ('t' text or NULL, 'i' int64). NULL on error. */
static sqlite3_stmt *prepare(journal *j, const char *sql, const char *fmt,
                             ...) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j), sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  va_list ap;
  va_start(ap, fmt);
  for (int i = 0; fmt && fmt[i]; i++) {
    if (fmt[i] == 't') {
      const char *s = va_arg(ap, const char *);
      if (s)
        sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(st, i + 1);
    } else {
      sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
    }
  }
  va_end(ap);
  return st;
}

/* Step a prepared statement once and finalize it: LPSA_OK when done. */
static int run(sqlite3_stmt *st) {
  if (!st)
    return LPSA_ERR_INVALID;
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? LPSA_OK : LPSA_ERR_INVALID;
}

static const char *text(sqlite3_stmt *st, int col) {
  const unsigned char *s = sqlite3_column_text(st, col);
  return s ? (const char *)s : "";
}

static char *dup_col(sqlite3_stmt *st, int col) {
  return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL
                                                     : strdup(text(st, col));
}

static int insert_plan(journal *j, const plan_meta *m, const char *path,
                       long long changes, long long held) {
  return run(prepare(
      j,
      "INSERT INTO plans(id, created, created_epoch, driver, driver_version, "
      "cycle_start, cycle_end, path, made_by_run, made_by, changes, held) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
      "path=excluded.path",
      "ttitttttitii", m->id, m->created, m->created_epoch, m->driver,
      m->driver_version, m->cycle_start, m->cycle_end, path, m->made_by_run,
      m->made_by, changes, held));
}

int journal_plan_saved(journal *j, const plan_meta *m, const char *path,
                       size_t changes, size_t held) {
  return insert_plan(j, m, path, (long long)changes, (long long)held);
}

int journal_plan_refused(journal *j, const plan_meta *m, const char *path,
                         size_t changes, size_t held, const char *reason) {
  char ts[32];
  now_text(ts);
  if (insert_plan(j, m, path, (long long)changes, (long long)held) != LPSA_OK)
    return LPSA_ERR_INVALID;
  return run(prepare(j, "UPDATE plans SET refused=?, refused_ts=? WHERE id=?",
                     "ttt", reason, ts, m->id));
}

int journal_run_declined(journal *j, long long run_id) {
  return run(
      prepare(j, "UPDATE runs SET mode='dry-run' WHERE id=?", "i", run_id));
}

int journal_plan_run(journal *j, long long run_id, const char *plan_id) {
  char ts[32];
  now_text(ts);
  return run(prepare(j,
                     "INSERT OR REPLACE INTO plan_runs(run_id, plan_id, ts) "
                     "VALUES(?,?,?)",
                     "itt", run_id, plan_id, ts));
}

int journal_plan_line_done(journal *j, const char *plan_id, const char *line_id,
                           long long *run_id, char *by, size_t cap) {
  sqlite3_stmt *st =
      prepare(j,
              "SELECT run_id, approved_by FROM plan_lines WHERE plan_id=? "
              "AND line_id=? AND state IN ('applied','already')",
              "tt", plan_id, line_id);
  if (!st)
    return -1;
  int step = sqlite3_step(st);
  int found = step == SQLITE_ROW;
  if (found && run_id)
    *run_id = sqlite3_column_int64(st, 0);
  if (found && by)
    snprintf(by, cap, "%s", text(st, 1));
  sqlite3_finalize(st);
  return found ? 1 : step == SQLITE_DONE ? 0 : -1;
}

int journal_plan_line_set(journal *j, const char *plan_id, const char *line_id,
                          const char *lastpass_id, long long run_id,
                          const char *state, const char *approved_by) {
  char ts[32];
  now_text(ts);
  return run(prepare(
      j,
      "INSERT INTO plan_lines(plan_id, line_id, lastpass_id, run_id, state, "
      "approved_by, ts) VALUES(?,?,?,?,?,?,?) ON CONFLICT(plan_id, line_id) "
      "DO UPDATE SET run_id=excluded.run_id, state=excluded.state, "
      "approved_by=excluded.approved_by, ts=excluded.ts",
      "tttittt", plan_id, line_id, lastpass_id, run_id, state, approved_by,
      ts));
}

int journal_approval_add(journal *j, long long run_id, const char *plan_id,
                         const outcome *o, const char *codes) {
  char ts[32];
  now_text(ts);
  return run(prepare(
      j,
      "INSERT INTO approvals(run_id, plan_id, lastpass_id, lastpass_name, "
      "line_id, codes, old_quantity, new_quantity, approved_by, ts) "
      "VALUES(?,?,?,?,?,?,?,?,?,?)",
      "itttttiitt", run_id, plan_id, o->lastpass_id, o->lastpass_name,
      o->line_id, codes, o->old_quantity, o->new_quantity,
      o->approved_by ? o->approved_by : "?", ts));
}

int journal_approval_get(journal *j, long long run_id, const char *lastpass_id,
                         char *by, size_t cap) {
  sqlite3_stmt *st = prepare(j,
                             "SELECT approved_by FROM approvals WHERE "
                             "run_id=? AND lastpass_id=? ORDER BY id DESC",
                             "it", run_id, lastpass_id);
  if (!st)
    return 0;
  int found = sqlite3_step(st) == SQLITE_ROW;
  if (found)
    snprintf(by, cap, "%s", text(st, 0));
  sqlite3_finalize(st);
  return found;
}

int journal_mapping_rows_set(journal *j, long long run_id, const char *driver,
                             long long rows) {
  char ts[32];
  now_text(ts);
  return run(prepare(j,
                     "INSERT OR REPLACE INTO mapping_sizes(run_id, driver, "
                     "rows, ts) VALUES(?,?,?,?)",
                     "itit", run_id, driver, rows, ts));
}

int journal_mapping_rows_last(journal *j, const char *driver, long long *rows,
                              long long *run_id) {
  /* An acceptance is newer than every run up to after_run (the newest run
   * when it was made), and so wins over that run's own size. */
  sqlite3_stmt *st = prepare(
      j,
      "SELECT rows, at_run FROM ("
      " SELECT rows, run_id AS at_run, 0 AS kind, 0 AS seq FROM mapping_sizes"
      " WHERE driver=?"
      " UNION ALL SELECT rows, after_run, 1, id FROM mapping_accepts"
      " WHERE driver=?)"
      " ORDER BY at_run DESC, kind DESC, seq DESC LIMIT 1",
      "tt", driver, driver);
  if (!st)
    return -1;
  int step = sqlite3_step(st);
  if (step == SQLITE_ROW) {
    *rows = sqlite3_column_int64(st, 0);
    *run_id = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

int journal_mapping_accept(journal *j, const char *driver, long long rows,
                           const char *by) {
  char ts[32];
  now_text(ts);
  return run(prepare(j,
                     "INSERT INTO mapping_accepts(driver, rows, after_run, "
                     "accepted_by, ts) VALUES(?, ?, (SELECT COALESCE(MAX(id), "
                     "0) FROM runs), ?, ?)",
                     "titt", driver, rows, by, ts));
}

int journal_run_plan(journal *j, long long run_id, char id[PLAN_ID_LEN]) {
  sqlite3_stmt *st =
      prepare(j, "SELECT plan_id FROM plan_runs WHERE run_id=?", "i", run_id);
  if (!st)
    return 0;
  int found = sqlite3_step(st) == SQLITE_ROW;
  if (found)
    snprintf(id, PLAN_ID_LEN, "%s", text(st, 0));
  sqlite3_finalize(st);
  return found;
}

static const char *fate_of(const journal_plan_info *p, long long now,
                           long long max_age, long long created_epoch) {
  if (p->changes == 0 && p->held == 0)
    return "nothing to apply";
  if (p->changes > 0 && p->written >= p->changes)
    return "applied";
  if (p->changes == 0 && p->approved > 0)
    return "applied";
  if (p->written > 0 || p->approved > 0)
    return "partly applied";
  if (!p->last_run && p->refused)
    return "refused";
  if (now - created_epoch > max_age)
    return "expired";
  return "not applied";
}

int journal_plans_find(journal *j, const journal_plans_query *q,
                       journal_plan_info **out, size_t *n, long long *total) {
  *out = NULL;
  *n = 0;
  const char *where = " FROM plans p WHERE (?1 IS NULL OR p.driver = ?1) AND "
                      "(?2 IS NULL OR p.id = ?2)";
  if (total) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*)%s", where);
    sqlite3_stmt *c = prepare(j, sql, "tt", q->driver, q->id);
    if (!c)
      return LPSA_ERR_INVALID;
    int step = sqlite3_step(c);
    *total = step == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
    sqlite3_finalize(c);
    if (step != SQLITE_ROW)
      return LPSA_ERR_INVALID;
  }
  char sql[2048];
  snprintf(
      sql, sizeof sql,
      "SELECT p.id, p.created, p.created_epoch, p.driver, p.path, "
      "p.made_by, p.refused, p.made_by_run, p.changes, p.held, "
      "(SELECT count(*) FROM plan_lines l WHERE l.plan_id=p.id AND l.state "
      " IN ('applied','already') AND l.approved_by IS NULL), "
      "(SELECT count(*) FROM plan_lines l WHERE l.plan_id=p.id AND l.state "
      " IN ('applied','already') AND l.approved_by IS NOT NULL), "
      "(SELECT count(*) FROM plan_lines l WHERE l.plan_id=p.id AND l.state "
      " NOT IN ('applied','already')), "
      "(SELECT max(run_id) FROM plan_runs r WHERE r.plan_id=p.id)"
      "%s ORDER BY p.created_epoch DESC, p.id DESC LIMIT ?3 OFFSET ?4",
      where);
  sqlite3_stmt *st = prepare(j, sql, "ttii", q->driver, q->id,
                             (long long)q->limit, (long long)q->offset);
  if (!st)
    return LPSA_ERR_INVALID;
  size_t cap = 0;
  int rc = LPSA_OK, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      journal_plan_info *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = LPSA_ERR_NOMEM;
        break;
      }
      *out = grown;
    }
    journal_plan_info *p = &(*out)[(*n)++];
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", text(st, 0));
    snprintf(p->created, sizeof p->created, "%s", text(st, 1));
    long long created_epoch = sqlite3_column_int64(st, 2);
    p->driver = dup_col(st, 3);
    p->path = dup_col(st, 4);
    p->made_by = dup_col(st, 5);
    p->refused = dup_col(st, 6);
    p->made_by_run = sqlite3_column_int64(st, 7);
    p->changes = sqlite3_column_int64(st, 8);
    p->held = sqlite3_column_int64(st, 9);
    p->written = sqlite3_column_int64(st, 10);
    p->approved = sqlite3_column_int64(st, 11);
    p->skipped = sqlite3_column_int64(st, 12);
    p->last_run = sqlite3_column_int64(st, 13);
    p->fate = fate_of(p, q->now, q->max_age, created_epoch);
  }
  if (rc == LPSA_OK && step != SQLITE_DONE)
    rc = LPSA_ERR_INVALID;
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    journal_plans_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int journal_plans_list(journal *j, long long now, long long max_age, int limit,
                       journal_plan_info **out, size_t *n) {
  journal_plans_query q = {.now = now, .max_age = max_age, .limit = limit};
  return journal_plans_find(j, &q, out, n, NULL);
}

void journal_plans_free(journal_plan_info *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(p[i].driver);
    free(p[i].path);
    free(p[i].made_by);
    free(p[i].refused);
  }
  free(p);
}

static json_object *str_or_null(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

int journal_print_plans(journal *j, FILE *out, int json, long long now,
                        long long max_age, int limit) {
  journal_plan_info *p;
  size_t n;
  int rc = journal_plans_list(j, now, max_age, limit, &p, &n);
  if (rc != LPSA_OK)
    return rc;
  if (json) {
    json_object *root = json_object_new_object();
    json_object_object_add(root, "schema",
                           json_object_new_string("lpsa.history-plans/1"));
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
      json_object *o = json_object_new_object();
      json_object_object_add(o, "plan_id", json_object_new_string(p[i].id));
      json_object_object_add(o, "created",
                             json_object_new_string(p[i].created));
      json_object_object_add(o, "driver", str_or_null(p[i].driver));
      json_object_object_add(o, "path", str_or_null(p[i].path));
      json_object_object_add(o, "made_by_run",
                             json_object_new_int64(p[i].made_by_run));
      json_object_object_add(o, "made_by", str_or_null(p[i].made_by));
      json_object_object_add(o, "changes", json_object_new_int64(p[i].changes));
      json_object_object_add(o, "held", json_object_new_int64(p[i].held));
      json_object_object_add(o, "written", json_object_new_int64(p[i].written));
      json_object_object_add(o, "approved",
                             json_object_new_int64(p[i].approved));
      json_object_object_add(o, "not_written",
                             json_object_new_int64(p[i].skipped));
      json_object_object_add(
          o, "last_run",
          p[i].last_run ? json_object_new_int64(p[i].last_run) : NULL);
      json_object_object_add(o, "fate", json_object_new_string(p[i].fate));
      json_object_object_add(o, "refused", str_or_null(p[i].refused));
      json_object_array_add(list, o);
    }
    json_object_object_add(root, "plans", list);
    fprintf(out, "%s\n",
            json_object_to_json_string_ext(root,
                                           JSON_C_TO_STRING_PRETTY |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(root);
  } else {
    fprintf(out, "%-28s %-20s %-12s %7s %4s %7s %4s  %s\n", "PLAN", "CREATED",
            "DRIVER", "CHANGES", "HELD", "WRITTEN", "RUN", "FATE");
    for (size_t i = 0; i < n; i++) {
      char runs[24] = "-";
      if (p[i].last_run)
        snprintf(runs, sizeof runs, "%lld", p[i].last_run);
      fprintf(out, "%-28s %-20s %-12s %7lld %4lld %7lld %4s  %s", p[i].id,
              p[i].created, p[i].driver ? p[i].driver : "", p[i].changes,
              p[i].held, p[i].written + p[i].approved, runs, p[i].fate);
      if (p[i].skipped)
        fprintf(out, " (%lld not written)", p[i].skipped);
      if (strcmp(p[i].fate, "refused") == 0 && p[i].refused)
        fprintf(out, ": %s", p[i].refused);
      fputc('\n', out);
    }
    if (n == 0)
      fputs("no plans yet: `lpsa-host plan` saves one\n", out);
  }
  journal_plans_free(p, n);
  return LPSA_OK;
}
