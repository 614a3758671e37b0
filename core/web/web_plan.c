/* SPDX-License-Identifier: MIT */
/*
 * web_plan.c — plans read, checked, cached and sorted for the Plan page.
 */
#include "web_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "approval.h"
#include "digest.h"
#include "host_api.h"
#include "plan_doc.h"
#include "plan_replay.h"
#include "web_console.h"
#include "web_db.h"
#include "web_report.h"

#define PLAN_FILE_MAX (64L * 1024 * 1024)
#define EXAMPLES 3

void web_plan_free(web_plan *p) {
  if (!p)
    return;
  free(p->path);
  json_object_put(p->doc);
  plan_doc_free(&p->plan);
  free(p->kind);
  free(p->approvable);
  json_object_put(p->problems);
  free(p);
}

/* ---- sorting the companies ---------------------------------------------- */

static int sev_rank(const char *sev) {
  return sev && strcmp(sev, "error") == 0 ? 0 : 1;
}

/* Count one finding of a company (or of the run: company NULL) into its
 * rule's group, keeping a few examples. */
static void group(json_object *groups, json_object *rule,
                  json_object *company) {
  const char *code = web_json_string(rule, "code");
  const char *sev = web_json_string(rule, "severity");
  if (!code || !sev || strcmp(sev, "info") == 0 || approval_is_hold(code))
    return;
  json_object *g = NULL;
  for (size_t i = 0; i < json_object_array_length(groups) && !g; i++) {
    json_object *x = json_object_array_get_idx(groups, i);
    if (strcmp(web_json_string(x, "code"), code) == 0)
      g = x;
  }
  if (!g) {
    g = json_object_new_object();
    json_object_object_add(g, "code", json_object_new_string(code));
    json_object_object_add(g, "severity", json_object_new_string(sev));
    json_object_object_add(g, "companies", json_object_new_int(0));
    json_object_object_add(g, "run_findings", json_object_new_int(0));
    json_object_object_add(g, "examples", json_object_new_array());
    json_object_array_add(groups, g);
  }
  json_object_int_inc(web_json_get(g, company ? "companies" : "run_findings"),
                      1);
  json_object *ex = web_json_get(g, "examples");
  if (json_object_array_length(ex) >= EXAMPLES)
    return;
  json_object *e = json_object_new_object();
  json_object_object_add(
      e, "lastpass_id",
      company ? json_object_get(web_json_get(company, "lastpass_id")) : NULL);
  json_object_object_add(
      e, "lastpass_name",
      company ? json_object_get(web_json_get(company, "lastpass_name")) : NULL);
  json_object_object_add(e, "message",
                         json_object_get(web_json_get(rule, "message")));
  json_object_array_add(ex, e);
}

static int by_severity_then_count(const void *a, const void *b) {
  json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
  int sx = sev_rank(web_json_string(x, "severity"));
  int sy = sev_rank(web_json_string(y, "severity"));
  if (sx != sy)
    return sx - sy;
  int cx = json_object_get_int(web_json_get(x, "companies"));
  int cy = json_object_get_int(web_json_get(y, "companies"));
  if (cx != cy)
    return cy - cx;
  return strcmp(web_json_string(x, "code"), web_json_string(y, "code"));
}

