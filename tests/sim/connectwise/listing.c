/* SPDX-License-Identifier: MIT */
/*
 * listing.c — the read side: collections (filtered, sorted, paged, trimmed),
 * counts and single records, including the page-level domain faults.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "conditions.h"
#include "domain_faults.h"
#include "fields.h"
#include "orderby.h"
#include "paging.h"
#include "reply.h"

static json_object *source_at(const cw_source *src, size_t i) {
  size_t k = src->first + i;
  return json_object_array_get_idx(src->records,
                                   src->index ? src->index[k] : k);
}

static size_t source_len(const cw_source *src) {
  return src->index ? src->count : json_object_array_length(src->records);
}

/* The records matching the conditions parameter into *out (borrowed
 * pointers). 0, or -1 with the response already set. */
static int filter(cw_call *c, const cw_schema *s, const cw_source *src,
                  json_object ***out, size_t *n) {
  char err[1024];
  cw_cond *cond = NULL;
  /* childConditions and customFieldConditions filter on data this
   * simulator does not model (child records, custom fields); they are
   * accepted and ignored, which is what a server with no such data does. */
  int rc = cw_cond_parse(cw_query_get(&c->query, "conditions"), s, &cond, err,
                         sizeof(err));
  if (rc) {
    if (rc == -1)
      cw_reply_invalid(c->resp, err, s->resource, "conditions");
    else
      cw_reply_nomem(c->resp);
    return -1;
  }
  size_t total = source_len(src);
  *out = malloc((total ? total : 1) * sizeof(**out));
  *n = 0;
  if (!*out) {
    cw_cond_free(cond);
    cw_reply_nomem(c->resp);
    return -1;
  }
  for (size_t i = 0; i < total; i++) {
    json_object *rec = source_at(src, i);
    if (cw_cond_match(cond, rec))
      (*out)[(*n)++] = rec;
  }
  cw_cond_free(cond);
  return 0;
}

void cw_finish_record(cw_call *c, const cw_schema *s, json_object *rec) {
  if (c->sim->cfg.omit_nulls)
    cw_omit_nulls(rec);
  cw_fault_record(c->req->fault_action, s, rec);
}

/* Copies recs[0..n) through the fields selection into a new array. */
static json_object *render(cw_call *c, const cw_schema *s,
                           json_object *const *recs, size_t n) {
  cw_fields *fields = NULL;
  if (cw_fields_parse(cw_query_get(&c->query, "fields"), &fields))
    return NULL;
  json_object *arr = json_object_new_array_ext((int)(n ? n : 1));
  for (size_t i = 0; arr && i < n; i++) {
    json_object *rec = cw_fields_apply(fields, recs[i]);
    if (!rec || json_object_array_add(arr, rec)) {
      json_object_put(rec);
      json_object_put(arr);
      arr = NULL;
      break;
    }
    cw_finish_record(c, s, rec);
  }
  cw_fields_free(fields);
  return arr;
}

static long rec_id(json_object *rec) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, "id", &v);
  return (long)json_object_get_int64(v);
}

/* One page to send: recs[start..start+len), with an optional extra record
 * before or after it (the duplicate_ids fault). */
typedef struct page {
  size_t start, len;
  json_object *before, *after;
  char *link;
} page;

static void forward_only_page(cw_call *c, const cw_paging *pg,
                              json_object **recs, size_t n, page *out) {
  const char *fault = c->req->fault_action;
  size_t start = 0;
  while (start < n && rec_id(recs[start]) <= pg->page_id)
    start++;
  size_t left = n - start;
  out->start = start;
  out->len = left < (size_t)pg->page_size ? left : (size_t)pg->page_size;
  long next_id = -1; /* -1: no Link */
  if (left > out->len)
    next_id = rec_id(recs[start + out->len - 1]);
  if (cw_fault_is(fault, CW_FAULT_PAGE_LOOP))
    next_id = 0;
  else if (cw_fault_is(fault, CW_FAULT_EMPTY_PAGE)) {
    out->len = 0;
    next_id = pg->page_id;
  } else if (cw_fault_is(fault, CW_FAULT_DUPLICATE_IDS) && out->len) {
    if (start > 0)
      out->before = recs[start - 1];
    else
      out->after = recs[start];
  }
  out->link =
      next_id >= 0 ? cw_link_forward(c->base_url, &c->query, next_id) : NULL;
}

