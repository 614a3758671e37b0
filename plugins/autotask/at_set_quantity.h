/* SPDX-License-Identifier: MIT */
/*
 * at_set_quantity.h — driver.set_quantity() for Autotask: a unit count is
 * changed by posting a ContractServiceAdjustment (a DELTA) effective at the
 * start of the current billing period.
 */
#ifndef AT_SET_QUANTITY_H
#define AT_SET_QUANTITY_H

#include "at_ctx.h"

int at_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen);

#endif