static int sort(web_plan *p) {
  json_object *companies = web_json_get(p->doc, "companies");
  p->n = companies ? json_object_array_length(companies) : 0;
  p->kind = calloc(p->n + 1, 1);
  p->approvable = calloc(p->n + 1, 1);
  p->problems = json_object_new_array();
  if (!p->kind || !p->approvable || !p->problems)
    return -1;
  for (size_t i = 0; i < p->n; i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    const char *status = web_json_string(co, "status");
    json_object *change = web_json_get(co, "change");
    web_plan_kind k = WEB_PLAN_OTHER;
    if (status && strcmp(status, "error") == 0)
      k = WEB_PLAN_ERROR;
    else if (status && strcmp(status, "held") == 0)
      k = WEB_PLAN_HELD;
    else if (change)
      k = WEB_PLAN_CHANGE;
    p->kind[i] = (unsigned char)k;
    p->counts[k]++;
    /* Only a held change with a target can be released (approval.h). */
    if (k == WEB_PLAN_HELD && change &&
        json_object_get_boolean(web_json_get(change, "held"))) {
      p->approvable[i] = 1;
      p->approvable_total++;
    }
    json_object *rules = web_json_get(co, "rules");
    for (size_t r = 0; rules && r < json_object_array_length(rules); r++)
      group(p->problems, json_object_array_get_idx(rules, r), co);
  }
  json_object *findings = web_json_get(p->doc, "findings");
  for (size_t r = 0; findings && r < json_object_array_length(findings); r++)
    group(p->problems, json_object_array_get_idx(findings, r), NULL);
  json_object_array_sort(p->problems, by_severity_then_count);
  return 0;
}

/* ---- loading ------------------------------------------------------------ */

