/* SPDX-License-Identifier: MIT */
/*
 * ats_api.c — routing and answering one Autotask REST request.
 *
 * The order of the checks follows what a client of the real API sees:
 * authentication first (401, plain text), then the database's hourly budget,
 * then the entity, its permissions and the per-endpoint thread limit, then
 * the call itself.
 */
#include "ats_api.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats_adjust.h"
#include "ats_budget.h"
#include "ats_fields.h"
#include "ats_item.h"
#include "ats_paging.h"
#include "ats_query.h"

#define MAX_SEGS 8

struct ats_api {
  ats_config cfg;
  char *user, *secret, *code, *base_url;
  ats_db *db;
  ats_budget budget;
};

typedef struct call {
  ats_api *api;
  const ats_req *req;
  ats_resp *resp;
  char base[300];     /* "http://host:port" */
  char api_base[340]; /* base + "/atservicesrest/v1.0" */
  char *path;         /* owned copy, cut into segs */
  char *seg[MAX_SEGS];
  size_t n; /* segments after the version */
  const ats_entity *entity;
} call;

void ats_config_default(ats_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->user = "api@demo.example";
  cfg->secret = "demosecret";
  cfg->code = "DEMOCODE";
  cfg->threshold = ATS_BUDGET_DEFAULT;
  cfg->thread_limit = 3;
  cfg->style = ATS_DATE_Z;
  cfg->max_query_string = 2048;
  cfg->strict_next = 1;
}

static char *dup_or_null(const char *s, int *bad) {
  if (!s)
    return NULL;
  char *d = strdup(s);
  *bad |= !d;
  return d;
}

ats_api *ats_api_new(const ats_config *cfg) {
  ats_api *api = calloc(1, sizeof *api);
  int bad = !api;
  if (api) {
    api->cfg = *cfg;
    api->user = dup_or_null(cfg->user, &bad);
    api->secret = dup_or_null(cfg->secret, &bad);
    api->code = dup_or_null(cfg->code, &bad);
    api->base_url = dup_or_null(cfg->base_url, &bad);
    api->cfg.user = api->user;
    api->cfg.secret = api->secret;
    api->cfg.code = api->code;
    api->cfg.base_url = api->base_url;
    ats_budget_init(&api->budget, cfg->threshold);
  }
  if (bad) {
    ats_api_free(api);
    return NULL;
  }
  return api;
}

void ats_api_free(ats_api *api) {
  if (!api)
    return;
  ats_db_free(api->db);
  free(api->user);
  free(api->secret);
  free(api->code);
  free(api->base_url);
  free(api);
}

void ats_api_set_db(ats_api *api, ats_db *db) {
  ats_db_free(api->db);
  api->db = db;
}

ats_db *ats_api_db(ats_api *api) {
  return api->db;
}

long ats_api_budget_count(ats_api *api, int64_t clock_s) {
  return ats_budget_count(&api->budget, clock_s);
}

void ats_api_budget_reset(ats_api *api) {
  ats_budget_init(&api->budget, api->cfg.threshold);
}

const ats_config *ats_api_config(const ats_api *api) {
  return &api->cfg;
}

/* ---- answers ------------------------------------------------------------ */

static void reply_raw(call *c, int status, const char *type, const char *text) {
  c->resp->body = strdup(text);
  if (!c->resp->body)
    return; /* status 0: the framework reports the failure */
  c->resp->body_len = strlen(text);
  c->resp->status = status;
  snprintf(c->resp->content_type, sizeof c->resp->content_type, "%s", type);
}

