/* SPDX-License-Identifier: MIT */
/*
 * test_duration.c — durations in the configuration (run_timeout): what
 * parses, what is refused, and the text printed back.
 */
#include <check.h>
#include <stdlib.h>

#include "duration.h"

START_TEST(parses_durations) {
  static const struct {
    const char *text;
    long seconds;
  } ok[] = {{"2h", 7200},    {"90", 90},    {"45s", 45},         {"30m", 1800},
            {"1h30m", 5400}, {"1d", 86400}, {"1d2h3m4s", 93784}, {"0s", 0}};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    long v = -1;
    ck_assert_msg(duration_parse(ok[i].text, &v) == 0, "%s refused",
                  ok[i].text);
    ck_assert_int_eq(v, ok[i].seconds);
  }
}
END_TEST

START_TEST(refuses_the_rest) {
  static const char *const bad[] = {"",
                                    "h",
                                    "2 hours",
                                    "2H",
                                    "1m1h",
                                    "1h1h",
                                    "1.5h",
                                    "-1h",
                                    "2h ",
                                    "1h30",
                                    "99999999999999999999s",
                                    "3700d"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    long v = 0;
    ck_assert_msg(duration_parse(bad[i], &v) == -1, "\"%s\" accepted", bad[i]);
  }
}
END_TEST

START_TEST(prints_back) {
  char buf[32];
  duration_format(7200, buf, sizeof buf);
  ck_assert_str_eq(buf, "2h");
  duration_format(5400, buf, sizeof buf);
  ck_assert_str_eq(buf, "1h30m");
  duration_format(90, buf, sizeof buf);
  ck_assert_str_eq(buf, "1m30s");
  duration_format(7 * 86400, buf, sizeof buf);
  ck_assert_str_eq(buf, "7d");
  duration_format(0, buf, sizeof buf);
  ck_assert_str_eq(buf, "0s");
}
END_TEST

int main(void) {
  Suite *s = suite_create("duration");
  TCase *tc = tcase_create("duration");
  tcase_add_test(tc, parses_durations);
  tcase_add_test(tc, refuses_the_rest);
  tcase_add_test(tc, prints_back);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
