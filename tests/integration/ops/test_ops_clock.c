/* SPDX-License-Identifier: MIT */
/*
 * test_ops_clock.c — one clock for every timestamp of a run: with LPSA_NOW
 * fixing the host's clock, the report's started and finished, the journal's
 * run and the metrics file's timestamp all read that time, never the
 * machine's.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops_harness.h"

/* ops_child_env's LPSA_NOW, and the same instant as Unix time. */
#define NOW_TEXT "2026-11-25T12:00:00Z"
#define NOW_EPOCH "1795608000"

static ops_env e;

static void setup(void) {
  ops_setup(&e, "clock", "lastpass.json", "psa.json");
  ops_write_config(&e, "metrics_file = metrics.prom", NULL, NULL);
}

static void teardown(void) {
  ops_teardown(&e);
}

START_TEST(started_finished_and_metrics_share_the_host_clock) {
  const char *args[] = {"--report", "report.json", NULL};
  hostrun h;
  ops_run(&e, &h, args);
  ck_assert_msg(h.status == 0 || h.status == 1, "exit %d: %s", h.status, h.err);
  hostrun_free(&h);

  char *text = ops_read(&e, "report.json");
  ck_assert_ptr_nonnull(text);
  json_object *report = json_tokener_parse(text);
  ck_assert_msg(report != NULL, "%s", text);
  ck_assert_str_eq(json_object_get_string(ops_get(report, "started")),
                   NOW_TEXT);
  ck_assert_str_eq(json_object_get_string(ops_get(report, "finished")),
                   NOW_TEXT);
  json_object_put(report);
  free(text);

  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_nonnull(metrics);
  ck_assert_msg(
      strstr(metrics, "\nlpsa_last_run_timestamp_seconds " NOW_EPOCH "\n"),
      "%s", metrics);
  free(metrics);

  /* The journal's record of the run: history reads it back. */
  const char *hargs[] = {"history", "--run", "1", "--json", NULL};
  ops_run(&e, &h, hargs);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  ck_assert_msg(strstr(h.out, "\"finished\":\"" NOW_TEXT "\"") ||
                    strstr(h.out, "\"finished\": \"" NOW_TEXT "\""),
                "%s", h.out);
  hostrun_free(&h);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("ops_clock");
  TCase *tc = tcase_create("clock");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, started_finished_and_metrics_share_the_host_clock);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
