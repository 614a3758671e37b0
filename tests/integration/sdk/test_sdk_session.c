/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_session.c — `check` reads the PSA through the same driver session
 * as a sync, so a snapshot whose builder refused a record fails its product
 * item even when the driver then said LPSA_OK, naming the bad record. The
 * driver is flawed_bad_record (jsonpsa ignoring the builder's refusal of a
 * line with an unknown agreement).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_harness.h"

#define BAD_RECORD "the driver emitted a bad record"

static char *session_dir(void) {
  char *dir = test_tmpdir("sdk-session");
  ck_assert_ptr_nonnull(dir);
  ck_assert_int_eq(sdk_copy_example(dir, "psa.json"), 0);
  ck_assert_int_eq(sdk_copy_example(dir, "mapping.csv"), 0);
  char conf[8192];
  /* LastPass at the discard port: its item fails, the driver's are still
   * checked. */
  snprintf(conf, sizeof conf,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\n"
           "[lastpass]\napi_url = http://127.0.0.1:9/business\n"
           "api_key = not-used\n"
           "[driver.flawed_bad_record]\nfile = psa.json\n"
           "sku.lastpass = LASTPASS-BUS\nsku.lastpass_mfa = LASTPASS-MFA\n",
           FLAWED_DIR);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  return dir;
}

static const char *str_member(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

START_TEST(check_fails_the_products_on_a_bad_record) {
  char *dir = session_dir();
  const char *args[] = {"-c", "lpsa.conf", "check", "--json", NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-host", args, 0, &r), 0);
  ck_assert_msg(r.status == 1, "exit %d:\n%s%s", r.status, r.out, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL, "%s", r.out);
  json_object *items = NULL;
  ck_assert(json_object_object_get_ex(doc, "items", &items));
  int seen = 0;
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i);
    if (strcmp(str_member(it, "what"), "configured products") != 0)
      continue;
    seen = 1;
    ck_assert_str_eq(str_member(it, "status"), "fail");
    ck_assert_msg(strstr(str_member(it, "detail"), BAD_RECORD), "%s",
                  str_member(it, "detail"));
    ck_assert_msg(strstr(str_member(it, "detail"), "no-such-agreement"), "%s",
                  str_member(it, "detail"));
  }
  ck_assert_msg(seen, "no failed \"configured products\" item:\n%s", r.out);
  json_object_put(doc);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("sdk_session");
  TCase *tc = tcase_create("session");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, check_fails_the_products_on_a_bad_record);
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
