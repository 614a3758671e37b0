/* SPDX-License-Identifier: MIT */
/*
 * api.c — the front door: discovery, the codebase (and its move), the rate
 * limit, authentication, the security role, and routing to the resource
 * handlers (listing.c, update.c). See api.h.
 */
#include "api.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "call.h"
#include "reply.h"

#define API_ROOT "apis/3.0/"
#define MAX_SEGMENTS 8
#define BUILD_NUMBER "110412"

void cw_config_default(cw_config *cfg) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->company = "lpsademo";
  cfg->company_name = "LPSA Demo MSP";
  cfg->public_key = "pubkey";
  cfg->private_key = "privkey";
  cfg->client_id = NULL;
  cfg->codebase = "v4_6_release/";
  cfg->new_codebase = "v2025_1/";
  cfg->move_after = -1;
  cfg->version = "2025.1";
}

static const char *current_codebase(const cw_sim *sim) {
  return sim->moved ? sim->cfg.new_codebase : sim->cfg.codebase;
}

/* ---- discovery --------------------------------------------------------- */

/* GET /login/companyinfo/{companyId}: unauthenticated; an unknown company
 * is 200 with the body null, as on the real server. */
static void company_info(cw_sim *sim, const char *company, cw_response *r) {
  if (strcasecmp(company, sim->cfg.company) != 0) {
    cw_reply_null(r, 200);
    return;
  }
  char code[64], number[64];
  snprintf(code, sizeof(code), "v%s", sim->cfg.version);
  snprintf(number, sizeof(number), "v4.6.%s", BUILD_NUMBER);
  json_object *o = json_object_new_object();
  if (o &&
      (json_object_object_add(o, "CompanyName",
                              json_object_new_string(sim->cfg.company_name)) ||
       json_object_object_add(o, "Codebase",
                              json_object_new_string(current_codebase(sim))) ||
       json_object_object_add(o, "VersionCode", json_object_new_string(code)) ||
       json_object_object_add(o, "VersionNumber",
                              json_object_new_string(number)) ||
       json_object_object_add(o, "CompanyID",
                              json_object_new_string(sim->cfg.company)) ||
       json_object_object_add(o, "IsCloud", json_object_new_boolean(1)))) {
    json_object_put(o);
    o = NULL;
  }
  cw_reply_json(r, 200, o);
}

static void system_info(cw_sim *sim, cw_response *r) {
  char version[64];
  snprintf(version, sizeof(version), "v%s.%s", sim->cfg.version, BUILD_NUMBER);
  json_object *o = json_object_new_object();
  if (o &&
      (json_object_object_add(o, "version", json_object_new_string(version)) ||
       json_object_object_add(o, "isCloud", json_object_new_boolean(1)) ||
       json_object_object_add(
           o, "serverTimeZone",
           json_object_new_string("Eastern Standard Time")) ||
       json_object_object_add(o, "licenseBits", json_object_new_array()) ||
       json_object_object_add(o, "cloudRegion",
                              json_object_new_string("NA")))) {
    json_object_put(o);
    o = NULL;
  }
  cw_reply_json(r, 200, o);
}

/* ---- rate limit -------------------------------------------------------- */

/* 1 (and a 429 sent) when this request is over the per-minute limit. A fixed
 * one-minute window is enough to make the driver meet 429 + Retry-After. */
static int rate_limited(cw_sim *sim, const cw_request *req, cw_response *r) {
  long limit = sim->cfg.rate_limit_per_min;
  if (limit <= 0)
    return 0;
  if (sim->window_count == 0 || req->now - sim->window_start >= 60.0) {
    sim->window_start = req->now;
    sim->window_count = 0;
  }
  if (sim->window_count < limit) {
    sim->window_count++;
    return 0;
  }
  double wait = ceil(sim->window_start + 60.0 - req->now);
  char secs[32];
  snprintf(secs, sizeof(secs), "%ld", (long)(wait < 1 ? 1 : wait));
  cw_reply_error(r, 429, "ConnectWiseApi",
                 "Too many requests: the API rate limit was exceeded; retry "
                 "after the number of seconds in Retry-After.",
                 NULL);
  cw_reply_header(r, "Retry-After", secs);
  return 1;
}

