/* SPDX-License-Identifier: MIT */
/*
 * hp_paging.h — the arithmetic of reading a Halo list to record_count,
 * guarded against a server that sends fewer rows per page than asked
 * (pages reported to stop at 100 rows whatever page_size says).
 *
 * Page P of size S holds rows (P-1)*S onwards, so a client that asked for
 * S and got K < S rows on the first page must ask every later page with
 * page_size K, or it skips rows. The first page fixes K; the others must
 * hold exactly K rows, the last the remainder, every one a new id, and
 * record_count must not move: anything else means the list changed while
 * it was read (or the server pages oddly), and the read fails rather than
 * hand on a partial picture. Pure: unit-tested directly.
 */
#ifndef HP_PAGING_H
#define HP_PAGING_H

#include <stddef.h>

typedef struct hp_paging {
  long long total; /* record_count of the first page; -1 when not given */
  long asked;      /* page_size asked for the first page */
  long size;       /* rows per page from the first page on */
  long pages;      /* pages to read in all (total known) */
} hp_paging;

/* After the first page: `rows` received for `asked`, `total` its
 * record_count (-1: none). 0, or -1 with err set (more rows than asked or
 * than record_count, or none while record_count promises some). */
int hp_paging_first(hp_paging *p, long long total, long asked, long rows,
                    const char *what, char *err, size_t errlen);

/* Rows page `page` (2..pages) must hold when total is known. */
long hp_paging_expect(const hp_paging *p, long page);

/* Check a later page: its rows and record_count. 0, or -1 with err. */
int hp_paging_check(const hp_paging *p, long page, long rows, long long total,
                    const char *what, char *err, size_t errlen);

#endif
