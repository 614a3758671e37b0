/* SPDX-License-Identifier: MIT */
/*
 * at_check.h — driver.check() for Autotask: the `lpsa-host check` list.
 */
#ifndef AT_CHECK_H
#define AT_CHECK_H

#include "at_ctx.h"

int at_check(lpsa_driver_ctx *ctx, char *err, size_t errlen);

#endif
