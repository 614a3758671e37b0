/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_date.c — Autotask date parsing (with and without Z, fractions,
 * offsets) and the calendar arithmetic under the billing period.
 */
#include <check.h>
#include <string.h>

#include "at_date.h"

static const char *fmt(at_date d) {
  static char buf[11];
  at_date_format(&d, buf);
  return buf;
}

START_TEST(parses_autotask_shapes) {
  static const char *const good[] = {
      "2026-11-01",
      "2026-11-01T00:00:00",
      "2026-11-01T00:00:00Z",
      "2026-11-01T00:00:00.000Z",
      "2026-11-01T00:00:00.1234567",
      "2026-11-01T13:45:59+01:00",
      "2026-11-01T13:45:59-0500",
      "2026-11-01 00:00:00",
      "2026-11-01T00:00",
  };
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    at_date d;
    ck_assert_msg(at_date_parse(good[i], &d) == 0, "refused %s", good[i]);
    ck_assert_str_eq(fmt(d), "2026-11-01");
  }
}
END_TEST

START_TEST(refuses_bad_dates) {
  static const char *const bad[] = {"",
                                    "2026-02-29",
                                    "2026-02-30",
                                    "2026-13-01",
                                    "2026-00-10",
                                    "2026-1-01",
                                    "2026-11-01T",
                                    "2026-11-01X",
                                    "26-11-01",
                                    "2026/11/01",
                                    "2026-11-01T25:00:00",
                                    "2026-11-01T00:00:00ZZ",
                                    "2026-11-01T00:00:00.Z",
                                    "0000-01-01",
                                    "2026-11-01T00:61"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    at_date d;
    ck_assert_msg(at_date_parse(bad[i], &d) != 0, "accepted %s", bad[i]);
  }
  at_date d;
  ck_assert_int_ne(at_date_parse(NULL, &d), 0);
  ck_assert_int_eq(at_date_parse("2028-02-29", &d), 0);
}
END_TEST

START_TEST(arithmetic) {
  at_date d = {2026, 1, 31};
  ck_assert_str_eq(fmt(at_date_add_months(&d, 1)), "2026-02-28");
  ck_assert_str_eq(fmt(at_date_add_months(&d, 2)), "2026-03-31");
  ck_assert_str_eq(fmt(at_date_add_months(&d, 25)), "2028-02-29");
  ck_assert_str_eq(fmt(at_date_add_months(&d, -2)), "2025-11-30");
  ck_assert_str_eq(fmt(at_date_add_months(&d, 11)), "2026-12-31");
  ck_assert_str_eq(fmt(at_date_add_days(&d, 1)), "2026-02-01");
  ck_assert_str_eq(fmt(at_date_add_days(&d, 334)), "2026-12-31");
  ck_assert_str_eq(fmt(at_date_add_days(&d, 335)), "2027-01-01");
  at_date m = {2028, 3, 1};
  ck_assert_str_eq(fmt(at_date_add_days(&m, -1)), "2028-02-29");
  at_date n = {2027, 1, 1};
  ck_assert_str_eq(fmt(at_date_add_days(&n, -1)), "2026-12-31");
  ck_assert_str_eq(fmt(at_date_add_days(&n, -366)), "2025-12-31");
  ck_assert_int_eq(at_days_in_month(2100, 2), 28);
  ck_assert_int_eq(at_days_in_month(2000, 2), 29);
  ck_assert_int_eq(at_days_in_month(2028, 2), 29);
  at_date a = {2026, 11, 15}, b = {2027, 2, 1};
  ck_assert_int_eq(at_month_diff(&a, &b), 3);
  ck_assert_int_lt(at_date_cmp(&a, &b), 0);
  ck_assert_int_gt(at_date_cmp(&b, &a), 0);
  ck_assert_int_eq(at_date_cmp(&a, &a), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_date");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, parses_autotask_shapes);
  tcase_add_test(tc, refuses_bad_dates);
  tcase_add_test(tc, arithmetic);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
