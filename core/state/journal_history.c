/* SPDX-License-Identifier: MIT */
/*
 * journal_history.c — the journal read back, and its retention.
 */
#include "journal_history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_db.h"
#include "lpsa/status.h"

static const char *const run_columns =
    "id, started, finished, driver, driver_version, mode, result, exit_code, "
    "summary";

static int run_from_row(sqlite3_stmt *st, journal_run_info *r) {
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  r->started = journal_col_dup(st, 1);
  r->finished = journal_col_dup_or_null(st, 2);
  r->driver = journal_col_dup(st, 3);
  r->driver_version = journal_col_dup(st, 4);
  r->mode = journal_col_dup(st, 5);
  r->result = journal_col_dup(st, 6);
  r->has_exit_code = sqlite3_column_type(st, 7) != SQLITE_NULL;
  r->exit_code = sqlite3_column_int(st, 7);
  r->summary = journal_col_dup_or_null(st, 8);
  if (!r->started || !r->driver || !r->driver_version || !r->mode ||
      !r->result || (!r->finished && sqlite3_column_type(st, 2) != SQLITE_NULL))
    return LPSA_ERR_NOMEM;
  return LPSA_OK;
}

void journal_run_info_clear(journal_run_info *r) {
  if (!r)
    return;
  free(r->started);
  free(r->finished);
  free(r->driver);
  free(r->driver_version);
  free(r->mode);
  free(r->result);
  free(r->summary);
  free(r->report);
  memset(r, 0, sizeof *r);
}

void journal_runs_free(journal_run_info *runs, size_t n) {
  for (size_t i = 0; i < n; i++)
    journal_run_info_clear(&runs[i]);
  free(runs);
}

int journal_runs_list(journal *j, int limit, journal_run_info **out,
                      size_t *n) {
  *out = NULL;
  *n = 0;
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT %s FROM runs ORDER BY id DESC LIMIT ?",
           run_columns);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j), sql, -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  sqlite3_bind_int(st, 1, limit);
  size_t cap = 0;
  int rc = LPSA_OK, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      journal_run_info *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = LPSA_ERR_NOMEM;
        break;
      }
      *out = grown;
    }
    rc = run_from_row(st, &(*out)[(*n)++]);
    if (rc != LPSA_OK)
      break;
  }
  if (rc == LPSA_OK && step != SQLITE_DONE)
    rc = LPSA_ERR_INVALID;
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    journal_runs_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int journal_run_get(journal *j, long long run_id, journal_run_info *out) {
  memset(out, 0, sizeof *out);
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT %s, report FROM runs WHERE id=?",
           run_columns);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j), sql, -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  sqlite3_bind_int64(st, 1, run_id);
  int step = sqlite3_step(st);
  int rc = step == SQLITE_ROW    ? LPSA_OK
           : step == SQLITE_DONE ? LPSA_ERR_NOT_FOUND
                                 : LPSA_ERR_INVALID;
  if (rc == LPSA_OK && (rc = run_from_row(st, out)) == LPSA_OK) {
    /* Runs that never finished keep no report; older journals wrote "{}". */
    const char *report = journal_col_text(st, 9);
    if (report[0] && strcmp(report, "{}") != 0 &&
        !(out->report = strdup(report)))
      rc = LPSA_ERR_NOMEM;
  }
  sqlite3_finalize(st);
  if (rc != LPSA_OK)
    journal_run_info_clear(out);
  return rc;
}

/* The approvals table is kept by whoever records approvals; read only when
 * it has the columns this needs. */
static int has_approvals(journal *j) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j),
                         "SELECT count(*) FROM pragma_table_info('approvals') "
                         "WHERE name IN ('run_id','lastpass_id','approved_by')",
                         -1, &st, NULL) != SQLITE_OK)
    return 0;
  int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 3;
  sqlite3_finalize(st);
  return found;
}

