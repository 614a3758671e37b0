/* SPDX-License-Identifier: MIT */
/*
 * hp_client.c — requests, the token and answers (see hp_client.h).
 */
#include "hp_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_auth.h"
#include "hp_error.h"

json_object *hp_parse(const char *body, size_t len) {
  if (!body)
    return NULL;
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return NULL;
  json_object *doc = json_tokener_parse_ex(tok, body, (int)len);
  /* Only a complete document: a body cut short must not read as a page. */
  size_t end = json_tokener_get_error(tok) == json_tokener_success
                   ? json_tokener_get_parse_end(tok)
                   : 0;
  while (end && end < len && strchr(" \t\r\n", body[end]))
    end++;
  if (!end || end < len) {
    json_object_put(doc);
    doc = NULL;
  }
  json_tokener_free(tok);
  return doc;
}

typedef struct prepared {
  char *url;
  char *auth; /* this request's copy of the token's header */
  const char *headers[4];
} prepared;

static void unprepare(prepared *p) {
  free(p->url);
  hp_auth_header_free(p->auth);
  p->url = p->auth = NULL;
}

static int prepare(hp_ctx *ctx, const hp_call *call, prepared *p,
                   lpsa_http_request *req) {
  size_t n = strlen(ctx->api_base) + strlen(call->path) + 2;
  p->url = malloc(n);
  if (!p->url)
    return -1;
  snprintf(p->url, n, "%s/%s", ctx->api_base, call->path);
  size_t h = 0;
  p->auth = hp_auth_header(ctx);
  if (p->auth)
    p->headers[h++] = p->auth;
  p->headers[h++] = "Accept: application/json";
  if (call->body)
    p->headers[h++] = "Content-Type: application/json";
  p->headers[h] = NULL;
  memset(req, 0, sizeof *req);
  req->size = sizeof *req;
  req->method = call->method ? call->method : "GET";
  req->url = p->url;
  req->headers = p->headers;
  req->body = call->body;
  req->body_len = call->body ? strlen(call->body) : 0;
  req->flags = call->flags;
  req->label = call->label;
  req->group = HP_GROUP;
  return 0;
}

void hp_release(hp_ctx *ctx, lpsa_http_response *resp) {
  ctx->api->http_release(ctx->host, resp);
}

static void blank(lpsa_http_response *resp) {
  memset(resp, 0, sizeof *resp);
  resp->size = sizeof *resp;
}

int hp_send(hp_ctx *ctx, const hp_call *call, lpsa_http_response *resp,
            char *err, size_t errlen) {
  blank(resp);
  int rc = LPSA_OK;
  for (int attempt = 0; attempt < 2; attempt++) {
    rc = hp_auth_token(ctx, err, errlen);
    if (rc)
      return rc;
    prepared p;
    lpsa_http_request req;
    if (prepare(ctx, call, &p, &req)) {
      snprintf(err, errlen, "out of memory");
      return LPSA_ERR_NOMEM;
    }
    hp_release(ctx, resp);
    rc = ctx->api->http(ctx->host, &req, resp);
    /* A 401 means the token was refused before anything was done: take a
     * fresh one and send once more (a POST too: it was not applied). */
    if (resp->status == 401) {
      ctx->api->log(ctx->host, LPSA_LOG_INFO,
                    "HaloPSA refused the token while %s: asking for a new one",
                    call->doing);
      hp_auth_forget(ctx);
    }
    unprepare(&p);
    if (resp->status != 401)
      break;
  }
  if (resp->status == 0 && rc == LPSA_OK)
    rc = LPSA_ERR_NETWORK;
  if (resp->status == 0)
    snprintf(err, errlen, "could not reach HaloPSA while %s: %s", call->doing,
             resp->error[0] ? resp->error : "no answer");
  return resp->status ? LPSA_OK : rc;
}

int hp_send_many(hp_ctx *ctx, const hp_call *calls, lpsa_http_response *resps,
                 size_t n, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++)
    blank(&resps[i]);
  if (n == 0)
    return LPSA_OK;
  lpsa_http_request *reqs = calloc(n, sizeof *reqs);
  prepared *ps = calloc(n, sizeof *ps);
  size_t *todo = calloc(n, sizeof *todo);
  lpsa_http_response *tmp = calloc(n, sizeof *tmp);
  int rc = LPSA_OK;
  if (!reqs || !ps || !todo || !tmp) {
    rc = LPSA_ERR_NOMEM;
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  size_t m = n;
  for (size_t i = 0; i < n; i++)
    todo[i] = i;
  for (int attempt = 0; attempt < 2 && m; attempt++) {
    rc = hp_auth_token(ctx, err, errlen);
    if (rc)
      goto done;
    for (size_t k = 0; k < m; k++)
      if (prepare(ctx, &calls[todo[k]], &ps[k], &reqs[k])) {
        for (size_t j = 0; j < k; j++)
          unprepare(&ps[j]);
        rc = LPSA_ERR_NOMEM;
        snprintf(err, errlen, "out of memory");
        goto done;
      }
    ctx->api->http_many(ctx->host, reqs, tmp, m);
    size_t again = 0;
    for (size_t k = 0; k < m; k++) {
      size_t i = todo[k];
      hp_release(ctx, &resps[i]);
      resps[i] = tmp[k];
      if (tmp[k].status == 401) {
        if (again == 0) {
          ctx->api->log(ctx->host, LPSA_LOG_INFO,
                        "HaloPSA refused the token while %s: asking for a "
                        "new one",
                        calls[i].doing);
          hp_auth_forget(ctx);
        }
        todo[again++] = i;
      }
      unprepare(&ps[k]);
    }
    m = attempt == 0 ? again : 0;
  }
  for (size_t i = 0; i < n && rc == LPSA_OK; i++)
    if (resps[i].status == 0) {
      snprintf(err, errlen, "could not reach HaloPSA while %s: %s",
               calls[i].doing,
               resps[i].error[0] ? resps[i].error : "no answer");
      rc = LPSA_ERR_NETWORK;
    }
done:
  free(reqs);
  free(ps);
  free(todo);
  free(tmp);
  return rc;
}

int hp_judge(const hp_call *call, int rc, const lpsa_http_response *resp,
             json_object **doc, char *err, size_t errlen) {
  if (doc)
    *doc = NULL;
  if (rc != LPSA_OK)
    return rc;
  if (resp->status < 200 || resp->status > 299)
    return hp_error_from_answer(resp->status, resp->body, resp->body_len,
                                call->doing, call->scope, err, errlen);
  json_object *d = hp_parse(resp->body, resp->body_len);
  if (!d) {
    snprintf(err, errlen,
             "HaloPSA sent an answer that is not complete JSON while %s "
             "(HTTP %ld, %zu bytes): it was cut short or is not the API's",
             call->doing, resp->status, resp->body_len);
    return LPSA_ERR_PROTOCOL;
  }
  if (doc)
    *doc = d;
  else
    json_object_put(d);
  return LPSA_OK;
}

int hp_get_json(hp_ctx *ctx, const hp_call *call, json_object **doc, char *err,
                size_t errlen) {
  lpsa_http_response resp;
  int rc = hp_send(ctx, call, &resp, err, errlen);
  rc = hp_judge(call, rc, &resp, doc, err, errlen);
  hp_release(ctx, &resp);
  return rc;
}
