/* SPDX-License-Identifier: MIT */
/*
 * test_text_escape.c — what reaches a terminal from elsewhere: C0 controls
 * and DEL as \xHH, C1 controls and the bidi overrides, isolates and line
 * separators as \uHHHH, bytes that are not UTF-8 as \xHH; a meant line
 * feed kept on request; UTF-8 letters kept; cutting never splits an escape.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_escape.h"

static void expect(const char *in, unsigned flags, const char *want) {
  char *got = text_escape_dup(in, flags);
  ck_assert_ptr_nonnull(got);
  ck_assert_msg(strcmp(got, want) == 0, "escape(\"%s\") = \"%s\", want \"%s\"",
                in, got, want);
  ck_assert_int_eq(text_needs_escape(in, flags), strcmp(in, want) != 0);
  free(got);
}

START_TEST(controls) {
  expect("\033]0;pwned\007\033[2J", 0, "\\x1b]0;pwned\\x07\\x1b[2J");
  expect("a\nb\r\tc\x7f", 0, "a\\x0ab\\x0d\\x09c\\x7f");
  expect("a\nb\r", TEXT_KEEP_NEWLINE, "a\nb\\x0d");
  expect("\n\nSummary: 0 errors", 0, "\\x0a\\x0aSummary: 0 errors");
}
END_TEST

START_TEST(c1_bidi_separators) {
  expect("x\xc2\x9b"
         "31m",
         0, "x\\u009b31m");                                   /* CSI */
  expect("evil\xe2\x80\xaetxt.exe", 0, "evil\\u202etxt.exe"); /* RLO */
  expect("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0,
         "\\u202a\\u202b\\u202c\\u202d");
  expect("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
         "\\u2066\\u2067\\u2068\\u2069");
  expect("a\xe2\x80\xa8"
         "b\xe2\x80\xa9",
         0, "a\\u2028b\\u2029");
}
END_TEST

START_TEST(utf8_kept_invalid_escaped) {
  expect("M\xc3\xbcller & S\xc3\xb8n \xe2\x82\xac 5 \xf0\x9f\x98\x80", 0,
         "M\xc3\xbcller & S\xc3\xb8n \xe2\x82\xac 5 \xf0\x9f\x98\x80");
  expect("\x9b"
         "2J",
         0, "\\x9b2J");                         /* a lone C1 byte */
  expect("\xc0\xaf", 0, "\\xc0\\xaf");          /* overlong */
  expect("\xed\xa0\x80", 0, "\\xed\\xa0\\x80"); /* surrogate */
  expect("\xe2\x80", 0, "\\xe2\\x80");          /* cut sequence */
  expect("", 0, "");
  char *e = text_escape_dup(NULL, 0);
  ck_assert_str_eq(e, "");
  free(e);
}
END_TEST

START_TEST(cut_between_pieces) {
  char buf[8];
  size_t n = text_escape("ab\033cd", 0, buf, sizeof buf);
  ck_assert_uint_eq(n, 8); /* "ab\x1bcd" */
  ck_assert_str_eq(buf, "ab\\x1bc");
  n = text_escape("abcd\033", 0, buf, 6);
  ck_assert_uint_eq(n, 8);
  ck_assert_str_eq(buf, "abcd"); /* the escape did not fit whole */
  char *mem = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&mem, &len);
  text_escape_put(f, "t\033x", 0);
  fclose(f);
  ck_assert_str_eq(mem, "t\\x1bx");
  free(mem);
}
END_TEST

int main(void) {
  Suite *s = suite_create("text_escape");
  TCase *tc = tcase_create("text_escape");
  tcase_add_test(tc, controls);
  tcase_add_test(tc, c1_bidi_separators);
  tcase_add_test(tc, utf8_kept_invalid_escaped);
  tcase_add_test(tc, cut_between_pieces);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
