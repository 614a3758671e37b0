/* SPDX-License-Identifier: MIT */
/*
 * conf_shape.h — the rules a snapshot must obey, whatever the PSA, checked
 * on the host-owned model the builders filled. Pure functions: no driver,
 * no I/O.
 */
#ifndef LPSA_CONF_SHAPE_H
#define LPSA_CONF_SHAPE_H

#include <stddef.h>

#include "lpsa/model.h"
#include "snapshot.h"

/* Unique ids per kind; every agreement of an emitted company, every line of
 * an emitted agreement; quantities >= 0; line products within the request
 * and reported found; a current billing period that has both dates, in
 * order, covering `as_of`. 0, or -1 with the first problem in why. */
int conf_shape_check(const lpsa_snapshot *snap, const char *as_of, char *why,
                     size_t len);

/* Every id of ids[0..n) among the snapshot's companies. 0, or -1 with the
 * missing ones listed in why. */
int conf_shape_has_companies(const lpsa_snapshot *snap, const char *const *ids,
                             size_t n, char *why, size_t len);

/* Every company of `sub` also in `super`. 0, or -1 with the first missing. */
int conf_shape_companies_within(const lpsa_snapshot *sub,
                                const lpsa_snapshot *super, char *why,
                                size_t len);

/* Two snapshots of an unchanged PSA agree: the same company, agreement and
 * line ids, each line on the same agreement with the same product and
 * quantity. 0, or -1 with the first difference in why. */
int conf_shape_agree(const lpsa_snapshot *a, const lpsa_snapshot *b, char *why,
                     size_t len);

#endif
