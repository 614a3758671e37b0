/* SPDX-License-Identifier: MIT */
/*
 * test_backoff.c — LPSA_TEST_BACKOFF_MS (see test_backoff.h).
 */
#include "test_backoff.h"

#include <stdlib.h>

void test_backoff_apply(http_options *o, lpsa_log *log) {
  const char *v = getenv("LPSA_TEST_BACKOFF_MS");
  if (!v || !*v)
    return;
#ifdef LPSA_TEST_HOOKS
  char *end;
  long ms = strtol(v, &end, 10);
  if (*end || ms < 0 || ms > o->backoff_max_ms) {
    log_msg(log, LPSA_LOG_WARN,
            "LPSA_TEST_BACKOFF_MS=%s is ignored: it must be a number of "
            "milliseconds from 0 to %ld",
            v, o->backoff_max_ms);
    return;
  }
  o->backoff_max_ms = ms;
  if (o->backoff_base_ms > ms)
    o->backoff_base_ms = ms;
  log_msg(log, LPSA_LOG_WARN,
          "LPSA_TEST_BACKOFF_MS=%ld cuts every wait before a retry to at most "
          "%ld ms, Retry-After included (a test setting of this test build); "
          "unset it in production",
          ms, ms);
#else
  (void)o;
  log_msg(log, LPSA_LOG_WARN,
          "LPSA_TEST_BACKOFF_MS is ignored: this build has no test settings");
#endif
}
