/* SPDX-License-Identifier: MIT */
/*
 * api.h — the simulated ConnectWise PSA server as one pure function.
 *
 * cw_handle() takes a request (method, path, raw query, headers, body) and
 * produces the status, headers and JSON body the real server would. It does
 * no I/O, so unit tests call it directly and main.c only adapts it to the
 * shared HTTP framework (tests/sim/common).
 *
 * What it serves (see shared/reference/connectwise.md):
 *   GET  /login/companyinfo/{companyId}         unauthenticated discovery
 *   GET  /{codebase}apis/3.0/system/info
 *   GET  .../company/companies[/count|/{id}]
 *   GET  .../company/companies/statuses[/count|/{id}]
 *   GET  .../finance/agreements[/count|/{id}]
 *   GET  .../finance/agreements/{id}/additions[/count]
 *   GET|PATCH|PUT .../finance/agreements/{agreementId}/additions/{id}
 *   GET  .../procurement/catalog[/count|/{id}]
 * with Basic auth ("company+public:private"), the clientId header, the
 * conditions/orderBy/fields/page/pageSize/pageId parameters, Link paging,
 * security-role refusals (403), an optional per-minute rate limit (429 with
 * Retry-After), a codebase that can move after N requests, and 414 for a
 * request URL longer than CW_MAX_URL characters.
 */
#ifndef CW_API_H
#define CW_API_H

#include <stddef.h>

#include "dataset.h"

typedef struct cw_config {
  const char *company;      /* the company id used at login: "lpsademo" */
  const char *company_name; /* CompanyName in companyinfo */
  const char *public_key;
  const char *private_key;
  const char *client_id;    /* NULL: any non-empty clientId is accepted */
  const char *codebase;     /* "v4_6_release/" (ends with /) */
  const char *new_codebase; /* where the codebase moves: "v2025_1/" */
  long move_after;          /* API requests before moving; -1: never */
  const char *version;      /* API version: "2025.1" */
  long rate_limit_per_min;  /* 0: no limit */
  int omit_nulls;           /* leave null members out of records */
  int tls;                  /* served over https (for Link URLs, lengths) */
} cw_config;

/* Real ConnectWise servers refuse a request whose whole URL (scheme, host,
 * path and query, percent-encoded as sent) is longer than this: 414. */
#define CW_MAX_URL 2000

/* The defaults: lpsademo / pubkey / privkey, v4_6_release/, 2025.1... */
void cw_config_default(cw_config *cfg);

typedef struct cw_sim {
  cw_config cfg;
  cw_dataset data;
  long api_requests;   /* authenticated-or-not requests under the API root */
  int moved;           /* the codebase has moved to cfg.new_codebase */
  double window_start; /* rate limit: start of the current minute */
  long window_count;
} cw_sim;

/* A request header by name (case-insensitive), or NULL. */
typedef const char *(*cw_header_fn)(const void *ctx, const char *name);

typedef struct cw_request {
  const char *method;
  const char *path;  /* decoded path, no query: "/v4_6_release/apis/3.0/..." */
  const char *query; /* raw query string without '?', or "" */
  cw_header_fn header;
  const void *header_ctx;
  const char *body; /* "" when none */
  size_t body_len;
  const char *fault_action; /* domain fault (page_loop...), or NULL */
  double now;               /* seconds since the epoch */
} cw_request;

#define CW_MAX_HEADERS 8

typedef struct cw_response {
  int status;
  char *body; /* JSON text (malloc'd), or NULL for no body */
  size_t body_len;
  char *headers[CW_MAX_HEADERS][2]; /* malloc'd name and value */
  int n_headers;
} cw_response;

/* Answers one request; `resp` must be zeroed. Never fails: out of memory
 * becomes a 500. */
void cw_handle(cw_sim *sim, const cw_request *req, cw_response *resp);
void cw_response_free(cw_response *resp);
/* A response header by name (case-insensitive), or NULL. */
const char *cw_response_header(const cw_response *resp, const char *name);

#endif
