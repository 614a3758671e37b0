/* SPDX-License-Identifier: MIT */
/*
 * cw_client.c — discovery, requests and error messages (see cw_client.h).
 */
#include "cw_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_budget.h"
#include "cw_error.h"
#include "cw_json.h"

/* Per operation: a 404 has already triggered re-discovery. An operation
 * runs on one thread, and a thread runs one operation at a time. */
static _Thread_local int rediscovered;

void cw_op_begin(cw_ctx *c) {
  (void)c;
  rediscovered = 0;
}

size_t cw_root_len(cw_ctx *c) {
  pthread_mutex_lock(&c->lock);
  size_t n = c->root ? strlen(c->root) : 0;
  pthread_mutex_unlock(&c->lock);
  return n;
}

void cw_release(cw_ctx *c, lpsa_http_response *resp) {
  c->api->http_release(c->host, resp);
}

long cw_header(cw_ctx *c, const lpsa_http_response *resp, const char *name,
               char *buf, size_t cap) {
  return c->api->http_header(c->host, resp, name, buf, cap);
}

void cw_put_escaped(cw_ctx *c, cw_buf *b, const char *s) {
  size_t need = c->api->url_escape(s, NULL, 0);
  char *tmp = malloc(need + 1);
  if (!tmp) {
    b->oom = 1;
    return;
  }
  c->api->url_escape(s, tmp, need + 1);
  tmp[need] = '\0';
  cw_buf_puts(b, tmp);
  free(tmp);
}

void cw_req_what(const cw_req *req, char *out, size_t cap) {
  const char *rel = req->rel ? req->rel : "";
  size_t path_len = strcspn(rel, "?");
  if (path_len > 160)
    path_len = 160;
  snprintf(out, cap, "%s %.*s", req->method ? req->method : "GET",
           (int)path_len, rel);
}

static int set_root(cw_ctx *c, const char *codebase) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_printf(&b, "%s/%sapis/3.0/", c->site, codebase);
  char *root = cw_buf_steal(&b);
  char *cb = strdup(codebase);
  if (!root || !cb) {
    free(root);
    free(cb);
    return LPSA_ERR_NOMEM;
  }
  pthread_mutex_lock(&c->lock);
  free(c->root);
  free(c->codebase);
  c->root = root;
  c->codebase = cb;
  pthread_mutex_unlock(&c->lock);
  return LPSA_OK;
}

static int nomem(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory talking to ConnectWise");
  return LPSA_ERR_NOMEM;
}

/* Interpret the companyinfo answer. */
static int discovery_answer(cw_ctx *c, const lpsa_http_response *resp,
                            const char *what, char *err, size_t errlen) {
  if (resp->status < 200 || resp->status > 299) {
    char msg[400];
    cw_error_message(resp->status, resp->body, resp->body_len, what, msg,
                     sizeof msg);
    snprintf(err, errlen,
             "%s: check site (the ConnectWise API host, such as "
             "https://api-na.myconnectwise.net)",
             msg);
    int st = cw_status_from_http(resp->status);
    return st == LPSA_ERR_NOT_FOUND ? LPSA_ERR_INVALID : st;
  }
  char *codebase = NULL;
  int unknown = 0;
  int rc = cw_companyinfo_parse(resp->body, resp->body_len, &codebase, &unknown,
                                err, errlen);
  if (rc)
    return rc;
  if (unknown) {
    snprintf(err, errlen,
             "ConnectWise does not know company id %.64s: check company_id",
             c->company_id);
    return LPSA_ERR_INVALID;
  }
  rc = set_root(c, codebase);
  free(codebase);
  return rc ? nomem(err, errlen) : LPSA_OK;
}

/* The codebase in use, copied into buf. */
static const char *codebase_of(cw_ctx *c, char *buf, size_t cap) {
  pthread_mutex_lock(&c->lock);
  snprintf(buf, cap, "%s", c->codebase ? c->codebase : "");
  pthread_mutex_unlock(&c->lock);
  return buf;
}

int cw_discover(cw_ctx *c, char *err, size_t errlen) {
  char codebase[128];
  if (c->codebase_cfg)
    return set_root(c, c->codebase_cfg) ? nomem(err, errlen) : LPSA_OK;
  cw_buf url;
  cw_buf_init(&url);
  cw_buf_printf(&url, "%s/login/companyinfo/", c->site);
  cw_put_escaped(c, &url, c->company_id);
  if (!cw_buf_str(&url)) {
    cw_buf_free(&url);
    return nomem(err, errlen);
  }
  /* Unauthenticated by design: the credentials are not sent here. */
  lpsa_http_request req = {
      .size = sizeof req, .method = "GET", .url = cw_buf_str(&url)};
  lpsa_http_response resp = {.size = sizeof resp};
  int rc = c->api->http(c->host, &req, &resp);
  const char *what = "GET login/companyinfo";
  if (rc != LPSA_OK)
    snprintf(err, errlen, "no answer from ConnectWise at %s for %s: %s",
             c->site, what, resp.error[0] ? resp.error : "transport error");
  else
    rc = discovery_answer(c, &resp, what, err, errlen);
  if (rc == LPSA_OK)
    c->api->log(c->host, LPSA_LOG_DEBUG, "connectwise: codebase %s",
                codebase_of(c, codebase, sizeof codebase));
  cw_release(c, &resp);
  cw_buf_free(&url);
  return rc;
}

