/* SPDX-License-Identifier: MIT */
/*
 * test_hpdrv_paging.c — reading a list to record_count when the server
 * sends fewer rows per page than asked, and refusing pages that do not
 * add up.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hp_paging.h"

START_TEST(one_page) {
  hp_paging p;
  char err[256];
  ck_assert_int_eq(hp_paging_first(&p, 42, 100, 42, "clients", err, 256), 0);
  ck_assert_int_eq(p.pages, 1);
  ck_assert_int_eq(hp_paging_first(&p, 0, 100, 0, "clients", err, 256), 0);
  ck_assert_int_eq(p.pages, 1);
}
END_TEST

START_TEST(capped_pages_use_the_size_sent) {
  hp_paging p;
  char err[256];
  /* Asked 100, got 30 of 250: nine pages of 30 (the last 10). */
  ck_assert_int_eq(hp_paging_first(&p, 250, 100, 30, "clients", err, 256), 0);
  ck_assert_int_eq(p.size, 30);
  ck_assert_int_eq(p.pages, 9);
  ck_assert_int_eq(hp_paging_expect(&p, 2), 30);
  ck_assert_int_eq(hp_paging_expect(&p, 9), 10);
  ck_assert_int_eq(hp_paging_check(&p, 5, 30, 250, "clients", err, 256), 0);
  ck_assert_int_eq(hp_paging_check(&p, 9, 10, 250, "clients", err, 256), 0);
}
END_TEST

START_TEST(uneven_pages_refused) {
  hp_paging p;
  char err[256];
  ck_assert_int_eq(hp_paging_first(&p, 250, 100, 100, "clients", err, 256), 0);
  ck_assert_int_eq(p.pages, 3);
  ck_assert_int_eq(hp_paging_check(&p, 2, 99, 250, "clients", err, 256), -1);
  ck_assert_ptr_nonnull(strstr(err, "99 clients on page 2 of 3"));
  ck_assert_int_eq(hp_paging_check(&p, 3, 0, 250, "clients", err, 256), -1);
  ck_assert_int_eq(hp_paging_check(&p, 2, 100, 251, "clients", err, 256), -1);
  ck_assert_ptr_nonnull(strstr(err, "moved from 250 to 251"));
}
END_TEST

START_TEST(first_page_refused) {
  hp_paging p;
  char err[256];
  ck_assert_int_eq(hp_paging_first(&p, 250, 100, 101, "items", err, 256), -1);
  ck_assert_int_eq(hp_paging_first(&p, 5, 100, 6, "items", err, 256), -1);
  ck_assert_int_eq(hp_paging_first(&p, 5, 100, 0, "items", err, 256), -1);
  ck_assert_ptr_nonnull(strstr(err, "empty first page"));
  /* Without record_count nothing can be checked yet. */
  ck_assert_int_eq(hp_paging_first(&p, -1, 100, 7, "items", err, 256), 0);
  ck_assert_int_eq(hp_paging_expect(&p, 1), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hpdrv_paging");
  TCase *tc = tcase_create("paging");
  tcase_add_test(tc, one_page);
  tcase_add_test(tc, capped_pages_use_the_size_sent);
  tcase_add_test(tc, uneven_pages_refused);
  tcase_add_test(tc, first_page_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
