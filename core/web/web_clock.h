/* SPDX-License-Identifier: MIT */
/*
 * web_clock.h — the console's clock, injectable so tests can move time
 * (session expiry, rate-limit windows) without waiting.
 */
#ifndef LPSA_WEB_CLOCK_H
#define LPSA_WEB_CLOCK_H

#include <time.h>

typedef time_t (*web_clock_fn)(void *arg);

/* The clock's time, or time(NULL) when fn is NULL. */
static inline time_t web_clock_now(web_clock_fn fn, void *arg) {
  return fn ? fn(arg) : time(NULL);
}

#endif
