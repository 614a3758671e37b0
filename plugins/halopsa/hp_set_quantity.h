/* SPDX-License-Identifier: MIT */
/*
 * hp_set_quantity.h — driver.set_quantity() for HaloPSA (see the .c).
 */
#ifndef HP_SET_QUANTITY_H
#define HP_SET_QUANTITY_H

#include "hp_ctx.h"

int hp_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen);

#endif
