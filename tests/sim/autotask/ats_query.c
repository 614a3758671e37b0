/* SPDX-License-Identifier: MIT */
/*
 * ats_query.c — filter, page and render query results.
 */
#include "ats_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ats_filter.h"
#include "ats_item.h"
#include "ats_paging.h"

typedef struct matches {
  json_object **items;
  int64_t *ids;
  size_t n;
} matches;

static void matches_free(matches *m) {
  free(m->items);
  free(m->ids);
}

json_object *ats_query_parse(const char *text, char *err, size_t len) {
  json_object *o = text ? json_tokener_parse(text) : NULL;
  if (!json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    snprintf(err, len,
             "Invalid query syntax. The search must be a JSON "
             "object with a filter.");
    return NULL;
  }
  return o;
}

static int max_records(json_object *search, int *out, char *err, size_t len) {
  json_object *m = ats_member(search, "MaxRecords");
  *out = ATS_MAX_RECORDS;
  if (!m || json_object_is_type(m, json_type_null))
    return 0;
  int64_t v;
  if (!json_object_is_type(m, json_type_int) ||
      (v = json_object_get_int64(m)) < 1 || v > ATS_MAX_RECORDS) {
    snprintf(err, len, "MaxRecords must be between 1 and %d.", ATS_MAX_RECORDS);
    return -1;
  }
  *out = (int)v;
  return 0;
}

static int collect(ats_db *db, const ats_entity *e, json_object *search,
                   matches *m, char *err, size_t len) {
  memset(m, 0, sizeof *m);
  ats_filter *f = ats_filter_parse(e, ats_member(search, "filter"), err, len);
  if (!f)
    return -1;
  json_object *arr = ats_db_items(db, e);
  size_t n = json_object_array_length(arr);
  m->items = malloc((n ? n : 1) * sizeof *m->items);
  m->ids = malloc((n ? n : 1) * sizeof *m->ids);
  if (!m->items || !m->ids) {
    ats_filter_free(f);
    matches_free(m);
    snprintf(err, len, "out of memory");
    return -1;
  }
  /* A filter naming the indexed field's value: only its items can match. */
  ats_index *x = ats_db_index(db, e);
  const size_t *cand = NULL;
  size_t n_cand = 0;
  int64_t value;
  int scan = 1; /* every item (no index, or it ran out of memory) */
  if (x && ats_filter_eq_int(f, ats_index_field(x), &value))
    cand = ats_index_lookup(x, arr, value, &n_cand, &scan);
  if (!scan)
    n = n_cand;
  for (size_t k = 0; k < n; k++) {
    size_t i = scan ? k : cand[k];
    json_object *it = json_object_array_get_idx(arr, i);
    if (ats_filter_match(f, it)) {
      m->items[m->n] = it;
      m->ids[m->n] = 0;
      ats_item_int(it, "id", &m->ids[m->n]);
      m->n++;
    }
  }
  ats_filter_free(f);
  return 0;
}

int ats_query_count(ats_db *db, const ats_entity *e, json_object *search,
                    int64_t *count, char *err, size_t len) {
  matches m;
  if (collect(db, e, search, &m, err, len) != 0)
    return -1;
  *count = (int64_t)m.n;
  matches_free(&m);
  return 0;
}

/* Adds a URL member (string or null); 0 or -1. */
static int add_url(json_object *o, const char *key, char *url, int want) {
  if (want && !url)
    return -1;
  json_object *v = want ? json_object_new_string(url) : NULL;
  free(url);
  if (want && !v)
    return -1;
  return json_object_object_add(o, key, v);
}

typedef struct page {
  size_t start, end; /* [start, end) in matches */
  int size;
} page;

