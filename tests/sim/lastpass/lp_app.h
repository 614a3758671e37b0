/* SPDX-License-Identifier: MIT */
/*
 * lp_app.h — the LastPass simulator's state and the pieces of its API, shared
 * by its files. One lp_app per process; the framework serialises every call
 * into it (sim_server.h), so nothing here locks.
 */
#ifndef LPSA_LP_APP_H
#define LPSA_LP_APP_H

#include "lp_data.h"
#include "sim_server.h"

typedef struct lp_app {
  lp_data data;
  /* Bumped whenever the dataset is replaced: page tokens of an older
   * generation are refused (400), as a real API refuses stale cursors. */
  unsigned generation;
  char api_key[256]; /* --api-key, default lpkey_demo */
  char now[11];      /* --now YYYY-MM-DD, default today (UTC) */
} lp_app;

/* The whole API (sim_app.handle). */
void lp_handle(void *app, const sim_request *req, sim_response *resp);
json_object *lp_state_get(void *app);
int lp_state_put(void *app, json_object *state, char *err, size_t cap);

/* Endpoints (lp_companies.c, lp_billing.c, lp_users.c). */
void lp_list_companies(lp_app *app, const sim_request *req, sim_response *resp);
void lp_billing_cycles(lp_app *app, const sim_request *req, sim_response *resp);
void lp_billing_reports(lp_app *app, const sim_request *req,
                        sim_response *resp);
void lp_list_users(lp_app *app, long company_id, const sim_request *req,
                   sim_response *resp);

/* RFC 9457 problem details (lp_problem.c). */
void lp_problem(sim_response *resp, const sim_request *req, int status,
                const char *title, const char *detail);
/* 400 with one {"detail","pointer":"#/<param>"} entry in "errors". */
void lp_problem_param(sim_response *resp, const sim_request *req,
                      const char *param, const char *detail);

/* Paging (lp_page.c). */
typedef json_object *(*lp_record_fn)(const void *ctx, size_t i);
typedef struct lp_paging {
  long offset; /* first record of this page */
  long max;    /* max-results */
  int variant; /* distinguishes tokens that point at the same offset */
  unsigned long query_hash;
} lp_paging;
/* FNV-1a of the listed query arguments (their decoded values), so that a
 * page token only works with the query that produced it. */
unsigned long lp_query_hash(const sim_request *req, const char *const *names);
/* Read max-results (1..max_limit, default def) and page-token; -1 with a 400
 * answer in resp when either is bad. */
int lp_paging_read(const lp_app *app, const sim_request *req, long def,
                   long max_limit, unsigned long query_hash, lp_paging *pg,
                   sim_response *resp);
/* Answer {"items":[records offset..offset+max-1],"nextPageToken":...}
 * (records come from make(ctx, i), i < n), applying the domain faults of
 * req->fault_action. The last page carries "nextPageToken":null when
 * null_on_last, else no nextPageToken member. `id_field` / `count_field`
 * name the record members the wrong_types / missing_fields faults damage by
 * default. */
void lp_page_respond(const lp_app *app, const sim_request *req,
                     sim_response *resp, const lp_paging *pg, size_t n,
                     lp_record_fn make, const void *ctx, int null_on_last,
                     const char *default_field);

/* Page tokens (lp_token.c): opaque base64url text. */
void lp_token_encode(unsigned generation, long offset, unsigned long qhash,
                     int variant, char *out, size_t cap);
/* 0 when `token` is one of ours (fields filled), else -1. */
int lp_token_decode(const char *token, unsigned *generation, long *offset,
                    unsigned long *qhash, int *variant);

#endif
