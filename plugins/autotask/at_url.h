/* SPDX-License-Identifier: MIT */
/*
 * at_url.h — the few URL facts the driver needs. Pure.
 *
 * Autotask hands out URLs (the zone's `url`, every `nextPageUrl`) and the
 * driver sends its credentials to them, so each is checked before use:
 * https (or http to a loopback address, for tests and the simulator), and a
 * next page on the same origin as the zone.
 */
#ifndef AT_URL_H
#define AT_URL_H

#include <stddef.h>

/* A copy of `url` without trailing slashes and without a trailing "/v1.0"
 * segment (any case), so "{base}/v1.0/..." can always be appended. NULL
 * when out of memory. */
char *at_url_base(const char *url);

/* 1 when url is https://..., or http:// to 127.0.0.0/8, localhost or [::1]. */
int at_url_is_safe(const char *url);

/* Length of "scheme://authority" at the start of url, or 0 if it has none. */
size_t at_url_origin_len(const char *url);

/* 1 when a and b have the same scheme://authority, ignoring case. */
int at_url_same_origin(const char *a, const char *b);

#endif
