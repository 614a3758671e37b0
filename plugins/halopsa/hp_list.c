/* SPDX-License-Identifier: MIT */
/*
 * hp_list.c — reading whole lists (see hp_list.h).
 */
#include "hp_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_client.h"
#include "hp_json.h"

/* Pages fetched in one http_many() call: the host keeps them flowing (the
 * next starts when any answers) within its concurrency and the pace; this
 * only bounds the answers held at once. */
#define HP_PAGES_AT_ONCE 1000

static char *page_path(const hp_list *l, long page, long size) {
  size_t n =
      strlen(l->req.entity) + (l->req.query ? strlen(l->req.query) : 0) + 96;
  char *path = malloc(n);
  if (path)
    snprintf(path, n, "%s?pageinate=true&page_size=%ld&page_no=%ld%s%s",
             l->req.entity, size, page, l->req.query ? "&" : "",
             l->req.query ? l->req.query : "");
  return path;
}

static void call_for(const hp_list *l, hp_call *c, const char *path,
                     char *label, size_t lcap, char *doing, size_t dcap) {
  snprintf(label, lcap, "halopsa GET %s", l->req.entity);
  snprintf(doing, dcap, "reading %s", l->req.what);
  memset(c, 0, sizeof *c);
  c->path = path;
  c->label = label;
  c->doing = doing;
  c->scope = l->req.scope;
}

