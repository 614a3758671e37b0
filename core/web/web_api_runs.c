/* SPDX-License-Identifier: MIT */
/*
 * web_api_runs.c — the History page's data: GET /api/v1/runs (filtered and
 * paginated in SQL), GET /api/v1/runs/{id} (one run: its report, its
 * companies filtered and paginated, each with what the journal recorded of
 * its change, the plan it applied and who approved which held change), GET
 * /api/v1/companies/{id} (one customer's counts over time).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "journal_plans.h"
#include "mapping.h"
#include "web_db.h"
#include "web_report.h"
#include "web_router.h"

static json_object *str(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

static json_object *copy(json_object *o) {
  json_object *out = NULL;
  if (o)
    json_object_deep_copy(o, &out, NULL);
  return out;
}

static int valid_date(const char *s) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
      return 0;
  return 1;
}

static int one_of(const char *v, const char *const *list) {
  for (; *list; list++)
    if (strcmp(v, *list) == 0)
      return 1;
  return 0;
}

/* page/per_page: 0 or -1 (answered). */
static int paging(web_request *req, web_reply *rep, long long def,
                  long long *page, long long *per_page) {
  return web_query_int(req, rep, "page", 1, 1, 1000000, page) ||
                 web_query_int(req, rep, "per_page", def, 1, 200, per_page)
             ? -1
             : 0;
}

static json_object *page_meta(json_object *o, long long total, long long page,
                              long long per_page) {
  json_object_object_add(o, "total", json_object_new_int64(total));
  json_object_object_add(o, "page", json_object_new_int64(page));
  json_object_object_add(o, "per_page", json_object_new_int64(per_page));
  return o;
}

static json_object *run_json(sqlite3_stmt *st) {
  json_object *r = json_object_new_object();
  json_object_object_add(r, "run_id",
                         json_object_new_int64(sqlite3_column_int64(st, 0)));
  json_object_object_add(r, "started", str(web_db_text(st, 1)));
  json_object_object_add(r, "finished",
                         sqlite3_column_type(st, 2) == SQLITE_NULL
                             ? NULL
                             : str(web_db_text(st, 2)));
  json_object_object_add(r, "driver", str(web_db_text(st, 3)));
  json_object_object_add(r, "mode", str(web_db_text(st, 4)));
  json_object_object_add(r, "result", str(web_db_text(st, 5)));
  json_object_object_add(r, "exit_code",
                         sqlite3_column_type(st, 6) == SQLITE_NULL
                             ? NULL
                             : json_object_new_int(sqlite3_column_int(st, 6)));
  json_object *summary = json_tokener_parse(web_db_text(st, 7));
  json_object_object_add(r, "summary",
                         summary ? summary : json_object_new_object());
  return r;
}

/* ---- GET /api/v1/runs --------------------------------------------------- */

