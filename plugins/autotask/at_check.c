/* SPDX-License-Identifier: MIT */
/*
 * at_check.c — what `lpsa-host check` shows for Autotask, one item each:
 *   the zone (lookup or configured), the credentials (ThresholdInformation,
 *   the cheapest authenticated call), read permission on each entity the
 *   sync queries (a query matching nothing), the picklists the sync needs,
 *   and the API budget in the current window.
 * The write permission on ContractServiceAdjustments cannot be tested
 * without writing, so it is not claimed. About 10 requests.
 */
#include "at_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_client.h"
#include "at_fields.h"
#include "at_json.h"
#include "at_query_json.h"

typedef struct check_run {
  at_ctx *ctx;
  int first_rc;
  char *err;
  size_t errlen;
} check_run;

static void item(check_run *c, const char *what, int rc, const char *detail) {
  c->ctx->api->check_item(c->ctx->host, what, rc == LPSA_OK, detail);
  if (rc != LPSA_OK && c->first_rc == LPSA_OK) {
    c->first_rc = rc;
    snprintf(c->err, c->errlen, "%s", detail);
  }
}

static int check_zone(check_run *c) {
  char err[512], detail[600];
  int rc = at_zone(c->ctx, err, sizeof err);
  if (rc != LPSA_OK)
    snprintf(detail, sizeof detail, "%s", err);
  else if (c->ctx->zone_url)
    snprintf(detail, sizeof detail, "configured zone_url %s", c->ctx->base);
  else
    snprintf(detail, sizeof detail, "%s at %s",
             c->ctx->zone_name ? c->ctx->zone_name : "zone", c->ctx->base);
  item(c, "Autotask zone", rc, detail);
  return rc;
}

/* Credentials and the budget in one call. */
static int check_threshold(check_run *c) {
  char err[512], detail[600];
  json_object *root = NULL;
  int rc = at_get_json(c->ctx, "ThresholdInformation", "ThresholdInformation",
                       "reading ThresholdInformation", &root, err, sizeof err);
  /* Refused for its permissions or the budget, the user was still known;
   * any other failure proves nothing about the credentials. */
  int known =
      rc == LPSA_OK || rc == LPSA_ERR_PERMISSION || rc == LPSA_ERR_RATE_LIMITED;
  char who[640];
  snprintf(who, sizeof who, "%s%s",
           known || rc == LPSA_ERR_AUTH ? "" : "could not be confirmed: ",
           known ? "accepted" : err);
  item(c, "Autotask API user (username, secret, integration_code)",
       known ? LPSA_OK : rc, who);
  if (!known) {
    json_object_put(root);
    return rc == LPSA_ERR_AUTH ? rc : LPSA_OK;
  }
  long long limit = 0, used = 0, minutes = 0;
  if (rc == LPSA_OK &&
      (at_json_int(root, "externalRequestThreshold", &limit) != AT_FIELD_OK ||
       at_json_int(root, "currentTimeframeRequestCount", &used) !=
           AT_FIELD_OK ||
       at_json_int(root, "requestThresholdTimeframe", &minutes) !=
           AT_FIELD_OK)) {
    rc = LPSA_ERR_PROTOCOL;
    snprintf(err, sizeof err,
             "ThresholdInformation does not carry the documented fields");
  }
  if (rc == LPSA_OK) {
    snprintf(detail, sizeof detail,
             "API budget: %lld of %lld requests used in the current "
             "%lld-minute window%s",
             used, limit, minutes,
             used * 2 > limit ? " (past half: Autotask slows every call down)"
                              : "");
    if (used >= limit)
      rc = LPSA_ERR_RATE_LIMITED;
  } else {
    snprintf(detail, sizeof detail, "%s", err);
  }
  item(c, "Autotask API budget", rc, detail);
  json_object_put(root);
  return LPSA_OK;
}

