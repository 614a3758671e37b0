/* SPDX-License-Identifier: MIT */
/*
 * cw_list.c — paged list reading with duplicate and loop guards (see
 * cw_list.h).
 */
#include "cw_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_json.h"

char *cw_list_query(cw_ctx *c, const char *path, const char *cond,
                    const char *fields, long page_size) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_puts(&b, path);
  char sep = '?';
  if (cond) {
    cw_buf_printf(&b, "%cconditions=", sep);
    cw_put_escaped(c, &b, cond);
    sep = '&';
  }
  if (fields) {
    cw_buf_printf(&b, "%cfields=", sep);
    cw_put_escaped(c, &b, fields);
    sep = '&';
  }
  cw_buf_printf(&b, "%cpageSize=%ld", sep, page_size);
  return cw_buf_steal(&b);
}

/* The Link header of resp, malloc'ed, or NULL in *out when absent. */
static int link_of(cw_ctx *c, const lpsa_http_response *resp, char **out) {
  char probe[1];
  *out = NULL;
  long n = cw_header(c, resp, "Link", probe, sizeof probe);
  if (n < 0)
    return LPSA_OK;
  *out = malloc((size_t)n + 1);
  if (!*out)
    return LPSA_ERR_NOMEM;
  cw_header(c, resp, "Link", *out, (size_t)n + 1);
  return LPSA_OK;
}

/* The integer id of a record, or 0 when it has none or one beyond int64
 * (the record parser then reports it properly). */
static long long record_id(json_object *rec) {
  json_object *v = NULL;
  long long id = 0;
  if (json_object_get_type(rec) != json_type_object ||
      !json_object_object_get_ex(rec, "id", &v) || cw_json_int64(v, &id))
    return 0;
  return id;
}

