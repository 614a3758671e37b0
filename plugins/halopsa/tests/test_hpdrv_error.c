/* SPDX-License-Identifier: MIT */
/*
 * test_hpdrv_error.c — HaloPSA's error answers become the right status and
 * one line a person can act on.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hp_error.h"
#include "lpsa/status.h"

static int map(long status, const char *body, char *err, size_t n) {
  return hp_error_from_answer(status, body, body ? strlen(body) : 0,
                              "reading clients", "read:customers", err, n);
}

START_TEST(bodies) {
  char out[256];
  static const struct {
    const char *body, *want;
  } cases[] = {
      {"{\"resultCode\":1,\"errorMessage\":\"Bad page\"}", "Bad page"},
      {"{\"ClassName\":\"X\",\"Message\":\"Not allowed\"}", "Not allowed"},
      {"{\"Message\":\"Gone\"}", "Gone"},
      {"{\"error\":\"invalid_client\",\"error_description\":\"Wrong\"}",
       "Wrong"},
      {"{\"error\":\"invalid_scope\"}", "invalid_scope"},
      {"Rate Limit Reached - 300 Requests per rolling 5 minute window\r\n",
       "Rate Limit Reached - 300 Requests per rolling 5 minute window"},
      {"", ""},
      {"{\"other\":1}", ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    hp_error_text(cases[i].body, strlen(cases[i].body), out, sizeof out);
    ck_assert_str_eq(out, cases[i].want);
  }
}
END_TEST

START_TEST(statuses) {
  char err[512];
  ck_assert_int_eq(map(401, "", err, sizeof err), LPSA_ERR_AUTH);
  ck_assert_ptr_nonnull(strstr(err, "check client_id and client_secret"));
  ck_assert_int_eq(map(403, "{\"Message\":\"no\"}", err, sizeof err),
                   LPSA_ERR_PERMISSION);
  ck_assert_ptr_nonnull(strstr(err, "read:customers"));
  ck_assert_int_eq(map(404, NULL, err, sizeof err), LPSA_ERR_NOT_FOUND);
  ck_assert_int_eq(map(429, "Rate Limit Reached", err, sizeof err),
                   LPSA_ERR_RATE_LIMITED);
  ck_assert_ptr_nonnull(strstr(err, "requests_per_5min"));
  ck_assert_int_eq(map(400, "{\"Message\":\"bad\"}", err, sizeof err),
                   LPSA_ERR_REMOTE);
  ck_assert_ptr_nonnull(strstr(err, "HTTP 400: bad"));
  ck_assert_int_eq(map(503, "<html>down</html>", err, sizeof err),
                   LPSA_ERR_REMOTE);
  ck_assert_ptr_nonnull(strstr(err, "try again later"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("hpdrv_error");
  TCase *tc = tcase_create("error");
  tcase_add_test(tc, bodies);
  tcase_add_test(tc, statuses);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
