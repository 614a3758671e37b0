/* SPDX-License-Identifier: MIT */
/*
 * ats_api.h — the Autotask REST API as a function: request in, answer out.
 *
 * Everything the simulator answers on the wire is decided here, with no
 * HTTP server around it, so unit tests can call it directly; ats_main.c only
 * adapts the shared simulator framework's requests to it.
 *
 * Routes (under /atservicesrest/{version}/, version "v1.0" in any case):
 *   GET  zoneInformation?user=EMAIL        no auth; unknown user: 500
 *   GET  ThresholdInformation
 *   GET  {Entity}/entityInformation[/fields|/userDefinedFields]
 *   POST {Entity}/query                    GET {Entity}/query?search=JSON
 *   POST {Entity}/query/count              GET {Entity}/query/count?search=
 *   GET|POST {Entity}/query/next?paging=CURSOR
 *   GET  {Entity}/{id}                     {"item":{..}} or {"item":null}
 *   GET  Contracts/{id}/Services           child collection
 *   POST ContractServiceAdjustments        POST
 * Contracts/{id}/ServiceAdjustments Checks, in order: credentials (401, plain
 * text; a wrong integration code with a right user: 500 {"errors":
 * ["IntegrationCode is invalid."]}, as Autotask answers it), the
 * rolling-hour request budget (429, JSON), the entity (404),
 * permissions from the dataset's "denied" (500, "does not have the adequate
 * permissions"), the thread limit of 3 concurrent requests per integration code
 * and entity (429, plain text "thread threshold of 3 threads has been
 * exceeded", no Retry-After). Other failures: 500 {"errors":["..."]};
 * unsupported methods 405.
 */
#ifndef ATS_API_H
#define ATS_API_H

#include <stddef.h>
#include <stdint.h>

#include "ats_date.h"
#include "ats_db.h"

typedef struct ats_config {
  const char *user;      /* API user (UserName header, zone lookup) */
  const char *secret;    /* Secret header */
  const char *code;      /* ApiIntegrationCode header */
  const char *base_url;  /* "http://host:port"; NULL: from the Host header */
  int zone_no_slash;     /* zoneInformation url without trailing '/' */
  long threshold;        /* requests per rolling hour */
  int thread_limit;      /* concurrent requests per code and entity */
  ats_date_style style;  /* datetimes on the wire */
  int strict_next;       /* GET of a POST query's nextPageUrl: 405 (default) */
  long max_query_string; /* longest GET query string (IIS: 2048) */
} ats_config;

/* Defaults: api@demo.example / demosecret / DEMOCODE, threshold 10000,
 * 3 threads, "...Z" dates, query strings up to 2048 bytes, strict next
 * pages. */
void ats_config_default(ats_config *cfg);

typedef struct ats_req {
  const char *method;
  const char *path;  /* decoded path, no query */
  const char *query; /* raw query string ("" when none) */
  const char *body;
  size_t body_len;
  /* Header (case-insensitive) and decoded query argument lookups. */
  const char *(*header)(const void *ctx, const char *name);
  const char *(*arg)(const void *ctx, const char *name);
  const void *ctx;
  const char *fault; /* domain fault action, or NULL */
  int inflight;      /* requests in flight with this one's endpoint key */
  int64_t clock_s;   /* monotonic seconds, for the request budget */
} ats_req;

typedef struct ats_resp {
  int status;
  char content_type[64];
  char *body; /* malloc'd (may be NULL when status is 0) */
  size_t body_len;
} ats_resp;

typedef struct ats_api ats_api;

/* Copies the configuration's strings. NULL on allocation failure. */
ats_api *ats_api_new(const ats_config *cfg);
void ats_api_free(ats_api *api);
/* Replaces the dataset (taking ownership; the old one is freed). */
void ats_api_set_db(ats_api *api, ats_db *db);
ats_db *ats_api_db(ats_api *api);

/* Answers one request. resp is zeroed by the caller; on allocation failure
 * resp->status stays 0. */
void ats_api_handle(ats_api *api, const ats_req *req, ats_resp *resp);

/* The in-flight key of a request: "<integration code>|<entity>" (lower
 * case) for entity calls, the call's name otherwise. Returns buf. */
const char *ats_api_endpoint_key(const ats_req *req, char *buf, size_t cap);

/* Requests counted in the rolling hour ending at clock_s. */
long ats_api_budget_count(ats_api *api, int64_t clock_s);
/* Forgets every counted request (tests). */
void ats_api_budget_reset(ats_api *api);
/* The configuration in use (strings owned by api). */
const ats_config *ats_api_config(const ats_api *api);

#endif