/* ---- routing ----------------------------------------------------------- */

typedef struct route {
  char *seg[MAX_SEGMENTS];
  int n;
  char area[256]; /* segments without ids: "finance/agreements/additions" */
  char buf[1024];
} route;

static int is_id(const char *s) {
  size_t n = strspn(s, "0123456789");
  return n > 0 && n < 16 && s[n] == '\0';
}

/* Splits "company/companies/5/" into segments; -1 when too long. */
static int split(const char *rest, route *rt) {
  memset(rt, 0, sizeof(*rt));
  if (strlen(rest) >= sizeof(rt->buf))
    return -1;
  strcpy(rt->buf, rest);
  for (char *save = NULL, *s = strtok_r(rt->buf, "/", &save); s;
       s = strtok_r(NULL, "/", &save)) {
    if (rt->n == MAX_SEGMENTS)
      return -1;
    rt->seg[rt->n++] = s;
    if (!is_id(s))
      snprintf(rt->area + strlen(rt->area), sizeof(rt->area) - strlen(rt->area),
               "%s%s", rt->area[0] ? "/" : "", s);
  }
  return 0;
}

static int seg_is(const route *rt, int i, const char *name) {
  return i < rt->n && strcasecmp(rt->seg[i], name) == 0;
}

static void not_found(cw_response *r, const char *path) {
  char msg[300];
  snprintf(msg, sizeof(msg),
           "No HTTP resource was found that matches the request URI '%.200s'.",
           path);
  cw_reply_error(r, 404, "NotFound", msg, NULL);
}

/* 405 unless the method is one of `allowed` ("GET" or "GET, PATCH, PUT"). */
static int method_ok(cw_call *c, const char *allowed) {
  const char *m = c->req->method;
  size_t n = strlen(m);
  for (const char *p = allowed; (p = strstr(p, m)); p += n)
    if ((p == allowed || p[-1] == ' ') && (p[n] == '\0' || p[n] == ','))
      return 1;
  char msg[128];
  snprintf(msg, sizeof(msg),
           "The requested resource does not support http method '%.20s'.", m);
  cw_reply_error(c->resp, 405, "ConnectWiseApi", msg, NULL);
  cw_reply_header(c->resp, "Allow", allowed);
  return 0;
}

typedef struct collection {
  const char *seg0, *seg1;
  const cw_schema *schema;
  const char *what; /* for "... with id N was not found." */
  size_t offset;    /* of the records array in cw_dataset */
} collection;

static const collection COLLECTIONS[] = {
    {"company", "companies", &cw_schema_company, "Company",
     offsetof(cw_dataset, companies)},
    {"finance", "agreements", &cw_schema_agreement, "Agreement",
     offsetof(cw_dataset, agreements)},
    {"procurement", "catalog", &cw_schema_catalog, "Catalog item",
     offsetof(cw_dataset, catalog)},
};

static json_object *records_of(cw_sim *sim, const collection *col) {
  return *(json_object **)((char *)&sim->data + col->offset);
}

/* finance/agreements/{id}/additions[/count|/{id}] */
static void additions(cw_call *c, const route *rt) {
  long agreement_id = atol(rt->seg[2]);
  if (rt->n == 5 && is_id(rt->seg[4])) {
    long id = atol(rt->seg[4]);
    if (!method_ok(c, "GET, PATCH, PUT"))
      return;
    if (strcmp(c->req->method, "PATCH") == 0)
      cw_serve_patch(c, agreement_id, id);
    else if (strcmp(c->req->method, "PUT") == 0)
      cw_serve_put(c, agreement_id, id);
    else {
      json_object *a = cw_dataset_find(c->sim->data.additions, id), *aid = NULL;
      if (a && (!json_object_object_get_ex(a, "agreementId", &aid) ||
                json_object_get_int64(aid) != agreement_id))
        a = NULL;
      cw_serve_one(c, &cw_schema_addition, a, "Addition", id);
    }
    return;
  }
  if (rt->n > 5 || (rt->n == 5 && !seg_is(rt, 4, "count"))) {
    not_found(c->resp, c->req->path);
    return;
  }
  if (!method_ok(c, "GET"))
    return;
  if (!cw_dataset_find(c->sim->data.agreements, agreement_id)) {
    char msg[128];
    snprintf(msg, sizeof(msg), "Agreement with id %ld was not found.",
             agreement_id);
    cw_reply_error(c->resp, 404, "NotFound", msg, NULL);
    return;
  }
  cw_source src = {c->sim->data.additions, c->sim->data.by_agreement, 0, 0};
  cw_dataset_additions_of(&c->sim->data, agreement_id, &src.first, &src.count);
  if (rt->n == 5)
    cw_serve_count(c, &cw_schema_addition, &src);
  else
    cw_serve_list(c, &cw_schema_addition, &src);
}