int cw_ensure_root(cw_ctx *c, char *err, size_t errlen) {
  return cw_root_len(c) ? LPSA_OK : cw_discover(c, err, errlen);
}

static void fill_request(cw_ctx *c, const cw_req *r, const char *url,
                         lpsa_http_request *out) {
  memset(out, 0, sizeof *out);
  out->size = sizeof *out;
  out->method = r->method ? r->method : "GET";
  out->url = url;
  out->headers = r->body ? c->hdr_body : c->hdr_get;
  out->body = r->body;
  out->body_len = r->body ? strlen(r->body) : 0;
  out->flags = r->flags;
}

static char *full_url(cw_ctx *c, const char *rel) {
  cw_buf b;
  cw_buf_init(&b);
  pthread_mutex_lock(&c->lock);
  cw_buf_printf(&b, "%s%s", c->root ? c->root : "", rel);
  pthread_mutex_unlock(&c->lock);
  return cw_buf_steal(&b);
}

/* One line for a non-2xx answer, with what the person should do. */
static int answer_error(cw_ctx *c, const cw_req *r,
                        const lpsa_http_response *resp, char *err,
                        size_t errlen) {
  char what[200], msg[600];
  cw_req_what(r, what, sizeof what);
  cw_error_message(resp->status, resp->body, resp->body_len, what, msg,
                   sizeof msg);
  int st = cw_status_from_http(resp->status);
  switch (st) {
  case LPSA_ERR_AUTH:
    snprintf(err, errlen,
             "ConnectWise rejected the API keys: check company_id, "
             "public_key, private_key (%s)",
             msg);
    break;
  case LPSA_ERR_PERMISSION:
    if (r->area)
      snprintf(err, errlen,
               "the API member's security role lacks %s: grant %s (%s)",
               r->area, r->grant ? r->grant : "Inquire", msg);
    else
      snprintf(err, errlen,
               "the API member's security role lacks a right this needs (%s)",
               msg);
    break;
  case LPSA_ERR_NOT_FOUND:
    snprintf(err, errlen, "%s%s", msg,
             r->list ? " (on ConnectWise cloud a 404 can also mean rejected "
                       "API keys: check company_id, public_key, private_key)"
                     : "");
    break;
  case LPSA_ERR_RATE_LIMITED:
    snprintf(err, errlen,
             "%s: still throttled after %u attempts; try again later", msg,
             resp->attempts);
    break;
  default:
    snprintf(err, errlen, "%s", msg);
  }
  (void)c;
  return st;
}

static int transport_error(cw_ctx *c, const cw_req *r, int rc,
                           const lpsa_http_response *resp, char *err,
                           size_t errlen) {
  char what[200];
  cw_req_what(r, what, sizeof what);
  snprintf(err, errlen, "no answer from ConnectWise at %s for %s: %s", c->site,
           what, resp->error[0] ? resp->error : "transport error");
  return rc == LPSA_OK ? LPSA_ERR_NETWORK : rc;
}

/* After a 404: re-discover once per operation. Returns 1 when the root
 * moved (the request should be sent again), 0 when not, or a negative lpsa
 * status (negated) when discovery itself failed. */
static int moved_after_404(cw_ctx *c, char *err, size_t errlen) {
  if (c->codebase_cfg || rediscovered)
    return 0;
  rediscovered = 1;
  char *old = full_url(c, "");
  if (!old)
    return -LPSA_ERR_NOMEM;
  int rc = cw_discover(c, err, errlen);
  char *now = rc == LPSA_OK ? full_url(c, "") : NULL;
  int moved = now && strcmp(old, now) != 0;
  char codebase[128];
  if (moved)
    c->api->log(c->host, LPSA_LOG_INFO,
                "connectwise: the codebase moved (now %s); sending again",
                codebase_of(c, codebase, sizeof codebase));
  free(old);
  free(now);
  if (rc == LPSA_OK && !now)
    rc = LPSA_ERR_NOMEM;
  return rc ? -rc : moved;
}

/* A URL past CW_MAX_URL would be refused (or misread as a missing record):
 * never sent. Only a codebase that moved to a longer name between the
 * measuring and the sending gets here. */
static int too_long(const cw_req *r, size_t len, char *err, size_t errlen) {
  char what[200];
  cw_req_what(r, what, sizeof what);
  snprintf(err, errlen,
           "the request URL for %s would be %zu characters long, more than "
           "the %d ConnectWise accepts: not sent; run again",
           what, len, CW_MAX_URL);
  return LPSA_ERR_INVALID;
}

