/* SPDX-License-Identifier: MIT */
/*
 * at_service_match.h — which Autotask service a configured `sku.*` value
 * names. Pure.
 *
 * A value made only of digits is a service id; if no service has that id it
 * is tried as a name (a service may be called "2024"). Names match exactly
 * first, then ignoring case (Autotask compares names case-insensitively, so
 * its `eq` already returned every spelling). When several services carry the
 * name, the only active one is taken; otherwise the value is ambiguous and
 * the person must use the id.
 */
#ifndef AT_SERVICE_MATCH_H
#define AT_SERVICE_MATCH_H

#include <stddef.h>

#include "at_records.h"

#define AT_MATCH_NONE (-1)
#define AT_MATCH_AMBIGUOUS (-2)

/* 1 when ref is a plausible Autotask id (1 to 18 digits, not all zero). */
int at_ref_is_id(const char *ref, long long *id);

/* The index in services of the service `ref` names, AT_MATCH_NONE or
 * AT_MATCH_AMBIGUOUS. */
long at_match_service(const char *ref, const at_service *services, size_t n);

#endif
