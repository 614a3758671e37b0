/* SPDX-License-Identifier: MIT */
/*
 * test_diag.c — the error buffer: FILE:LINE messages one a line, the limit
 * and the line counting the rest, out of memory replacing everything, a
 * buffer too small cut short but terminated.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

START_TEST(messages_name_their_place) {
  char buf[256];
  diag d;
  diag_init(&d, buf, sizeof buf, "lpsa.conf", 20);
  ck_assert_int_eq(diag_failed(&d), 0);
  ck_assert_str_eq(buf, "");
  diag_at(&d, 12, "unknown key %s", "colour");
  diag_at(&d, 0, "is empty");
  diag_at(&d, -1, "mapping.csv:3: says where itself");
  diag_finish(&d);
  ck_assert_int_eq(diag_failed(&d), 1);
  ck_assert_str_eq(buf, "lpsa.conf:12: unknown key colour\n"
                        "lpsa.conf: is empty\n"
                        "mapping.csv:3: says where itself");
}
END_TEST

START_TEST(past_the_limit_only_counted) {
  char buf[512];
  diag d;
  diag_init(&d, buf, sizeof buf, "m.csv", 2);
  for (int i = 1; i <= 5; i++)
    diag_at(&d, i, "bad row");
  diag_finish(&d);
  ck_assert_int_eq(d.n, 5);
  ck_assert_str_eq(buf, "m.csv:1: bad row\nm.csv:2: bad row\n"
                        "m.csv: 3 more problems not shown; fix these and "
                        "run again");
}
END_TEST

START_TEST(out_of_memory_replaces_all) {
  char buf[256];
  diag d;
  diag_init(&d, buf, sizeof buf, "lpsa.conf", 1);
  diag_at(&d, 1, "one");
  diag_at(&d, 2, "two");
  diag_oom(&d, "out of memory while reading %s", "the configuration");
  diag_finish(&d);
  ck_assert_str_eq(buf, "lpsa.conf: out of memory while reading the "
                        "configuration");
  ck_assert_int_eq(diag_failed(&d), 1);
  diag d2;
  diag_init(&d2, buf, sizeof buf, "x", 0);
  diag_oom(&d2, "out of memory");
  ck_assert_int_eq(diag_failed(&d2), 1);
}
END_TEST

START_TEST(small_or_no_buffer) {
  char buf[12];
  diag d;
  diag_init(&d, buf, sizeof buf, "lpsa.conf", 0);
  diag_at(&d, 7, "a long message that does not fit");
  diag_at(&d, 8, "another");
  ck_assert_uint_eq(strlen(buf), sizeof buf - 1);
  ck_assert_int_eq(strncmp(buf, "lpsa.conf:7", 11), 0);
  diag none;
  diag_init(&none, NULL, 0, "f", 0);
  diag_at(&none, 1, "counted only");
  ck_assert_int_eq(none.n, 1);
}
END_TEST

START_TEST(say_one_message_and_its_status) {
  char buf[8];
  ck_assert_int_eq(diag_say(buf, sizeof buf, 7, "bad %s", "record"), 7);
  ck_assert_str_eq(buf, "bad rec");
  ck_assert_int_eq(diag_say(NULL, 0, -1, "ignored"), -1);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("diag");
  TCase *tc = tcase_create("diag");
  tcase_add_test(tc, messages_name_their_place);
  tcase_add_test(tc, past_the_limit_only_counted);
  tcase_add_test(tc, out_of_memory_replaces_all);
  tcase_add_test(tc, small_or_no_buffer);
  tcase_add_test(tc, say_one_message_and_its_status);
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
