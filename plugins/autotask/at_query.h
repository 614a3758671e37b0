/* SPDX-License-Identifier: MIT */
/*
 * at_query.h — running Autotask queries to the last page.
 *
 * A query is one or more bodies for one entity (chunks of an `in` list).
 * The first pages of every chunk go out together through http_many() (the
 * host keeps at most 3 in flight per entity, Autotask's thread limit), then
 * each chunk follows pageDetails.nextPageUrl, again all chunks' next pages
 * together, until every chunk's nextPageUrl is null. A next page is POSTed
 * with the query's own body, as Autotask requires (a GET there gets 405).
 *
 * A query POST only reads, so it is flagged LPSA_HTTP_RETRY_SAFE. The run
 * fails — the snapshot must never be partial — on a transport error, any
 * status but 200, malformed JSON, a page without an items array, an item
 * without a whole-number id, the same id twice anywhere in the query, a
 * next page URL already fetched (a paging loop), a next page on another
 * origin than the zone (credentials would follow it), or a callback error.
 */
#ifndef AT_QUERY_H
#define AT_QUERY_H

#include <json-c/json.h>

#include "at_ctx.h"

/* Called for every item, in page order within a chunk; `id` is checked. */
typedef int (*at_item_fn)(void *arg, json_object *item, long long id, char *err,
                          size_t errlen);

/* Pages a single chunk may have before the driver gives up. */
#define AT_MAX_PAGES 20000

int at_query_run(at_ctx *ctx, const char *entity, char *const *bodies,
                 size_t n_bodies, at_item_fn fn, void *arg, char *err,
                 size_t errlen);

#endif
