/* SPDX-License-Identifier: MIT */
/*
 * at_query.c — paged, chunked Autotask queries (see at_query.h).
 */
#include "at_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_client.h"
#include "at_idset.h"
#include "at_json.h"
#include "at_records.h"
#include "at_url.h"

typedef struct chunk {
  const char *body; /* the first page's POST body */
  char *next;       /* the next page's URL once known */
  int started, done;
  unsigned pages;
} chunk;

/* Every next-page URL fetched by this query, to catch paging loops. */
typedef struct url_list {
  char **urls;
  size_t n, cap;
} url_list;

typedef struct run {
  at_ctx *ctx;
  const char *entity;
  at_item_fn fn;
  void *arg;
  at_idset ids;
  url_list seen;
  char *query_url;
  char label_query[96], label_next[96];
  char doing_query[96], doing_next[96];
} run;

static int seen_before(const url_list *l, const char *url) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->urls[i], url) == 0)
      return 1;
  return 0;
}

static int remember(url_list *l, char *url) {
  if (l->n == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 16;
    char **grown = realloc(l->urls, ncap * sizeof *grown);
    if (!grown)
      return -1;
    l->urls = grown;
    l->cap = ncap;
  }
  l->urls[l->n++] = url;
  return 0;
}

static void url_list_free(url_list *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->urls[i]);
  free(l->urls);
}

static int oom(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory");
  return LPSA_ERR_NOMEM;
}

static int protocol(char *err, size_t errlen, const char *fmt,
                    const char *entity, const char *extra) {
  char what[160];
  snprintf(what, sizeof what, fmt, extra ? extra : "");
  snprintf(err, errlen,
           "Autotask's answer to a %s query %s: nothing was read; try again, "
           "and report it if it persists",
           entity, what);
  return LPSA_ERR_PROTOCOL;
}

/* An absolute next-page URL: relative ones are resolved on the zone. */
static char *absolute_next(const run *r, const char *next) {
  if (next[0] != '/')
    return strdup(next);
  size_t o = at_url_origin_len(r->ctx->base);
  char *url = malloc(o + strlen(next) + 1);
  if (url) {
    memcpy(url, r->ctx->base, o);
    strcpy(url + o, next);
  }
  return url;
}

/* Read pageDetails.nextPageUrl into the chunk. */
static int take_next(run *r, chunk *c, json_object *root, char *err,
                     size_t errlen) {
  json_object *details, *next;
  c->done = 1;
  if (!at_json_lookup(root, "pageDetails", &details) || !details)
    return LPSA_OK;
  if (!json_object_is_type(details, json_type_object))
    return protocol(err, errlen, "has a pageDetails that is no object%s",
                    r->entity, NULL);
  if (!at_json_lookup(details, "nextPageUrl", &next) || !next)
    return LPSA_OK;
  if (!json_object_is_type(next, json_type_string))
    return protocol(err, errlen, "has a nextPageUrl that is no string%s",
                    r->entity, NULL);
  const char *text = json_object_get_string(next);
  if (!*text)
    return LPSA_OK;
  char *url = absolute_next(r, text);
  if (!url)
    return oom(err, errlen);
  if (!at_url_same_origin(url, r->ctx->base)) {
    free(url);
    return protocol(err, errlen, "points its next page to another server%s",
                    r->entity, NULL);
  }
  if (seen_before(&r->seen, url)) {
    free(url);
    return protocol(err, errlen,
                    "sends a next page it already sent (a paging loop)%s",
                    r->entity, NULL);
  }
  if (++c->pages >= AT_MAX_PAGES) {
    free(url);
    return protocol(err, errlen, "has more pages than the driver allows%s",
                    r->entity, NULL);
  }
  char *copy = strdup(url);
  if (!copy || remember(&r->seen, url)) {
    free(copy);
    free(url);
    return oom(err, errlen);
  }
  c->next = copy;
  c->done = 0;
  return LPSA_OK;
}

