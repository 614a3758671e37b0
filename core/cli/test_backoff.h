/* SPDX-License-Identifier: MIT */
/*
 * test_backoff.h — the injectable back-off of test builds: the fault tests
 * run retries against simulators that answer 429 and 503 with
 * Retry-After, and must not sleep for real.
 *
 * LPSA_TEST_BACKOFF_MS=N in the environment caps every wait the HTTP
 * client decides before a retry (the exponential back-off, a Retry-After,
 * a paced group's hold after a 429) at N milliseconds: exactly what
 * backoff_max_ms does, set lower. It is honoured only by a build with the
 * tests (LPSA_BUILD_TESTS, which defines LPSA_TEST_HOOKS for this layer),
 * and then says so in a warning on every run; a build without the tests
 * (the Debian packages) ignores it, with a warning too. Nothing else
 * changes: the same retries, the same requests, sooner.
 */
#ifndef LPSA_CORE_TEST_BACKOFF_H
#define LPSA_CORE_TEST_BACKOFF_H

#include "http.h"
#include "log.h"

/* Apply LPSA_TEST_BACKOFF_MS (when set) to `o`, warning on `log`. */
void test_backoff_apply(http_options *o, lpsa_log *log);

#endif
