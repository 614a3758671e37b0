/* SPDX-License-Identifier: MIT */
/*
 * test_checklist.c — `check` items: counts, exit code, text and JSON.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"

START_TEST(text_and_exit_code) {
  checklist cl = {0};
  checklist_add(&cl, CHECK_OK, "configuration x.conf", "read without errors");
  checklist_add(&cl, CHECK_WARN, "mapping file", "row %d unknown", 7);
  ck_assert_int_eq(checklist_exit_code(&cl), 0);
  checklist_add_lines(&cl, CHECK_FAIL, "driver", "first\nsecond");
  ck_assert_int_eq(checklist_exit_code(&cl), 1);
  ck_assert_uint_eq(checklist_count(&cl, CHECK_FAIL), 2);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  checklist_print(f, &cl);
  fclose(f);
  ck_assert_str_eq(buf, "[ok]   configuration x.conf: read without errors\n"
                        "[warn] mapping file: row 7 unknown\n"
                        "[FAIL] driver: first\n"
                        "[FAIL] driver: second\n"
                        "\n2 of 4 checks failed, 1 warning.\n");
  free(buf);
  checklist_free(&cl);
}
END_TEST

START_TEST(all_passed_and_json) {
  checklist cl = {0};
  checklist_add(&cl, CHECK_OK, "schedule", NULL);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  checklist_print(f, &cl);
  fclose(f);
  ck_assert_str_eq(buf, "[ok]   schedule\n\nAll 1 checks passed.\n");
  free(buf);
  json_object *o = checklist_json(&cl), *v, *items;
  ck_assert(json_object_object_get_ex(o, "ok", &v));
  ck_assert(json_object_get_boolean(v));
  ck_assert(json_object_object_get_ex(o, "items", &items));
  json_object *first = json_object_array_get_idx(items, 0);
  ck_assert(json_object_object_get_ex(first, "status", &v));
  ck_assert_str_eq(json_object_get_string(v), "ok");
  ck_assert(json_object_object_get_ex(first, "detail", &v));
  ck_assert_ptr_null(v);
  json_object_put(o);
  checklist_free(&cl);
}
END_TEST

int main(void) {
  Suite *s = suite_create("checklist");
  TCase *tc = tcase_create("checklist");
  tcase_add_test(tc, text_and_exit_code);
  tcase_add_test(tc, all_passed_and_json);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
