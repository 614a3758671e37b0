/* SPDX-License-Identifier: MIT */
/*
 * hps_rate.h — hosted Halo's rate limit: at most `limit` requests in any
 * rolling window of `window_ms`; past it every request is answered 429
 * "Rate Limit Reached - N Requests per rolling 5 minute window" (text, no
 * Retry-After, as reported), and a refused request does not count.
 */
#ifndef HPS_RATE_H
#define HPS_RATE_H

#include <stddef.h>

typedef struct hps_rate {
  long limit;     /* 0: no limit */
  long window_ms; /* default 300000 */
  long long *at;  /* start times of the counted requests, a ring */
  size_t head, count, cap;
  long refused; /* 429s answered since the start (or the last reset) */
} hps_rate;

void hps_rate_init(hps_rate *r, long limit, long window_ms);
void hps_rate_free(hps_rate *r);
/* Count a request at now_ms: 0 when it may pass, -1 when it is over the
 * limit (then counted in `refused` only). */
int hps_rate_take(hps_rate *r, long long now_ms);
/* Requests counted in the window ending now. */
long hps_rate_used(hps_rate *r, long long now_ms);
void hps_rate_reset(hps_rate *r);

#endif
