/* SPDX-License-Identifier: MIT */
/*
 * cw_pager.c — following rel="next" with loop and skip guards (see
 * cw_pager.h for why the driver rebuilds each page's URL itself).
 */
#include "cw_pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cw_link.h"

int cw_pager_init(cw_pager *p, const char *base) {
  memset(p, 0, sizeof *p);
  p->base = strdup(base);
  p->page = 1;
  return p->base ? 0 : -1;
}

void cw_pager_free(cw_pager *p) {
  free(p->base);
  memset(p, 0, sizeof *p);
}

void cw_pager_url(const cw_pager *p, cw_buf *out) {
  char sep = strchr(p->base, '?') ? '&' : '?';
  cw_buf_puts(out, p->base);
  if (p->page_id > 0)
    cw_buf_printf(out, "%cpageId=%lld", sep, p->page_id);
  else if (p->page > 1)
    cw_buf_printf(out, "%cpage=%lld", sep, p->page);
}

static int fail(char *err, size_t errlen, const char *fmt, long long a,
                long long b) {
  snprintf(err, errlen, fmt, a, b);
  return -1;
}

/* Move to the page a `page=` next link names. */
static int to_page(cw_pager *p, long long next, long long last, int has_last,
                   char *err, size_t errlen) {
  if (next <= p->page)
    return fail(err, errlen,
                "ConnectWise's next-page link goes back to page %lld after "
                "page %lld: a paging loop, refusing to read on",
                next, p->page);
  if (next != p->page + 1)
    return fail(err, errlen,
                "ConnectWise's next-page link skips from page %lld to page "
                "%lld: records would be missed",
                p->page, next);
  if (has_last && next > last)
    return fail(err, errlen,
                "ConnectWise's next-page link points to page %lld, beyond "
                "the last page %lld",
                next, last);
  p->page = next;
  p->page_id = 0;
  return 0;
}

/* Move to the cursor a `pageId=` next link names. */
static int to_page_id(cw_pager *p, long long id, char *err, size_t errlen) {
  if (id <= p->page_id)
    return fail(err, errlen,
                "ConnectWise's next-page link goes back to pageId %lld after "
                "pageId %lld: a paging loop, refusing to read on",
                id, p->page_id);
  p->page_id = id;
  p->page++;
  return 0;
}

static int decide(cw_pager *p, const cw_links *l, char *err, size_t errlen) {
  long long last = 0, next = 0;
  int has_last = l->last && cw_url_param_num(l->last, "page", &last) == 1;
  if (has_last && p->page_id == 0 && p->page > last)
    return fail(err, errlen,
                "ConnectWise returned page %lld although its last page is "
                "%lld",
                p->page, last);
  if (!l->next) {
    p->done = 1;
    return 0;
  }
  if (p->pages >= CW_PAGER_MAX_PAGES)
    return fail(err, errlen,
                "ConnectWise kept offering a next page after %lld pages "
                "(limit %lld): refusing to read on",
                (long long)p->pages, (long long)CW_PAGER_MAX_PAGES);
  int rc = cw_url_param_num(l->next, "page", &next);
  if (rc == 1)
    return to_page(p, next, last, has_last, err, errlen);
  if (rc == 0 && cw_url_param_num(l->next, "pageId", &next) == 1)
    return to_page_id(p, next, err, errlen);
  snprintf(err, errlen,
           "ConnectWise's next-page link names no page number: %.120s",
           l->next);
  return -1;
}

int cw_pager_advance(cw_pager *p, const char *link, char *err, size_t errlen) {
  cw_links l;
  p->pages++;
  int rc = cw_link_parse(link, &l);
  if (rc == CW_LINK_NOMEM) {
    cw_links_free(&l);
    return -2;
  }
  if (rc != CW_LINK_OK) {
    cw_links_free(&l);
    snprintf(err, errlen,
             "ConnectWise sent a Link header that cannot be "
             "read: %.120s",
             link);
    return -1;
  }
  rc = decide(p, &l, err, errlen);
  cw_links_free(&l);
  return rc;
}
