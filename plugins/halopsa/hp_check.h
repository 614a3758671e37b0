/* SPDX-License-Identifier: MIT */
/*
 * hp_check.h — driver.check() for HaloPSA (see the .c).
 */
#ifndef HP_CHECK_H
#define HP_CHECK_H

#include "hp_ctx.h"

int hp_check(lpsa_driver_ctx *ctx, char *err, size_t errlen);

#endif