static void change_clear(journal_change *c) {
  free(c->ts);
  free(c->driver);
  free(c->lastpass_id);
  free(c->lastpass_name);
  free(c->psa_company_id);
  free(c->agreement_id);
  free(c->line_id);
  free(c->product);
  free(c->effective_date);
  free(c->state);
  free(c->message);
  free(c->approved_by);
}

void journal_changes_free(journal_change *c, size_t n) {
  for (size_t i = 0; i < n; i++)
    change_clear(&c[i]);
  free(c);
}

static int change_from_row(sqlite3_stmt *st, journal_change *c) {
  memset(c, 0, sizeof *c);
  c->id = sqlite3_column_int64(st, 0);
  c->run_id = sqlite3_column_int64(st, 1);
  c->ts = journal_col_dup(st, 2);
  c->driver = journal_col_dup(st, 3);
  c->lastpass_id = journal_col_dup(st, 4);
  c->lastpass_name = journal_col_dup(st, 5);
  c->psa_company_id = journal_col_dup(st, 6);
  c->agreement_id = journal_col_dup(st, 7);
  c->line_id = journal_col_dup(st, 8);
  c->product = journal_col_dup(st, 9);
  c->old_quantity = sqlite3_column_int64(st, 10);
  c->new_quantity = sqlite3_column_int64(st, 11);
  c->effective_date = journal_col_dup(st, 12);
  c->state = journal_col_dup(st, 13);
  c->has_observed = sqlite3_column_type(st, 14) != SQLITE_NULL;
  c->observed = sqlite3_column_int64(st, 14);
  c->message = journal_col_dup(st, 15);
  c->resolved_by = sqlite3_column_int64(st, 16);
  c->approved_by = journal_col_dup(st, 17);
  return c->ts && c->driver && c->lastpass_id && c->lastpass_name &&
                 c->psa_company_id && c->agreement_id && c->line_id &&
                 c->product && c->effective_date && c->state && c->message &&
                 c->approved_by
             ? LPSA_OK
             : LPSA_ERR_NOMEM;
}

/* Run `where` (binding text params p1, p2 when not NULL, or run_id) over
 * the changes. */
static int list_changes(journal *j, const char *where, long long run_id,
                        const char *p1, const char *p2, journal_change **out,
                        size_t *n) {
  *out = NULL;
  *n = 0;
  char sql[1536];
  snprintf(sql, sizeof sql,
           "SELECT c.id, c.run_id, c.ts, c.driver, c.lastpass_id, "
           "c.lastpass_name, c.psa_company_id, c.agreement_id, c.line_id, "
           "c.product, c.old_quantity, c.new_quantity, c.effective_date, "
           "c.state, c.observed, c.message, c.resolved_by, %s "
           "FROM changes c WHERE %s ORDER BY c.id",
           has_approvals(j)
               ? "(SELECT group_concat(a.approved_by, ', ') FROM approvals a "
                 "WHERE a.run_id = c.run_id AND a.lastpass_id = "
                 "c.lastpass_id)"
               : "''",
           where);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j), sql, -1, &st, NULL) != SQLITE_OK)
    return LPSA_ERR_INVALID;
  if (p1) {
    sqlite3_bind_text(st, 1, p1, -1, SQLITE_TRANSIENT);
    if (p2)
      sqlite3_bind_text(st, 2, p2, -1, SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_int64(st, 1, run_id);
  }
  size_t cap = 0;
  int rc = LPSA_OK, step;
  while ((step = sqlite3_step(st)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? cap * 2 : 16;
      journal_change *grown = realloc(*out, cap * sizeof *grown);
      if (!grown) {
        rc = LPSA_ERR_NOMEM;
        break;
      }
      *out = grown;
    }
    rc = change_from_row(st, &(*out)[(*n)++]);
    if (rc != LPSA_OK)
      break;
  }
  if (rc == LPSA_OK && step != SQLITE_DONE)
    rc = LPSA_ERR_INVALID;
  sqlite3_finalize(st);
  if (rc != LPSA_OK) {
    journal_changes_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int journal_run_changes(journal *j, long long run_id, journal_change **out,
                        size_t *n) {
  return list_changes(j, "c.run_id = ?1 OR c.resolved_by = ?1", run_id, NULL,
                      NULL, out, n);
}

int journal_company_changes(journal *j, const char *lastpass_id,
                            const char *driver, journal_change **out,
                            size_t *n) {
  return list_changes(
      j, driver ? "c.lastpass_id = ?1 AND c.driver = ?2" : "c.lastpass_id = ?1",
      0, lastpass_id, driver, out, n);
}

int journal_latest_report(journal *j, const char *driver,
                          journal_run_info *run) {
  memset(run, 0, sizeof *run);
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j),
                         "SELECT id FROM runs WHERE report IS NOT NULL AND "
                         "report <> '{}' AND (?1 IS NULL OR driver = ?1) "
                         "ORDER BY id DESC LIMIT 1",
                         -1, &st, NULL) != SQLITE_OK)
    return -1;
  if (driver)
    sqlite3_bind_text(st, 1, driver, -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st);
  long long id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (step != SQLITE_ROW)
    return step == SQLITE_DONE ? 0 : -1;
  return journal_run_get(j, id, run) == LPSA_OK ? 1 : -1;
}