void web_api_runs_list(web_request *req, web_reply *rep) {
  static const char *const outcomes[] = {
      "ok", "problems", "aborted", "stopped", "interrupted", "running", NULL};
  static const char *const modes[] = {"apply", "dry-run", NULL};
  const char *from = web_query(req, "from"), *to = web_query(req, "to");
  const char *outcome = web_query(req, "outcome"),
             *mode = web_query(req, "mode");
  const char *company = web_query(req, "company");
  const char *driver = web_query(req, "driver");
  long long page, per_page;
  if (paging(req, rep, 25, &page, &per_page))
    return;
  if ((from && !valid_date(from)) || (to && !valid_date(to))) {
    web_reply_error(rep, 400, "bad_request",
                    "from and to are dates written YYYY-MM-DD (UTC)");
    return;
  }
  if (outcome && !one_of(outcome, outcomes)) {
    web_reply_error(rep, 400, "bad_request",
                    "outcome is one of ok, problems, aborted, stopped, "
                    "interrupted, running");
    return;
  }
  if (mode && !one_of(mode, modes)) {
    web_reply_error(rep, 400, "bad_request", "mode is apply or dry-run");
    return;
  }
  char to_end[32] = "";
  if (to)
    snprintf(to_end, sizeof to_end, "%sT99", to);
  const char *where =
      " FROM runs WHERE (?1 IS NULL OR started >= ?1) AND (?2 IS NULL OR "
      "started < ?2) AND (?3 IS NULL OR result = ?3) AND (?4 IS NULL OR mode "
      "= ?4) AND (?5 IS NULL OR driver = ?5) AND (?6 IS NULL OR EXISTS "
      "(SELECT 1 FROM changes c WHERE c.lastpass_id = ?6 AND c.run_id = "
      "runs.id))";
  const char *binds[6] = {from,   to ? to_end : NULL, outcome, mode, driver,
                          company};
  char sql[1024];
  long long total = 0;
  json_object *runs = json_object_new_array();
  for (int pass = 0; pass < 2; pass++) {
    snprintf(sql, sizeof sql, "%s%s%s",
             pass ? "SELECT id, started, finished, driver, mode, result, "
                    "exit_code, summary"
                  : "SELECT count(*)",
             where, pass ? " ORDER BY id DESC LIMIT ?7 OFFSET ?8" : "");
    sqlite3_stmt *st;
    if (!req->c->db ||
        sqlite3_prepare_v2(req->c->db, sql, -1, &st, NULL) != SQLITE_OK) {
      json_object_put(runs);
      web_reply_error(rep, 500, "journal", "cannot read the journal: %s",
                      req->c->db ? sqlite3_errmsg(req->c->db) : "not open");
      return;
    }
    for (int i = 0; i < 6; i++)
      if (binds[i])
        sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_TRANSIENT);
    if (pass) {
      sqlite3_bind_int64(st, 7, per_page);
      sqlite3_bind_int64(st, 8, (page - 1) * per_page);
      while (sqlite3_step(st) == SQLITE_ROW)
        json_object_array_add(runs, run_json(st));
    } else if (sqlite3_step(st) == SQLITE_ROW) {
      total = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
  }
  json_object *root =
      page_meta(json_object_new_object(), total, page, per_page);
  json_object_object_add(root, "runs", runs);
  web_reply_json(rep, 200, root);
}

/* ---- GET /api/v1/runs/{id} ---------------------------------------------- */

static int parse_id(const char *s, long long *out) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (*end || end == s || v <= 0)
    return -1;
  *out = v;
  return 0;
}

/* What the journal recorded of each company's change in this run (and of
 * earlier changes this run resolved): lastpass_id -> {state, observed,
 * message, change_id}. */
static json_object *changes_of(web_console *c, long long run_id, long long *n) {
  json_object *by = json_object_new_object();
  *n = 0;
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(c->db,
                         "SELECT id, lastpass_id, state, observed, message, "
                         "old_quantity, new_quantity, ts FROM changes WHERE "
                         "run_id = ?1 OR resolved_by = ?1 ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    return by;
  sqlite3_bind_int64(st, 1, run_id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_object *ch = json_object_new_object();
    json_object_object_add(ch, "change_id",
                           json_object_new_int64(sqlite3_column_int64(st, 0)));
    json_object_object_add(ch, "state", str(web_db_text(st, 2)));
    json_object_object_add(
        ch, "observed",
        sqlite3_column_type(st, 3) == SQLITE_NULL
            ? NULL
            : json_object_new_int64(sqlite3_column_int64(st, 3)));
    json_object_object_add(ch, "message", str(web_db_text(st, 4)));
    json_object_object_add(ch, "old_quantity",
                           json_object_new_int64(sqlite3_column_int64(st, 5)));
    json_object_object_add(ch, "new_quantity",
                           json_object_new_int64(sqlite3_column_int64(st, 6)));
    json_object_object_add(ch, "ts", str(web_db_text(st, 7)));
    json_object_object_add(by, web_db_text(st, 1), ch);
    (*n)++;
  }
  sqlite3_finalize(st);
  return by;
}

/* Who released which held change in this run (the journal's approvals,
 * written by the run itself): [{lastpass_id, lastpass_name, line_id,
 * codes, old_quantity, new_quantity, approved_by, ts}]. */
static json_object *approvals_of(web_console *c, long long run_id) {
  json_object *arr = json_object_new_array();
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(c->db,
                         "SELECT lastpass_id, lastpass_name, line_id, codes, "
                         "old_quantity, new_quantity, approved_by, ts FROM "
                         "approvals WHERE run_id = ? ORDER BY id",
                         -1, &st, NULL) != SQLITE_OK)
    return arr;
  sqlite3_bind_int64(st, 1, run_id);
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_object *a = json_object_new_object();
    json_object_object_add(a, "lastpass_id", str(web_db_text(st, 0)));
    json_object_object_add(a, "lastpass_name", str(web_db_text(st, 1)));
    json_object_object_add(a, "line_id", str(web_db_text(st, 2)));
    json_object_object_add(a, "codes", str(web_db_text(st, 3)));
    json_object_object_add(a, "old_quantity",
                           json_object_new_int64(sqlite3_column_int64(st, 4)));
    json_object_object_add(a, "new_quantity",
                           json_object_new_int64(sqlite3_column_int64(st, 5)));
    json_object_object_add(a, "approved_by", str(web_db_text(st, 6)));
    json_object_object_add(a, "ts", str(web_db_text(st, 7)));
    json_object_array_add(arr, a);
  }
  sqlite3_finalize(st);
  return arr;
}

