/* SPDX-License-Identifier: MIT */
/*
 * web_api_mapping.c — the Mapping page's data and edits:
 *   GET    /api/v1/mapping            every row with the names the latest
 *                                     run knows, then the companies no row
 *                                     maps, with map suggest's proposal
 *   POST   /api/v1/mapping/rows       add a row
 *   PUT    /api/v1/mapping/rows/{id}  change the row of LastPass company id
 *   DELETE /api/v1/mapping/rows/{id}  remove it
 *   GET    /api/v1/mapping/backups    the backups the edits left
 * Edits go through web_mapping_edit.h and are journaled (web_audit.h).
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mapping.h"
#include "strmap.h"
#include "web_mapping_edit.h"
#include "web_report.h"
#include "web_router.h"
#include "web_suggest.h"

static json_object *str(const char *s) {
  return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *codes(json_object *company) {
  json_object *arr = json_object_new_array();
  json_object *rules = web_json_get(company, "rules");
  for (size_t i = 0; rules && i < json_object_array_length(rules); i++) {
    const char *code =
        web_json_string(json_object_array_get_idx(rules, i), "code");
    if (code)
      json_object_array_add(arr, json_object_new_string(code));
  }
  return arr;
}

static int matches(const char *q, const char *const *fields, size_t n) {
  if (!q)
    return 1;
  for (size_t i = 0; i < n; i++)
    if (web_text_contains(fields[i], q))
      return 1;
  return 0;
}

static json_object *suggestion(web_console *c, const char *lastpass_id) {
  json_object *s = web_suggest_for(c, lastpass_id), *out = NULL;
  if (s)
    json_object_deep_copy(s, &out, NULL);
  return out;
}

void web_api_mapping_get(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  const char *view = web_query(req, "view"), *q = web_query(req, "q");
  long long page, per_page;
  if (web_query_int(req, rep, "page", 1, 1, 1000000, &page) ||
      web_query_int(req, rep, "per_page", 50, 1, 200, &per_page))
    return;
  if (view && strcmp(view, "all") && strcmp(view, "mapped") &&
      strcmp(view, "unmapped")) {
    web_reply_error(rep, 400, "bad_request", "view is all, mapped or unmapped");
    return;
  }
  int want_mapped = !view || strcmp(view, "unmapped") != 0;
  int want_unmapped = !view || strcmp(view, "mapped") != 0;
  char *text = NULL, version[WEB_MAP_VERSION_LEN + 1] = "";
  size_t len = 0;
  char err[8192] = "";
  mapping m = {0};
  int parsed = 0;
  if (!c->mapping_file)
    snprintf(err, sizeof err, "[host] sets no mapping_file");
  else if (web_mapping_read(c->mapping_file, &text, &len, version, err,
                            sizeof err) == 0 &&
           text)
    parsed = mapping_parse_buffer(text, len, c->mapping_file, &m, err,
                                  sizeof err) == 0;
  free(text);
  long long run = 0;
  json_object *report = web_report_latest(c, &run);
  json_object *companies = web_json_get(report, "companies");
  size_t nc = companies ? json_object_array_length(companies) : 0;
  strmap by_id = {0}, mapped = {0};
  for (size_t i = 0; i < nc; i++) {
    const char *id =
        web_json_string(json_object_array_get_idx(companies, i), "lastpass_id");
    if (id)
      strmap_put(&by_id, id, i);
  }
  for (size_t i = 0; i < m.n_rows; i++)
    strmap_put(&mapped, m.rows[i].lastpass_company_id, i);
  json_object *items = json_object_new_array();
  long long total = 0, first = (page - 1) * per_page, n_unmapped = 0;
  for (size_t i = 0; want_mapped && i < m.n_rows; i++) {
    const mapping_row *r = &m.rows[i];
    size_t k;
    json_object *co = strmap_get(&by_id, r->lastpass_company_id, &k)
                          ? json_object_array_get_idx(companies, k)
                          : NULL;
    const char *psa_seen = web_json_string(co, "psa_company_id");
    /* the PSA name is the run's only when the run saw this PSA company */
    const char *psa_name = psa_seen && strcmp(psa_seen, r->psa_company_id) == 0
                               ? web_json_string(co, "psa_company_name")
                               : NULL;
    const char *lp_name = web_json_string(co, "lastpass_name");
    const char *fields[] = {r->lastpass_company_id, r->psa_company_id, lp_name,
                            psa_name, r->note};
    if (!matches(q, fields, 5))
      continue;
    if (total >= first && total < first + per_page) {
      json_object *o = json_object_new_object();
      json_object_object_add(o, "kind", json_object_new_string("mapped"));
      json_object_object_add(o, "lastpass_id", str(r->lastpass_company_id));
      json_object_object_add(o, "lastpass_name", str(lp_name));
      json_object_object_add(o, "psa_company_id", str(r->psa_company_id));
      json_object_object_add(o, "psa_company_name", str(psa_name));
      json_object_object_add(o, "agreement_id", str(r->agreement_id));
      json_object_object_add(o, "note", str(r->note));
      json_object_object_add(o, "line", json_object_new_int(r->line));
      json_object_object_add(o, "last_status",
                             str(web_json_string(co, "status")));
      json_object_object_add(o, "rules", codes(co));
      json_object_array_add(items, o);
    }
    total++;
  }
  for (size_t i = 0; i < nc; i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    const char *id = web_json_string(co, "lastpass_id");
    size_t k;
    if (!id || strmap_get(&mapped, id, &k))
      continue;
    n_unmapped++;
    if (!want_unmapped)
      continue;
    const char *name = web_json_string(co, "lastpass_name");
    const char *fields[] = {id, name};
    if (!matches(q, fields, 2))
      continue;
    if (total >= first && total < first + per_page) {
      json_object *o = json_object_new_object();
      json_object_object_add(o, "kind", json_object_new_string("unmapped"));
      json_object_object_add(o, "lastpass_id", str(id));
      json_object_object_add(o, "lastpass_name", str(name));
      json_object_object_add(o, "last_status",
                             str(web_json_string(co, "status")));
      json_object_object_add(o, "rules", codes(co));
      json_object_object_add(o, "suggestion", suggestion(c, id));
      json_object_array_add(items, o);
    }
    total++;
  }
  strmap_free(&by_id);
  strmap_free(&mapped);
  json_object *root = json_object_new_object();
  json_object_object_add(root, "file", str(c->mapping_file));
  json_object_object_add(root, "version", str(version));
  json_object_object_add(root, "error", parsed || !err[0] ? NULL : str(err));
  json_object_object_add(root, "rows_total",
                         json_object_new_int64((long long)m.n_rows));
  json_object_object_add(root, "unmapped_total",
                         json_object_new_int64(n_unmapped));
  json_object_object_add(root, "last_run",
                         run ? json_object_new_int64(run) : NULL);
  json_object_object_add(root, "suggestions", web_suggest_state(c));
  json_object_object_add(root, "total", json_object_new_int64(total));
  json_object_object_add(root, "page", json_object_new_int64(page));
  json_object_object_add(root, "per_page", json_object_new_int64(per_page));
  json_object_object_add(root, "items", items);
  mapping_free(&m);
  web_reply_json(rep, 200, root);
}

