/* SPDX-License-Identifier: MIT */
/*
 * hp_client.h — calls to the HaloPSA API through the host's transport:
 * the token (hp_auth.h) in the Authorization header, one fresh token and
 * one resend after a 401, every request in the paced group HP_GROUP, and
 * answers judged into a JSON document or one error line.
 */
#ifndef HP_CLIENT_H
#define HP_CLIENT_H

#include <json-c/json.h>

#include "hp_ctx.h"

typedef struct hp_call {
  const char *method; /* NULL: GET */
  const char *path;   /* after "/api/", query included: "Client?..." */
  const char *body;   /* JSON, or NULL */
  unsigned flags;     /* LPSA_HTTP_* */
  const char *label;  /* counting label, "halopsa GET Client" */
  const char *doing;  /* for messages: "reading clients" */
  const char *scope;  /* what a 403 needs: "read:customers" */
} hp_call;

/* Send one call. LPSA_OK when an HTTP answer arrived (any status; judge
 * it with hp_judge()), else the token's or the transport's failure with
 * err set. Release resp with hp_release() in every case. */
int hp_send(hp_ctx *ctx, const hp_call *call, lpsa_http_response *resp,
            char *err, size_t errlen);

/* Send n calls at once (http_many), same token handling; resps[i] answers
 * calls[i]. LPSA_OK when every one got an answer, else the first failure
 * with err set. Release every response. */
int hp_send_many(hp_ctx *ctx, const hp_call *calls, lpsa_http_response *resps,
                 size_t n, char *err, size_t errlen);

void hp_release(hp_ctx *ctx, lpsa_http_response *resp);

/* Judge an answer (rc as hp_send returned it): 2xx with a JSON document
 * gives LPSA_OK and a new reference in *doc (unless doc is NULL). */
int hp_judge(const hp_call *call, int rc, const lpsa_http_response *resp,
             json_object **doc, char *err, size_t errlen);

/* hp_send() then hp_judge(). */
int hp_get_json(hp_ctx *ctx, const hp_call *call, json_object **doc, char *err,
                size_t errlen);

/* Parse a whole body as JSON; NULL when it is not. */
json_object *hp_parse(const char *body, size_t len);

#endif
