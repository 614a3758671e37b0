/* SPDX-License-Identifier: MIT */
/*
 * test_cwdrv_condbuild.c — the ConnectWise driver's condition builder: values
 * are quoted so that no identifier can end a string early or inject syntax.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_conditions.h"

static char *built_string(const char *value, int *rc) {
  cw_buf b;
  cw_buf_init(&b);
  *rc = cw_cond_string(&b, value);
  return cw_buf_steal(&b);
}

static void expect_string(const char *value, const char *expected) {
  int rc;
  char *s = built_string(value, &rc);
  ck_assert_int_eq(rc, 0);
  ck_assert_str_eq(s, expected);
  free(s);
}

START_TEST(plain_values_double_quoted) {
  expect_string("LASTPASS-BUS", "\"LASTPASS-BUS\"");
  expect_string("", "\"\"");
  expect_string("100% Business", "\"100% Business\"");
}
END_TEST

START_TEST(apostrophes_need_no_escape) {
  expect_string("Bob's Product", "\"Bob's Product\"");
}
END_TEST

START_TEST(double_quotes_switch_to_single_quotes) {
  expect_string("The \"Pro\" plan", "'The \"Pro\" plan'");
}
END_TEST

START_TEST(both_quote_kinds_are_escaped) {
  expect_string("Bob's \"Pro\"", "\"Bob's \\\"Pro\\\"\"");
}
END_TEST

START_TEST(backslashes_are_doubled) {
  expect_string("a\\b", "\"a\\\\b\"");
  expect_string("end\\", "\"end\\\\\"");
  /* In a single-quoted literal too, and the quote stays literal. */
  expect_string("x\"\\", "'x\"\\\\'");
}
END_TEST

START_TEST(unicode_passes_through) {
  expect_string("Caf\xc3\xa9 \xe2\x82\xac", "\"Caf\xc3\xa9 \xe2\x82\xac\"");
}
END_TEST

START_TEST(control_characters_refused) {
  int rc;
  char *s = built_string("a\nb", &rc);
  ck_assert_int_eq(rc, -1);
  ck_assert_str_eq(s, "");
  free(s);
  s = built_string("tab\there", &rc);
  ck_assert_int_eq(rc, -1);
  free(s);
}
END_TEST

START_TEST(string_lists) {
  const char *vals[] = {"A", "B's", "C\"D"};
  cw_buf b;
  cw_buf_init(&b);
  ck_assert_int_eq(cw_cond_in_strings(&b, "identifier", vals, 3), 0);
  ck_assert_str_eq(cw_buf_str(&b), "identifier in (\"A\",\"B's\",'C\"D')");
  cw_buf_free(&b);
}
END_TEST

START_TEST(empty_lists_refused) {
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_puts(&b, "x");
  ck_assert_int_eq(cw_cond_in_strings(&b, "identifier", NULL, 0), -1);
  ck_assert_int_eq(cw_cond_in_ids(&b, "id", NULL, 0), -1);
  ck_assert_str_eq(cw_buf_str(&b), "x");
  const char *bad[] = {"ok", "no\rway"};
  ck_assert_int_eq(cw_cond_in_strings(&b, "identifier", bad, 2), -1);
  ck_assert_str_eq(cw_buf_str(&b), "x");
  cw_buf_free(&b);
}
END_TEST

START_TEST(id_lists) {
  long long ids[] = {250, 7, 123456789012LL};
  cw_buf b;
  cw_buf_init(&b);
  ck_assert_int_eq(cw_cond_in_ids(&b, "company/id", ids, 3), 0);
  ck_assert_str_eq(cw_buf_str(&b), "company/id in (250,7,123456789012)");
  cw_buf_free(&b);
}
END_TEST

