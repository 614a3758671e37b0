/* SPDX-License-Identifier: MIT */
/*
 * at_snapshot.h — driver.snapshot() for Autotask: reading services,
 * contract services, contracts, companies and the units covering as_of, and
 * emitting them through the host's builders. See README.md for the
 * sequence and its request cost.
 */
#ifndef AT_SNAPSHOT_H
#define AT_SNAPSHOT_H

#include "at_ctx.h"

int at_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *request,
                lpsa_snapshot *snap, char *err, size_t errlen);

#endif