/* ---- edits -------------------------------------------------------------- */

static json_object *row_json(char row[4][WEB_MAP_NOTE_MAX + 1]) {
  if (!row[0][0])
    return NULL;
  json_object *o = json_object_new_object();
  json_object_object_add(o, "lastpass_company_id", str(row[0]));
  json_object_object_add(o, "psa_company_id", str(row[1]));
  json_object_object_add(o, "agreement_id", str(row[2]));
  json_object_object_add(o, "note", str(row[3]));
  return o;
}

static void edit(web_request *req, web_reply *rep, web_map_op op) {
  web_console *c = req->c;
  if (!c->mapping_file) {
    web_reply_error(rep, 409, "no_mapping_file",
                    "[host] sets no mapping_file; set one in the "
                    "configuration first");
    return;
  }
  json_object *body = NULL;
  web_map_row row = {0};
  const char *version = NULL;
  int bad = 0;
  if (op == WEB_MAP_REMOVE && !req->body_len) {
    version = web_query(req, "version");
  } else {
    if (!(body = web_request_json(req, rep)))
      return;
    version = web_json_str(body, "version", rep, &bad);
    row.lastpass_id =
        bad ? NULL : web_json_str(body, "lastpass_company_id", rep, &bad);
    row.psa_company_id =
        bad ? NULL : web_json_str(body, "psa_company_id", rep, &bad);
    row.agreement_id =
        bad ? NULL : web_json_str(body, "agreement_id", rep, &bad);
    row.note = bad ? NULL : web_json_str(body, "note", rep, &bad);
    if (bad) {
      json_object_put(body);
      return;
    }
  }
  if (op == WEB_MAP_CHANGE && !row.lastpass_id)
    row.lastpass_id = req->param;
  if (!version) {
    json_object_put(body);
    web_reply_error(rep, 400, "bad_request",
                    "send \"version\": the mapping's version from GET "
                    "/api/v1/mapping, so a change made meanwhile is not "
                    "overwritten");
    return;
  }
  web_map_result r;
  web_mapping_edit(c->mapping_file, op, op == WEB_MAP_ADD ? NULL : req->param,
                   &row, version, web_console_now(c), &r);
  if (r.status >= 300) {
    json_object_put(body);
    static const char *const code_of[] = {"bad_request", "not_found",
                                          "conflict", "write_failed"};
    const char *code = r.status == 400   ? code_of[0]
                       : r.status == 404 ? code_of[1]
                       : r.status == 409 ? code_of[2]
                                         : code_of[3];
    web_reply_error(rep, r.status, code, "%s", r.message);
    json_object *e = web_json_get(rep->json, "error");
    json_object_object_add(e, "version", str(r.version));
    return;
  }
  json_object *detail = json_object_new_object();
  json_object_object_add(detail, "before", row_json(r.before));
  json_object_object_add(detail, "after", row_json(r.after));
  json_object_object_add(detail, "backup", str(r.backup));
  json_object_object_add(detail, "file", str(c->mapping_file));
  web_request_audit(req,
                    op == WEB_MAP_ADD      ? "mapping.add"
                    : op == WEB_MAP_CHANGE ? "mapping.change"
                                           : "mapping.remove",
                    op == WEB_MAP_ADD ? row.lastpass_id : req->param, detail);
  json_object_object_add(detail, "message", str(r.message));
  json_object_object_add(detail, "version", str(r.version));
  json_object_object_add(detail, "line",
                         r.line ? json_object_new_int(r.line) : NULL);
  json_object_put(body); /* row points into it until here */
  web_reply_json(rep, r.status, detail);
}

