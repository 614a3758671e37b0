/* SPDX-License-Identifier: MIT */
/*
 * retry_after.h — parse an HTTP Retry-After value (RFC 9110 section 10.2.3).
 *
 * The value is either delta-seconds ("120") or an HTTP-date, preferably the
 * IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" (the obsolete RFC 850 and
 * asctime forms are accepted too, as the RFC asks of recipients). Pure: the
 * current time is a parameter, so tests are deterministic.
 */
#ifndef LPSA_CORE_RETRY_AFTER_H
#define LPSA_CORE_RETRY_AFTER_H

#include <time.h>

/* Seconds to wait according to `value`, relative to `now` (UTC). A date in the
 * past gives 0. Returns -1 when the value is absent, empty, negative or not
 * understood: the caller then falls back to its own back-off. Huge values are
 * clamped to LONG_MAX / 1000 so that converting to milliseconds cannot
 * overflow. */
long retry_after_seconds(const char *value, time_t now);

/* Parse an HTTP-date (any of the three forms). -1 when not one. */
time_t retry_after_http_date(const char *value);

#endif