static int send_one(cw_ctx *c, const cw_req *r, lpsa_http_response *resp) {
  char *url = full_url(c, r->rel);
  if (!url)
    return LPSA_ERR_NOMEM;
  if (strlen(url) > CW_MAX_URL) {
    free(url);
    return LPSA_ERR_INVALID;
  }
  lpsa_http_request req;
  fill_request(c, r, url, &req);
  memset(resp, 0, sizeof *resp);
  resp->size = sizeof *resp;
  int rc = c->api->http(c->host, &req, resp);
  free(url);
  return rc;
}

int cw_call(cw_ctx *c, const cw_req *r, lpsa_http_response *resp, char *err,
            size_t errlen) {
  memset(resp, 0, sizeof *resp);
  resp->size = sizeof *resp;
  int rc = cw_ensure_root(c, err, errlen);
  if (rc)
    return rc;
  rc = send_one(c, r, resp);
  if (rc == LPSA_ERR_NOMEM && !resp->error[0])
    return nomem(err, errlen);
  if (rc == LPSA_OK && resp->status == 404) {
    int moved = moved_after_404(c, err, errlen);
    if (moved < 0)
      return -moved;
    if (moved) {
      cw_release(c, resp);
      rc = send_one(c, r, resp);
    }
  }
  if (rc == LPSA_ERR_INVALID)
    return too_long(r, cw_root_len(c) + strlen(r->rel), err, errlen);
  if (rc != LPSA_OK || resp->status == 0)
    return transport_error(c, r, rc, resp, err, errlen);
  if (resp->status >= 200 && resp->status < 300)
    return LPSA_OK;
  return answer_error(c, r, resp, err, errlen);
}

/* Send the 404 answers of a batch again after the codebase moved. */
static void resend_404s(cw_ctx *c, const cw_req *reqs, size_t n,
                        lpsa_http_response *resps) {
  for (size_t i = 0; i < n; i++)
    if (resps[i].status == 404) {
      cw_release(c, &resps[i]);
      if (send_one(c, &reqs[i], &resps[i]) == LPSA_ERR_INVALID)
        snprintf(resps[i].error, sizeof resps[i].error,
                 "not sent: under the new codebase its URL would be longer "
                 "than %d characters; run again",
                 CW_MAX_URL);
    }
}

static int first_failure(cw_ctx *c, const cw_req *reqs, size_t n,
                         lpsa_http_response *resps, int many_rc, char *err,
                         size_t errlen) {
  for (size_t i = 0; i < n; i++)
    if (resps[i].status == 0)
      return transport_error(c, &reqs[i], many_rc ? many_rc : LPSA_OK,
                             &resps[i], err, errlen);
  for (size_t i = 0; i < n; i++)
    if (resps[i].status < 200 || resps[i].status > 299)
      return answer_error(c, &reqs[i], &resps[i], err, errlen);
  return LPSA_OK;
}

int cw_call_many(cw_ctx *c, const cw_req *reqs, size_t n,
                 lpsa_http_response *resps, char *err, size_t errlen) {
  for (size_t i = 0; i < n; i++) {
    memset(&resps[i], 0, sizeof resps[i]);
    resps[i].size = sizeof resps[i];
  }
  if (!n)
    return LPSA_OK;
  int rc = cw_ensure_root(c, err, errlen);
  if (rc)
    return rc;
  lpsa_http_request *hr = calloc(n, sizeof *hr);
  char **urls = calloc(n, sizeof *urls);
  if (!hr || !urls) {
    free(hr);
    free(urls);
    return nomem(err, errlen);
  }
  for (size_t i = 0; i < n && rc == LPSA_OK; i++) {
    urls[i] = full_url(c, reqs[i].rel);
    if (!urls[i])
      rc = LPSA_ERR_NOMEM;
    else if (strlen(urls[i]) > CW_MAX_URL)
      rc = too_long(&reqs[i], strlen(urls[i]), err, errlen);
    else
      fill_request(c, &reqs[i], urls[i], &hr[i]);
  }
  if (rc == LPSA_ERR_INVALID) {
    for (size_t i = 0; i < n; i++)
      free(urls[i]);
    free(urls);
    free(hr);
    return rc;
  }
  if (rc == LPSA_OK)
    rc = c->api->http_many(c->host, hr, resps, n);
  for (size_t i = 0; i < n; i++)
    free(urls[i]);
  free(urls);
  free(hr);
  if (rc == LPSA_ERR_NOMEM)
    return nomem(err, errlen);
  int any404 = 0;
  for (size_t i = 0; i < n; i++)
    any404 |= resps[i].status == 404;
  if (any404) {
    int moved = moved_after_404(c, err, errlen);
    if (moved < 0)
      return -moved;
    if (moved)
      resend_404s(c, reqs, n, resps);
  }
  return first_failure(c, reqs, n, resps, rc, err, errlen);
}
