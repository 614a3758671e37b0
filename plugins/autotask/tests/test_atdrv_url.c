/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_url.c — zone URLs with and without trailing slash or /v1.0, and
 * the checks before credentials are sent anywhere.
 */
#include <check.h>
#include <stdlib.h>

#include "at_url.h"

START_TEST(base) {
  static const char *const in[] = {
      "https://webservices5.autotask.net/atservicesrest/",
      "https://webservices5.autotask.net/atservicesrest",
      "https://webservices5.autotask.net/atservicesrest//",
      "https://webservices5.autotask.net/atservicesrest/V1.0/",
      "https://webservices5.autotask.net/atservicesrest/v1.0"};
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
    char *b = at_url_base(in[i]);
    ck_assert_str_eq(b, "https://webservices5.autotask.net/atservicesrest");
    free(b);
  }
  char *b = at_url_base("http://127.0.0.1:4567/");
  ck_assert_str_eq(b, "http://127.0.0.1:4567");
  free(b);
}
END_TEST

START_TEST(safety_and_origin) {
  ck_assert(at_url_is_safe("https://ws.autotask.net/x"));
  ck_assert(at_url_is_safe("http://127.0.0.1:8080/x"));
  ck_assert(at_url_is_safe("http://localhost:8080"));
  ck_assert(at_url_is_safe("http://[::1]:99/"));
  ck_assert(!at_url_is_safe("http://ws.autotask.net/x"));
  ck_assert(!at_url_is_safe("http://127.0.0.1.evil.example/x"));
  ck_assert(!at_url_is_safe("http://localhost.evil.example/"));
  ck_assert(!at_url_is_safe("http://user@127.0.0.1/"));
  ck_assert(!at_url_is_safe("ftp://127.0.0.1/"));
  ck_assert(!at_url_is_safe("/relative"));
  ck_assert(at_url_same_origin("https://A.example/x/y?z",
                               "HTTPS://a.example/ATServicesRest/V1.0/next"));
  ck_assert(!at_url_same_origin("https://a.example/x", "https://b.example/x"));
  ck_assert(
      !at_url_same_origin("http://127.0.0.1:1/x", "http://127.0.0.1:2/x"));
  ck_assert(!at_url_same_origin("nothing", "nothing"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_url");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, base);
  tcase_add_test(tc, safety_and_origin);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
