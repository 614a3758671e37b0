/* SPDX-License-Identifier: MIT */
/*
 * test_mapping_diff.c — two readings of a mapping file compared row by row:
 * added, removed and changed LastPass companies, in numbers and words;
 * notes, comments, order and line numbers do not count.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mapping_diff.h"

static mapping parse(const char *text) {
  mapping m;
  char err[1024];
  ck_assert_msg(mapping_parse_buffer(text, strlen(text), "m.csv", &m, err,
                                     sizeof err) == 0,
                "%s", err);
  return m;
}

static void diff(const char *before, const char *after, mapping_diff *d,
                 char *text, size_t cap) {
  mapping a = parse(before), b = parse(after);
  ck_assert_int_eq(mapping_diff_of(&a, &b, d, text, cap), 0);
  mapping_free(&a);
  mapping_free(&b);
}

#define HEAD "lastpass_company_id,psa_company_id,agreement_id,note\n"

START_TEST(same_rows_are_no_change) {
  mapping_diff d;
  char text[256];
  diff(HEAD "1,a,,x\n2,b,9,y\n", HEAD "# reordered\n2,b,9,other note\n1,a,,\n",
       &d, text, sizeof text);
  ck_assert(!mapping_diff_any(&d));
  ck_assert_str_eq(text, "2 rows now");
}
END_TEST

START_TEST(added_removed_changed) {
  mapping_diff d;
  char text[256];
  diff(HEAD "1,a\n2,b\n3,c\n4,d,40\n", HEAD "1,a\n3,z\n4,d,41\n5,e\n6,f\n", &d,
       text, sizeof text);
  ck_assert_uint_eq(d.added, 2);
  ck_assert_uint_eq(d.removed, 1);
  ck_assert_uint_eq(d.changed, 2); /* another company; another agreement */
  ck_assert_str_eq(text, "2 rows added (LastPass 5, 6), 1 removed (LastPass "
                         "2), 2 changed (LastPass 3, 4); 5 rows now");
}
END_TEST

START_TEST(many_ids_are_cut) {
  mapping_diff d;
  char text[256];
  diff(HEAD "1,a\n", HEAD "1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n", &d, text,
       sizeof text);
  ck_assert_uint_eq(d.added, 6);
  ck_assert_str_eq(text,
                   "6 rows added (LastPass 2, 3, 4, 5, 6, ...); 7 rows now");
}
END_TEST

START_TEST(empty_sides) {
  mapping_diff d;
  char text[256];
  diff(HEAD, HEAD "1,a\n", &d, text, sizeof text);
  ck_assert_str_eq(text, "1 row added (LastPass 1); 1 row now");
  diff(HEAD "1,a\n", HEAD, &d, text, sizeof text);
  ck_assert_str_eq(text, "1 removed (LastPass 1); 0 rows now");
}
END_TEST

int main(void) {
  Suite *s = suite_create("mapping_diff");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, same_rows_are_no_change);
  tcase_add_test(tc, added_removed_changed);
  tcase_add_test(tc, many_ids_are_cut);
  tcase_add_test(tc, empty_sides);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
