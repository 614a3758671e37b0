/* SPDX-License-Identifier: MIT */
/*
 * query.h — URL query strings: parsing, lookup, re-encoding.
 *
 * The simulator gets the raw query string; it needs the decoded parameters
 * (conditions hold quotes, spaces, `%`...) and must build the absolute URLs of
 * the paging Link header from them again, changing only `page` or `pageId`.
 */
#ifndef CW_QUERY_H
#define CW_QUERY_H

#include <stddef.h>

typedef struct cw_kv {
  char *key;
  char *value;
} cw_kv;

typedef struct cw_query {
  cw_kv *items; /* in the order received */
  size_t n;
} cw_query;

/* Splits `raw` ("a=1&b=x%20y") into decoded pairs; `+` is a space, as
 * ASP.NET reads it. 0, or -1 when out of memory (q is then empty). */
int cw_query_parse(const char *raw, cw_query *q);
void cw_query_free(cw_query *q);
/* The first value of `key` (case-insensitive, like ASP.NET), or NULL. */
const char *cw_query_get(const cw_query *q, const char *key);
/* Percent-encodes everything but unreserved characters (and `/` when
 * keep_slash). NULL when out of memory. */
char *cw_url_encode(const char *s, int keep_slash);
/* "k=v&k=v..." of every parameter except those named `drop` (case-
 * insensitively), then `extra_key=extra_value` when extra_key is not NULL.
 * NULL when out of memory. */
char *cw_query_build(const cw_query *q, const char *drop, const char *extra_key,
                     const char *extra_value);

#endif
