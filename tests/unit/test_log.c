/* SPDX-License-Identifier: MIT */
/*
 * test_log.c — every line the logger writes is redacted: plain secrets,
 * their URL-encoded form, and a secret holding another one.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static char *logged(lpsa_log_level min, void (*fill)(lpsa_log *)) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  lpsa_log *log = log_new(f, min);
  fill(log);
  log_free(log);
  fclose(f);
  return buf;
}

static void redacting(lpsa_log *log) {
  ck_assert_int_eq(log_add_secret(log, "api@msp.example"), 0);
  ck_assert_int_eq(log_add_secret(log, "hunter22"), 0);
  ck_assert_int_eq(log_add_secret(log, "hunter22-and-more"), 0);
  ck_assert_int_eq(log_add_secret(log, "abc"), 0); /* too short: ignored */
  log_msg(log, LPSA_LOG_INFO, "user=%s key=%s", "api%40msp.example",
          "hunter22-and-more");
  log_msg(log, LPSA_LOG_WARN, "plain api@msp.example and hunter22; abc");
  log_msg(log, LPSA_LOG_DEBUG, "below the level: hunter22");
}

START_TEST(redacts_plain_encoded_and_nested) {
  char *text = logged(LPSA_LOG_INFO, redacting);
  ck_assert_ptr_null(strstr(text, "hunter22"));
  ck_assert_ptr_null(strstr(text, "-and-more"));
  ck_assert_ptr_null(strstr(text, "msp.example"));
  ck_assert_ptr_null(strstr(text, "below the level"));
  ck_assert_ptr_nonnull(strstr(text, "user=*** key=***"));
  ck_assert_ptr_nonnull(strstr(text, "warning: plain *** and ***; abc"));
  free(text);
}
END_TEST

static void nothing(lpsa_log *log) {
  log_msg(log, LPSA_LOG_ERROR, "x%d", 1);
}

START_TEST(prefix_and_level) {
  char *text = logged(LPSA_LOG_ERROR, nothing);
  ck_assert_str_eq(text, "lpsa-host: error: x1\n");
  free(text);
}
END_TEST

int main(void) {
  Suite *s = suite_create("log");
  TCase *tc = tcase_create("log");
  tcase_add_test(tc, redacts_plain_encoded_and_nested);
  tcase_add_test(tc, prefix_and_level);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
