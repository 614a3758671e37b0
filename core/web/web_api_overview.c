/* SPDX-License-Identifier: MIT */
/*
 * web_api_overview.c — GET /api/v1/overview: the last run, the next one,
 * the open problems of the last run grouped by rule, and the checks that
 * cost nothing (files and the journal; `lpsa-host check` also tries the
 * remote APIs, which a page load must not).
 */
#include <stdio.h>
#include <string.h>

#include "lock.h"
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

/* The runs row as JSON, or NULL. `where` selects it. */
static json_object *run_row(web_console *c, const char *where) {
  char sql[512];
  snprintf(sql, sizeof sql,
           "SELECT id, started, finished, driver, driver_version, mode, "
           "result, exit_code, summary FROM runs WHERE (?1 IS NULL OR driver "
           "= ?1) %s ORDER BY id DESC LIMIT 1",
           where);
  sqlite3_stmt *st;
  if (!c->db || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  if (c->driver_name)
    sqlite3_bind_text(st, 1, c->driver_name, -1, SQLITE_TRANSIENT);
  json_object *r = NULL;
  if (sqlite3_step(st) == SQLITE_ROW) {
    r = json_object_new_object();
    json_object_object_add(r, "run_id",
                           json_object_new_int64(sqlite3_column_int64(st, 0)));
    json_object_object_add(r, "started", str(web_db_text(st, 1)));
    json_object_object_add(r, "finished",
                           sqlite3_column_type(st, 2) == SQLITE_NULL
                               ? NULL
                               : str(web_db_text(st, 2)));
    json_object_object_add(r, "driver", str(web_db_text(st, 3)));
    json_object_object_add(r, "driver_version", str(web_db_text(st, 4)));
    json_object_object_add(r, "mode", str(web_db_text(st, 5)));
    json_object_object_add(r, "result", str(web_db_text(st, 6)));
    json_object_object_add(
        r, "exit_code",
        sqlite3_column_type(st, 7) == SQLITE_NULL
            ? NULL
            : json_object_new_int(sqlite3_column_int(st, 7)));
    json_object *summary = json_tokener_parse(web_db_text(st, 8));
    json_object_object_add(r, "summary",
                           summary ? summary : json_object_new_object());
  }
  sqlite3_finalize(st);
  return r;
}

/* Count one finding into the per-code table. */
typedef struct problem {
  const char *code, *severity, *example;
  int companies;
} problem;

static void count(problem *p, size_t *n, size_t cap, json_object *rule) {
  const char *code = web_json_string(rule, "code");
  const char *sev = web_json_string(rule, "severity");
  if (!code || !sev || strcmp(sev, "info") == 0)
    return;
  for (size_t i = 0; i < *n; i++)
    if (strcmp(p[i].code, code) == 0) {
      p[i].companies++;
      return;
    }
  if (*n < cap)
    p[(*n)++] = (problem){code, sev, web_json_string(rule, "message"), 1};
}

static json_object *problems(json_object *report) {
  problem p[64];
  size_t n = 0;
  json_object *companies = web_json_get(report, "companies");
  size_t nc = companies ? json_object_array_length(companies) : 0;
  for (size_t i = 0; i < nc; i++) {
    json_object *rules =
        web_json_get(json_object_array_get_idx(companies, i), "rules");
    for (size_t k = 0; rules && k < json_object_array_length(rules); k++)
      count(p, &n, 64, json_object_array_get_idx(rules, k));
  }
  json_object *findings = web_json_get(report, "findings");
  for (size_t k = 0; findings && k < json_object_array_length(findings); k++)
    count(p, &n, 64, json_object_array_get_idx(findings, k));
  /* errors first, then by how many companies */
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0; j--) {
      int ej = strcmp(p[j].severity, "error") == 0;
      int ei = strcmp(p[j - 1].severity, "error") == 0;
      if (ej > ei || (ej == ei && p[j].companies > p[j - 1].companies)) {
        problem t = p[j];
        p[j] = p[j - 1];
        p[j - 1] = t;
      }
    }
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < n; i++) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "code", str(p[i].code));
    json_object_object_add(o, "severity", str(p[i].severity));
    json_object_object_add(o, "companies", json_object_new_int(p[i].companies));
    json_object_object_add(o, "example", str(p[i].example));
    json_object_array_add(arr, o);
  }
  return arr;
}

