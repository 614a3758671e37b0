/* SPDX-License-Identifier: MIT */
/*
 * drivers_list.h — `lpsa-host drivers`: the drivers on the driver path, as a
 * table for people or as JSON for machines.
 *
 * JSON shape:
 *   {"drivers":[{"name","version","abi":"1.0","description","path"}],
 *    "refused":[{"path","reason"}],
 *    "searched":["dir", ...]}
 */
#ifndef LPSA_CORE_DRIVERS_LIST_H
#define LPSA_CORE_DRIVERS_LIST_H

#include <stddef.h>
#include <stdio.h>

#include "loader.h"

/* Scan dirs (see loader_scan()) and print the listing to `out`, as JSON when
 * `json` is non-zero. Returns 0 when at least one driver loads, 1 when none
 * does (the listing still says why), -1 when the scan itself failed (out of
 * memory, no process could be started); nothing is printed then. */
int drivers_list_print(FILE *out, const char *const *dirs, size_t n_dirs,
                       int json);

/* Print an existing listing; same return values, without the scan. */
int drivers_list_write(FILE *out, const loader_listing *l,
                       const char *const *dirs, size_t n_dirs, int json);

#endif