static int navigable_page(cw_call *c, const cw_paging *pg, json_object **recs,
                          size_t n, page *out) {
  const char *fault = c->req->fault_action;
  long size = pg->page_size;
  long last = (long)((n + (size_t)size - 1) / (size_t)size);
  size_t start = (size_t)(pg->page - 1) * (size_t)size;
  if (pg->page - 1 > (long)(n / (size_t)size) || start > n)
    start = n; /* past the end: an empty page */
  out->start = start;
  out->len = n - start < (size_t)size ? n - start : (size_t)size;
  long next = pg->page < last ? pg->page + 1 : 0;
  if (cw_fault_is(fault, CW_FAULT_PAGE_LOOP))
    next = 1;
  else if (cw_fault_is(fault, CW_FAULT_EMPTY_PAGE)) {
    out->len = 0;
    next = pg->page + 1;
  } else if (cw_fault_is(fault, CW_FAULT_DUPLICATE_IDS) && out->len) {
    if (start > 0)
      out->before = recs[start - 1];
    else
      out->after = recs[start];
  }
  int nomem = 0;
  out->link =
      cw_link_navigable(c->base_url, &c->query, pg->page, last, next, &nomem);
  return nomem ? -1 : 0;
}

/* Sends the page: body array and Link header. */
static void send_page(cw_call *c, const cw_schema *s, json_object **recs,
                      const page *pg) {
  json_object **sel = malloc((pg->len + 2) * sizeof(*sel));
  if (!sel) {
    cw_reply_nomem(c->resp);
    return;
  }
  size_t k = 0;
  if (pg->before)
    sel[k++] = pg->before;
  for (size_t i = 0; i < pg->len; i++)
    sel[k++] = recs[pg->start + i];
  if (pg->after)
    sel[k++] = pg->after;
  cw_reply_json(c->resp, 200, render(c, s, sel, k));
  free(sel);
  if (pg->link && c->resp->status == 200)
    cw_reply_header(c->resp, "Link", pg->link);
}

void cw_serve_list(cw_call *c, const cw_schema *s, const cw_source *src) {
  char err[512];
  cw_paging pg;
  cw_orderby *order = NULL;
  if (cw_paging_parse(&c->query,
                      c->req->header(c->req->header_ctx, "pagination-type"),
                      &pg, err, sizeof(err))) {
    cw_reply_invalid(c->resp, err, s->resource, "page");
    return;
  }
  int rc = cw_orderby_parse(cw_query_get(&c->query, "orderBy"), s, &order, err,
                            sizeof(err));
  if (rc) {
    if (rc == -1)
      cw_reply_invalid(c->resp, err, s->resource, "orderBy");
    else
      cw_reply_nomem(c->resp);
    return;
  }
  if (pg.forward_only && !cw_orderby_is_id_asc(order)) {
    cw_orderby_free(order);
    cw_reply_invalid(c->resp,
                     "orderBy cannot be combined with forward-only "
                     "pagination: records always come in id order; drop "
                     "orderBy or the pagination-type header",
                     s->resource, "orderBy");
    return;
  }
  json_object **recs = NULL;
  size_t n = 0;
  if (filter(c, s, src, &recs, &n)) {
    cw_orderby_free(order);
    return;
  }
  page p = {0};
  if (cw_orderby_sort(pg.forward_only ? NULL : order, recs, n) ||
      (pg.forward_only ? (forward_only_page(c, &pg, recs, n, &p), 0)
                       : navigable_page(c, &pg, recs, n, &p)))
    cw_reply_nomem(c->resp);
  else
    send_page(c, s, recs, &p);
  free(p.link);
  free(recs);
  cw_orderby_free(order);
}

void cw_serve_count(cw_call *c, const cw_schema *s, const cw_source *src) {
  json_object **recs = NULL;
  size_t n = 0;
  if (filter(c, s, src, &recs, &n))
    return;
  free(recs);
  const char *fault = c->req->fault_action;
  json_object *o = json_object_new_object();
  if (o && !cw_fault_is(fault, CW_FAULT_MISSING_FIELDS)) {
    char text[32];
    snprintf(text, sizeof(text), "%zu", n);
    json_object *v = cw_fault_is(fault, CW_FAULT_WRONG_TYPES)
                         ? json_object_new_string(text)
                         : json_object_new_int64((int64_t)n);
    if (!v || json_object_object_add(o, "count", v)) {
      json_object_put(v);
      json_object_put(o);
      o = NULL;
    }
  }
  cw_reply_json(c->resp, 200, o);
}

void cw_serve_one(cw_call *c, const cw_schema *s, json_object *rec,
                  const char *what, long id) {
  if (!rec) {
    char msg[160];
    snprintf(msg, sizeof(msg), "%s with id %ld was not found.", what, id);
    cw_reply_error(c->resp, 404, "NotFound", msg, NULL);
    return;
  }
  cw_fields *fields = NULL;
  json_object *out = NULL;
  if (cw_fields_parse(cw_query_get(&c->query, "fields"), &fields) == 0 &&
      (out = cw_fields_apply(fields, rec)))
    cw_finish_record(c, s, out);
  cw_fields_free(fields);
  cw_reply_json(c->resp, 200, out);
}
