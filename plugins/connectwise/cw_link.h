/* SPDX-License-Identifier: MIT */
/*
 * cw_link.h — reading the HTTP `Link` header ConnectWise uses for paging
 * (RFC 8288): `<https://...&page=2>; rel="next", <...&page=9>; rel="last"`.
 *
 * Navigable paging gives page= links (next, prev, first, last); forward-only
 * paging gives pageId= links (next only). The parser is tolerant of spacing,
 * unquoted rel values, several rels in one value ("next last"), extra
 * parameters and unknown rels, and strict about structure: a header it cannot
 * read is an error, never "no next page", because stopping early would hand
 * the host a partial snapshot.
 */
#ifndef CW_LINK_H
#define CW_LINK_H

#include <stddef.h>

/* The targets of the rels the driver cares about; NULL when absent. */
typedef struct cw_links {
  char *next;
  char *prev;
  char *first;
  char *last;
} cw_links;

enum { CW_LINK_OK = 0, CW_LINK_MALFORMED = -1, CW_LINK_NOMEM = -2 };

/* Parse a Link header value (NULL or empty: no links). Fills *out (zeroed
 * first; free with cw_links_free() whatever the result). Two different
 * targets for one rel are CW_LINK_MALFORMED: which one to follow would be a
 * guess. */
int cw_link_parse(const char *header, cw_links *out);
void cw_links_free(cw_links *l);

/* Find query parameter `name` (exact, case-sensitive as ConnectWise writes
 * them) in `url` and copy its raw value into buf. Returns the value length,
 * or -1 when absent (or it does not fit in cap). */
long cw_url_param(const char *url, const char *name, char *buf, size_t cap);

/* Query parameter `name` of `url` as a whole number >= 0: 1 found (in
 * *out), 0 absent, -1 present but not such a number. (0 is accepted so that
 * a link back to "page 0" or "pageId=0" is reported as the loop it is.) */
int cw_url_param_num(const char *url, const char *name, long long *out);

#endif
