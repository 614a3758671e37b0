/* SPDX-License-Identifier: MIT */
/*
 * pace.h — request budgets per concurrency group (lpsa_host_api.http_pace):
 * at most max_requests sends of a group in any rolling window, and after a
 * 429 the whole group held for a back-off, so a PSA whose limit counts
 * requests over minutes (HaloPSA: a few hundred per rolling 5 minutes) is
 * never pushed past it and, when another client shares the limit, is left
 * alone while it recovers.
 *
 * Pure bookkeeping on a caller-supplied monotonic clock in milliseconds
 * (so it is unit-tested without sleeping); the transport (http.c) asks
 * before each send how long to wait and reports sends and answers. Not
 * thread-safe: one per http_client.
 */
#ifndef LPSA_CORE_PACE_H
#define LPSA_CORE_PACE_H

#include <stdint.h>

typedef struct pace_table pace_table;

pace_table *pace_new(void);
void pace_free(pace_table *p);

/* Pace `group` (copied; replaces an earlier pace of it): max_requests sends
 * per window_ms; after a 429 without Retry-After, hold the group
 * backoff_ms, doubled for each further 429 in a row; retry a 429
 * retries_429 times (0: the transport's usual count). max_requests 0
 * removes the pace. 0, or -1 when out of memory or the values are invalid. */
int pace_set(pace_table *p, const char *group, unsigned max_requests,
             long window_ms, long backoff_ms, unsigned retries_429);

/* The group's retries of a 429 (0: none set, or no pace). */
unsigned pace_retries_429(const pace_table *p, const char *group);

/* 1 when `group` (may be NULL) is paced. */
int pace_has(const pace_table *p, const char *group);

/* Milliseconds to wait, from now_ms, before a send of `group` may start;
 * 0 when it may start now (always 0 for a group without a pace). */
long pace_wait_ms(pace_table *p, const char *group, int64_t now_ms);

/* A send of `group` started at now_ms. */
void pace_sent(pace_table *p, const char *group, int64_t now_ms);

/* `group` was answered 429 at now_ms; retry_after_ms is the server's
 * Retry-After (-1: none). Holds the group and returns the hold in ms:
 * Retry-After when given, else backoff_ms doubled per consecutive 429;
 * both capped at cap_ms. -1 when the group is not paced. */
long pace_throttled(pace_table *p, const char *group, int64_t now_ms,
                    long retry_after_ms, long cap_ms);

/* Any other answer: the next 429 starts the back-off afresh. */
void pace_answered(pace_table *p, const char *group);

#endif
