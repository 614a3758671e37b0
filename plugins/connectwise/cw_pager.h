/* SPDX-License-Identifier: MIT */
/*
 * cw_pager.h — walking the pages of one ConnectWise list query safely.
 *
 * The driver asks for a list (with pageSize) and follows the Link header's
 * rel="next" until it is absent. It does not paste the next link into a new
 * request: it takes the link's page number (page=, navigable paging) or
 * cursor (pageId=, forward-only paging) and puts it on its OWN query. That
 * keeps the conditions and fields the driver chose even when a server's link
 * drops them, and never sends the credentials to a host named in a header.
 *
 * Guards, each an error rather than a silent stop (a partial list would be a
 * partial snapshot): a next page that is not the page after the current one
 * (a loop back or a skip), a next page beyond rel="last", a current page
 * beyond rel="last", a pageId that does not move forward, a next link with
 * neither page= nor pageId=, an unreadable Link header, and more than
 * CW_PAGER_MAX_PAGES pages. Duplicate records across pages are the caller's
 * check (it knows the ids).
 */
#ifndef CW_PAGER_H
#define CW_PAGER_H

#include <stddef.h>

#include "cw_buf.h"

#define CW_PAGER_MAX_PAGES 10000

typedef struct cw_pager {
  char *base;        /* the query without page=/pageId= (owned) */
  long long page;    /* the page number of the page last fetched (1-based) */
  long long page_id; /* forward-only cursor of that page, 0 on the first */
  unsigned pages;    /* pages fetched so far */
  int done;          /* 1 once a page without rel="next" arrived */
} cw_pager;

/* Start at page 1 of `base`, a relative URL with a query string. -1 on OOM. */
int cw_pager_init(cw_pager *p, const char *base);
void cw_pager_free(cw_pager *p);

/* Append the relative URL of the page to fetch now to `out`. */
void cw_pager_url(const cw_pager *p, cw_buf *out);

/* The page cw_pager_url() named has arrived with Link header `link` (NULL
 * when absent). Decide what comes next: returns 0 (p->done tells whether
 * there is a next page), -1 with one line in err (a guard tripped), or -2
 * when out of memory. */
int cw_pager_advance(cw_pager *p, const char *link, char *err, size_t errlen);

#endif
