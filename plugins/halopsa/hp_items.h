/* SPDX-License-Identifier: MIT */
/*
 * hp_items.h — the configured products (sku.lastpass = ...) as HaloPSA
 * items: a number is an item id (GET /Item/{id}); anything else an item
 * name, matched exactly (ignoring case and surrounding spaces) among the
 * answers of GET /Item?search=NAME, and, when that finds none, among the
 * whole item list, since search is Halo's convenience and the
 * list the truth. Two items of one name are a configuration error: the
 * person must give the id.
 */
#ifndef HP_ITEMS_H
#define HP_ITEMS_H

#include "hp_ctx.h"

/* For each request->products[i]: ids[i] = the item's id, or HP_NO_ITEM;
 * found ones are reported with api->product_found(). */
#define HP_NO_ITEM ((long long)-9223372036854775807LL - 1)

int hp_items_resolve(hp_ctx *ctx, const lpsa_snapshot_request *req,
                     lpsa_snapshot *snap, long long *ids, char *err,
                     size_t errlen);

/* The index of the first product whose item is `item`, or -1. */
long hp_items_index(const long long *ids, size_t n, long long item);

#endif