static int take_records(const cw_list_kind *kind, json_object *list,
                        const char *path, cw_idset *seen, cw_record_fn fn,
                        void *arg, char *err, size_t errlen) {
  size_t n = json_object_array_length(list);
  for (size_t i = 0; i < n; i++) {
    json_object *rec = json_object_array_get_idx(list, i);
    long long id = record_id(rec);
    if (id > 0) {
      int added = cw_idset_add(seen, id);
      if (added < 0) {
        snprintf(err, errlen, "out of memory reading %s", path);
        return LPSA_ERR_NOMEM;
      }
      if (added == 0) {
        snprintf(err, errlen,
                 "ConnectWise returned %s %lld twice while reading %s: the "
                 "list changed while it was read or its paging is broken; "
                 "run again",
                 kind->record, id, path);
        return LPSA_ERR_PROTOCOL;
      }
    }
    int rc = fn(arg, rec, err, errlen);
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

/* The pageSize= of a list query, or 0 when it has none. */
static long page_size_of(const char *base) {
  const char *q = strchr(base, '?');
  for (const char *p = q; p && *p; p = strchr(p + 1, '&'))
    if (strncmp(p + 1, "pageSize=", 9) == 0)
      return strtol(p + 10, NULL, 10);
  return 0;
}

int cw_list_take_page(cw_ctx *c, const cw_list_kind *kind,
                      const lpsa_http_response *resp, cw_pager *pg,
                      cw_idset *seen, cw_record_fn fn, void *arg, char *err,
                      size_t errlen) {
  char path[200];
  snprintf(path, sizeof path, "%.*s", (int)strcspn(pg->base, "?"), pg->base);
  char what[240];
  snprintf(what, sizeof what, "the %s list %s", kind->record, path);
  json_object *list = NULL;
  int rc = cw_json_list(resp->body, resp->body_len, what, &list, err, errlen);
  if (rc)
    return rc;
  size_t got = json_object_array_length(list);
  rc = take_records(kind, list, path, seen, fn, arg, err, errlen);
  json_object_put(list);
  if (rc)
    return rc;
  char *link = NULL;
  if (link_of(c, resp, &link)) {
    snprintf(err, errlen, "out of memory reading %s", path);
    return LPSA_ERR_NOMEM;
  }
  char perr[300];
  int prc = cw_pager_advance(pg, link, perr, sizeof perr);
  free(link);
  if (prc == -2) {
    snprintf(err, errlen, "out of memory reading %s", path);
    return LPSA_ERR_NOMEM;
  }
  if (prc) {
    snprintf(err, errlen, "%s (reading %s)", perr, path);
    return LPSA_ERR_PROTOCOL;
  }
  /* Only the last page may be short: a short page with a next one means
   * records were skipped (the list moved, or the server misbehaved), and a
   * partial list must never pass for a whole one. */
  long size = page_size_of(pg->base);
  if (!pg->done && size > 0 && got < (size_t)size) {
    snprintf(err, errlen,
             "ConnectWise sent page %u of %s with %zu of %ld records, yet "
             "named a next page: records would be missing, so nothing is "
             "read; try again",
             pg->pages, path, got, size);
    return LPSA_ERR_PROTOCOL;
  }
  return LPSA_OK;
}

/* The page the pager names now. */
static int read_next(cw_ctx *c, const cw_list_kind *kind, cw_pager *pg,
                     cw_idset *seen, cw_record_fn fn, void *arg, char *err,
                     size_t errlen) {
  cw_buf url;
  cw_buf_init(&url);
  cw_pager_url(pg, &url);
  if (!cw_buf_str(&url)) {
    cw_buf_free(&url);
    snprintf(err, errlen, "out of memory reading ConnectWise");
    return LPSA_ERR_NOMEM;
  }
  cw_req req = {.rel = cw_buf_str(&url),
                .area = kind->area,
                .grant = kind->grant,
                .list = 1};
  lpsa_http_response resp;
  int rc = cw_call(c, &req, &resp, err, errlen);
  if (rc == LPSA_OK)
    rc = cw_list_take_page(c, kind, &resp, pg, seen, fn, arg, err, errlen);
  cw_release(c, &resp);
  cw_buf_free(&url);
  return rc;
}

int cw_list_read(cw_ctx *c, const cw_list_kind *kind, const char *base,
                 cw_idset *seen, cw_record_fn fn, void *arg, char *err,
                 size_t errlen) {
  cw_pager pg;
  cw_idset own;
  cw_idset_init(&own);
  if (cw_pager_init(&pg, base)) {
    snprintf(err, errlen, "out of memory reading ConnectWise");
    return LPSA_ERR_NOMEM;
  }
  int rc = LPSA_OK;
  while (rc == LPSA_OK && !pg.done)
    rc = read_next(c, kind, &pg, seen ? seen : &own, fn, arg, err, errlen);
  cw_pager_free(&pg);
  cw_idset_free(&own);
  return rc;
}

/* The pages known to exist, 1..n, fetched at once; their answers taken in
 * order by the same pager and guards as one after the other. *more is 1
 * when the last of them still names a next page (the list grew). */
static int read_pages_at_once(cw_ctx *c, const cw_list_kind *kind, cw_pager *pg,
                              size_t n, cw_idset *seen, cw_record_fn fn,
                              void *arg, char *err, size_t errlen) {
  cw_req *reqs = calloc(n, sizeof *reqs);
  cw_buf *urls = calloc(n, sizeof *urls);
  lpsa_http_response *resps = calloc(n, sizeof *resps);
  int rc = reqs && urls && resps ? LPSA_OK : LPSA_ERR_NOMEM;
  for (size_t i = 0; rc == LPSA_OK && i < n; i++) {
    /* The URL the pager would name for page i + 1. */
    cw_pager at = *pg;
    at.page = (long long)i + 1;
    cw_buf_init(&urls[i]);
    cw_pager_url(&at, &urls[i]);
    reqs[i] = (cw_req){.rel = cw_buf_str(&urls[i]),
                       .area = kind->area,
                       .grant = kind->grant,
                       .list = 1};
    if (!reqs[i].rel)
      rc = LPSA_ERR_NOMEM;
  }
  if (rc == LPSA_ERR_NOMEM)
    snprintf(err, errlen, "out of memory reading ConnectWise");
  else
    rc = cw_call_many(c, reqs, n, resps, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < n && !pg->done; i++) {
    /* Each answer must be the page the pager expects now; a server that
     * pages by cursor instead is read one page after the other. */
    if (pg->page != (long long)i + 1 || pg->page_id != 0)
      break;
    rc = cw_list_take_page(c, kind, &resps[i], pg, seen, fn, arg, err, errlen);
  }
  for (size_t i = 0; resps && reqs && i < n; i++)
    if (reqs[i].rel)
      cw_release(c, &resps[i]);
  for (size_t i = 0; urls && i < n; i++)
    cw_buf_free(&urls[i]);
  free(reqs);
  free(urls);
  free(resps);
  return rc;
}

int cw_list_read_known(cw_ctx *c, const cw_list_kind *kind, const char *base,
                       long long total, cw_idset *seen, cw_record_fn fn,
                       void *arg, char *err, size_t errlen) {
  long size = page_size_of(base);
  if (size <= 0 || total <= size)
    return cw_list_read(c, kind, base, seen, fn, arg, err, errlen);
  long long pages = (total + size - 1) / size;
  if (pages > CW_PAGER_MAX_PAGES)
    pages = CW_PAGER_MAX_PAGES;
  cw_pager pg;
  cw_idset own;
  cw_idset_init(&own);
  if (cw_pager_init(&pg, base)) {
    snprintf(err, errlen, "out of memory reading ConnectWise");
    return LPSA_ERR_NOMEM;
  }
  cw_idset *ids = seen ? seen : &own;
  int rc = read_pages_at_once(c, kind, &pg, (size_t)pages, ids, fn, arg, err,
                              errlen);
  /* The list grew since it was counted (or pages by cursor): the rest one
   * after the other, from where the pager is. */
  while (rc == LPSA_OK && !pg.done)
    rc = read_next(c, kind, &pg, ids, fn, arg, err, errlen);
  cw_pager_free(&pg);
  cw_idset_free(&own);
  return rc;
}

int cw_list_count(cw_ctx *c, const cw_list_kind *kind, const char *path,
                  const char *cond, long long *count, char *err,
                  size_t errlen) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_printf(&b, "%s/count", path);
  if (cond) {
    cw_buf_puts(&b, "?conditions=");
    cw_put_escaped(c, &b, cond);
  }
  if (!cw_buf_str(&b)) {
    cw_buf_free(&b);
    snprintf(err, errlen, "out of memory reading ConnectWise");
    return LPSA_ERR_NOMEM;
  }
  cw_req req = {.rel = cw_buf_str(&b),
                .area = kind->area,
                .grant = kind->grant,
                .list = 1};
  lpsa_http_response resp;
  int rc = cw_call(c, &req, &resp, err, errlen);
  if (rc == LPSA_OK) {
    json_object *root = json_tokener_parse(resp.body ? resp.body : ""), *n;
    long long v = -1;
    if (root && json_object_object_get_ex(root, "count", &n) &&
        cw_json_int64(n, &v) == 0 && v >= 0)
      *count = v;
    else {
      snprintf(err, errlen, "ConnectWise answered %s/count without a count",
               path);
      rc = LPSA_ERR_PROTOCOL;
    }
    json_object_put(root);
  }
  cw_release(c, &resp);
  cw_buf_free(&b);
  return rc;
}
