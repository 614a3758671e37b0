/* SPDX-License-Identifier: MIT */
/*
 * test_crash_safety.c — lpsa-host killed with SIGKILL at every point of an
 * apply, then run again, for Autotask (whose writes are deltas: the
 * critical case) and ConnectWise. The loop and what it checks:
 * rel_crash.h.
 */
#include <check.h>
#include <stdlib.h>

#include "rel_crash.h"

START_TEST(autotask_killed_anywhere) {
  rel_crash_loop(REL_AUTOTASK);
}
END_TEST

START_TEST(connectwise_killed_anywhere) {
  rel_crash_loop(REL_CONNECTWISE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("crash_safety");
  TCase *tc = tcase_create("sigkill");
  tcase_set_timeout(tc, 280);
  tcase_add_test(tc, autotask_killed_anywhere);
  tcase_add_test(tc, connectwise_killed_anywhere);
  suite_add_tcase(s, tc);
  char *tmp = rel_private_tmpdir_begin("crash");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