static json_object *next_run(web_console *c) {
  json_object *o = json_object_new_object();
  int daemon_here = c->daemon;
  int daemon_elsewhere =
      !daemon_here && lock_busy(c->state_dir, LOCK_DAEMON_FILE);
  time_t next = 0;
  const char *source = "none";
  if (daemon_here && c->next_run > 0) {
    next = c->next_run;
    source = "daemon";
  } else if (c->has_schedule) {
    next = schedule_next(&c->sched, web_console_now(c));
    source = daemon_elsewhere ? "daemon" : "schedule";
  }
  char at[32];
  if (next > 0)
    web_console_iso(next, at);
  json_object_object_add(o, "at", next > 0 ? str(at) : NULL);
  json_object_object_add(o, "source", str(source));
  json_object_object_add(o, "schedule", str(c->schedule_text));
  json_object_object_add(
      o, "daemon_running",
      json_object_new_boolean(daemon_here || daemon_elsewhere));
  json_object_object_add(
      o, "syncing",
      json_object_new_boolean(c->syncing ||
                              lock_busy(c->state_dir, LOCK_RUN_FILE)));
  return o;
}

static void check(json_object *arr, const char *status, const char *what,
                  const char *detail) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "status", str(status));
  json_object_object_add(o, "what", str(what));
  json_object_object_add(o, "detail", str(detail));
  json_object_array_add(arr, o);
}

static json_object *checks(web_console *c) {
  json_object *arr = json_object_new_array();
  char msg[8192];
  if (!c->mapping_file) {
    check(arr, "fail", "mapping file",
          "[host] sets no mapping_file; nothing is billed");
  } else {
    mapping m;
    if (mapping_load(c->mapping_file, &m, msg, sizeof msg) != 0) {
      check(arr, "fail", "mapping file", msg);
    } else {
      mapping_dups d;
      size_t dups = 0;
      if (mapping_find_duplicates(&m, &d) == 0) {
        dups = d.n;
        mapping_dups_free(&d);
      }
      snprintf(msg, sizeof msg, "%s: %zu rows%s", c->mapping_file, m.n_rows,
               dups ? "; some companies are mapped twice (MAPPING_DUPLICATE)"
                    : "");
      check(arr, dups || !m.n_rows ? "warn" : "ok", "mapping file", msg);
      mapping_free(&m);
    }
  }
  const web_users *u = web_console_users(c);
  if (!u) {
    check(arr, "fail", "users file", c->users_error);
  } else {
    size_t approvers = 0;
    for (size_t i = 0; i < u->n; i++)
      approvers += u->items[i].role == WEB_ROLE_APPROVER;
    snprintf(msg, sizeof msg, "%zu users, %zu approvers", u->n, approvers);
    check(arr, approvers ? "ok" : "warn", "console users", msg);
  }
  check(arr, c->db ? "ok" : "fail", "journal", c->state_dir);
  check(arr,
        c->tls             ? "ok"
        : c->addr.loopback ? "ok"
                           : "fail",
        "console connection",
        c->tls ? "HTTPS" : "HTTP on loopback only (no TLS needed)");
  return arr;
}

void web_api_overview(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  json_object *root = json_object_new_object();
  json_object *last = run_row(c, "");
  long long latest = 0;
  json_object *report = web_report_latest(c, &latest);
  if (last && report) {
    long long id = json_object_get_int64(web_json_get(last, "run_id"));
    /* the row may be a run still going: its report is the finished one's */
    if (id == latest) {
      json_object_object_add(last, "requests",
                             copy(web_json_get(report, "requests")));
      json_object_object_add(last, "aborted",
                             copy(web_json_get(report, "aborted")));
      json_object_object_add(last, "billing_cycle",
                             copy(web_json_get(report, "billing_cycle")));
    }
  }
  json_object_object_add(root, "last_run", last);
  json_object_object_add(root, "last_apply",
                         run_row(c, "AND mode = 'apply' AND result != "
                                    "'running'"));
  json_object_object_add(root, "next_run", next_run(c));
  json_object_object_add(root, "problems_run",
                         latest ? json_object_new_int64(latest) : NULL);
  json_object_object_add(root, "problems", problems(report));
  json_object_object_add(root, "checks", checks(c));
  web_reply_json(rep, 200, root);
}
