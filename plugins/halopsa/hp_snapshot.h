/* SPDX-License-Identifier: MIT */
/*
 * hp_snapshot.h — driver.snapshot() for HaloPSA: clients are companies,
 * their active recurring invoices agreements, and the invoice lines of the
 * configured items lines.
 */
#ifndef HP_SNAPSHOT_H
#define HP_SNAPSHOT_H

#include "hp_ctx.h"

int hp_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                lpsa_snapshot *snap, char *err, size_t errlen);

/* Today in the host's clock ("YYYY-MM-DD"), for a request without as_of. */
void hp_today(hp_ctx *ctx, char out[11]);

#endif