void web_api_mapping_add(web_request *req, web_reply *rep) {
  edit(req, rep, WEB_MAP_ADD);
}

void web_api_mapping_change(web_request *req, web_reply *rep) {
  edit(req, rep, WEB_MAP_CHANGE);
}

void web_api_mapping_remove(web_request *req, web_reply *rep) {
  edit(req, rep, WEB_MAP_REMOVE);
}

static int newest_first(const void *a, const void *b) {
  const char *const *x = a, *const *y = b;
  return strcmp(*y, *x); /* the names carry their UTC time */
}

void web_api_mapping_backups(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  json_object *root = json_object_new_object();
  json_object *list = json_object_new_array();
  json_object_object_add(root, "backups", list);
  char real[PATH_MAX];
  if (!c->mapping_file || !realpath(c->mapping_file, real)) {
    web_reply_json(rep, 200, root);
    return;
  }
  char *slash = strrchr(real, '/');
  *slash = '\0';
  const char *dir = real[0] ? real : "/", *base = slash + 1;
  size_t blen = strlen(base);
  DIR *d = opendir(dir);
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *e; d && (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len > blen + 5 && strncmp(e->d_name, base, blen) == 0 &&
        e->d_name[blen] == '.' && strcmp(e->d_name + len - 4, ".bak") == 0) {
      char **grown = realloc(names, (n + 1) * sizeof *names);
      if (!grown || !(grown[n] = strdup(e->d_name))) {
        names = grown ? grown : names;
        break;
      }
      names = grown;
      n++;
    }
  }
  if (d)
    closedir(d);
  if (n)
    qsort(names, n, sizeof *names, newest_first);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    struct stat st;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "file", json_object_new_string(path));
    if (stat(path, &st) == 0) {
      char ts[32];
      web_console_iso(st.st_mtime, ts);
      json_object_object_add(o, "size", json_object_new_int64(st.st_size));
      json_object_object_add(o, "modified", json_object_new_string(ts));
    }
    if (i < 100)
      json_object_array_add(list, o);
    else
      json_object_put(o);
    free(names[i]);
  }
  free(names);
  web_reply_json(rep, 200, root);
}
