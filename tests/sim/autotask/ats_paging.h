/* SPDX-License-Identifier: MIT */
/*
 * ats_paging.h — the nextPageUrl cursor.
 *
 * Like the real API, the next page is an absolute URL carrying the paging
 * state (previousIds/nextIds), not a page number:
 *   {base}/{Entity}/query/next?paging=<%-encoded {"pageSize":500,
 *     "previousIds":[A],"nextIds":[B],"method":"POST","search":{query}}>
 * The next page holds the matching items with id > B (A is where the
 * current page started). The query travels inside the cursor, so a plain GET
 * of nextPageUrl works (the real API is said to want the original POST body
 * again for POST queries: the simulator accepts both, and refuses the GET
 * with --strict-next-method).
 */
#ifndef ATS_PAGING_H
#define ATS_PAGING_H

#include <json-c/json.h>
#include <stdint.h>

typedef struct ats_cursor {
  int64_t after; /* continue after this id */
  int page_size;
  int from_post;       /* the query was a POST */
  json_object *search; /* the query (owned) */
} ats_cursor;

/* A new URL (malloc) or NULL on allocation failure. base is
 * "http://host:port/atservicesrest/v1.0". */
char *ats_paging_url(const char *base, const char *entity, json_object *search,
                     int from_post, int page_size, int64_t prev_after,
                     int64_t next_after);

/* Reads a decoded "paging" argument. 0 with the cursor (release it with
 * ats_cursor_release), or -1 when it is not a cursor of ours. */
int ats_paging_parse(const char *paging, ats_cursor *c);
void ats_cursor_release(ats_cursor *c);

/* Percent-encodes everything but RFC 3986 unreserved characters; a new
 * string or NULL. */
char *ats_url_encode(const char *s);

#endif
