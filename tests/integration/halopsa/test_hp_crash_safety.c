/* SPDX-License-Identifier: MIT */
/*
 * test_hp_crash_safety.c — lpsa-host with halopsa.so killed with SIGKILL
 * after each N-th answer of the HaloPSA simulator in an apply, N = 1..all,
 * then run again: it converges, each line is changed once, no invoice
 * loses a line, and the journal resolves every open change from what
 * HaloPSA shows (the loop and its checks: rel_crash.h).
 */
#include <check.h>
#include <stdlib.h>

#include "rel_crash.h"

START_TEST(halopsa_killed_anywhere) {
  rel_crash_loop(REL_HALOPSA);
}
END_TEST

int main(void) {
  Suite *s = suite_create("halopsa_crash_safety");
  TCase *tc = tcase_create("sigkill");
  tcase_set_timeout(tc, 400);
  tcase_add_test(tc, halopsa_killed_anywhere);
  suite_add_tcase(s, tc);
  char *tmp = rel_private_tmpdir_begin("halopsa-crash");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
