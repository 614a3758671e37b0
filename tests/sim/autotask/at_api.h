/*
 * at_api.h — the Autotask REST API as a function: request in, answer out.
 *
 * Everything the simulator answers on the wire is decided here, with no
 * HTTP server around it, so unit tests can call it directly; at_main.c only
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
 * text), the rolling-hour request budget (429, JSON), the entity (404),
 * permissions from the dataset's "denied" (500, "does not have the adequate
 * permissions"), the thread limit of 3 concurrent requests per integration code
 * and entity (429, plain text "thread threshold of 3 threads has been
 * exceeded", no Retry-After). Other failures: 500 {"errors":["..."]};
 * unsupported methods 405.
 */
#ifndef AT_API_H
#define AT_API_H

#include <stddef.h>
#include <stdint.h>

#include "at_date.h"
#include "at_db.h"

typedef struct at_config {
  const char *user;      /* API user (UserName header, zone lookup) */
  const char *secret;    /* Secret header */
  const char *code;      /* ApiIntegrationCode header */
  const char *base_url;  /* "http://host:port"; NULL: from the Host header */
  int zone_no_slash;     /* zoneInformation url without trailing '/' */
  long threshold;        /* requests per rolling hour */
  int thread_limit;      /* concurrent requests per code and entity */
  at_date_style style;   /* datetimes on the wire */
  int strict_next;       /* GET of a POST query's nextPageUrl: 405 */
  long max_query_string; /* longest GET query string (IIS: 2048) */
} at_config;

/* Defaults: api@demo.example / demosecret / DEMOCODE, threshold 10000,
 * 3 threads, "...Z" dates, query strings up to 2048 bytes. */
void at_config_default(at_config *cfg);

typedef struct at_req {
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
} at_req;

typedef struct at_resp {
  int status;
  char content_type[64];
  char *body; /* malloc'd (may be NULL when status is 0) */
  size_t body_len;
} at_resp;

typedef struct at_api at_api;

/* Copies the configuration's strings. NULL on allocation failure. */
at_api *at_api_new(const at_config *cfg);
void at_api_free(at_api *api);
/* Replaces the dataset (taking ownership; the old one is freed). */
void at_api_set_db(at_api *api, at_db *db);
at_db *at_api_db(at_api *api);

/* Answers one request. resp is zeroed by the caller; on allocation failure
 * resp->status stays 0. */
void at_api_handle(at_api *api, const at_req *req, at_resp *resp);

/* The in-flight key of a request: "<integration code>|<entity>" (lower
 * case) for entity calls, the call's name otherwise. Returns buf. */
const char *at_api_endpoint_key(const at_req *req, char *buf, size_t cap);

/* Requests counted in the rolling hour ending at clock_s. */
long at_api_budget_count(at_api *api, int64_t clock_s);
/* Forgets every counted request (tests). */
void at_api_budget_reset(at_api *api);
/* The configuration in use (strings owned by api). */
const at_config *at_api_config(const at_api *api);

#endif