/* company/companies/statuses[/count|/{id}] */
static void statuses(cw_call *c, const route *rt) {
  cw_source src = {c->sim->data.statuses, NULL, 0, 0};
  if (!method_ok(c, "GET"))
    return;
  if (rt->n == 3)
    cw_serve_list(c, &cw_schema_status, &src);
  else if (rt->n == 4 && seg_is(rt, 3, "count"))
    cw_serve_count(c, &cw_schema_status, &src);
  else if (rt->n == 4 && is_id(rt->seg[3]))
    cw_serve_one(c, &cw_schema_status,
                 cw_dataset_find(src.records, atol(rt->seg[3])),
                 "Company status", atol(rt->seg[3]));
  else
    not_found(c->resp, c->req->path);
}

static void dispatch(cw_call *c, const route *rt) {
  if (rt->n == 2 && seg_is(rt, 0, "system") && seg_is(rt, 1, "info")) {
    if (method_ok(c, "GET"))
      system_info(c->sim, c->resp);
    return;
  }
  if (rt->n >= 3 && seg_is(rt, 0, "company") && seg_is(rt, 1, "companies") &&
      seg_is(rt, 2, "statuses")) {
    statuses(c, rt);
    return;
  }
  for (size_t i = 0; i < sizeof(COLLECTIONS) / sizeof(COLLECTIONS[0]); i++) {
    const collection *col = &COLLECTIONS[i];
    if (!seg_is(rt, 0, col->seg0) || !seg_is(rt, 1, col->seg1))
      continue;
    cw_source src = {records_of(c->sim, col), NULL, 0, 0};
    if (rt->n == 2) {
      if (method_ok(c, "GET"))
        cw_serve_list(c, col->schema, &src);
    } else if (rt->n == 3 && seg_is(rt, 2, "count")) {
      if (method_ok(c, "GET"))
        cw_serve_count(c, col->schema, &src);
    } else if (rt->n == 3 && is_id(rt->seg[2])) {
      if (method_ok(c, "GET"))
        cw_serve_one(c, col->schema,
                     cw_dataset_find(src.records, atol(rt->seg[2])), col->what,
                     atol(rt->seg[2]));
    } else if (col->schema == &cw_schema_agreement && rt->n >= 4 &&
               is_id(rt->seg[2]) && seg_is(rt, 3, "additions")) {
      additions(c, rt);
    } else {
      not_found(c->resp, c->req->path);
    }
    return;
  }
  not_found(c->resp, c->req->path);
}

/* 403 when the security role lacks the area. */
static int forbidden(cw_call *c, const route *rt) {
  const char *entry =
      cw_denied_entry(c->sim->data.denied, c->req->method, rt->area);
  if (!entry)
    return 0;
  char msg[800];
  int edit = strcmp(c->req->method, "GET") != 0;
  snprintf(msg, sizeof(msg),
           "You do not have the security role permission to %s %.200s: the "
           "API member's security role needs %.200s (%s Level). Ask an "
           "administrator "
           "to grant it in System > Security Roles.",
           edit ? "edit" : "view", rt->area, cw_area_module(rt->area),
           edit ? "Edit" : "Inquire");
  cw_reply_error(c->resp, 403, "Unauthorized", msg, NULL);
  return 1;
}