static int take_items(run *r, json_object *root, char *err, size_t errlen) {
  json_object *items;
  if (!at_json_lookup(root, "items", &items) || !items ||
      !json_object_is_type(items, json_type_array))
    return protocol(err, errlen, "has no items array%s", r->entity, NULL);
  size_t n = json_object_array_length(items);
  for (size_t i = 0; i < n; i++) {
    json_object *item = json_object_array_get_idx(items, i);
    long long id;
    if (at_parse_id(r->entity, item, &id, err, errlen))
      return LPSA_ERR_PROTOCOL;
    int added = at_idset_add(&r->ids, id, 0);
    if (added < 0)
      return oom(err, errlen);
    if (added == 0) {
      char idtext[32];
      snprintf(idtext, sizeof idtext, " (id %lld)", id);
      return protocol(err, errlen,
                      "lists the same record twice%s, a paging fault",
                      r->entity, idtext);
    }
    int rc = r->fn(r->arg, item, id, err, errlen);
    if (rc != LPSA_OK)
      return rc;
  }
  return LPSA_OK;
}

static int take_page(run *r, chunk *c, int rc, const lpsa_http_response *resp,
                     char *err, size_t errlen) {
  json_object *root = NULL;
  rc = at_answer(rc, resp, c->started ? r->doing_next : r->doing_query, &root,
                 err, errlen);
  c->started = 1;
  free(c->next);
  c->next = NULL;
  if (rc == LPSA_OK)
    rc = take_items(r, root, err, errlen);
  if (rc == LPSA_OK)
    rc = take_next(r, c, root, err, errlen);
  json_object_put(root);
  return rc;
}

/* Send the pending page of every unfinished chunk at once. *sent is the
 * number of requests made (0: every chunk is done). */
static int wave(run *r, chunk *chunks, size_t n, lpsa_http_request *reqs,
                lpsa_http_response *resps, size_t *map, size_t *sent, char *err,
                size_t errlen) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    chunk *c = &chunks[i];
    if (c->done)
      continue;
    /* The next page of a POST query is POSTed with the same body: Autotask
     * answers a GET there with 405. */
    at_request(r->ctx, &reqs[k], "POST", c->started ? c->next : r->query_url,
               c->body, LPSA_HTTP_RETRY_SAFE, r->entity,
               c->started ? r->label_next : r->label_query);
    memset(&resps[k], 0, sizeof resps[k]);
    resps[k].size = sizeof resps[k];
    map[k++] = i;
  }
  *sent = k;
  if (!k)
    return LPSA_OK;
  int many = k == 1 ? r->ctx->api->http(r->ctx->host, reqs, resps)
                    : r->ctx->api->http_many(r->ctx->host, reqs, resps, k);
  int rc = LPSA_OK;
  for (size_t j = 0; j < k; j++) {
    if (rc == LPSA_OK)
      rc = take_page(r, &chunks[map[j]], many, &resps[j], err, errlen);
    r->ctx->api->http_release(r->ctx->host, &resps[j]);
  }
  return rc;
}

int at_query_run(at_ctx *ctx, const char *entity, char *const *bodies,
                 size_t n_bodies, at_item_fn fn, void *arg, char *err,
                 size_t errlen) {
  run r = {.ctx = ctx, .entity = entity, .fn = fn, .arg = arg};
  char path[96];
  if (n_bodies == 0)
    return LPSA_OK;
  snprintf(path, sizeof path, "%s/query", entity);
  snprintf(r.label_query, sizeof r.label_query, "autotask %s/query", entity);
  snprintf(r.label_next, sizeof r.label_next, "autotask %s/query/next", entity);
  snprintf(r.doing_query, sizeof r.doing_query, "querying %s", entity);
  snprintf(r.doing_next, sizeof r.doing_next, "reading the next page of %s",
           entity);
  chunk *chunks = calloc(n_bodies, sizeof *chunks);
  lpsa_http_request *reqs = calloc(n_bodies, sizeof *reqs);
  lpsa_http_response *resps = calloc(n_bodies, sizeof *resps);
  size_t *map = calloc(n_bodies, sizeof *map);
  r.query_url = at_api_url(ctx, path);
  int rc = LPSA_OK;
  if (!chunks || !reqs || !resps || !map || !r.query_url)
    rc = oom(err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < n_bodies; i++)
    chunks[i].body = bodies[i];
  for (size_t sent = 1; rc == LPSA_OK && sent;)
    rc = wave(&r, chunks, n_bodies, reqs, resps, map, &sent, err, errlen);
  for (size_t i = 0; chunks && i < n_bodies; i++)
    free(chunks[i].next);
  free(chunks);
  free(reqs);
  free(resps);
  free(map);
  free(r.query_url);
  at_idset_free(&r.ids);
  url_list_free(&r.seen);
  return rc;
}
