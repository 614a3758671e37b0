/* SPDX-License-Identifier: MIT */
/*
 * test_str_append.c — bounded appending (base/str_append.h): text is added
 * after what is there, cut to the buffer, and the buffer stays terminated.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "str_append.h"

START_TEST(appends) {
  char buf[32] = "";
  str_appendf(buf, sizeof buf, "%s", "ab");
  str_appendf(buf, sizeof buf, ", %d", 12);
  ck_assert_str_eq(buf, "ab, 12");
}
END_TEST

START_TEST(cuts_and_terminates) {
  char buf[8] = "abc";
  str_appendf(buf, sizeof buf, "%s", "defghijk");
  ck_assert_str_eq(buf, "abcdefg");
  str_appendf(buf, sizeof buf, "%s", "x"); /* full: unchanged */
  ck_assert_str_eq(buf, "abcdefg");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("str_append");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, appends);
  tcase_add_test(tc, cuts_and_terminates);
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
