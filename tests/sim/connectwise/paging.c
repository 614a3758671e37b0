/* SPDX-License-Identifier: MIT */
/*
 * paging.c — page parameters and Link headers (see paging.h).
 */
#include "paging.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A whole number parameter in [lo, hi]; absent leaves *out unchanged. */
static int whole(const cw_query *q, const char *name, long lo, long *out,
                 char *err, size_t errlen) {
  const char *v = cw_query_get(q, name);
  if (!v)
    return 0;
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (!*v || *end || errno || n < lo) {
    snprintf(err, errlen,
             "%s must be a whole number of at least %ld, not "
             "\"%.40s\"",
             name, lo, v);
    return -1;
  }
  *out = n;
  return 0;
}

int cw_paging_parse(const cw_query *q, const char *pagination_type,
                    cw_paging *out, char *err, size_t errlen) {
  out->forward_only =
      pagination_type && strcasecmp(pagination_type, "forward-only") == 0;
  out->page = 1;
  out->page_size = CW_PAGE_SIZE_DEFAULT;
  out->page_id = 0;
  if (whole(q, "page", 1, &out->page, err, errlen) ||
      whole(q, "pageSize", 1, &out->page_size, err, errlen) ||
      whole(q, "pageId", 0, &out->page_id, err, errlen))
    return -1;
  if (out->page_size > CW_PAGE_SIZE_MAX)
    out->page_size = CW_PAGE_SIZE_MAX;
  if (!out->forward_only)
    out->page_id = 0; /* pageId means nothing without the header */
  return 0;
}

/* "<base?query-without-NAME&NAME=value>; rel="REL"" appended to *link. */
static int add_link(char **link, const char *base, const cw_query *q,
                    const char *name, long value, const char *rel) {
  char num[32];
  snprintf(num, sizeof(num), "%ld", value);
  char *qs = cw_query_build(q, name, name, num);
  if (!qs)
    return -1;
  size_t old = *link ? strlen(*link) : 0;
  size_t need = old + strlen(base) + strlen(qs) + strlen(rel) + 32;
  char *grown = realloc(*link, need);
  if (!grown) {
    free(qs);
    return -1;
  }
  snprintf(grown + old, need - old, "%s<%s?%s>; rel=\"%s\"", old ? ", " : "",
           base, qs, rel);
  *link = grown;
  free(qs);
  return 0;
}

char *cw_link_navigable(const char *base, const cw_query *q, long page,
                        long last_page, long next, int *nomem) {
  char *link = NULL;
  int bad = 0;
  *nomem = 0;
  if (page > 1 && last_page >= 1) {
    long prev = page - 1 < last_page ? page - 1 : last_page;
    bad = add_link(&link, base, q, "page", 1, "first") ||
          add_link(&link, base, q, "page", prev, "prev");
  }
  if (!bad && next > 0)
    bad = add_link(&link, base, q, "page", next, "next") ||
          add_link(&link, base, q, "page", last_page > next ? last_page : next,
                   "last");
  if (bad) {
    free(link);
    *nomem = 1;
    return NULL;
  }
  return link;
}

char *cw_link_forward(const char *base, const cw_query *q, long last_id) {
  char *link = NULL;
  if (add_link(&link, base, q, "pageId", last_id, "next")) {
    free(link);
    return NULL;
  }
  return link;
}
