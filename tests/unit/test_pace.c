/* SPDX-License-Identifier: MIT */
/*
 * test_pace.c — request budgets per concurrency group (core/pace.c) on a
 * made-up clock: the rolling window, the hold after a 429, replacing and
 * removing a pace.
 */
#include <check.h>
#include <stdlib.h>

#include "pace.h"

START_TEST(unpaced_groups_never_wait) {
  pace_table *p = pace_new();
  ck_assert_ptr_nonnull(p);
  ck_assert_int_eq(pace_wait_ms(p, "halopsa", 0), 0);
  ck_assert_int_eq(pace_wait_ms(p, NULL, 0), 0);
  pace_sent(p, "halopsa", 0);
  ck_assert_int_eq(pace_throttled(p, "halopsa", 0, -1, 1000), -1);
  ck_assert(!pace_has(p, "halopsa"));
  pace_free(p);
}
END_TEST

START_TEST(rolling_window) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_set(p, "g", 3, 1000, 100, 0), 0);
  ck_assert(pace_has(p, "g"));
  ck_assert_int_eq(pace_wait_ms(p, "g", 0), 0);
  pace_sent(p, "g", 0);
  pace_sent(p, "g", 10);
  ck_assert_int_eq(pace_wait_ms(p, "g", 20), 0);
  pace_sent(p, "g", 20);
  /* Three in the window: the fourth waits for the first to age out. */
  ck_assert_int_eq(pace_wait_ms(p, "g", 30), 970);
  ck_assert_int_eq(pace_wait_ms(p, "g", 999), 1);
  ck_assert_int_eq(pace_wait_ms(p, "g", 1000), 0);
  pace_sent(p, "g", 1000);
  /* Now the send at 10 is the oldest of the last three. */
  ck_assert_int_eq(pace_wait_ms(p, "g", 1001), 9);
  /* Other groups are not affected. */
  ck_assert_int_eq(pace_wait_ms(p, "other", 1001), 0);
  pace_free(p);
}
END_TEST

START_TEST(a_429_holds_the_group_and_doubles) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_set(p, "g", 100, 1000, 100, 0), 0);
  ck_assert_int_eq(pace_throttled(p, "g", 0, -1, 300), 100);
  /* Budget left, but the group is held. */
  ck_assert_int_eq(pace_wait_ms(p, "g", 10), 90);
  ck_assert_int_eq(pace_throttled(p, "g", 100, -1, 300), 200);
  ck_assert_int_eq(pace_wait_ms(p, "g", 100), 200);
  ck_assert_int_eq(pace_throttled(p, "g", 300, -1, 300), 300); /* capped */
  ck_assert_int_eq(pace_throttled(p, "g", 600, -1, 300), 300);
  /* An answer that is not a 429 starts the back-off afresh. */
  pace_answered(p, "g");
  ck_assert_int_eq(pace_throttled(p, "g", 1000, -1, 300), 100);
  pace_free(p);
}
END_TEST

START_TEST(retry_after_wins_and_is_capped) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_set(p, "g", 10, 1000, 100, 0), 0);
  ck_assert_int_eq(pace_throttled(p, "g", 0, 50, 300), 50);
  ck_assert_int_eq(pace_wait_ms(p, "g", 0), 50);
  ck_assert_int_eq(pace_throttled(p, "g", 0, 5000, 300), 300);
  ck_assert_int_eq(pace_wait_ms(p, "g", 0), 300);
  /* A shorter hold never shortens a longer one already running. */
  ck_assert_int_eq(pace_throttled(p, "g", 10, 0, 300), 0);
  ck_assert_int_eq(pace_wait_ms(p, "g", 10), 290);
  pace_free(p);
}
END_TEST

START_TEST(replace_keeps_recent_sends_and_zero_removes) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_set(p, "g", 3, 1000, 0, 0), 0);
  pace_sent(p, "g", 0);
  pace_sent(p, "g", 100);
  pace_sent(p, "g", 200);
  /* Down to two per window: the two newest sends still count. */
  ck_assert_int_eq(pace_set(p, "g", 2, 1000, 0, 0), 0);
  ck_assert_int_eq(pace_wait_ms(p, "g", 300), 800);
  /* Up to five: room again. */
  ck_assert_int_eq(pace_set(p, "g", 5, 1000, 0, 0), 0);
  ck_assert_int_eq(pace_wait_ms(p, "g", 300), 0);
  ck_assert_int_eq(pace_set(p, "g", 0, 0, 0, 0), 0);
  ck_assert(!pace_has(p, "g"));
  ck_assert_int_eq(pace_wait_ms(p, "g", 300), 0);
  /* Removing a pace that does not exist is fine. */
  ck_assert_int_eq(pace_set(p, "none", 0, 0, 0, 0), 0);
  pace_free(p);
}
END_TEST

START_TEST(retries_of_a_429) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_retries_429(p, "g"), 0);
  ck_assert_int_eq(pace_set(p, "g", 3, 1000, 10, 12), 0);
  ck_assert_int_eq(pace_retries_429(p, "g"), 12);
  ck_assert_int_eq(pace_retries_429(p, "other"), 0);
  ck_assert_int_eq(pace_set(p, "g", 3, 1000, 10, 0), 0);
  ck_assert_int_eq(pace_retries_429(p, "g"), 0);
  pace_free(p);
}
END_TEST

START_TEST(invalid_values_refused) {
  pace_table *p = pace_new();
  ck_assert_int_eq(pace_set(p, NULL, 3, 1000, 0, 0), -1);
  ck_assert_int_eq(pace_set(p, "", 3, 1000, 0, 0), -1);
  ck_assert_int_eq(pace_set(p, "g", 3, 0, 0, 0), -1);
  ck_assert_int_eq(pace_set(p, "g", 3, 1000, -1, 0), -1);
  ck_assert(!pace_has(p, "g"));
  pace_free(p);
  pace_free(NULL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("pace");
  TCase *tc = tcase_create("pace");
  tcase_add_test(tc, unpaced_groups_never_wait);
  tcase_add_test(tc, rolling_window);
  tcase_add_test(tc, a_429_holds_the_group_and_doubles);
  tcase_add_test(tc, retry_after_wins_and_is_capped);
  tcase_add_test(tc, replace_keeps_recent_sends_and_zero_removes);
  tcase_add_test(tc, retries_of_a_429);
  tcase_add_test(tc, invalid_values_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
