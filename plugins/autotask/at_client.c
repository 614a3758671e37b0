/* SPDX-License-Identifier: MIT */
/*
 * at_client.c — zone discovery, request set-up and answer judging (see
 * at_client.h). Every byte goes through the host's transport: the driver
 * links no HTTP library.
 */
#include "at_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_error.h"
#include "at_json.h"
#include "at_url.h"

char *at_api_url(const at_ctx *ctx, const char *path) {
  size_t n = strlen(ctx->base) + 1 + strlen(path) + 1;
  char *url = malloc(n);
  if (url)
    snprintf(url, n, "%s/%s", ctx->base, path);
  return url;
}

void at_request(const at_ctx *ctx, lpsa_http_request *req, const char *method,
                const char *url, const char *body, unsigned flags,
                const char *group, const char *label) {
  memset(req, 0, sizeof *req);
  req->size = sizeof *req;
  req->method = method;
  req->url = url;
  req->headers = ctx->headers;
  req->body = body;
  req->body_len = body ? strlen(body) : 0;
  req->flags = flags;
  req->label = label;
  req->group = group;
  req->group_limit = group ? AT_THREADS_PER_ENTITY : 0;
}

int at_answer(int rc, const lpsa_http_response *resp, const char *doing,
              json_object **out, char *err, size_t errlen) {
  if (out)
    *out = NULL;
  if (resp->status == 0) {
    snprintf(err, errlen, "could not reach Autotask while %s: %s", doing,
             resp->error[0] ? resp->error : "no answer");
    return rc == LPSA_ERR_TOO_LARGE || rc == LPSA_ERR_NOMEM ? rc
                                                            : LPSA_ERR_NETWORK;
  }
  if (resp->status != 200)
    return at_error_from_answer(resp->status, resp->body, resp->body_len, doing,
                                err, errlen);
  json_object *root = NULL;
  int p = at_json_parse_object(resp->body, resp->body_len, &root);
  if (p) {
    snprintf(err, errlen,
             "Autotask sent %s while %s (HTTP 200, %zu bytes): the answer was "
             "cut short or is not the API's",
             p == -1 ? "incomplete or malformed JSON"
                     : "JSON that is no object",
             doing, resp->body_len);
    return LPSA_ERR_PROTOCOL;
  }
  if (out)
    *out = root;
  else
    json_object_put(root);
  return LPSA_OK;
}

