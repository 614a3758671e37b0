/* SPDX-License-Identifier: MIT */
/*
 * web_ratelimit.h — failed logins counted per key (a client address, or a
 * user name) in a sliding window: once a key has `max` failures within
 * `window_s` seconds, every login for it is refused (HTTP 429, with
 * Retry-After) until the oldest of them leaves the window, even one with
 * the right password, so guessing gains nothing by going on. A success
 * clears the user's key. The table holds WEB_RATELIMIT_KEYS keys; the one
 * idle longest makes room.
 */
#ifndef LPSA_WEB_RATELIMIT_H
#define LPSA_WEB_RATELIMIT_H

#include "web_clock.h"

#define WEB_RATELIMIT_KEYS 1024
#define WEB_RATELIMIT_MAX 32 /* the largest `max` */

typedef struct web_ratelimit web_ratelimit;

web_ratelimit *web_ratelimit_new(int max, int window_s, web_clock_fn clock,
                                 void *clock_arg);
void web_ratelimit_free(web_ratelimit *r);

/* 1 when `key` may not try now (*retry_after: seconds until it may), else 0.
 */
int web_ratelimit_blocked(web_ratelimit *r, const char *key, int *retry_after);
void web_ratelimit_fail(web_ratelimit *r, const char *key);
void web_ratelimit_clear(web_ratelimit *r, const char *key);

#endif
