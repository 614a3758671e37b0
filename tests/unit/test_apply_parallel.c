/* SPDX-License-Identifier: MIT */
/*
 * test_apply_parallel.c — apply_plan() with several writers, against a
 * driver stand-in that records who is in its set_quantity() at once: no two
 * changes of one company (or agreement) at once, never more than
 * `writers`, the first change alone, one writer without the driver's
 * consent, and a signal or another writer stops the handing out while what
 * is in flight ends and is journaled.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apply.h"
#include "hostrun.h"
#include "journal.h"

#define N_CHANGES 16

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int in_flight, most, calls, clash, first_alone = -1;
static char busy[N_CHANGES][16]; /* companies in set_quantity now */
static volatile sig_atomic_t stop_flag;
static int stop_after;   /* set stop_flag in the n-th call (0: never) */
static int other_writer; /* the first call reads back a third count */

static void pause_ms(long ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

static int fake_set(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                    long long target, lpsa_set_result *out, char *err,
                    size_t errlen) {
  (void)ctx;
  (void)err;
  (void)errlen;
  pthread_mutex_lock(&mu);
  int me = calls++;
  if (me == 0)
    first_alone = in_flight == 0;
  for (int i = 0; i < N_CHANGES; i++)
    clash |= strcmp(busy[i], line->company_id) == 0;
  int slot = 0;
  while (busy[slot][0])
    slot++;
  snprintf(busy[slot], sizeof busy[slot], "%s", line->company_id);
  if (++in_flight > most)
    most = in_flight;
  if (stop_after && me + 1 == stop_after)
    stop_flag = 1;
  pthread_mutex_unlock(&mu);
  pause_ms(me == 0 ? 30 : 15);
  pthread_mutex_lock(&mu);
  busy[slot][0] = '\0';
  in_flight--;
  pthread_mutex_unlock(&mu);
  out->before = target - 1;
  out->after = other_writer && me == 0 ? target + 5 : target;
  out->wrote = 1;
  out->verified = 1;
  return LPSA_OK;
}

static const lpsa_terms terms = {"Fake PSA", "company", "agreement", "line",
                                 "product"};
static lpsa_driver fake = {
    .name = "fake", .version = "1", .terms = &terms, .set_quantity = fake_set};

static char *dir;
static journal *j;
static long long run_id;
static run_result res;

static void setup(void) {
  in_flight = most = calls = clash = 0;
  first_alone = -1;
  stop_flag = 0;
  stop_after = other_writer = 0;
  memset(busy, 0, sizeof busy);
  dir = test_tmpdir("apply-parallel");
  char err[256];
  ck_assert_int_eq(journal_open(dir, 0, &j, err, sizeof err), JOURNAL_OK);
  ck_assert_int_eq(journal_run_begin(j, "fake", "1", "apply",
                                     "2026-11-15T12:00:00Z", &run_id),
                   LPSA_OK);
  memset(&res, 0, sizeof res);
  /* 16 changes of 8 companies: two lines each, on two agreements. */
  for (int i = 0; i < N_CHANGES; i++) {
    outcome *o = run_result_add(&res);
    ck_assert_ptr_nonnull(o);
    char buf[32];
    snprintf(buf, sizeof buf, "%d", 100 + i);
    o->lastpass_id = strdup(buf);
    o->lastpass_name = strdup(buf);
    snprintf(buf, sizeof buf, "c%d", i / 2);
    o->psa_company_id = strdup(buf);
    snprintf(buf, sizeof buf, "a%d", i);
    o->agreement_id = strdup(buf);
    snprintf(buf, sizeof buf, "l%d", i);
    o->line_id = strdup(buf);
    o->product_id = strdup("p");
    o->has_line = o->has_target = 1;
    o->old_quantity = 4;
    o->new_quantity = 5;
    o->status = ST_PLANNED;
  }
}

static void teardown(void) {
  run_result_free(&res);
  journal_close(j);
  test_rmtree(dir);
  free(dir);
}

static apply_ctx ctx_with(unsigned writers) {
  apply_ctx c = {.driver = &fake,
                 .journal = j,
                 .run_id = run_id,
                 .driver_name = "fake",
                 .as_of = "2026-11-15",
                 .log = NULL,
                 .stop = &stop_flag,
                 .cycle_start = "2026-11-01",
                 .writers = writers};
  return c;
}

static int count(outcome_status st) {
  int n = 0;
  for (size_t i = 0; i < res.n; i++)
    n += res.outcomes[i].status == st;
  return n;
}

START_TEST(several_at_once_never_one_company_twice) {
  apply_ctx c = ctx_with(4);
  apply_stats st;
  ck_assert_int_eq(apply_plan(&c, &res, &st), 0);
  ck_assert_int_eq(count(ST_UPDATED), N_CHANGES);
  ck_assert_uint_eq(st.written, N_CHANGES);
  ck_assert_int_eq(calls, N_CHANGES);
  ck_assert_int_eq(clash, 0);
  ck_assert_int_eq(first_alone, 1);
  ck_assert_int_ge(most, 2);
  ck_assert_int_le(most, 4);
  ck_assert(!st.stopped);
}
END_TEST

START_TEST(one_writer_is_one_at_a_time) {
  apply_ctx c = ctx_with(1);
  apply_stats st;
  ck_assert_int_eq(apply_plan(&c, &res, &st), 0);
  ck_assert_int_eq(count(ST_UPDATED), N_CHANGES);
  ck_assert_int_eq(most, 1);
}
END_TEST

START_TEST(a_signal_stops_the_handing_out) {
  apply_ctx c = ctx_with(4);
  stop_after = 6;
  apply_stats st;
  ck_assert_int_eq(apply_plan(&c, &res, &st), 0);
  ck_assert(st.stopped);
  ck_assert_ptr_nonnull(strstr(st.stop_reason, "signal"));
  /* What was in flight ended and was journaled; nothing after the signal
   * started. */
  ck_assert_int_eq(count(ST_UPDATED), calls);
  ck_assert_int_lt(calls, N_CHANGES);
  ck_assert_int_le(calls, 6 + 3);
  ck_assert_uint_eq(st.not_attempted, (size_t)(N_CHANGES - calls));
  ck_assert_int_eq(count(ST_PLANNED), N_CHANGES - calls);
}
END_TEST

START_TEST(another_writer_found_by_the_first_write_alone) {
  apply_ctx c = ctx_with(8);
  other_writer = 1;
  apply_stats st;
  ck_assert_int_eq(apply_plan(&c, &res, &st), 0);
  ck_assert(st.stopped);
  ck_assert_ptr_nonnull(strstr(st.stop_reason, "another writer"));
  ck_assert_int_eq(calls, 1);
  ck_assert_int_eq(count(ST_ERROR), 1);
  ck_assert_uint_eq(st.not_attempted, N_CHANGES - 1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("apply_parallel");
  TCase *tc = tcase_create("apply");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, several_at_once_never_one_company_twice);
  tcase_add_test(tc, one_writer_is_one_at_a_time);
  tcase_add_test(tc, a_signal_stops_the_handing_out);
  tcase_add_test(tc, another_writer_found_by_the_first_write_alone);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_ENV);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