/* Take the zone out of a zoneInformation answer. */
static int take_zone(at_ctx *ctx, json_object *root, char *err, size_t errlen) {
  const char *url = NULL, *name = NULL;
  if (at_json_string(root, "url", &url) != AT_FIELD_OK || !*url) {
    snprintf(err, errlen,
             "Autotask's zone lookup answered without a zone url: set "
             "zone_url in the configuration");
    return LPSA_ERR_PROTOCOL;
  }
  if (!at_url_is_safe(url)) {
    snprintf(err, errlen,
             "Autotask's zone lookup gave a zone url that is not https (%.100s)"
             ": refusing to send credentials there",
             url);
    return LPSA_ERR_PROTOCOL;
  }
  char *trimmed = at_url_base(url);
  char *base = trimmed ? malloc(strlen(trimmed) + 6) : NULL;
  if (at_json_string(root, "zoneName", &name) == AT_FIELD_OK)
    ctx->zone_name = strdup(name);
  if (!base) {
    free(trimmed);
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  sprintf(base, "%s/v1.0", trimmed);
  free(trimmed);
  ctx->base = base;
  ctx->api->log(ctx->host, LPSA_LOG_DEBUG, "Autotask zone %s at %s",
                ctx->zone_name ? ctx->zone_name : "(unnamed)", ctx->base);
  return LPSA_OK;
}

static int lookup_zone(at_ctx *ctx, char *err, size_t errlen) {
  /* Percent-encoding at most triples the length. */
  size_t need = strlen(ctx->username) * 3;
  size_t prefix = strlen(ctx->zone_lookup_url) + 32;
  char *url = malloc(prefix + need + 1);
  if (!url) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  int off = snprintf(url, prefix,
                     "%s/v1.0/zoneInformation?user=", ctx->zone_lookup_url);
  ctx->api->url_escape(ctx->username, url + off, need + 1);
  /* The lookup needs no credentials, so none are sent to it. */
  static const char *const headers[] = {"Accept: application/json", NULL};
  lpsa_http_request req;
  at_request(ctx, &req, "GET", url, NULL, 0, NULL, "autotask zoneInformation");
  req.headers = headers;
  lpsa_http_response resp = {.size = sizeof resp};
  int rc = ctx->api->http(ctx->host, &req, &resp);
  json_object *root = NULL;
  if (resp.status == 500) {
    snprintf(err, errlen,
             "Autotask's zone lookup does not know the API user in username "
             "(HTTP 500): set username to the API user's e-mail address");
    rc = LPSA_ERR_AUTH;
  } else {
    rc = at_answer(rc, &resp, "looking up the Autotask zone of the API user",
                   &root, err, errlen);
    if (rc == LPSA_OK)
      rc = take_zone(ctx, root, err, errlen);
  }
  json_object_put(root);
  ctx->api->http_release(ctx->host, &resp);
  free(url);
  return rc;
}

static int find_zone(at_ctx *ctx, char *err, size_t errlen) {
  if (ctx->base)
    return LPSA_OK;
  if (!ctx->zone_url)
    return lookup_zone(ctx, err, errlen);
  ctx->base = malloc(strlen(ctx->zone_url) + 6);
  if (!ctx->base) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  sprintf(ctx->base, "%s/v1.0", ctx->zone_url);
  return LPSA_OK;
}

int at_zone(at_ctx *ctx, char *err, size_t errlen) {
  /* Writes running at once look it up once; it never changes after. */
  pthread_mutex_lock(&ctx->zone_lock);
  int rc = find_zone(ctx, err, errlen);
  pthread_mutex_unlock(&ctx->zone_lock);
  return rc;
}

int at_get_json(at_ctx *ctx, const char *path, const char *group,
                const char *doing, json_object **out, char *err,
                size_t errlen) {
  return at_get_json_many(ctx, &path, &group, &doing, out, 1, err, errlen);
}

int at_get_json_many(at_ctx *ctx, const char *const *paths,
                     const char *const *groups, const char *const *doing,
                     json_object **outs, size_t n, char *err, size_t errlen) {
  int rc = LPSA_OK;
  char **urls = calloc(n, sizeof *urls);
  char **labels = calloc(n, sizeof *labels);
  lpsa_http_request *reqs = calloc(n, sizeof *reqs);
  lpsa_http_response *resps = calloc(n, sizeof *resps);
  for (size_t i = 0; i < n; i++)
    outs[i] = NULL;
  if (!urls || !labels || !reqs || !resps) {
    rc = LPSA_ERR_NOMEM;
    snprintf(err, errlen, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    size_t ln = strlen(paths[i]) + 16;
    urls[i] = at_api_url(ctx, paths[i]);
    labels[i] = malloc(ln);
    if (!urls[i] || !labels[i]) {
      rc = LPSA_ERR_NOMEM;
      snprintf(err, errlen, "out of memory");
      goto done;
    }
    snprintf(labels[i], ln, "autotask %s", paths[i]);
    at_request(ctx, &reqs[i], "GET", urls[i], NULL, 0, groups[i], labels[i]);
    resps[i].size = sizeof resps[i];
  }
  int many = n == 1 ? ctx->api->http(ctx->host, reqs, resps)
                    : ctx->api->http_many(ctx->host, reqs, resps, n);
  for (size_t i = 0; i < n; i++) {
    if (rc == LPSA_OK)
      rc = at_answer(many, &resps[i], doing[i], &outs[i], err, errlen);
    ctx->api->http_release(ctx->host, &resps[i]);
  }
done:
  if (rc != LPSA_OK)
    for (size_t i = 0; i < n; i++) {
      json_object_put(outs[i]);
      outs[i] = NULL;
    }
  for (size_t i = 0; urls && i < n; i++)
    free(urls[i]);
  for (size_t i = 0; labels && i < n; i++)
    free(labels[i]);
  free(urls);
  free(labels);
  free(reqs);
  free(resps);
  return rc;
}