static json_object *page_details(const ats_query_env *env, const ats_entity *e,
                                 json_object *search, const matches *m,
                                 const page *p, size_t count) {
  const char *fault = env->fault ? env->fault : "";
  json_object *d = json_object_new_object();
  int has_next = p->end<m->n, has_prev = p->start> 0;
  int64_t after = p->start ? m->ids[p->start - 1] : 0;
  int64_t next_after = p->end ? m->ids[p->end - 1] : 0;
  int64_t prev_after =
      p->start > (size_t)p->size ? m->ids[p->start - (size_t)p->size - 1] : 0;
  if (strcmp(fault, "page_loop") == 0) {
    has_next = 1;
    next_after = 0;
  } else if (strcmp(fault, "empty_page") == 0) {
    has_next = 1;
    next_after = after;
  }
  if (!d || ats_add(d, "count", json_object_new_int((int)count)) ||
      ats_add(d, "requestCount", json_object_new_int(p->size)) ||
      add_url(d, "prevPageUrl",
              has_prev
                  ? ats_paging_url(env->base, e->name, search, env->from_post,
                                   p->size, prev_after, prev_after)
                  : NULL,
              has_prev) ||
      add_url(d, "nextPageUrl",
              has_next
                  ? ats_paging_url(env->base, e->name, search, env->from_post,
                                   p->size, after, next_after)
                  : NULL,
              has_next)) {
    json_object_put(d);
    return NULL;
  }
  return d;
}

static json_object *render_page(const ats_query_env *env, const ats_entity *e,
                                const matches *m, const page *p,
                                const unsigned char *mask) {
  const char *fault = env->fault ? env->fault : "";
  ats_render_opts ro = {env->style, strcmp(fault, "wrong_types") == 0,
                        strcmp(fault, "missing_fields") == 0};
  json_object *items = json_object_new_array();
  size_t end = strcmp(fault, "empty_page") == 0 ? p->start : p->end;
  for (size_t i = p->start; items && i < end; i++) {
    json_object *it = ats_render_item(e, m->items[i], mask, &ro);
    if (!it || json_object_array_add(items, it)) {
      json_object_put(it);
      json_object_put(items);
      return NULL;
    }
  }
  if (items && end > p->start && strcmp(fault, "duplicate_ids") == 0) {
    json_object *dup = ats_render_item(e, m->items[p->start], mask, &ro);
    if (!dup || json_object_array_add(items, dup)) {
      json_object_put(dup);
      json_object_put(items);
      return NULL;
    }
  }
  return items;
}

static size_t first_after(const matches *m, int64_t after) {
  size_t i = 0;
  while (i < m->n && m->ids[i] <= after)
    i++;
  return i;
}

static int needs_id(json_object *search, const unsigned char *mask,
                    size_t total) {
  json_object *inc = ats_member(search, "IncludeFields");
  return json_object_is_type(inc, json_type_array) &&
         json_object_array_length(inc) > 0 && total > ATS_MAX_RECORDS &&
         !mask[0];
}

int ats_query_page(const ats_query_env *env, const ats_entity *e,
                   json_object *search, int64_t after, json_object **out,
                   char *err, size_t len) {
  unsigned char mask[ATS_MAX_FIELDS];
  matches m;
  page p;
  if (max_records(search, &p.size, err, len) ||
      ats_render_mask(e, ats_member(search, "IncludeFields"), mask, err, len) ||
      collect(env->db, e, search, &m, err, len))
    return -1;
  if (needs_id(search, mask, m.n)) {
    matches_free(&m);
    snprintf(err, len,
             "When IncludeFields is used and the query returns more "
             "than 500 results, id must be included.");
    return -1;
  }
  p.start = first_after(&m, after);
  p.end = p.start + (size_t)p.size < m.n ? p.start + (size_t)p.size : m.n;
  json_object *items = render_page(env, e, &m, &p, mask);
  json_object *details = items ? page_details(env, e, search, &m, &p,
                                              json_object_array_length(items))
                               : NULL;
  matches_free(&m);
  json_object *resp = items && details ? json_object_new_object() : NULL;
  int bad = !resp;
  if (resp) { /* ats_add takes ownership even when it fails */
    bad |= ats_add(resp, "items", items);
    bad |= ats_add(resp, "pageDetails", details);
  } else {
    json_object_put(items);
    json_object_put(details);
  }
  if (bad) {
    json_object_put(resp);
    snprintf(err, len, "out of memory");
    return -1;
  }
  *out = resp;
  return 0;
}