int journal_latest_company_entry(journal *j, const char *lastpass_id,
                                 const char *driver, journal_run_info *run,
                                 char **company_json) {
  memset(run, 0, sizeof *run);
  *company_json = NULL;
  /* Newest first, stopping at the first report that lists the company. */
  char sql[768];
  snprintf(sql, sizeof sql,
           "SELECT r.id, c.value FROM runs r, json_each(r.report, "
           "'$.companies') c WHERE r.report IS NOT NULL AND "
           "json_valid(r.report) AND (?2 IS NULL OR r.driver = ?2) AND "
           "json_extract(c.value, '$.lastpass_id') = ?1 "
           "ORDER BY r.id DESC LIMIT 1");
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(journal_sqlite(j), sql, -1, &st, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text(st, 1, lastpass_id, -1, SQLITE_TRANSIENT);
  if (driver)
    sqlite3_bind_text(st, 2, driver, -1, SQLITE_TRANSIENT);
  int step = sqlite3_step(st);
  long long id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  if (id)
    *company_json = journal_col_dup(st, 1);
  sqlite3_finalize(st);
  if (step != SQLITE_ROW)
    return step == SQLITE_DONE ? 0 : -1;
  if (!*company_json || journal_run_get(j, id, run) != LPSA_OK) {
    free(*company_json);
    *company_json = NULL;
    return -1;
  }
  return 1;
}

int journal_prune(journal *j, const char *cutoff, int *pruned) {
  *pruned = 0;
  static const char *const doomed =
      "SELECT id FROM runs WHERE started < ?1 AND result <> 'running' AND "
      "NOT EXISTS (SELECT 1 FROM changes c WHERE c.run_id = runs.id AND "
      "c.state IN ('intent', 'unconfirmed'))";
  char sql[512];
  sqlite3 *db = journal_sqlite(j);
  if (journal_begin(j) != LPSA_OK)
    return LPSA_ERR_INVALID;
  int ok = 1;
  for (int pass = 0; ok && pass < 2; pass++) {
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s IN (%s)",
             pass ? "runs" : "changes", pass ? "id" : "run_id", doomed);
    sqlite3_stmt *st;
    ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK;
    if (ok) {
      sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step(st) == SQLITE_DONE;
      if (ok && pass)
        *pruned = sqlite3_changes(db);
      sqlite3_finalize(st);
    }
  }
  if (!ok) {
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    *pruned = 0;
    return LPSA_ERR_INVALID;
  }
  return journal_commit(j);
}
