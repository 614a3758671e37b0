/* SPDX-License-Identifier: MIT */
/*
 * hps_api.c — routing, the rate limit and authentication in front of the
 * read and write handlers (see hps_api.h).
 */
#include "hps_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void hps_config_default(hps_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  hps_auth_config_default(&cfg->auth);
  cfg->auth_path = "/auth";
  cfg->page_cap = 100;
  cfg->rate_limit = 300;
  cfg->rate_window_ms = 300000;
}

hps_api *hps_api_new(const hps_config *cfg) {
  hps_api *api = calloc(1, sizeof *api);
  if (!api)
    return NULL;
  api->cfg = *cfg;
  hps_auth_init(&api->auth, &cfg->auth);
  hps_rate_init(&api->rate, cfg->rate_limit, cfg->rate_window_ms);
  json_object *empty = json_object_new_object();
  char err[256];
  int rc = hps_db_load(&api->db, empty, err, sizeof err);
  json_object_put(empty);
  if (rc) {
    free(api);
    return NULL;
  }
  return api;
}

void hps_api_free(hps_api *api) {
  if (!api)
    return;
  hps_db_free(&api->db);
  hps_rate_free(&api->rate);
  free(api);
}

int hps_api_load(hps_api *api, json_object *doc, char *err, size_t cap) {
  hps_db db;
  if (hps_db_load(&db, doc, err, cap))
    return -1;
  hps_db_free(&api->db);
  api->db = db;
  return 0;
}

void hps_error(sim_response *resp, int status, const char *message) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "ClassName",
                         json_object_new_string("HaloValidationException"));
  json_object_object_add(o, "Message", json_object_new_string(message));
  sim_respond_json(resp, status, o);
  json_object_put(o);
}

long hps_rule_int(const sim_request *r, const char *key, long dflt) {
  json_object *v = NULL;
  if (!r->fault_rule || !json_object_object_get_ex(r->fault_rule, key, &v) ||
      !json_object_is_type(v, json_type_int))
    return dflt;
  return (long)json_object_get_int64(v);
}

static void authinfo(hps_api *api, const sim_request *r, sim_response *resp) {
  char url[512];
  const char *host = sim_header(r, "Host");
  if (api->cfg.base_url)
    snprintf(url, sizeof url, "%s%s", api->cfg.base_url, api->cfg.auth_path);
  else
    snprintf(url, sizeof url, "http://%s%s", host ? host : "127.0.0.1",
             api->cfg.auth_path);
  json_object *o = json_object_new_object();
  json_object_object_add(o, "auth_url", json_object_new_string(url));
  json_object_object_add(
      o, "tenant_id",
      json_object_new_string(api->cfg.auth.tenant
                                 ? api->cfg.auth.tenant
                                 : "7d1c3a52-0000-4c5e-9d6b-lpsa-demo"));
  sim_respond_json(resp, 200, o);
  json_object_put(o);
}

/* "/api/RecurringInvoice/12/" -> entity "RecurringInvoice", id "12". */
static int split(const char *path, char *entity, size_t ecap, char *id,
                 size_t icap) {
  if (strncasecmp(path, "/api/", 5) != 0)
    return -1;
  const char *p = path + 5;
  size_t n = strcspn(p, "/");
  if (!n || n >= ecap)
    return -1;
  memcpy(entity, p, n);
  entity[n] = '\0';
  p += n;
  id[0] = '\0';
  if (*p == '/' && p[1]) {
    p++;
    n = strcspn(p, "/");
    if (n >= icap)
      return -1;
    memcpy(id, p, n);
    id[n] = '\0';
    p += n;
  }
  if (*p == '/')
    p++;
  return *p ? -1 : 0;
}

static const char *area_of(const char *entity) {
  if (strcasecmp(entity, "Client") == 0)
    return "customers";
  if (strcasecmp(entity, "Item") == 0)
    return "items";
  if (strcasecmp(entity, "RecurringInvoice") == 0)
    return "invoices";
  return NULL;
}

static int is_token_path(const hps_api *api, const char *path) {
  size_t n = strlen(api->cfg.auth_path);
  return strncasecmp(path, api->cfg.auth_path, n) == 0 &&
         strcasecmp(path + n, "/token") == 0;
}

void hps_api_handle(hps_api *api, const sim_request *r, long long now_ms,
                    sim_response *resp) {
  if (hps_rate_take(&api->rate, now_ms) != 0) {
    char text[128];
    snprintf(text, sizeof text,
             "Rate Limit Reached - %ld Requests per rolling %ld minute window",
             api->rate.limit,
             api->rate.window_ms / 60000 > 0 ? api->rate.window_ms / 60000 : 1);
    sim_respond_text(resp, 429, "text/plain", text);
    return;
  }
  const char *action = r->fault_action ? r->fault_action : "";
  if (is_token_path(api, r->path)) {
    if (strcmp(r->method, "POST") != 0) {
      sim_respond_text(resp, 405, "text/plain", "Method Not Allowed");
      return;
    }
    hps_auth_token(&api->auth, sim_query(r, "tenant"), r->body, now_ms, resp);
    return;
  }
  if (strcasecmp(r->path, "/api/authinfo") == 0 ||
      strcasecmp(r->path, "/api/authinfo/") == 0) {
    authinfo(api, r, resp);
    return;
  }
  char entity[64], id[64];
  const char *area = split(r->path, entity, sizeof entity, id, sizeof id) == 0
                         ? area_of(entity)
                         : NULL;
  if (!area) {
    hps_error(resp, 404, "The resource was not found");
    return;
  }
  int is_post = strcmp(r->method, "POST") == 0;
  int is_get = strcmp(r->method, "GET") == 0;
  if (!is_get && !(is_post && !id[0] && strcmp(area, "invoices") == 0)) {
    sim_add_header(resp, "Allow",
                   id[0] || strcmp(area, "invoices") != 0 ? "GET"
                                                          : "GET, POST");
    hps_error(resp, 405, "The method is not allowed on this resource");
    return;
  }
  const char *authz = sim_header(r, "Authorization");
  if (strcmp(action, "expire_token") == 0) {
    hps_auth_expire(&api->auth, authz);
  }
  if (hps_auth_check(&api->auth, authz, area, is_post, now_ms, resp) != 0)
    return;
  if (is_post)
    hps_post_invoices(api, r, resp);
  else
    hps_list_handle(api, r, entity, id[0] ? id : NULL, resp);
}
