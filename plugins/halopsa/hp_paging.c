/* SPDX-License-Identifier: MIT */
/*
 * hp_paging.c — paging arithmetic (see hp_paging.h).
 */
#include "hp_paging.h"

#include <stdio.h>

int hp_paging_first(hp_paging *p, long long total, long asked, long rows,
                    const char *what, char *err, size_t errlen) {
  p->total = total;
  p->asked = asked;
  p->size = rows;
  p->pages = 1;
  if (rows > asked) {
    snprintf(err, errlen,
             "HaloPSA sent %ld %s on a page of %ld: the answer is not the "
             "API's",
             rows, what, asked);
    return -1;
  }
  if (total < 0)
    return 0;
  if (rows > total) {
    snprintf(err, errlen,
             "HaloPSA sent %ld %s but record_count says %lld: the answer is "
             "not the API's",
             rows, what, total);
    return -1;
  }
  if (rows == total)
    return 0;
  if (rows == 0) {
    snprintf(err, errlen,
             "HaloPSA sent an empty first page of %s while record_count says "
             "%lld: run again; if it persists, the instance pages oddly",
             what, total);
    return -1;
  }
  p->pages = (long)((total + rows - 1) / rows);
  return 0;
}

long hp_paging_expect(const hp_paging *p, long page) {
  if (p->total < 0 || page < 1 || page > p->pages)
    return -1;
  if (page < p->pages)
    return p->size;
  return (long)(p->total - (long long)p->size * (p->pages - 1));
}

int hp_paging_check(const hp_paging *p, long page, long rows, long long total,
                    const char *what, char *err, size_t errlen) {
  if (total != p->total) {
    snprintf(err, errlen,
             "HaloPSA's count of %s moved from %lld to %lld while they were "
             "read: the list changed under the read; run again",
             what, p->total, total);
    return -1;
  }
  long want = hp_paging_expect(p, page);
  if (rows != want) {
    snprintf(err, errlen,
             "HaloPSA sent %ld %s on page %ld of %ld where %ld were due "
             "(record_count %lld, %ld per page): the list changed while it "
             "was read, or the instance pages oddly; run again",
             rows, what, page, p->pages, want, p->total, p->size);
    return -1;
  }
  return 0;
}