/* "http://host/path" for Link headers: absolute, from the Host header. */
static char *base_url(const cw_sim *sim, const cw_request *req) {
  const char *host = req->header(req->header_ctx, "Host");
  char *path = cw_url_encode(req->path, 1);
  if (!path)
    return NULL;
  size_t n = strlen(path) + (host ? strlen(host) : 9) + 9;
  char *url = malloc(n);
  if (url)
    snprintf(url, n, "%s://%s%s", sim->cfg.tls ? "https" : "http",
             host ? host : "127.0.0.1", path);
  free(path);
  return url;
}

/* 1 (and a 414 sent) when the whole URL as sent is longer than CW_MAX_URL:
 * scheme, Host, the path percent-encoded again (the framework decoded it)
 * and the raw query. */
static int url_too_long(const cw_sim *sim, const cw_request *req,
                        cw_response *r) {
  char *url = base_url(sim, req);
  if (!url) {
    cw_reply_nomem(r);
    return 1;
  }
  size_t n =
      strlen(url) + (req->query && *req->query ? 1 + strlen(req->query) : 0);
  free(url);
  if (n <= CW_MAX_URL)
    return 0;
  char msg[200];
  snprintf(msg, sizeof(msg),
           "The request URL is %zu characters long; at most %d are accepted. "
           "Send fewer conditions per request.",
           n, CW_MAX_URL);
  cw_reply_error(r, 414, "RequestUriTooLong", msg, NULL);
  return 1;
}

/* Everything under /{codebase}apis/3.0/. */
static void api_call(cw_sim *sim, const cw_request *req, const char *rest,
                     cw_response *r) {
  char why[200];
  char version[64];
  snprintf(version, sizeof(version), "%s", sim->cfg.version);
  cw_reply_header(r, "api-current-version", version);
  if (rate_limited(sim, req, r))
    return;
  if (cw_auth_check(&sim->cfg, req->header(req->header_ctx, "Authorization"),
                    why, sizeof(why))) {
    cw_reply_error(r, 401, "Unauthorized", why, NULL);
    return;
  }
  if (cw_client_id_check(&sim->cfg, req->header(req->header_ctx, "clientId"))) {
    cw_reply_error(r, 401, "Unauthorized",
                   "A valid clientId header is required on every request; "
                   "register one at the ConnectWise developer portal.",
                   NULL);
    return;
  }
  route rt;
  if (split(rest, &rt)) {
    not_found(r, req->path);
    return;
  }
  cw_call c = {sim, req, r, {0}, NULL};
  if (forbidden(&c, &rt))
    return;
  if (cw_query_parse(req->query, &c.query) ||
      !(c.base_url = base_url(sim, req)))
    cw_reply_nomem(r);
  else
    dispatch(&c, &rt);
  cw_query_free(&c.query);
  free(c.base_url);
}

/* The part of `path` after "/{codebase}apis/3.0/" (case-insensitive), or
 * NULL when it is not under that codebase. */
static const char *under(const char *path, const char *codebase) {
  size_t n = strlen(codebase);
  if (*path != '/' || strncasecmp(path + 1, codebase, n) != 0)
    return NULL;
  path += 1 + n;
  if (strncasecmp(path, API_ROOT, strlen(API_ROOT)) == 0)
    return path + strlen(API_ROOT);
  if (strcasecmp(path, "apis/3.0") == 0)
    return "";
  return NULL;
}

void cw_handle(cw_sim *sim, const cw_request *req, cw_response *r) {
  static const char info[] = "/login/companyinfo/";
  if (url_too_long(sim, req, r))
    return;
  if (strncasecmp(req->path, info, strlen(info)) == 0 &&
      !strchr(req->path + strlen(info), '/') && req->path[strlen(info)]) {
    if (strcmp(req->method, "GET") != 0) {
      cw_reply_error(r, 405, "ConnectWiseApi",
                     "The requested resource does not support this method.",
                     NULL);
      cw_reply_header(r, "Allow", "GET");
    } else {
      company_info(sim, req->path + strlen(info), r);
    }
    return;
  }
  const char *rest = under(req->path, current_codebase(sim));
  if (!rest) { /* another codebase, or the old one after a move */
    not_found(r, req->path);
    return;
  }
  sim->api_requests++;
  api_call(sim, req, rest, r);
  if (sim->cfg.move_after >= 0 && sim->api_requests >= sim->cfg.move_after)
    sim->moved = 1;
}
