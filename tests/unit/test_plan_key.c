/* SPDX-License-Identifier: MIT */
/*
 * test_plan_key.c — the plan key in state_dir: made 0600 on first use and
 * the same afterwards, never made when only read, refused when others can
 * read it or it is not 32 bytes; tags verify under their key only.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostrun.h"
#include "plan_key.h"

static char *dir;

static void setup(void) {
  dir = test_tmpdir("plankey");
  ck_assert_ptr_nonnull(dir);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

static char *key_path(void) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/" PLAN_KEY_FILE, dir);
  return path;
}

START_TEST(made_once_private_and_kept) {
  plan_key a, b;
  char err[512];
  ck_assert_int_eq(plan_key_load(dir, 0, &a, err, sizeof err), 1);
  struct stat st;
  ck_assert_int_ne(stat(key_path(), &st), 0); /* reading makes nothing */
  ck_assert_msg(plan_key_load(dir, 1, &a, err, sizeof err) == 0, "%s", err);
  ck_assert_int_eq(stat(key_path(), &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_eq(st.st_size, PLAN_KEY_BYTES);
  ck_assert_int_eq(plan_key_load(dir, 0, &b, err, sizeof err), 0);
  ck_assert_int_eq(memcmp(a.bytes, b.bytes, PLAN_KEY_BYTES), 0);
  ck_assert_int_eq(plan_key_load(dir, 1, &b, err, sizeof err), 0);
  ck_assert_int_eq(memcmp(a.bytes, b.bytes, PLAN_KEY_BYTES), 0);
  static const unsigned char zero[PLAN_KEY_BYTES];
  ck_assert_int_ne(memcmp(a.bytes, zero, PLAN_KEY_BYTES), 0);
}
END_TEST

START_TEST(refused_when_readable_or_wrong_size) {
  plan_key k;
  char err[512];
  ck_assert_int_eq(plan_key_load(dir, 1, &k, err, sizeof err), 0);
  ck_assert_int_eq(chmod(key_path(), 0644), 0);
  ck_assert_int_eq(plan_key_load(dir, 0, &k, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "can be read by others"));
  ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
  ck_assert_int_eq(test_write_file(dir, PLAN_KEY_FILE, "short"), 0);
  ck_assert_int_eq(chmod(key_path(), 0600), 0);
  ck_assert_int_eq(plan_key_load(dir, 1, &k, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "is not a file of 32 bytes"));
}
END_TEST

START_TEST(tags_verify_under_their_key_only) {
  plan_key a = {{1}}, b = {{2}};
  char tag[PLAN_TAG_HEX_LEN];
  const char text[] = "{\"schema\":\"lpsa.plan/1\"}";
  ck_assert_int_eq(plan_key_tag(&a, text, strlen(text), tag), 0);
  ck_assert_uint_eq(strlen(tag), 64);
  ck_assert(plan_key_verify(&a, text, strlen(text), tag));
  ck_assert(!plan_key_verify(&b, text, strlen(text), tag));
  ck_assert(!plan_key_verify(&a, text, strlen(text) - 1, tag));
  ck_assert(!plan_key_verify(&a, text, strlen(text), "abc"));
  ck_assert(!plan_key_verify(&a, text, strlen(text), NULL));
  tag[0] = tag[0] == '0' ? '1' : '0';
  ck_assert(!plan_key_verify(&a, text, strlen(text), tag));
}
END_TEST

int main(void) {
  Suite *s = suite_create("plan_key");
  TCase *tc = tcase_create("plan_key");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, made_once_private_and_kept);
  tcase_add_test(tc, refused_when_readable_or_wrong_size);
  tcase_add_test(tc, tags_verify_under_their_key_only);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
