/* SPDX-License-Identifier: MIT */
/*
 * test_civil.c — the one civil-date conversion of the core (base/civil.h):
 * fixed points, agreement with timegm() (what the host used before to read
 * driver timestamps) over four centuries, including days past a month's
 * end, and the round trip.
 */
#define _GNU_SOURCE /* timegm(), as the reference */
#include <check.h>
#include <stdlib.h>
#include <time.h>

#include "civil.h"
#include "host_api.h"

START_TEST(fixed_points) {
  ck_assert_int_eq(days_from_civil(1970, 1, 1), 0);
  ck_assert_int_eq(days_from_civil(1969, 12, 31), -1);
  ck_assert_int_eq(days_from_civil(2000, 3, 1), 11017);
  ck_assert_int_eq(days_from_civil(2024, 2, 29), 19782);
  ck_assert_int_eq(days_from_civil(1600, 1, 1), -135140);
  ck_assert_int_eq(civil_days_in_month(2024, 2), 29);
  ck_assert_int_eq(civil_days_in_month(1900, 2), 28);
  ck_assert_int_eq(civil_days_in_month(2000, 2), 29);
  ck_assert_int_eq(civil_days_in_month(2023, 4), 30);
  ck_assert_int_eq(civil_days_in_month(2023, 12), 31);
}
END_TEST

/* The loops count mismatches and assert once: a Check assertion per date
 * would make the test slow. */
START_TEST(matches_timegm) {
  long mismatches = 0, first_y = 0, first_m = 0, first_d = 0;
  for (int y = 1900; y <= 2300; y++)
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d++) {
        struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
        if (days_from_civil(y, m, d) * 86400LL != (long long)timegm(&tm) &&
            mismatches++ == 0) {
          first_y = y;
          first_m = m;
          first_d = d;
        }
      }
  ck_assert_msg(mismatches == 0,
                "%ld dates differ from timegm(), first %ld-%ld-%ld", mismatches,
                first_y, first_m, first_d);
}
END_TEST

START_TEST(round_trip) {
  long bad = 0, first = 0;
  for (long long z = -800000; z <= 800000; z += 7) {
    long long y;
    int m, d;
    civil_from_days(z, &y, &m, &d);
    if ((m < 1 || m > 12 || d < 1 || d > civil_days_in_month(y, m) ||
         days_from_civil(y, m, d) != z) &&
        bad++ == 0)
      first = (long)z;
  }
  ck_assert_msg(bad == 0, "%ld days do not round-trip, first day %ld", bad,
                first);
}
END_TEST

START_TEST(driver_timestamps) {
  /* host_parse_utc() reads dates and UTC times through days_from_civil(). */
  ck_assert_int_eq(host_parse_utc("2024-02-29"), 19782LL * 86400);
  ck_assert_int_eq(host_parse_utc("2024-03-01T12:34:56Z"),
                   19783LL * 86400 + 12 * 3600 + 34 * 60 + 56);
  ck_assert_int_eq(host_parse_utc("2023-02-31"),
                   days_from_civil(2023, 3, 3) * 86400);
  ck_assert_int_eq(host_parse_utc("2024-13-01"), -1);
  ck_assert_int_eq(host_parse_utc("2024-01-01T00:00:00"), -1);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("civil");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, fixed_points);
  tcase_add_test(tc, matches_timegm);
  tcase_add_test(tc, round_trip);
  tcase_add_test(tc, driver_timestamps);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