/* A query that matches nothing: only the permission is tested. */
static void check_reads(check_run *c) {
  static const char *const entities[] = {"Companies", "Contracts", "Services",
                                         "ContractServices",
                                         "ContractServiceUnits"};
  enum { N = sizeof entities / sizeof entities[0] };
  static const char *const fields[] = {"id", NULL};
  char *urls[N] = {0}, *bodies[N] = {0};
  char labels[N][64];
  lpsa_http_request reqs[N];
  lpsa_http_response resps[N];
  memset(resps, 0, sizeof resps);
  int ok = 1;
  for (size_t i = 0; i < N; i++) {
    char path[64];
    snprintf(path, sizeof path, "%s/query", entities[i]);
    snprintf(labels[i], sizeof labels[i], "autotask %s/query", entities[i]);
    json_object *filter = json_object_new_array();
    json_object *none = at_cond_eq_int("id", 0);
    if (filter && none && !json_object_array_add(filter, none)) {
      none = NULL;
      bodies[i] = at_query_body(filter, fields);
      filter = NULL;
    }
    json_object_put(none);
    json_object_put(filter);
    urls[i] = at_api_url(c->ctx, path);
    if (!urls[i] || !bodies[i])
      ok = 0;
    at_request(c->ctx, &reqs[i], "POST", urls[i], bodies[i],
               LPSA_HTTP_RETRY_SAFE, entities[i], labels[i]);
    resps[i].size = sizeof resps[i];
  }
  if (!ok) {
    item(c, "Autotask read permissions", LPSA_ERR_NOMEM, "out of memory");
  } else {
    int many = c->ctx->api->http_many(c->ctx->host, reqs, resps, N);
    for (size_t i = 0; i < N; i++) {
      char err[512], what[96], doing[96];
      snprintf(doing, sizeof doing, "querying %s", entities[i]);
      snprintf(what, sizeof what, "read %s", entities[i]);
      int rc = at_answer(many, &resps[i], doing, NULL, err, sizeof err);
      item(c, what, rc, rc == LPSA_OK ? "allowed" : err);
      c->ctx->api->http_release(c->ctx->host, &resps[i]);
    }
  }
  for (size_t i = 0; i < N; i++) {
    free(urls[i]);
    free(bodies[i]);
  }
}

static void check_picklists(check_run *c) {
  char err[512], detail[600];
  at_fields f;
  int rc = at_fields_load(c->ctx, 1, &f, err, sizeof err);
  if (rc != LPSA_OK) {
    item(c, "Autotask picklists", rc, err);
    return;
  }
  int months[13] = {0};
  for (size_t i = 0; i < f.service_period.n; i++) {
    int m =
        at_fields_months(&f.service_period, 1, f.service_period.items[i].value);
    months[m] = 1;
  }
  int periods_ok = months[1] || months[3] || months[6] || months[12];
  snprintf(detail, sizeof detail,
           periods_ok ? "Services periodType has%s%s%s%s"
                      : "Services periodType names no monthly, quarterly, "
                        "semi-annual or yearly period%s%s%s%s",
           months[1] ? " monthly" : "", months[3] ? " quarterly" : "",
           months[6] ? " semi-annual" : "", months[12] ? " yearly" : "");
  item(c, "Autotask service billing periods",
       periods_ok ? LPSA_OK : LPSA_ERR_PROTOCOL, detail);
  snprintf(detail, sizeof detail,
           f.active_from_picklist
               ? "contracts with status %lld (\"Active\") are synced"
               : "no \"Active\" status label: status %lld is taken as active",
           f.active_status);
  item(c, "Autotask contract status", LPSA_OK, detail);
  if (c->ctx->contract_category) {
    snprintf(detail, sizeof detail, "only contracts of category %lld",
             f.category);
    item(c, "Autotask contract_category", LPSA_OK, detail);
  }
  at_fields_free(&f);
}

int at_check(lpsa_driver_ctx *vctx, char *err, size_t errlen) {
  if (!vctx || !err || !errlen)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  check_run c = {
      .ctx = vctx, .first_rc = LPSA_OK, .err = err, .errlen = errlen};
  if (!LPSA_HOST_HAS(c.ctx->api, check_item)) {
    snprintf(err, errlen, "this host cannot show check items");
    return LPSA_ERR_UNSUPPORTED;
  }
  if (check_zone(&c) != LPSA_OK || check_threshold(&c) != LPSA_OK)
    return c.first_rc;
  check_reads(&c);
  check_picklists(&c);
  return c.first_rc;
}
