/* SPDX-License-Identifier: MIT */
/*
 * test_retry_after.c — Retry-After parsing and the back-off computation.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>

#include "backoff.h"
#include "retry_after.h"

/* 2026-11-15T12:00:00Z, computed by hand: 20772 days after 1970-01-01. */
static const time_t NOW = (time_t)20772 * 86400 + 12 * 3600;

START_TEST(delta_seconds) {
  ck_assert_int_eq(retry_after_seconds("120", NOW), 120);
  ck_assert_int_eq(retry_after_seconds("0", NOW), 0);
  ck_assert_int_eq(retry_after_seconds(" 7 ", NOW), 7);
  ck_assert_int_eq(retry_after_seconds("99999999999999999999", NOW),
                   LONG_MAX / 1000);
}
END_TEST

START_TEST(garbage_ignored) {
  ck_assert_int_eq(retry_after_seconds(NULL, NOW), -1);
  ck_assert_int_eq(retry_after_seconds("", NOW), -1);
  ck_assert_int_eq(retry_after_seconds("-5", NOW), -1);
  ck_assert_int_eq(retry_after_seconds("1.5", NOW), -1);
  ck_assert_int_eq(retry_after_seconds("12abc", NOW), -1);
  ck_assert_int_eq(retry_after_seconds("soon", NOW), -1);
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 12:00:00 PST", NOW),
                   -1);
  ck_assert_int_eq(retry_after_seconds("Sun, 31 Feb 2026 12:00:00 GMT", NOW),
                   -1);
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 25:00:00 GMT", NOW),
                   -1);
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 12:00:00 GMT x", NOW),
                   -1);
}
END_TEST

START_TEST(http_date_future_and_past) {
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 12:00:30 GMT", NOW),
                   30);
  ck_assert_int_eq(retry_after_seconds("Mon, 16 Nov 2026 12:00:00 GMT", NOW),
                   86400);
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 11:59:00 GMT", NOW),
                   0);
  ck_assert_int_eq(retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
                   0);
  ck_assert_int_eq(retry_after_seconds("Sun, 15 Nov 2026 12:00:00 GMT", NOW),
                   0);
}
END_TEST

START_TEST(http_date_forms) {
  /* The RFC 9110 example, in its three forms. 784111777 is its epoch value. */
  ck_assert_int_eq((long)retry_after_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
                   784111777L);
  ck_assert_int_eq(
      (long)retry_after_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
      784111777L);
  ck_assert_int_eq((long)retry_after_http_date("Sun Nov  6 08:49:37 1994"),
                   784111777L);
  ck_assert_int_eq((long)retry_after_http_date("Thu, 29 Feb 2024 00:00:00 GMT"),
                   1709164800L);
  ck_assert_int_eq((long)retry_after_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
                   0L);
  ck_assert_int_eq((long)retry_after_http_date("yesterday"), -1L);
}
END_TEST

START_TEST(backoff_ceiling_doubles_to_cap) {
  ck_assert_int_eq(backoff_ceiling_ms(500, 30000, 1), 500);
  ck_assert_int_eq(backoff_ceiling_ms(500, 30000, 2), 1000);
  ck_assert_int_eq(backoff_ceiling_ms(500, 30000, 4), 4000);
  ck_assert_int_eq(backoff_ceiling_ms(500, 30000, 7), 30000);
  ck_assert_int_eq(backoff_ceiling_ms(500, 30000, 4000000000u), 30000);
  ck_assert_int_eq(backoff_ceiling_ms(LONG_MAX / 2 + 1, LONG_MAX, 3), LONG_MAX);
  ck_assert_int_eq(backoff_ceiling_ms(0, 30000, 3), 0);
  ck_assert_int_eq(backoff_ceiling_ms(800, 300, 1), 300);
}
END_TEST

START_TEST(full_jitter_in_range_and_spread) {
  uint64_t state = 42;
  long lo = LONG_MAX, hi = -1;
  for (int i = 0; i < 1000; i++) {
    long d = backoff_full_jitter_ms(100, 30000, 3, backoff_random_next(&state));
    ck_assert_int_ge(d, 0);
    ck_assert_int_le(d, 400);
    lo = d < lo ? d : lo;
    hi = d > hi ? d : hi;
  }
  /* Full jitter: the draws cover the range, not one point. */
  ck_assert_int_lt(lo, 50);
  ck_assert_int_gt(hi, 350);
  ck_assert_int_eq(backoff_full_jitter_ms(100, 30000, 1, 57), 57 % 101);
}
END_TEST

START_TEST(random_is_deterministic) {
  uint64_t a = 7, b = 7, zero = 0;
  for (int i = 0; i < 10; i++)
    ck_assert(backoff_random_next(&a) == backoff_random_next(&b));
  ck_assert(backoff_random_next(&zero) != 0);
  ck_assert(zero != 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("retry_after");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, delta_seconds);
  tcase_add_test(tc, garbage_ignored);
  tcase_add_test(tc, http_date_future_and_past);
  tcase_add_test(tc, http_date_forms);
  tcase_add_test(tc, backoff_ceiling_doubles_to_cap);
  tcase_add_test(tc, full_jitter_in_range_and_spread);
  tcase_add_test(tc, random_is_deterministic);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
