/* SPDX-License-Identifier: MIT */
/*
 * cw_client.h — talking to ConnectWise through the host's HTTP transport:
 * codebase discovery, the API root, authentication headers, re-discovery on
 * 404, and turning failed answers into one-line messages and lpsa codes.
 *
 * Every request is named by its path relative to the API root
 * ("finance/agreements?conditions=..."), so that when a hosted codebase moves
 * (a 404, then login/companyinfo names another codebase) the same request
 * can be sent again under the new root.
 */
#ifndef CW_CLIENT_H
#define CW_CLIENT_H

#include <stddef.h>

#include "cw_buf.h"
#include "cw_ctx.h"

/* One API request. */
typedef struct cw_req {
  const char *method; /* NULL: GET */
  const char *rel;    /* path and query under the API root */
  const char *body;   /* JSON body or NULL */
  unsigned flags;     /* LPSA_HTTP_* */
  /* The security-role area this request needs, for the message of a 403:
   * "Finance > Agreements"; and what to grant there: "Inquire". */
  const char *area;
  const char *grant;
  /* A list (collection) request: a 404 then cannot mean a missing record,
   * and on ConnectWise cloud often means rejected keys: the message says so. */
  int list;
} cw_req;

/* Start an operation (snapshot, set_quantity, check): re-discovery may
 * happen once again (on this thread). */
void cw_op_begin(cw_ctx *c);

/* The length of the API root (0 until discovered), read under the lock. */
size_t cw_root_len(cw_ctx *c);

/* Run codebase discovery now (GET {site}/login/companyinfo/{company_id},
 * unauthenticated) and set the API root. With a configured codebase, only
 * sets the root. `resp_status` (may be NULL) receives the HTTP status. */
int cw_discover(cw_ctx *c, char *err, size_t errlen);

/* Make sure the API root is known (discovery once per instance, or the
 * configured codebase): request URLs are measured on it. */
int cw_ensure_root(cw_ctx *c, char *err, size_t errlen);

/* Send one request. A URL longer than CW_MAX_URL is never sent
 * (LPSA_ERR_INVALID): the budget in cw_budget.h keeps lists under it.
 * Returns LPSA_OK for a 2xx answer; otherwise the lpsa
 * status with one line in err. `resp` must be released with cw_release() in
 * every case (its status tells a caller what the server said). */
int cw_call(cw_ctx *c, const cw_req *req, lpsa_http_response *resp, char *err,
            size_t errlen);

/* Send n GET requests at once through the host's http_many (the host bounds
 * concurrency). LPSA_OK when every answer is 2xx; otherwise the first
 * failure's status and message. Release every resps[i] with cw_release(). */
int cw_call_many(cw_ctx *c, const cw_req *reqs, size_t n,
                 lpsa_http_response *resps, char *err, size_t errlen);

void cw_release(cw_ctx *c, lpsa_http_response *resp);

/* Response header `name` into buf (see lpsa_host_api.http_header). */
long cw_header(cw_ctx *c, const lpsa_http_response *resp, const char *name,
               char *buf, size_t cap);

/* Append `s` percent-encoded for a query value. */
void cw_put_escaped(cw_ctx *c, cw_buf *b, const char *s);

/* "GET company/companies": method and path without the query, for messages. */
void cw_req_what(const cw_req *req, char *out, size_t cap);

#endif