/* Hand a page's rows to fn, refusing ids seen before. */
static int take_rows(hp_list *l, json_object *rows, hp_record_fn fn, void *arg,
                     char *err, size_t errlen) {
  size_t n = json_object_array_length(rows);
  for (size_t i = 0; i < n; i++) {
    json_object *rec = json_object_array_get_idx(rows, i);
    long long id;
    if (hp_id(hp_member(rec, "id"), &id) != 0) {
      snprintf(err, errlen,
               "HaloPSA sent one of its %s without a readable id: the "
               "answer is not the API's",
               l->req.what);
      return LPSA_ERR_PROTOCOL;
    }
    int added = hp_idset_add(&l->ids, id);
    if (added < 0) {
      snprintf(err, errlen, "out of memory");
      return LPSA_ERR_NOMEM;
    }
    if (added == 0) {
      snprintf(err, errlen,
               "HaloPSA sent %.40s id %lld twice while the list was paged: "
               "the list changed under the read or the instance pages "
               "oddly; run again",
               l->req.what, id);
      return LPSA_ERR_PROTOCOL;
    }
    int rc = fn(arg, rec, err, errlen);
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

/* The rows and record_count of a page's document. */
static int page_rows(const hp_list *l, json_object *doc, json_object **rows,
                     long long *total, char *err, size_t errlen) {
  if (hp_wrapped_list(doc, l->req.key, rows, total) != 0) {
    snprintf(err, errlen,
             "HaloPSA answered the %s list without \"%s\": the answer is not "
             "the API's (is url the Halo instance?)",
             l->req.what, l->req.key);
    return LPSA_ERR_PROTOCOL;
  }
  return LPSA_OK;
}

int hp_list_first(hp_list *l, hp_ctx *ctx, const hp_list_req *req,
                  hp_record_fn fn, void *arg, char *err, size_t errlen) {
  memset(l, 0, sizeof *l);
  l->ctx = ctx;
  l->req = *req;
  char *path = page_path(l, 1, ctx->page_size);
  if (!path) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  char label[96], doing[96];
  hp_call c;
  call_for(l, &c, path, label, sizeof label, doing, sizeof doing);
  json_object *doc = NULL, *rows = NULL;
  long long total = -1;
  int rc = hp_get_json(ctx, &c, &doc, err, errlen);
  free(path);
  if (!rc)
    rc = page_rows(l, doc, &rows, &total, err, errlen);
  long n = rows ? (long)json_object_array_length(rows) : 0;
  if (!rc && hp_paging_first(&l->paging, total, ctx->page_size, n, req->what,
                             err, errlen))
    rc = LPSA_ERR_PROTOCOL;
  if (!rc)
    rc = take_rows(l, rows, fn, arg, err, errlen);
  if (!rc) {
    if (total >= 0 && n < ctx->page_size && l->paging.pages > 1)
      ctx->api->log(ctx->host, LPSA_LOG_DEBUG,
                    "HaloPSA sends %ld %s per page (asked %ld): reading %ld "
                    "pages of %ld",
                    n, req->what, ctx->page_size, l->paging.pages, n);
    l->next_page = 2;
    l->done = total >= 0 ? l->paging.pages <= 1 : n < ctx->page_size;
  }
  json_object_put(doc);
  return rc;
}

long hp_list_pages_left(const hp_list *l) {
  if (l->done)
    return 0;
  if (l->paging.total < 0)
    return 1;
  return l->paging.pages - l->next_page + 1;
}

/* Without record_count: one page at a time, until a short page. */
static int rest_unknown(hp_list *l, hp_record_fn fn, void *arg, char *err,
                        size_t errlen) {
  while (!l->done) {
    char *path = page_path(l, l->next_page, l->paging.asked);
    if (!path) {
      snprintf(err, errlen, "out of memory");
      return LPSA_ERR_NOMEM;
    }
    char label[96], doing[96];
    hp_call c;
    call_for(l, &c, path, label, sizeof label, doing, sizeof doing);
    json_object *doc = NULL, *rows = NULL;
    long long total = -1;
    int rc = hp_get_json(l->ctx, &c, &doc, err, errlen);
    free(path);
    if (!rc)
      rc = page_rows(l, doc, &rows, &total, err, errlen);
    long n = rows ? (long)json_object_array_length(rows) : 0;
    if (!rc && n > l->paging.asked) {
      snprintf(err, errlen, "HaloPSA sent %ld %s on a page of %ld", n,
               l->req.what, l->paging.asked);
      rc = LPSA_ERR_PROTOCOL;
    }
    if (!rc)
      rc = take_rows(l, rows, fn, arg, err, errlen);
    json_object_put(doc);
    if (rc)
      return rc;
    l->next_page++;
    l->done = n < l->paging.asked;
  }
  return LPSA_OK;
}

/* Pages first..last (known count), fetched at once, checked, in order. */
static int batch(hp_list *l, long first, long last, hp_record_fn fn, void *arg,
                 char *err, size_t errlen) {
  size_t n = (size_t)(last - first + 1);
  hp_call *calls = calloc(n, sizeof *calls);
  char **paths = calloc(n, sizeof *paths);
  lpsa_http_response *resps = calloc(n, sizeof *resps);
  char label[96], doing[96];
  int rc = LPSA_OK;
  for (size_t i = 0; calls && paths && resps && i < n; i++) {
    paths[i] = page_path(l, first + (long)i, l->paging.size);
    if (!paths[i])
      break;
    call_for(l, &calls[i], paths[i], label, sizeof label, doing, sizeof doing);
  }
  if (!calls || !paths || !resps || !paths[n - 1]) {
    for (size_t k = 0; paths && k < n; k++)
      free(paths[k]);
    free(calls);
    free(paths);
    free(resps);
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  int sent = hp_send_many(l->ctx, calls, resps, n, err, errlen);
  for (size_t i = 0; i < n; i++) {
    json_object *doc = NULL, *rows = NULL;
    long long total = -1;
    if (!rc)
      rc = hp_judge(&calls[i], sent, &resps[i], &doc, err, errlen);
    if (!rc)
      rc = page_rows(l, doc, &rows, &total, err, errlen);
    long page = first + (long)i;
    if (!rc &&
        hp_paging_check(&l->paging, page, (long)json_object_array_length(rows),
                        total, l->req.what, err, errlen))
      rc = LPSA_ERR_PROTOCOL;
    if (!rc)
      rc = take_rows(l, rows, fn, arg, err, errlen);
    json_object_put(doc);
    hp_release(l->ctx, &resps[i]);
    free(paths[i]);
  }
  free(calls);
  free(paths);
  free(resps);
  return rc;
}

int hp_list_rest(hp_list *l, hp_record_fn fn, void *arg, char *err,
                 size_t errlen) {
  if (l->done)
    return LPSA_OK;
  if (l->paging.total < 0)
    return rest_unknown(l, fn, arg, err, errlen);
  while (l->next_page <= l->paging.pages) {
    long last = l->next_page + HP_PAGES_AT_ONCE - 1;
    if (last > l->paging.pages)
      last = l->paging.pages;
    int rc = batch(l, l->next_page, last, fn, arg, err, errlen);
    if (rc)
      return rc;
    l->next_page = last + 1;
  }
  l->done = 1;
  return LPSA_OK;
}

void hp_list_free(hp_list *l) {
  hp_idset_free(&l->ids);
}

int hp_list_all(hp_ctx *ctx, const hp_list_req *req, hp_record_fn fn, void *arg,
                char *err, size_t errlen) {
  hp_list l;
  int rc = hp_list_first(&l, ctx, req, fn, arg, err, errlen);
  if (!rc)
    rc = hp_list_rest(&l, fn, arg, err, errlen);
  hp_list_free(&l);
  return rc;
}
