/* SPDX-License-Identifier: MIT */
/*
 * backoff.h — exponential back-off with full jitter, and the small random
 * generator that feeds it.
 *
 * Full jitter (wait a uniform random time in [0, min(cap, base * 2^n)]) keeps
 * many clients that were throttled together from retrying in lock-step. The
 * random source is an explicit state so callers own it (no global state) and
 * tests can fix it.
 */
#ifndef LPSA_CORE_BACKOFF_H
#define LPSA_CORE_BACKOFF_H

#include <stdint.h>

/* The longest wait before retry number `retry` (1 for the first retry):
 * min(max_ms, base_ms * 2^(retry - 1)), never negative. */
long backoff_ceiling_ms(long base_ms, long max_ms, unsigned retry);

/* A uniformly random wait in [0, backoff_ceiling_ms()] drawn from `random`. */
long backoff_full_jitter_ms(long base_ms, long max_ms, unsigned retry,
                            uint64_t random);

/* xorshift64*: a fast, non-cryptographic generator. *state must not be 0
 * (a zero state is replaced by a fixed non-zero constant). */
uint64_t backoff_random_next(uint64_t *state);

#endif
