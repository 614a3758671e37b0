/* SPDX-License-Identifier: MIT */
/*
 * lp_page.c — paging as the LastPass API documents it (max-results,
 * page-token, {"items":[...],"nextPageToken":...}), plus the domain faults
 * that break paging or records on purpose:
 *   page_loop       nextPageToken points back at the first page;
 *   duplicate_ids   the page starts with the previous page's last record
 *                   (on the first page: its first record comes twice);
 *   empty_page      no items, but a nextPageToken to the real page;
 *   empty_token     the last page says "nextPageToken":"";
 *   wrong_types     a member gets the wrong JSON type (ids become objects,
 *                   other numbers strings);
 *   missing_fields  a member is left out;
 *   endless         every page is full of records never seen before (the
 *                   dataset's records again under fresh ids past 900000000)
 *                   and names a fresh next page, forever: a hostile server
 *                   that paging must not follow without bound.
 * wrong_types and missing_fields take the rule's "field" (default: the
 * endpoint's: id for companies and users, activeUsers for billing reports)
 * and damage the page's first record, or every record with "all":true.
 */
#include <stdlib.h>
#include <string.h>

#include "lp_app.h"

unsigned long lp_query_hash(const sim_request *req, const char *const *names) {
  unsigned long h = 1469598103934665603UL;
  for (int i = 0; names[i]; i++) {
    const char *v = sim_query(req, names[i]);
    const char *parts[] = {names[i], "=", v ? v : "\x01", "\n"};
    for (int p = 0; p < 4; p++)
      for (const char *c = parts[p]; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211UL;
  }
  return h;
}

static int parse_max(const char *s, long limit, long *out) {
  char *end;
  if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
    return -1;
  *out = strtol(s, &end, 10);
  return *out >= 1 && *out <= limit ? 0 : -1;
}

int lp_paging_read(const lp_app *app, const sim_request *req, long def,
                   long max_limit, unsigned long query_hash, lp_paging *pg,
                   sim_response *resp) {
  char detail[128];
  const char *mr = sim_query(req, "max-results");
  const char *tok = sim_query(req, "page-token");
  unsigned gen;
  unsigned long qh;
  memset(pg, 0, sizeof *pg);
  pg->max = def;
  pg->query_hash = query_hash;
  if (mr && parse_max(mr, max_limit, &pg->max) != 0) {
    snprintf(detail, sizeof detail,
             "max-results must be an integer from 1 to %ld", max_limit);
    lp_problem_param(resp, req, "max-results", detail);
    return -1;
  }
  if (!tok || !*tok)
    return 0; /* the first page */
  if (lp_token_decode(tok, &gen, &pg->offset, &qh, &pg->variant) != 0) {
    lp_problem_param(resp, req, "page-token",
                     "page-token is not a token this API issued");
    return -1;
  }
  if (qh != query_hash) {
    lp_problem_param(resp, req, "page-token",
                     "page-token belongs to another query: repeat the same "
                     "filters and sort with it");
    return -1;
  }
  if (gen != app->generation) {
    lp_problem_param(resp, req, "page-token",
                     "page-token has expired because the data changed: start "
                     "again without page-token");
    return -1;
  }
  return 0;
}

/* ---- record faults ------------------------------------------------------- */

static const char *rule_field(const sim_request *req, const char *def) {
  json_object *v;
  if (req->fault_rule &&
      json_object_object_get_ex(req->fault_rule, "field", &v) &&
      json_object_is_type(v, json_type_string))
    return json_object_get_string(v);
  return def;
}

static int rule_all(const sim_request *req) {
  json_object *v;
  return req->fault_rule &&
         json_object_object_get_ex(req->fault_rule, "all", &v) &&
         json_object_get_boolean(v);
}

static int is_id_name(const char *field) {
  size_t n = strlen(field);
  return n >= 2 &&
         (strcmp(field + n - 2, "id") == 0 || strcmp(field + n - 2, "Id") == 0);
}

static json_object *wrong_type_of(const char *field, json_object *v) {
  if (json_object_is_type(v, json_type_int)) {
    if (is_id_name(field)) {
      json_object *o = json_object_new_object();
      if (o)
        json_object_object_add(o, "value", json_object_get(v));
      return o;
    }
    return json_object_new_string(json_object_get_string(v));
  }
  if (json_object_is_type(v, json_type_string))
    return json_object_new_int(42);
  return json_object_new_string("x");
}

static void damage_record(json_object *rec, const char *action,
                          const char *field) {
  json_object *v = NULL;
  if (!json_object_is_type(rec, json_type_object))
    return;
  if (strcmp(action, "missing_fields") == 0) {
    json_object_object_del(rec, field);
    return;
  }
  json_object_object_get_ex(rec, field, &v);
  json_object_object_add(rec, field, wrong_type_of(field, v));
}

static void damage_items(const sim_request *req, json_object *items,
                         const char *default_field) {
  const char *a = req->fault_action;
  if (!a || (strcmp(a, "wrong_types") != 0 && strcmp(a, "missing_fields") != 0))
    return;
  const char *field = rule_field(req, default_field);
  size_t n = json_object_array_length(items);
  for (size_t i = 0; i < n && (i == 0 || rule_all(req)); i++)
    damage_record(json_object_array_get_idx(items, i), a, field);
}

/* ---- the page -------------------------------------------------------------
 */

static int fault_is(const sim_request *req, const char *name) {
  return req->fault_action && strcmp(req->fault_action, name) == 0;
}

static void add(json_object *items, json_object *rec) {
  if (rec && json_object_array_add(items, rec) != 0)
    json_object_put(rec);
}

/* Record i of an endless list: record i % n under an id never used. */
static json_object *endless_record(size_t n, lp_record_fn make, const void *ctx,
                                   size_t i) {
  json_object *rec = n ? make(ctx, i % n) : NULL;
  const char *field = rec && json_object_object_get_ex(rec, "companyId", NULL)
                          ? "companyId"
                          : "id";
  if (rec)
    json_object_object_add(rec, field,
                           json_object_new_int64(900000000LL + (long long)i));
  return rec;
}

static json_object *page_items(const sim_request *req, const lp_paging *pg,
                               size_t n, lp_record_fn make, const void *ctx,
                               size_t *end) {
  json_object *items = json_object_new_array();
  size_t start = (size_t)pg->offset;
  *end = start + (size_t)pg->max < n ? start + (size_t)pg->max : n;
  if (!items || fault_is(req, "empty_page"))
    return items;
  if (fault_is(req, "endless")) {
    *end = start + (size_t)pg->max;
    for (size_t i = start; i < *end; i++)
      add(items, endless_record(n, make, ctx, i));
    return items;
  }
  if (fault_is(req, "duplicate_ids") && start > 0 && start <= n)
    add(items, make(ctx, start - 1));
  for (size_t i = start; i < *end; i++)
    add(items, make(ctx, i));
  if (fault_is(req, "duplicate_ids") && start == 0 && *end > 0)
    add(items, make(ctx, 0));
  return items;
}

void lp_page_respond(const lp_app *app, const sim_request *req,
                     sim_response *resp, const lp_paging *pg, size_t n,
                     lp_record_fn make, const void *ctx, int null_on_last,
                     const char *default_field) {
  char token[256] = "";
  size_t end;
  json_object *items = page_items(req, pg, n, make, ctx, &end);
  json_object *o = json_object_new_object();
  if (!items || !o) {
    json_object_put(items);
    json_object_put(o);
    sim_respond_text(resp, 500, "text/plain", "out of memory\n");
    return;
  }
  damage_items(req, items, default_field);
  if (fault_is(req, "empty_page"))
    lp_token_encode(app->generation, pg->offset, pg->query_hash,
                    pg->variant + 1, token, sizeof token);
  else if (fault_is(req, "page_loop"))
    lp_token_encode(app->generation, 0, pg->query_hash, 0, token, sizeof token);
  else if (fault_is(req, "endless") || end < n)
    lp_token_encode(app->generation, (long)end, pg->query_hash, 0, token,
                    sizeof token);
  json_object_object_add(o, "items", items);
  if (token[0] || fault_is(req, "empty_token"))
    json_object_object_add(o, "nextPageToken", json_object_new_string(token));
  else if (null_on_last)
    json_object_object_add(o, "nextPageToken", NULL);
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}
