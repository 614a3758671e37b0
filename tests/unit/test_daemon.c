/* SPDX-License-Identifier: MIT */
/*
 * test_daemon.c — the daemon's mechanisms in one process: next-run times
 * that never pile up, waking on a flag or at the time, the daemon lock and
 * the run-lock probe.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "hostrun.h"
#include "lock.h"

static schedule every(long long seconds) {
  schedule s = {.kind = SCHEDULE_EVERY, .interval = seconds};
  return s;
}

START_TEST(next_run_from_last_start) {
  schedule s = every(3600);
  /* Started at 1000, finished at 1500: next at 4600. */
  ck_assert_int_eq(daemon_next_run(&s, 1000, 1500), 4600);
  /* A run longer than its interval: from now, not in the past. */
  ck_assert_int_eq(daemon_next_run(&s, 1000, 9000), 12600);
  /* Before the first run both are now. */
  ck_assert_int_eq(daemon_next_run(&s, 5000, 5000), 8600);
}
END_TEST

START_TEST(wall_clock_kinds) {
  setenv("TZ", "UTC", 1);
  tzset();
  schedule s;
  char err[256];
  ck_assert_int_eq(schedule_parse("daily 02:00", &s, err, sizeof err), 0);
  /* 2026-11-25 02:00:30 UTC, a run that started at 02:00:00 */
  time_t start = 1795572000, now = start + 30;
  ck_assert_int_eq(daemon_next_run(&s, start, now), start + 86400);
}
END_TEST

START_TEST(wait_returns_at_the_time) {
  volatile sig_atomic_t stop = 0, reload = 0, run = 0;
  daemon_signals sig = {&stop, &reload, &run, NULL};
  time_t before = time(NULL);
  ck_assert_int_eq(daemon_wait(before - 10, &sig), 0); /* already past */
  ck_assert_int_eq(daemon_wait(before + 1, &sig), 0);
  ck_assert_int_ge(time(NULL), before + 1);
}
END_TEST

START_TEST(wait_returns_on_a_flag) {
  volatile sig_atomic_t stop = 0, reload = 1, run = 0;
  daemon_signals sig = {&stop, &reload, &run, NULL};
  time_t before = time(NULL);
  ck_assert_int_eq(daemon_wait(before + 3600, &sig), 1);
  ck_assert_int_le(time(NULL), before + 1);
  /* A flag not watched does not wake it. */
  daemon_signals stop_only = {&stop, NULL, NULL, NULL};
  ck_assert_int_eq(daemon_wait(time(NULL) + 1, &stop_only), 0);
  /* The web console's flag wakes it too. */
  volatile sig_atomic_t web = 1;
  daemon_signals web_only = {&stop, NULL, NULL, &web};
  before = time(NULL);
  ck_assert_int_eq(daemon_wait(before + 3600, &web_only), 1);
  ck_assert_int_le(time(NULL), before + 1);
}
END_TEST

static volatile sig_atomic_t alarm_flag;
static void on_alarm(int sig) {
  (void)sig;
  alarm_flag = 1;
}

/* A signal arriving during the sleep wakes it at once. */
START_TEST(wait_wakes_on_a_signal) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  daemon_signals sig = {&alarm_flag, NULL, NULL, NULL};
  /* SIGALRM is not in the daemon's set, so it is not blocked between the
   * test and the sleep; the handler's flag still ends the wait. */
  alarm(1);
  time_t before = time(NULL);
  ck_assert_int_eq(daemon_wait(before + 30, &sig), 1);
  ck_assert_int_le(time(NULL), before + 5);
}
END_TEST

START_TEST(daemon_lock_is_exclusive) {
  char *dir = test_tmpdir("dlock");
  char state[1024], err[512];
  snprintf(state, sizeof state, "%s/state", dir);
  int held = -1;
  int fd = daemon_lock(state, &held, err, sizeof err);
  ck_assert_msg(fd >= 0, "%s", err);
  ck_assert_int_eq(held, 0);
  ck_assert_int_eq(daemon_lock(state, &held, err, sizeof err), -1);
  ck_assert_int_eq(held, 1);
  char pid[32];
  snprintf(pid, sizeof pid, "(pid %ld)", (long)getpid());
  ck_assert_ptr_nonnull(strstr(err, pid));
  ck_assert_ptr_nonnull(strstr(err, "another lpsa-host daemon"));
  /* The run lock is another file: a one-off run may take it. */
  ck_assert_int_eq(daemon_run_lock_busy(state), 0);
  int run = lock_acquire(state, err, sizeof err);
  ck_assert_int_ge(run, 0);
  ck_assert_int_eq(daemon_run_lock_busy(state), 1);
  lock_release(run);
  ck_assert_int_eq(daemon_run_lock_busy(state), 0);
  daemon_unlock(fd);
  fd = daemon_lock(state, &held, err, sizeof err);
  ck_assert_int_ge(fd, 0);
  /* A state_dir that cannot be made is not "held". */
  ck_assert_int_eq(daemon_lock("/proc/lpsa-no/state", &held, err, sizeof err),
                   -1);
  ck_assert_int_eq(held, 0);
  ck_assert_ptr_nonnull(strstr(err, "cannot create state_dir"));
  daemon_unlock(fd);
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("daemon");
  TCase *tc = tcase_create("daemon");
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, next_run_from_last_start);
  tcase_add_test(tc, wall_clock_kinds);
  tcase_add_test(tc, wait_returns_at_the_time);
  tcase_add_test(tc, wait_returns_on_a_flag);
  tcase_add_test(tc, wait_wakes_on_a_signal);
  tcase_add_test(tc, daemon_lock_is_exclusive);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