/* Takes ownership of o (NULL: an allocation failed). */
static void reply_json(call *c, int status, json_object *o) {
  if (o)
    reply_raw(c, status, "application/json; charset=utf-8",
              json_object_to_json_string_ext(
                  o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
}

static void reply_text(call *c, int status, const char *text) {
  reply_raw(c, status, "text/plain; charset=utf-8", text);
}

static void reply_error(call *c, int status, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_object *o = json_object_new_object(), *arr = json_object_new_array();
  if (!o || !arr || json_object_array_add(arr, json_object_new_string(msg))) {
    json_object_put(o);
    json_object_put(arr);
    return;
  }
  if (ats_add(o, "errors", arr)) {
    json_object_put(o);
    return;
  }
  reply_json(c, status, o);
}

/* ---- request parts ------------------------------------------------------- */

static const char *header(const call *c, const char *name) {
  return c->req->header ? c->req->header(c->req->ctx, name) : NULL;
}

static const char *arg(const call *c, const char *name) {
  return c->req->arg ? c->req->arg(c->req->ctx, name) : NULL;
}

static int is_method(const call *c, const char *m) {
  return strcasecmp(c->req->method, m) == 0;
}

static int seg_is(const call *c, size_t i, const char *s) {
  return i < c->n && strcasecmp(c->seg[i], s) == 0;
}

/* An id segment: digits only. */
static int seg_id(const call *c, size_t i, int64_t *id) {
  if (i >= c->n || !*c->seg[i])
    return 0;
  for (const char *p = c->seg[i]; *p; p++)
    if (!isdigit((unsigned char)*p))
      return 0;
  *id = strtoll(c->seg[i], NULL, 10);
  return 1;
}

/* Splits "/atservicesrest/v1.0/A/B" into A, B. 0, or -1 when the path is
 * not under the API root. */
static int split_path(call *c, const char *path) {
  char *save = NULL, *tok;
  size_t i = 0;
  c->path = strdup(path ? path : "");
  if (!c->path)
    return -1;
  for (tok = strtok_r(c->path, "/", &save); tok;
       tok = strtok_r(NULL, "/", &save), i++) {
    if (i == 0 && strcasecmp(tok, "atservicesrest") != 0)
      return -1;
    if (i == 1 && strcasecmp(tok, "v1.0") != 0)
      return -1;
    if (i >= 2) {
      if (c->n == MAX_SEGS)
        return -1;
      c->seg[c->n++] = tok;
    }
  }
  return i >= 3 ? 0 : -1;
}

static void set_bases(call *c) {
  const char *host = header(c, "Host");
  if (c->api->cfg.base_url)
    snprintf(c->base, sizeof c->base, "%s", c->api->cfg.base_url);
  else
    snprintf(c->base, sizeof c->base, "http://%s",
             host && *host ? host : "127.0.0.1");
  size_t n = strlen(c->base);
  if (n && c->base[n - 1] == '/')
    c->base[n - 1] = '\0';
  snprintf(c->api_base, sizeof c->api_base, "%s/atservicesrest/v1.0", c->base);
}

/* The JSON body, or NULL with the error answered. */
static json_object *body_json(call *c) {
  json_tokener *tok = json_tokener_new();
  json_object *o = NULL;
  if (tok && c->req->body && c->req->body_len) {
    o = json_tokener_parse_ex(tok, c->req->body, (int)c->req->body_len);
    if (json_tokener_get_error(tok) != json_tokener_success) {
      json_object_put(o);
      o = NULL;
    }
  }
  json_tokener_free(tok);
  if (!o)
    reply_error(c, 500, "The request body is not valid JSON.");
  return o;
}

/* ---- calls without an entity ----------------------------------------------
 */

static void zone_information(call *c) {
  const char *user = arg(c, "user");
  if (!is_method(c, "GET")) {
    reply_error(c, 405,
                "The requested resource does not support http "
                "method '%s'.",
                c->req->method);
    return;
  }
  if (!user || strcasecmp(user, c->api->cfg.user) != 0) {
    reply_error(c, 500,
                "Zone information could not be determined for the "
                "user '%s'.",
                user ? user : "");
    return;
  }
  char url[400], web[400];
  snprintf(url, sizeof url, "%s/atservicesrest%s", c->base,
           c->api->cfg.zone_no_slash ? "" : "/");
  snprintf(web, sizeof web, "%s/", c->base);
  json_object *o = json_object_new_object();
  if (!o || (ats_add(o, "zoneName", json_object_new_string("Zone 5")) |
             ats_add(o, "url", json_object_new_string(url)) |
             ats_add(o, "webUrl", json_object_new_string(web)) |
             ats_add(o, "ci", json_object_new_int(1)))) {
    json_object_put(o);
    return;
  }
  reply_json(c, 200, o);
}

static void threshold_information(call *c) {
  json_object *o = json_object_new_object();
  long n = ats_budget_count(&c->api->budget, c->req->clock_s);
  if (!o ||
      (ats_add(o, "externalRequestThreshold",
               json_object_new_int64(c->api->cfg.threshold)) |
       ats_add(o, "requestThresholdTimeframe", json_object_new_int(60)) |
       ats_add(o, "currentTimeframeRequestCount", json_object_new_int64(n)))) {
    json_object_put(o);
    return;
  }
  reply_json(c, 200, o);
}

/* 1: authorized; 0: the user or secret is wrong (401); -1: the user is
 * right but the integration code is wrong or missing (Autotask: 500). */
static int authorized(const call *c) {
  const char *user = header(c, "UserName"), *secret = header(c, "Secret"),
             *code = header(c, "ApiIntegrationCode");
  if (!user || !secret || strcasecmp(user, c->api->cfg.user) != 0 ||
      strcmp(secret, c->api->cfg.secret) != 0)
    return 0;
  return code && strcmp(code, c->api->cfg.code) == 0 ? 1 : -1;
}

static int valid_impersonation(const call *c) {
  const char *r = header(c, "ImpersonationResourceId");
  if (!r)
    return 1;
  if (!*r)
    return 0;
  for (; *r; r++)
    if (!isdigit((unsigned char)*r))
      return 0;
  return 1;
}

/* ---- entity calls ----------------------------------------------------------
 */

static ats_query_env query_env(call *c, int from_post) {
  ats_query_env env = {c->api->db, c->api_base, c->api->cfg.style,
                       c->req->fault, from_post};
  return env;
}

static void run_query(call *c, json_object *search, int64_t after,
                      int from_post) {
  char err[512];
  json_object *out;
  ats_query_env env = query_env(c, from_post);
  if (ats_query_page(&env, c->entity, search, after, &out, err, sizeof err))
    reply_error(c, 500, "%s", err);
  else
    reply_json(c, 200, out);
}

/* The search of GET ?search= or of a POST body; NULL when answered. */
static json_object *search_of(call *c) {
  char err[256];
  if (is_method(c, "POST"))
    return body_json(c);
  if ((long)strlen(c->req->query ? c->req->query : "") >
      c->api->cfg.max_query_string) {
    reply_text(c, 404,
               "404.15 Not Found: the request filtering module is "
               "configured to deny a request where the query string "
               "is too long. Use POST for long queries.");
    return NULL;
  }
  const char *text = arg(c, "search");
  if (!text) {
    reply_error(c, 500, "Invalid query syntax. A filter is required.");
    return NULL;
  }
  json_object *s = ats_query_parse(text, err, sizeof err);
  if (!s)
    reply_error(c, 500, "%s", err);
  return s;
}

static int queryable(call *c) {
  if (c->entity->caps & ATS_CAN_QUERY)
    return 1;
  reply_error(c, 405,
              "The %s entity cannot be queried: it can only be "
              "created.",
              c->entity->name);
  return 0;
}

static void query(call *c) {
  if (!is_method(c, "GET") && !is_method(c, "POST")) {
    reply_error(c, 405,
                "The requested resource does not support http "
                "method '%s'.",
                c->req->method);
    return;
  }
  json_object *s = search_of(c);
  if (s)
    run_query(c, s, 0, is_method(c, "POST"));
  json_object_put(s);
}

static void query_count(call *c) {
  char err[512];
  int64_t n;
  json_object *s = search_of(c), *o;
  if (!s)
    return;
  if (ats_query_count(c->api->db, c->entity, s, &n, err, sizeof err) != 0) {
    reply_error(c, 500, "%s", err);
  } else if ((o = json_object_new_object())) {
    if (ats_add(o, "queryCount", json_object_new_int64(n)) == 0)
      reply_json(c, 200, o);
    else
      json_object_put(o);
  }
  json_object_put(s);
}

static void query_next(call *c) {
  ats_cursor cur;
  if (ats_paging_parse(arg(c, "paging"), &cur) != 0) {
    reply_error(c, 500, "Invalid paging parameter.");
    return;
  }
  if (is_method(c, "GET") && cur.from_post && c->api->cfg.strict_next) {
    json_object *o = json_object_new_object();
    if (o && ats_add(o, "Message",
                     json_object_new_string("The requested resource does not "
                                            "support http method 'GET'.")) == 0)
      reply_json(c, 405, o);
    else
      json_object_put(o);
  } else {
    run_query(c, cur.search, cur.after, cur.from_post);
  }
  ats_cursor_release(&cur);
}

static void get_by_id(call *c, int64_t id) {
  json_object *item = ats_db_find(c->api->db, c->entity, id), *w = NULL;
  unsigned char mask[ATS_MAX_FIELDS];
  const char *f = c->req->fault ? c->req->fault : "";
  ats_render_opts ro = {c->api->cfg.style, strcmp(f, "wrong_types") == 0,
                        strcmp(f, "missing_fields") == 0};
  memset(mask, 1, sizeof mask);
  if (item && !(w = ats_render_item(c->entity, item, mask, &ro)))
    return;
  json_object *o = json_object_new_object();
  if (!o || json_object_object_add(o, "item", w)) {
    json_object_put(w);
    json_object_put(o);
    return;
  }
  reply_json(c, 200, o);
}

/* GET Contracts/{id}/Services: the contract's ContractServices. */
static void contract_services(call *c, int64_t contract_id) {
  char text[160];
  char err[256];
  snprintf(text, sizeof text,
           "{\"filter\":[{\"op\":\"eq\",\"field\":\"contractID\",\"value\":"
           "%lld}]}",
           (long long)contract_id);
  json_object *s = ats_query_parse(text, err, sizeof err);
  if (!s)
    return;
  c->entity = ats_schema_entity("ContractServices");
  run_query(c, s, 0, 0);
  json_object_put(s);
}

static void adjust(call *c, int64_t contract_id) {
  const ats_entity *adj = ats_schema_entity("ContractServiceAdjustments");
  char err[512];
  int64_t id;
  if (ats_db_denied(c->api->db, adj)) {
    reply_error(c, 500,
                "The logged in Resource does not have the adequate "
                "permissions to create %s.",
                adj->name);
    return;
  }
  json_object *body = body_json(c), *o;
  if (!body)
    return;
  if (ats_adjust_apply(c->api->db, body, contract_id, c->req->fault, &id, err,
                       sizeof err)) {
    reply_error(c, 500, "%s", err);
  } else if ((o = json_object_new_object())) {
    if (ats_add(o, "itemId", json_object_new_int64(id)) == 0)
      reply_json(c, 200, o);
    else
      json_object_put(o);
  }
  json_object_put(body);
}

static void entity_information(call *c) {
  if (c->n == 2)
    reply_json(c, 200, ats_fields_info(c->entity));
  else if (c->n == 3 && seg_is(c, 2, "fields"))
    reply_json(c, 200, ats_fields_list(c->api->db, c->entity));
  else if (c->n == 3 && seg_is(c, 2, "userDefinedFields"))
    reply_json(c, 200, ats_fields_udfs(c->api->db, c->entity));
  else
    reply_error(c, 404, "No such resource.");
}

static void not_supported(call *c) {
  reply_error(c, 405,
              "The requested resource does not support http method "
              "'%s'.",
              c->req->method);
}

/* Calls of the form {Entity}/{id}[/child]. */
static void by_id(call *c, int64_t id) {
  int contracts = strcmp(c->entity->name, "Contracts") == 0;
  if (c->n == 2 && is_method(c, "GET")) {
    if (queryable(c))
      get_by_id(c, id);
  } else if (c->n == 3 && contracts && seg_is(c, 2, "Services") &&
             is_method(c, "GET")) {
    contract_services(c, id);
  } else if (c->n == 3 && contracts && seg_is(c, 2, "ServiceAdjustments") &&
             is_method(c, "POST")) {
    adjust(c, id);
  } else if (c->n == 2 || c->n == 3) {
    not_supported(c);
  } else {
    reply_error(c, 404, "No such resource.");
  }
}

static void entity_call(call *c) {
  int64_t id;
  if (c->n == 1) {
    if (is_method(c, "POST") &&
        strcmp(c->entity->name, "ContractServiceAdjustments") == 0)
      adjust(c, -1);
    else
      not_supported(c); /* creating or updating other entities: not ours */
  } else if (seg_is(c, 1, "query")) {
    if (!queryable(c))
      return;
    if (c->n == 2)
      query(c);
    else if (c->n == 3 && seg_is(c, 2, "count"))
      query_count(c);
    else if (c->n == 3 && seg_is(c, 2, "next"))
      query_next(c);
    else
      reply_error(c, 404, "No such resource.");
  } else if (seg_is(c, 1, "entityInformation") && is_method(c, "GET")) {
    entity_information(c);
  } else if (seg_id(c, 1, &id)) {
    by_id(c, id);
  } else {
    reply_error(c, 404, "No such resource.");
  }
}

/* Checks shared by every authenticated call; 0 when the call may go on. */
static int admit(call *c) {
  int auth = authorized(c);
  if (auth == 0) {
    reply_text(c, 401,
               "Unauthorized: the UserName or Secret header is missing or "
               "wrong.");
    return -1;
  }
  if (auth < 0) {
    reply_error(c, 500, "IntegrationCode is invalid.");
    return -1;
  }
  ats_budget_add(&c->api->budget, c->req->clock_s);
  if (!valid_impersonation(c)) {
    reply_error(c, 500, "ImpersonationResourceId must be a resource id.");
    return -1;
  }
  if (seg_is(c, 0, "ThresholdInformation"))
    return 0; /* answered even past the threshold: that is its purpose */
  if (ats_budget_exhausted(&c->api->budget, c->req->clock_s)) {
    reply_error(c, 429,
                "The API request threshold of %ld requests per 60 "
                "minutes has been exceeded for this database. "
                "Requests are refused until usage drops below it.",
                c->api->cfg.threshold);
    return -1;
  }
  return 0;
}

static void route(call *c) {
  if (seg_is(c, 0, "zoneInformation")) {
    zone_information(c);
    return;
  }
  if (admit(c) != 0)
    return;
  if (seg_is(c, 0, "ThresholdInformation") && c->n == 1) {
    threshold_information(c);
    return;
  }
  c->entity = ats_schema_entity(c->seg[0]);
  if (!c->entity) {
    reply_error(c, 404, "The resource '%s' does not exist.", c->seg[0]);
  } else if (ats_db_denied(c->api->db, c->entity)) {
    reply_error(c, 500,
                "The logged in Resource does not have the adequate "
                "permissions to access the %s entity.",
                c->entity->name);
  } else if (c->req->inflight > c->api->cfg.thread_limit) {
    char msg[200];
    snprintf(msg, sizeof msg,
             "Maximum thread threshold of %d threads has "
             "been exceeded for this API integration code "
             "on the %s endpoint.",
             c->api->cfg.thread_limit, c->entity->name);
    /* the real wording: "thread threshold of 3 threads has been exceeded" */
    reply_text(c, 429, msg);
  } else {
    entity_call(c);
  }
}

void ats_api_handle(ats_api *api, const ats_req *req, ats_resp *resp) {
  call c;
  memset(&c, 0, sizeof c);
  c.api = api;
  c.req = req;
  c.resp = resp;
  set_bases(&c);
  if (split_path(&c, req->path) != 0)
    reply_text(&c, 404, "Not Found");
  else
    route(&c);
  free(c.path);
}

const char *ats_api_endpoint_key(const ats_req *req, char *buf, size_t cap) {
  call c;
  memset(&c, 0, sizeof c);
  c.req = req;
  if (split_path(&c, req->path) != 0 || c.n == 0) {
    snprintf(buf, cap, "other");
  } else if (seg_is(&c, 0, "zoneInformation") ||
             seg_is(&c, 0, "ThresholdInformation")) {
    snprintf(buf, cap, "%s", c.seg[0]);
  } else {
    const char *code = header(&c, "ApiIntegrationCode");
    snprintf(buf, cap, "%s|%s", code ? code : "-", c.seg[0]);
  }
  for (char *p = buf; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  free(c.path);
  return buf;
}