void web_api_run_detail(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  long long id, page, per_page;
  if (parse_id(req->param, &id)) {
    web_reply_error(rep, 400, "bad_request", "a run id is a number");
    return;
  }
  if (paging(req, rep, 50, &page, &per_page))
    return;
  static const char *const statuses[] = {
      "updated", "unchanged", "planned", "skipped", "held", "error", NULL};
  const char *status = web_query(req, "status"), *q = web_query(req, "q");
  if (status && !one_of(status, statuses)) {
    web_reply_error(rep, 400, "bad_request",
                    "status is one of updated, unchanged, planned, skipped, "
                    "held, error");
    return;
  }
  sqlite3_stmt *st;
  if (!c->db || sqlite3_prepare_v2(c->db,
                                   "SELECT id, started, finished, driver, "
                                   "mode, result, exit_code, summary, "
                                   "driver_version FROM runs WHERE id = ?",
                                   -1, &st, NULL) != SQLITE_OK) {
    web_reply_error(rep, 500, "journal", "cannot read the journal");
    return;
  }
  sqlite3_bind_int64(st, 1, id);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_finalize(st);
    web_reply_error(rep, 404, "not_found", "no run %lld in the journal", id);
    return;
  }
  json_object *root = run_json(st);
  json_object_object_add(root, "driver_version", str(web_db_text(st, 8)));
  sqlite3_finalize(st);
  json_object *report = web_report_of(c, id);
  static const char *const keys[] = {"aborted", "billing_cycle", "requests",
                                     "findings"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    json_object_object_add(root, keys[i], copy(web_json_get(report, keys[i])));
  long long n_changes;
  json_object *changes = changes_of(c, id, &n_changes);
  json_object_object_add(root, "changes_total",
                         json_object_new_int64(n_changes));
  char plan_id[PLAN_ID_LEN];
  json_object_object_add(root, "plan_id",
                         c->journal && journal_run_plan(c->journal, id, plan_id)
                             ? str(plan_id)
                             : NULL);
  json_object_object_add(root, "approvals", approvals_of(c, id));
  json_object *all = web_json_get(report, "companies");
  size_t n = all ? json_object_array_length(all) : 0;
  json_object *items = json_object_new_array();
  long long total = 0, first = (page - 1) * per_page;
  for (size_t i = 0; i < n; i++) {
    json_object *co = json_object_array_get_idx(all, i);
    const char *lp = web_json_string(co, "lastpass_id");
    if (status && !(web_json_string(co, "status") &&
                    strcmp(web_json_string(co, "status"), status) == 0))
      continue;
    if (q && !web_text_contains(lp, q) &&
        !web_text_contains(web_json_string(co, "lastpass_name"), q) &&
        !web_text_contains(web_json_string(co, "psa_company_id"), q) &&
        !web_text_contains(web_json_string(co, "psa_company_name"), q))
      continue;
    if (total >= first && total < first + per_page) {
      json_object *item = copy(co);
      json_object_object_add(item, "change",
                             copy(lp ? web_json_get(changes, lp) : NULL));
      json_object_array_add(items, item);
    }
    total++;
  }
  json_object_put(changes);
  json_object_put(report);
  json_object *companies =
      page_meta(json_object_new_object(), total, page, per_page);
  json_object_object_add(companies, "items", items);
  json_object_object_add(root, "companies", companies);
  web_reply_json(rep, 200, root);
}

/* ---- GET /api/v1/companies/{id} ----------------------------------------- */

