/* SPDX-License-Identifier: MIT */
/*
 * test_redact.c — every form of a credential the host sends is hidden:
 * raw (any case), percent-encoded (any hex case), base64 at each byte
 * alignment (inside a longer base64 text too), and a sensitive header's
 * credentials after its scheme; short values and ordinary text are kept.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/* Standard base64 (the reference the forms are checked against). */
static void b64(const char *in, size_t n, char *out) {
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = (const unsigned char *)in;
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)p[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)p[i + 1] << 8;
    if (i + 2 < n)
      v |= p[i + 2];
    out[o++] = tab[(v >> 18) & 63];
    out[o++] = tab[(v >> 12) & 63];
    out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < n ? tab[v & 63] : '=';
  }
  out[o] = '\0';
}

static void expect(const redact_set *r, const char *in, const char *want) {
  char *got = redact_text(r, in);
  ck_assert_ptr_nonnull(got);
  ck_assert_msg(strcmp(got, want) == 0, "redact(\"%s\") = \"%s\", want \"%s\"",
                in, got, want);
  free(got);
}

START_TEST(raw_and_percent_any_case) {
  redact_set *r = redact_new();
  ck_assert_int_eq(redact_add(r, "user@msp.example/x"), 0);
  expect(r, "u=user@msp.example/x;", "u=***;");
  expect(r, "u=USER@MSP.example/X;", "u=***;");
  expect(r, "q=user%40msp.example%2Fx&", "q=***&");
  expect(r, "q=user%40msp.example%2fx&", "q=***&");
  expect(r, "user@msp.example", "user@msp.example"); /* not the value */
  redact_free(r);
}
END_TEST

START_TEST(base64_every_alignment) {
  const char *secret = "cwpriv-S3cr3t-3e4f";
  redact_set *r = redact_new();
  ck_assert_int_eq(redact_add(r, secret), 0);
  /* The secret alone, and after 1..5 other bytes inside a longer text:
   * the base64 of the whole never shows the secret's characters. */
  for (size_t pre = 0; pre < 6; pre++) {
    char plain[128], enc[256], line[300];
    snprintf(plain, sizeof plain, "%.*s%s:tail", (int)pre, "abcdef", secret);
    b64(plain, strlen(plain), enc);
    snprintf(line, sizeof line, "echo: %s end", enc);
    char *got = redact_text(r, line);
    ck_assert_ptr_nonnull(got);
    ck_assert_ptr_nonnull(strstr(got, "***"));
    /* The characters of the encoding that carry only the secret's bits
     * (from bit 8 pre to bit 8 (pre + n)) must all be gone: not even a
     * 4-character piece of them is left. */
    size_t n = strlen(secret), first = (8 * pre + 5) / 6;
    size_t end = 8 * (pre + n) / 6;
    for (size_t i = first; i + 4 <= end; i++) {
      char piece[5];
      memcpy(piece, enc + i, 4);
      piece[4] = '\0';
      ck_assert_msg(strstr(got, piece) == NULL, "%zu: %s left in %s", pre,
                    piece, got);
    }
    free(got);
  }
  /* Case matters in base64: a re-cased encoding is some other text. */
  char enc[64];
  b64(secret, strlen(secret), enc);
  for (char *p = enc; *p; p++)
    if (*p >= 'a' && *p <= 'z')
      *p = (char)(*p - 32);
  expect(r, enc, enc);
  redact_free(r);
}
END_TEST

START_TEST(header_value_and_its_credentials) {
  redact_set *r = redact_new();
  char pair_b64[128], line[160], whole[256];
  b64("lpsademo+pub-key:priv-key", 25, pair_b64);
  snprintf(line, sizeof line, "Basic %s", pair_b64);
  ck_assert_int_eq(redact_add_header_value(r, line), 0);
  snprintf(whole, sizeof whole, "you sent Authorization: %s.", line);
  expect(r, whole, "you sent Authorization: ***.");
  snprintf(whole, sizeof whole, "token %s only", pair_b64);
  expect(r, whole, "token *** only");
  expect(r, "Basic realm=x", "Basic realm=x"); /* the scheme is no secret */
  /* A value without a scheme is registered whole only. */
  ck_assert_int_eq(redact_add_header_value(r, "  atsec-7c8d"), 0);
  expect(r, "Secret: atsec-7c8d", "Secret: ***");
  redact_free(r);
}
END_TEST

START_TEST(short_values_repeats_and_longest_first) {
  redact_set *r = redact_new();
  ck_assert_int_eq(redact_add(r, "abc"), 0);
  ck_assert_uint_eq(redact_count(r), 0);
  ck_assert_int_eq(redact_add(r, "hunter22"), 0);
  size_t n = redact_count(r);
  ck_assert_int_eq(redact_add(r, "hunter22"), 0);
  ck_assert_uint_eq(redact_count(r), n);
  ck_assert_int_eq(redact_add(r, "hunter22-and-more"), 0);
  expect(r, "k=hunter22-and-more; abc", "k=***; abc");
  ck_assert(redact_finds(r, "x hunter22 y"));
  ck_assert(!redact_finds(r, "nothing here"));
  expect(NULL, "kept as is", "kept as is");
  redact_free(r);
  redact_free(NULL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("redact");
  TCase *tc = tcase_create("redact");
  tcase_add_test(tc, raw_and_percent_any_case);
  tcase_add_test(tc, base64_every_alignment);
  tcase_add_test(tc, header_value_and_its_credentials);
  tcase_add_test(tc, short_values_repeats_and_longest_first);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
