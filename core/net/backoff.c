/* SPDX-License-Identifier: MIT */
/*
 * backoff.c — exponential back-off with full jitter (see backoff.h).
 */
#include "backoff.h"

long backoff_ceiling_ms(long base_ms, long max_ms, unsigned retry) {
  if (base_ms <= 0 || max_ms <= 0)
    return 0;
  long ceiling = base_ms;
  /* Double until the cap: compare before multiplying so it cannot overflow. */
  for (unsigned i = 1; i < retry && ceiling < max_ms; i++)
    ceiling = ceiling > max_ms / 2 ? max_ms : ceiling * 2;
  return ceiling < max_ms ? ceiling : max_ms;
}

long backoff_full_jitter_ms(long base_ms, long max_ms, unsigned retry,
                            uint64_t random) {
  long ceiling = backoff_ceiling_ms(base_ms, max_ms, retry);
  return (long)(random % ((uint64_t)ceiling + 1));
}

uint64_t backoff_random_next(uint64_t *state) {
  uint64_t x = *state ? *state : 0x9E3779B97F4A7C15ull;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1Dull;
}