static json_object *mapping_row_of(web_console *c, const char *id) {
  mapping m;
  char err[256];
  if (!c->mapping_file || mapping_load(c->mapping_file, &m, err, sizeof err))
    return NULL;
  json_object *row = NULL;
  for (size_t i = 0; i < m.n_rows && !row; i++)
    if (strcmp(m.rows[i].lastpass_company_id, id) == 0) {
      row = json_object_new_object();
      json_object_object_add(row, "psa_company_id",
                             str(m.rows[i].psa_company_id));
      json_object_object_add(row, "agreement_id", str(m.rows[i].agreement_id));
      json_object_object_add(row, "note", str(m.rows[i].note));
      json_object_object_add(row, "line", json_object_new_int(m.rows[i].line));
    }
  mapping_free(&m);
  return row;
}

void web_api_company(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  long long page, per_page;
  if (paging(req, rep, 50, &page, &per_page))
    return;
  const char *id = req->param;
  json_object *root = json_object_new_object();
  json_object_object_add(root, "lastpass_id", str(id));
  long long run = 0;
  json_object *report = web_report_latest(c, &run);
  json_object *latest = NULL;
  json_object *all = web_json_get(report, "companies");
  for (size_t i = 0; all && i < json_object_array_length(all) && !latest; i++) {
    json_object *co = json_object_array_get_idx(all, i);
    const char *lp = web_json_string(co, "lastpass_id");
    if (lp && strcmp(lp, id) == 0)
      latest = copy(co);
  }
  json_object_object_add(root, "lastpass_name",
                         str(web_json_string(latest, "lastpass_name")));
  json_object_object_add(root, "latest_run",
                         run ? json_object_new_int64(run) : NULL);
  json_object_object_add(root, "latest", latest);
  json_object_object_add(root, "mapping", mapping_row_of(c, id));
  json_object *history = json_object_new_array();
  long long total = 0;
  sqlite3_stmt *st;
  if (c->db && sqlite3_prepare_v2(
                   c->db, "SELECT count(*) FROM changes WHERE lastpass_id = ?",
                   -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW)
      total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  if (c->db && sqlite3_prepare_v2(
                   c->db,
                   "SELECT c.id, c.run_id, c.ts, c.old_quantity, "
                   "c.new_quantity, c.state, c.observed, c.message, "
                   "c.psa_company_id, c.line_id, r.mode, r.driver FROM "
                   "changes c LEFT JOIN runs r ON r.id = c.run_id WHERE "
                   "c.lastpass_id = ? ORDER BY c.id DESC LIMIT ? OFFSET ?",
                   -1, &st, NULL) == SQLITE_OK) {
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, per_page);
    sqlite3_bind_int64(st, 3, (page - 1) * per_page);
    while (sqlite3_step(st) == SQLITE_ROW) {
      json_object *h = json_object_new_object();
      json_object_object_add(
          h, "change_id", json_object_new_int64(sqlite3_column_int64(st, 0)));
      json_object_object_add(
          h, "run_id", json_object_new_int64(sqlite3_column_int64(st, 1)));
      json_object_object_add(h, "ts", str(web_db_text(st, 2)));
      json_object_object_add(
          h, "old_quantity",
          json_object_new_int64(sqlite3_column_int64(st, 3)));
      json_object_object_add(
          h, "new_quantity",
          json_object_new_int64(sqlite3_column_int64(st, 4)));
      json_object_object_add(h, "state", str(web_db_text(st, 5)));
      json_object_object_add(
          h, "observed",
          sqlite3_column_type(st, 6) == SQLITE_NULL
              ? NULL
              : json_object_new_int64(sqlite3_column_int64(st, 6)));
      json_object_object_add(h, "message", str(web_db_text(st, 7)));
      json_object_object_add(h, "psa_company_id", str(web_db_text(st, 8)));
      json_object_object_add(h, "line_id", str(web_db_text(st, 9)));
      json_object_object_add(h, "mode", str(web_db_text(st, 10)));
      json_object_object_add(h, "driver", str(web_db_text(st, 11)));
      json_object_array_add(history, h);
    }
    sqlite3_finalize(st);
  }
  json_object *hist =
      page_meta(json_object_new_object(), total, page, per_page);
  json_object_object_add(hist, "items", history);
  json_object_object_add(root, "history", hist);
  web_reply_json(rep, 200, root);
}
