/* SPDX-License-Identifier: MIT */
/*
 * cw_check.c — driver.check(): can this configuration do a sync?
 *
 * One checklist item each, through api->check_item():
 *   1. the site answers and knows the company id (codebase discovery)
 *   2. the API keys are accepted (system/info)
 *   3. the security role can read companies, their statuses (whether a
 *      status is inactive), agreements, the product catalog and an
 *      agreement's additions (one cheap read of each: pageSize=1, fields=id)
 * Items 1 and 2 gate the rest: without a codebase or accepted keys every
 * other read would fail for the same reason. Editing additions cannot be
 * proven without writing, so the agreements item names the Edit right too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cw_client.h"
#include "cw_json.h"

typedef struct check_run {
  cw_ctx *c;
  int status; /* the first failure */
  char *err;
  size_t errlen;
} check_run;

static void item(check_run *r, const char *what, int rc, const char *detail) {
  r->c->api->check_item(r->c->host, what, rc == LPSA_OK, detail);
  if (rc != LPSA_OK && r->status == LPSA_OK) {
    r->status = rc;
    snprintf(r->err, r->errlen, "%s", detail ? detail : what);
  }
}

static void check_site(check_run *r) {
  char msg[512] = "";
  int rc = cw_discover(r->c, msg, sizeof msg);
  if (rc == LPSA_OK)
    snprintf(msg, sizeof msg, "codebase %s (%s)", r->c->codebase,
             r->c->codebase_cfg ? "configured" : "discovered");
  item(r, "ConnectWise site and company id", rc, msg);
}

/* A one-line description of system/info's answer. */
static void describe_info(const lpsa_http_response *resp, char *out,
                          size_t cap) {
  json_object *doc = json_tokener_parse(resp->body ? resp->body : "");
  json_object *v = NULL, *cloud = NULL;
  const char *version = NULL;
  if (json_object_object_get_ex(doc, "version", &v) &&
      json_object_get_type(v) == json_type_string)
    version = json_object_get_string(v);
  int is_cloud = json_object_object_get_ex(doc, "isCloud", &cloud) &&
                 json_object_get_boolean(cloud);
  snprintf(out, cap, "API keys accepted; ConnectWise %s%s",
           version ? version : "(version not given)",
           is_cloud ? ", cloud" : "");
  json_object_put(doc);
}

static void check_keys(check_run *r) {
  char msg[512] = "";
  cw_req req = {.rel = "system/info"};
  lpsa_http_response resp;
  int rc = cw_call(r->c, &req, &resp, msg, sizeof msg);
  if (rc == LPSA_OK)
    describe_info(&resp, msg, sizeof msg);
  else if (rc == LPSA_ERR_NOT_FOUND) {
    snprintf(msg, sizeof msg,
             "ConnectWise answered 404 to system/info: on ConnectWise cloud "
             "this usually means the API keys were rejected; check "
             "company_id, public_key, private_key (and codebase, if set)");
    rc = LPSA_ERR_AUTH;
  }
  cw_release(r->c, &resp);
  item(r, "ConnectWise API keys", rc, msg);
}

/* Read one record of a list; *first_id gets its id (0 if none). */
static void check_read(check_run *r, const char *what, const char *rel,
                       const char *area, const char *grant,
                       long long *first_id) {
  char msg[512] = "";
  cw_req req = {.rel = rel, .area = area, .grant = grant, .list = 1};
  lpsa_http_response resp;
  int rc = cw_call(r->c, &req, &resp, msg, sizeof msg);
  json_object *list = NULL;
  if (rc == LPSA_OK)
    rc = cw_json_list(resp.body, resp.body_len, rel, &list, msg, sizeof msg);
  if (rc == LPSA_OK) {
    size_t n = json_object_array_length(list);
    json_object *id = NULL;
    long long v = 0;
    if (first_id && n &&
        json_object_object_get_ex(json_object_array_get_idx(list, 0), "id",
                                  &id) &&
        cw_json_int64(id, &v) == 0 && v > 0)
      *first_id = v;
    snprintf(msg, sizeof msg, "readable (%s)", area);
  }
  json_object_put(list);
  cw_release(r->c, &resp);
  item(r, what, rc, msg);
}

int cw_check(lpsa_driver_ctx *ctx, char *err, size_t errlen) {
  cw_ctx *c = ctx;
  if (!c) {
    snprintf(err, errlen, "check called without a driver instance");
    return LPSA_ERR_INVALID;
  }
  check_run r = {c, LPSA_OK, err, errlen};
  cw_op_begin(c);
  check_site(&r);
  if (r.status == LPSA_OK)
    check_keys(&r);
  if (r.status != LPSA_OK)
    return r.status;
  long long agreement = 0;
  check_read(&r, "read companies", "company/companies?pageSize=1&fields=id",
             "Companies > Company Maintenance", "Inquire", NULL);
  check_read(&r, "read company statuses",
             "company/companies/statuses?pageSize=1&fields=id",
             "Companies > Company Maintenance", "Inquire", NULL);
  check_read(&r, "read agreements", "finance/agreements?pageSize=1&fields=id",
             "Finance > Agreements", "Inquire and Edit", &agreement);
  check_read(&r, "read the product catalog",
             "procurement/catalog?pageSize=1&fields=id",
             "Procurement > Product Catalog", "Inquire", NULL);
  if (agreement > 0) {
    char rel[96];
    snprintf(rel, sizeof rel,
             "finance/agreements/%lld/additions?pageSize=1&fields=id",
             agreement);
    check_read(&r, "read agreement additions", rel, "Finance > Agreements",
               "Inquire and Edit", NULL);
  } else {
    c->api->check_item(c->host, "read agreement additions", 1,
                       "not tried: no agreement to read additions from");
  }
  return r.status;
}
