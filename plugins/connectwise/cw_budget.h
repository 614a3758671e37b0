/* SPDX-License-Identifier: MIT */
/*
 * cw_budget.h — keeping every request URL within what ConnectWise accepts.
 *
 * Real ConnectWise front ends refuse a request URL longer than about 2,000
 * characters (414, or a 404 that looks like a missing record), counting
 * the whole URL: scheme, host, codebase, path and the percent-encoded
 * query. Lists (`id in (...)`) are therefore split on the length of the
 * final URL, measured with the same encoding the request uses; a non-ASCII
 * agreement type name costs what its encoding costs.
 */
#ifndef CW_BUDGET_H
#define CW_BUDGET_H

#include <stddef.h>

#include "cw_ctx.h"

#define CW_MAX_URL 2000
/* Kept free for the page parameter the pager appends: "&pageId=" and up to
 * 19 digits (navigable "&page=N" is shorter). */
#define CW_PAGE_ROOM 27

/* Characters left for the items of the list in the query
 *   <root><path>?conditions=<field in ()><extra>&fields=<fields>&pageSize=N
 * once everything else (and CW_PAGE_ROOM) is counted; 0 when nothing is
 * left. The API root must be known (cw_ensure_root). */
size_t cw_budget_room(cw_ctx *c, const char *path, const char *field,
                      const char *extra, const char *fields, long page_size);

/* Length of `s` percent-encoded as the query carries it. */
size_t cw_budget_escaped(cw_ctx *c, const char *s);

#endif