START_TEST(day_literals) {
  cw_buf b;
  cw_buf_init(&b);
  ck_assert_int_eq(cw_cond_day(&b, "2026-11-15"), 0);
  ck_assert_str_eq(cw_buf_str(&b), "[2026-11-15T00:00:00Z]");
  ck_assert_int_eq(cw_cond_day(&b, "2026-02-30"), -1);
  ck_assert_int_eq(cw_cond_day(&b, "2026-1-15"), -1);
  ck_assert_int_eq(cw_cond_day(&b, "2026-11-15]"), -1);
  ck_assert_int_eq(cw_cond_day(&b, NULL), -1);
  ck_assert_str_eq(cw_buf_str(&b), "[2026-11-15T00:00:00Z]");
  ck_assert(cw_is_ymd("2024-02-29"));
  ck_assert(!cw_is_ymd("2023-02-29"));
  ck_assert(!cw_is_ymd("2100-02-29"));
  cw_buf_free(&b);
}
END_TEST

START_TEST(chunks_bound_count_and_length) {
  long long ids[500];
  for (int i = 0; i < 500; i++)
    ids[i] = 10000 + i; /* 5 digits each */
  ck_assert_uint_eq(cw_cond_chunk(ids, 500, 200, 100000), 200);
  /* Encoded, as in the URL: 5 digits + "%2C": 20 ids take 5 + 19*8 = 157. */
  ck_assert_uint_eq(cw_cond_chunk(ids, 500, 200, 157), 20);
  ck_assert_uint_eq(cw_cond_chunk(ids, 500, 200, 156), 19);
  ck_assert_uint_eq(cw_cond_chunk(ids, 3, 200, 1000), 3);
  /* Never beyond the room: when not even one id fits, none is taken (the
   * caller refuses instead of sending a URL that is too long). */
  ck_assert_uint_eq(cw_cond_chunk(ids, 500, 200, 5), 1);
  ck_assert_uint_eq(cw_cond_chunk(ids, 500, 200, 4), 0);
  ck_assert_uint_eq(cw_cond_chunk(ids, 0, 200, 1000), 0);
  /* Any items by cost: "LP-BUS" quoted and encoded costs 12 (%22 twice). */
  size_t cost[] = {12, 12, 66, 12};
  ck_assert_uint_eq(cw_cond_take(cost, 4, 50, 12 + 3 + 12), 2);
  ck_assert_uint_eq(cw_cond_take(cost, 4, 50, 12 + 3 + 12 + 3 + 65), 2);
  ck_assert_uint_eq(cw_cond_take(cost, 4, 50, 1000), 4);
  ck_assert_uint_eq(cw_cond_take(cost, 4, 3, 1000), 3);
  ck_assert_uint_eq(cw_cond_take(cost, 4, 50, 11), 0);
}
END_TEST

START_TEST(ids_must_be_canonical) {
  long long v = 0;
  ck_assert_int_eq(cw_parse_id("42", &v), 0);
  ck_assert_int_eq(v, 42);
  ck_assert_int_eq(cw_parse_id("9223372036854775807", &v), 0);
  const char *bad[] = {"",   "0",  "007", "-1",   "+1",
                       " 1", "1 ", "1e3", "ACME", "9223372036854775808",
                       "12a"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    ck_assert_msg(cw_parse_id(bad[i], &v) == -1, "accepted \"%s\"", bad[i]);
  ck_assert_int_eq(cw_parse_id(NULL, &v), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cwdrv_condbuild");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, plain_values_double_quoted);
  tcase_add_test(tc, apostrophes_need_no_escape);
  tcase_add_test(tc, double_quotes_switch_to_single_quotes);
  tcase_add_test(tc, both_quote_kinds_are_escaped);
  tcase_add_test(tc, backslashes_are_doubled);
  tcase_add_test(tc, unicode_passes_through);
  tcase_add_test(tc, control_characters_refused);
  tcase_add_test(tc, string_lists);
  tcase_add_test(tc, empty_lists_refused);
  tcase_add_test(tc, id_lists);
  tcase_add_test(tc, day_literals);
  tcase_add_test(tc, chunks_bound_count_and_length);
  tcase_add_test(tc, ids_must_be_canonical);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
