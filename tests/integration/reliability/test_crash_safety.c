/* SPDX-License-Identifier: MIT */
/*
 * test_crash_safety.c — lpsa-host killed with SIGKILL at every point of an
 * apply, then run again, for Autotask (whose writes are deltas: the
 * critical case) and ConnectWise. The loop and what it checks:
 * rel_crash.h.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rel_crash.h"

#define ADJUST_PATH "/atservicesrest/v1.0/ContractServiceAdjustments"

START_TEST(autotask_killed_anywhere) {
  rel_crash_loop(REL_AUTOTASK);
}
END_TEST

START_TEST(connectwise_killed_anywhere) {
  rel_crash_loop(REL_CONNECTWISE);
}
END_TEST

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* Requests the simulator is still working on, summed over its endpoints
 * whose key (lower case) holds `part`. */
static long long inflight(rel_world *w, const char *part) {
  json_object *s = simproc_stats(&w->psa);
  ck_assert_ptr_nonnull(s);
  long long n = 0;
  json_object_object_foreach(rel_get(s, "endpoints"), key, e) {
    if (strstr(key, part))
      n += rel_int(e, "inflight");
  }
  json_object_put(s);
  return n;
}

/* An Autotask adjustment still at the server when lpsa-host is killed
 * (the server takes 2 s to answer it), and the sync run again at once:
 * the re-run sees the old count, but does not decide "not applied" while
 * that POST could still land (http_timeout, 3 s here, and a margin since
 * it was sent). It reads again once it must have ended, finds it applied,
 * and posts nothing: one adjustment, of the planned delta, per contract
 * service. */
START_TEST(autotask_write_still_in_flight) {
  rel_world_opts o = {.psa = REL_AUTOTASK,
                      .companies = 20,
                      .seed = 4,
                      .change_pct = 30,
                      .http_timeout = 3};
  rel_world w;
  rel_world_start(&w, &o);
  rel_run plan, again;
  rel_host(&w, &plan, "--dry-run", NULL);
  ck_assert_int_gt(rel_count_status(plan.report, "planned"), 1);
  ck_assert_int_eq(
      simproc_set_faults(&w.psa,
                         "[{\"name\":\"f\",\"method\":\"POST\","
                         "\"path_prefix\":\"" ADJUST_PATH "\",\"times\":1,"
                         "\"delay_ms\":2000,\"action\":\"delay\"}]"),
      0);
  pid_t pid = rel_spawn_apply(&w);
  int seen = 0;
  for (int i = 0; i < 5000 && !seen; i++) {
    seen = inflight(&w, "contractserviceadjustments") > 0;
    if (!seen)
      sleep_ms(2);
  }
  ck_assert_msg(seen, "the adjustment never reached the simulator");
  ck_assert_int_eq(kill(pid, SIGKILL), 0);
  ck_assert_int_eq(hostrun_wait(pid), 128 + SIGKILL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);

  rel_host(&w, &again, NULL);
  rel_wait_idle(&w, REL_PSA);
  ck_assert_msg(again.status == 0, "exit %d; stderr: %s", again.status,
                again.err);
  rel_assert_applied_once(&w, plan.report);
  ck_assert_int_gt(rel_assert_psa_matches(&w, plan.report), 0);
  ck_assert_ptr_nonnull(strstr(again.err, "may still be in flight"));
  ck_assert_int_eq(
      rel_count_rule(rel_get(again.report, "findings"), "INTERRUPTED_CHANGE"),
      1);
  rel_run_free(&again);
  rel_run_free(&plan);
  rel_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("crash_safety");
  TCase *tc = tcase_create("sigkill");
  tcase_set_timeout(tc, 280);
  tcase_add_test(tc, autotask_killed_anywhere);
  tcase_add_test(tc, connectwise_killed_anywhere);
  suite_add_tcase(s, tc);
  TCase *fl = tcase_create("in_flight");
  tcase_set_timeout(fl, 60);
  tcase_add_test(fl, autotask_write_still_in_flight);
  suite_add_tcase(s, fl);
  char *tmp = rel_private_tmpdir_begin("crash");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
