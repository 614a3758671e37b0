/* SPDX-License-Identifier: MIT */
/*
 * paging.h — page, pageSize, pageId and the Link header.
 *
 * Navigable paging (the default): `page` from 1, `pageSize` 1..1000 (default
 * 25; more than 1000 is clamped to 1000 as the real server does), and a Link
 * header with absolute URLs:
 *   <http://HOST/PATH?QUERY&page=2>; rel="next", <...&page=9>; rel="last"
 * plus rel="first" and rel="prev" from page 2 on. No Link when everything fits
 * on one page.
 * Forward-only paging (request header `pagination-type: forward-only`):
 * `pageId=N` means "records with id > N" in id order, and the Link holds only
 *   <http://HOST/PATH?QUERY&pageId=LAST_ID_OF_THIS_PAGE>; rel="next"
 * while more records follow; its absence marks the last page.
 */
#ifndef CW_PAGING_H
#define CW_PAGING_H

#include <stddef.h>

#include "query.h"

#define CW_PAGE_SIZE_DEFAULT 25
#define CW_PAGE_SIZE_MAX 1000

typedef struct cw_paging {
  int forward_only;
  long page;      /* navigable: 1.. */
  long page_size; /* 1..1000 */
  long page_id;   /* forward-only: records with id > page_id (0: from start) */
} cw_paging;

/* Reads page, pageSize and pageId from `q` and the pagination-type header
 * value (NULL when absent). -1 with a message in err for values that are not
 * whole numbers or are out of range. */
int cw_paging_parse(const cw_query *q, const char *pagination_type,
                    cw_paging *out, char *err, size_t errlen);
/* The navigable Link header for `page` of `last_page` pages, where `base` is
 * "http://host/path": rel="first" and rel="prev" from page 2 on, rel="next"
 * (to page `next`) and rel="last" when `next` > 0. Callers pass next =
 * page + 1 while pages remain, else 0; the page_loop and empty_page faults
 * pass other values. NULL with *nomem = 0 when there is nothing to link (a
 * single page), NULL with *nomem = 1 when out of memory. */
char *cw_link_navigable(const char *base, const cw_query *q, long page,
                        long last_page, long next, int *nomem);
/* The forward-only Link pointing after `last_id`. NULL when out of memory. */
char *cw_link_forward(const char *base, const cw_query *q, long last_id);

#endif
