/* SPDX-License-Identifier: MIT */
/*
 * test_http_window.c — adaptive concurrency as bookkeeping: the window
 * starts at 4, grows while answers are healthy up to max_concurrency,
 * halves once per burst of throttled answers, and neither grows nor shrinks
 * on slow answers or server failures.
 */
#include <check.h>
#include <stdlib.h>

#include "http_window.h"

/* One attempt started (with `in_flight` running, itself included) and
 * answered. */
static void answer(http_window *w, http_window_answer how, long ms) {
  unsigned long t = http_window_started(w, 1);
  http_window_answered(w, t, how, ms);
}

START_TEST(starts_at_four_or_the_maximum) {
  http_window w;
  http_window_init(&w, 16);
  ck_assert_uint_eq(http_window_limit(&w), 4);
  http_window_init(&w, 2);
  ck_assert_uint_eq(http_window_limit(&w), 2);
  http_window_init(&w, 0);
  ck_assert_uint_eq(http_window_limit(&w), 1);
}
END_TEST

START_TEST(grows_one_per_healthy_answer_up_to_the_maximum) {
  http_window w;
  http_window_init(&w, 8);
  answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 5);
  for (int i = 0; i < 10; i++)
    answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 8);
  ck_assert_uint_eq(w.halvings, 0);
  ck_assert_uint_eq(w.smallest, 0);
}
END_TEST

START_TEST(a_burst_of_throttled_answers_halves_it_once) {
  http_window w;
  http_window_init(&w, 8);
  for (int i = 0; i < 4; i++)
    answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 8);
  /* Eight in flight; all of them come back 429. */
  unsigned long tickets[8];
  for (unsigned i = 0; i < 8; i++)
    tickets[i] = http_window_started(&w, i + 1);
  for (int i = 0; i < 8; i++)
    http_window_answered(&w, tickets[i], HTTP_WINDOW_THROTTLED, 50);
  ck_assert_uint_eq(http_window_limit(&w), 4);
  ck_assert_uint_eq(w.halvings, 1);
  ck_assert_uint_eq(w.smallest, 4);
  ck_assert_uint_eq(w.peak, 8);
  /* A request sent after the halving and throttled halves it again. */
  answer(&w, HTTP_WINDOW_THROTTLED, 50);
  ck_assert_uint_eq(http_window_limit(&w), 2);
  answer(&w, HTTP_WINDOW_THROTTLED, 50);
  answer(&w, HTTP_WINDOW_THROTTLED, 50);
  ck_assert_uint_eq(http_window_limit(&w), 1);
  ck_assert_uint_eq(w.smallest, 1);
}
END_TEST

START_TEST(after_a_halving_it_grows_slowly) {
  http_window w;
  http_window_init(&w, 16);
  for (int i = 0; i < 12; i++)
    answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 16);
  answer(&w, HTTP_WINDOW_THROTTLED, 50);
  ck_assert_uint_eq(http_window_limit(&w), 8);
  /* One more per window of healthy answers, not one per answer. */
  for (int i = 0; i < 8; i++)
    answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 8);
  answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 9);
}
END_TEST

START_TEST(slow_answers_and_failures_hold_it) {
  http_window w;
  http_window_init(&w, 8);
  answer(&w, HTTP_WINDOW_HEALTHY, 50);
  ck_assert_uint_eq(http_window_limit(&w), 5);
  /* 4 x 50 + 100 = 300 ms: slower holds the window. */
  answer(&w, HTTP_WINDOW_HEALTHY, 301);
  answer(&w, HTTP_WINDOW_FAILED, 50);
  ck_assert_uint_eq(http_window_limit(&w), 5);
  answer(&w, HTTP_WINDOW_HEALTHY, 300);
  ck_assert_uint_eq(http_window_limit(&w), 6);
}
END_TEST

int main(void) {
  Suite *s = suite_create("http_window");
  TCase *tc = tcase_create("window");
  tcase_add_test(tc, starts_at_four_or_the_maximum);
  tcase_add_test(tc, grows_one_per_healthy_answer_up_to_the_maximum);
  tcase_add_test(tc, a_burst_of_throttled_answers_halves_it_once);
  tcase_add_test(tc, after_a_halving_it_grows_slowly);
  tcase_add_test(tc, slow_answers_and_failures_hold_it);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