static int load(const char *path, const struct stat *st, web_plan **out,
                char *err, size_t errlen) {
  *out = NULL;
  if (!S_ISREG(st->st_mode) || st->st_size > PLAN_FILE_MAX) {
    snprintf(err, errlen, "the plan %s is not a regular file of at most 64 MiB",
             path);
    return -1;
  }
  FILE *f = fopen(path, "rbe");
  if (!f) {
    snprintf(err, errlen, "cannot read the plan %s: %s", path, strerror(errno));
    return -1;
  }
  size_t len = (size_t)st->st_size;
  char *text = malloc(len + 1);
  size_t got = text ? fread(text, 1, len, f) : 0;
  fclose(f);
  if (!text || got != len) {
    free(text);
    snprintf(err, errlen, "cannot read the plan %s: %s", path,
             text ? "it changed while being read" : "out of memory");
    return -1;
  }
  text[len] = '\0';
  web_plan *p = calloc(1, sizeof *p);
  if (!p || !(p->path = strdup(path))) {
    free(p);
    free(text);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (plan_doc_parse(text, len, path, &p->plan, err, errlen) != 0) {
    free(text);
    web_plan_free(p);
    return -1;
  }
  p->doc = json_tokener_parse(text);
  free(text);
  if (!p->doc || sort(p) != 0) {
    web_plan_free(p);
    snprintf(err, errlen, "cannot read the plan %s: out of memory", path);
    return -1;
  }
  snprintf(p->id, sizeof p->id, "%s", p->plan.meta.id);
  p->mtime = st->st_mtim;
  p->ino = st->st_ino;
  p->size = st->st_size;
  *out = p;
  return 0;
}

int web_plan_open(web_console *c, const char *id, web_plan **out,
                  journal_plan_info **info, int *status, char *err,
                  size_t errlen) {
  *out = NULL;
  *info = NULL;
  if (!c->journal) {
    *status = 500;
    snprintf(err, errlen, "the journal in %s is not open", c->state_dir);
    return -1;
  }
  int latest = strcmp(id, "latest") == 0;
  journal_plans_query q = {.now = (long long)web_console_run_now(c),
                           .max_age = c->plan_max_age,
                           .driver = latest ? c->driver_name : NULL,
                           .id = latest ? NULL : id,
                           .limit = 1};
  size_t n = 0;
  if (journal_plans_find(c->journal, &q, info, &n, NULL) != 0) {
    *status = 500;
    snprintf(err, errlen, "cannot read the plans from the journal: %s",
             journal_error(c->journal));
    return -1;
  }
  if (n == 0) {
    *status = 404;
    if (latest)
      snprintf(err, errlen,
               "no plan of %s yet: make one (POST /api/v1/plans, or "
               "`lpsa-host plan`)",
               c->driver_name ? c->driver_name : "any driver");
    else
      snprintf(err, errlen, "no plan %s in the journal", id);
    return -1;
  }
  journal_plan_info *pi = *info;
  struct stat st;
  if (!pi->path || stat(pi->path, &st) != 0) {
    *status = 404;
    snprintf(err, errlen,
             "the file of plan %s (%s) is gone: %s; make a new plan", pi->id,
             pi->path ? pi->path : "no path recorded",
             pi->path ? strerror(errno) : "");
    journal_plans_free(*info, 1);
    *info = NULL;
    return -1;
  }
  web_plan *cached = c->plan_cache;
  if (cached && strcmp(cached->path, pi->path) == 0 &&
      cached->ino == st.st_ino && cached->size == st.st_size &&
      cached->mtime.tv_sec == st.st_mtim.tv_sec &&
      cached->mtime.tv_nsec == st.st_mtim.tv_nsec) {
    *out = cached;
    return 0;
  }
  web_plan *p;
  if (load(pi->path, &st, &p, err, errlen) != 0) {
    *status = 409;
    journal_plans_free(*info, 1);
    *info = NULL;
    return -1;
  }
  if (strcmp(p->id, pi->id) != 0) {
    *status = 409;
    snprintf(err, errlen,
             "%s holds plan %s, not plan %s: the file was replaced; make a "
             "new plan",
             pi->path, p->id, pi->id);
    web_plan_free(p);
    journal_plans_free(*info, 1);
    *info = NULL;
    return -1;
  }
  web_plan_free(c->plan_cache);
  c->plan_cache = p;
  *out = p;
  return 0;
}

int web_plan_refusal(web_console *c, const web_plan *p, char *why, size_t cap) {
  char cfg[DIGEST_HEX_LEN] = "", map[DIGEST_HEX_LEN] = "", err[1024];
  if (!c->config_path ||
      digest_file_sha256(c->config_path, cfg, err, sizeof err) != 0) {
    snprintf(why, cap, "%s", c->config_path ? err : "no configuration file");
    return 1;
  }
  if (!c->mapping_file ||
      digest_file_sha256(c->mapping_file, map, err, sizeof err) != 0) {
    snprintf(why, cap, "%s",
             c->mapping_file ? err : "no mapping_file in [host]");
    return 1;
  }
  time_t now = web_console_run_now(c);
  char as_of[11];
  host_local_date(now, as_of);
  plan_facts f = {c->driver_name,
                  c->driver_id,
                  c->driver_version,
                  c->config_path,
                  cfg,
                  c->mapping_file,
                  map,
                  as_of,
                  (long long)now,
                  c->plan_max_age};
  return plan_replay_refusal(&p->plan, &f, why, cap);
}

json_object *web_plan_lines(web_console *c, const char *plan_id) {
  json_object *by = json_object_new_object();
  sqlite3_stmt *st;
  if (!c->db || sqlite3_prepare_v2(c->db,
                                   "SELECT lastpass_id, state, run_id, "
                                   "approved_by FROM plan_lines WHERE "
                                   "plan_id = ?",
                                   -1, &st, NULL) != SQLITE_OK)
    return by;
  sqlite3_bind_text(st, 1, plan_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    json_object *l = json_object_new_object();
    json_object_object_add(l, "state",
                           json_object_new_string(web_db_text(st, 1)));
    json_object_object_add(l, "run_id",
                           json_object_new_int64(sqlite3_column_int64(st, 2)));
    json_object_object_add(l, "approved_by",
                           sqlite3_column_type(st, 3) == SQLITE_NULL
                               ? NULL
                               : json_object_new_string(web_db_text(st, 3)));
    json_object_object_add(by, web_db_text(st, 0), l);
  }
  sqlite3_finalize(st);
  return by;
}

int web_plan_line_done(json_object *line) {
  const char *s = web_json_string(line, "state");
  return s && (strcmp(s, "applied") == 0 || strcmp(s, "already") == 0);
}
