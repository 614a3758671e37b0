/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_error.c — Autotask error answers become the right status and one
 * readable line.
 */
#include <check.h>
#include <string.h>

#include "at_error.h"
#include "lpsa/status.h"

static int map(long status, const char *body, char *err, size_t n) {
  return at_error_from_answer(status, body, body ? strlen(body) : 0,
                              "querying Contracts", err, n);
}

START_TEST(statuses) {
  char err[512];
  ck_assert_int_eq(map(401, "Unauthorized\r\n", err, sizeof err),
                   LPSA_ERR_AUTH);
  ck_assert_ptr_nonnull(strstr(err, "Autotask rejected the API user: check "
                                    "username, secret and integration_code"));
  ck_assert_int_eq(
      map(500,
          "{\"errors\":[\"User does not have the adequate permissions to "
          "query this entity.\"]}",
          err, sizeof err),
      LPSA_ERR_PERMISSION);
  ck_assert_ptr_nonnull(strstr(err, "adequate permissions"));
  ck_assert_ptr_nonnull(strstr(err, "HTTP 500"));
  ck_assert_int_eq(map(429,
                       "{\"errors\":[\"thread threshold of 3 threads has "
                       "been exceeded\"]}",
                       err, sizeof err),
                   LPSA_ERR_RATE_LIMITED);
  ck_assert_int_eq(map(500, "Thread threshold of 3 threads has been exceeded",
                       err, sizeof err),
                   LPSA_ERR_RATE_LIMITED);
  ck_assert_int_eq(map(404, NULL, err, sizeof err), LPSA_ERR_NOT_FOUND);
  ck_assert_int_eq(map(403, "", err, sizeof err), LPSA_ERR_PERMISSION);
  ck_assert_int_eq(
      map(500, "{\"errors\":[\"Invalid query syntax\"]}", err, sizeof err),
      LPSA_ERR_REMOTE);
  ck_assert_ptr_nonnull(strstr(err, "HTTP 500"));
  ck_assert_ptr_nonnull(strstr(err, "querying Contracts"));
  ck_assert_ptr_nonnull(strstr(err, "Invalid query syntax"));
  /* A wrong integration code is a 500 on Autotask, not a 401: still the
   * credentials, said as such, with what to do. */
  ck_assert_int_eq(map(500, "{\"errors\":[\"IntegrationCode is invalid.\"]}",
                       err, sizeof err),
                   LPSA_ERR_AUTH);
  ck_assert_ptr_nonnull(strstr(err, "integration code rejected by Autotask"));
  ck_assert_ptr_nonnull(strstr(err, "set integration_code"));
  ck_assert_ptr_nonnull(strstr(err, "API Tracking Identifier"));
}
END_TEST

START_TEST(joined_one_line) {
  char text[256];
  const char *body = "{\"errors\":[\"first\\nline\",{\"message\":\"second\"},"
                     "3,\"third\"]}";
  at_error_text(body, strlen(body), text, sizeof text);
  ck_assert_str_eq(text, "first line; second; third");
  const char *plain = "\n  Bad gateway\nmore";
  at_error_text(plain, strlen(plain), text, sizeof text);
  ck_assert_str_eq(text, "Bad gateway");
  at_error_text("{}", 2, text, sizeof text);
  ck_assert_str_eq(text, "");
  char tiny[8];
  at_error_text(body, strlen(body), tiny, sizeof tiny);
  ck_assert_uint_eq(strlen(tiny), 7);
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_error");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, statuses);
  tcase_add_test(tc, joined_one_line);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
