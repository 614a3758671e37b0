/* SPDX-License-Identifier: MIT */
/*
 * test_metrics.c — the Prometheus text of a run, written out by hand from
 * hand-made typed results; label escaping; the atomic write.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostrun.h"
#include "metrics.h"

/* A run of nine companies: 3 updated, 2 unchanged, 1 skipped, 1 held on a
 * large decrease, 2 in error for want of an agreement; two run-wide
 * findings; requests to the PSA, LastPass, and one label to escape. */
static void make_run(run_result *res) {
  static const outcome_status statuses[] = {
      ST_UPDATED, ST_UPDATED, ST_UPDATED, ST_UNCHANGED, ST_UNCHANGED,
      ST_SKIPPED, ST_HELD,    ST_ERROR,   ST_ERROR};
  memset(res, 0, sizeof *res);
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
    outcome *o = run_result_add(res);
    ck_assert_ptr_nonnull(o);
    o->status = statuses[i];
    if (o->status == ST_ERROR)
      ck_assert_int_eq(
          findings_add(&o->findings, "NO_AGREEMENT", SEV_ERROR, "m"), 0);
    if (o->status == ST_HELD)
      ck_assert_int_eq(
          findings_add(&o->findings, "LARGE_DECREASE", SEV_WARNING, "m"), 0);
  }
  ck_assert_int_eq(
      findings_add(&res->findings, "ORPHAN_BILLING", SEV_WARNING, "m"), 0);
  ck_assert_int_eq(
      findings_add(&res->findings, "LARGE_DECREASE", SEV_INFO, "m"), 0);
}

static const report_count counts[] = {
    {"GET api.example.com/v4_6_release/apis/3.0/company/companies", 4},
    {"lastpass billing-reports", 2},
    {"lastpass managed-companies", 1},
    {"weird \"x\\y\"\nz", 1}};

static const char *const expected =
    "# HELP lpsa_last_run_timestamp_seconds Unix time at which the last run "
    "finished.\n"
    "# TYPE lpsa_last_run_timestamp_seconds gauge\n"
    "lpsa_last_run_timestamp_seconds 1795000000\n"
    "# HELP lpsa_last_run_duration_seconds How long the last run took.\n"
    "# TYPE lpsa_last_run_duration_seconds gauge\n"
    "lpsa_last_run_duration_seconds 12.250\n"
    "# HELP lpsa_last_run_exit_code Exit code of the last run: 0 in step, 1 "
    "some companies need a person, 2 configuration error, 3 aborted or "
    "stopped.\n"
    "# TYPE lpsa_last_run_exit_code gauge\n"
    "lpsa_last_run_exit_code 1\n"
    "# HELP lpsa_last_run_success 1 when the last run exited 0, else 0.\n"
    "# TYPE lpsa_last_run_success gauge\n"
    "lpsa_last_run_success 0\n"
    "# HELP lpsa_last_run_id The journal's number of the last run.\n"
    "# TYPE lpsa_last_run_id gauge\n"
    "lpsa_last_run_id 12\n"
    "# HELP lpsa_last_run_info The last run's driver, driver version and mode "
    "(always 1).\n"
    "# TYPE lpsa_last_run_info gauge\n"
    "lpsa_last_run_info{driver=\"cw-east\",driver_version=\"1.2.0\","
    "mode=\"apply\"} 1\n"
    "# HELP lpsa_companies LastPass managed companies by outcome in the last "
    "run.\n"
    "# TYPE lpsa_companies gauge\n"
    "lpsa_companies{status=\"updated\"} 3\n"
    "lpsa_companies{status=\"unchanged\"} 2\n"
    "lpsa_companies{status=\"planned\"} 0\n"
    "lpsa_companies{status=\"skipped\"} 1\n"
    "lpsa_companies{status=\"held\"} 1\n"
    "lpsa_companies{status=\"error\"} 2\n"
    "# HELP lpsa_last_run_api_requests HTTP requests the last run sent, by "
    "service and endpoint.\n"
    "# TYPE lpsa_last_run_api_requests gauge\n"
    "lpsa_last_run_api_requests{service=\"cw-east\",endpoint=\"GET "
    "api.example.com/v4_6_release/apis/3.0/company/companies\"} 4\n"
    "lpsa_last_run_api_requests{service=\"lastpass\",endpoint=\"billing-"
    "reports\"} 2\n"
    "lpsa_last_run_api_requests{service=\"lastpass\",endpoint=\"managed-"
    "companies\"} 1\n"
    "lpsa_last_run_api_requests{service=\"weird\",endpoint=\"\\\"x\\\\y\\\""
    "\\nz\"} 1\n"
    "# HELP lpsa_rule_findings Rule findings of the last run, by rule code "
    "and severity.\n"
    "# TYPE lpsa_rule_findings gauge\n"
    "lpsa_rule_findings{code=\"LARGE_DECREASE\",severity=\"info\"} 1\n"
    "lpsa_rule_findings{code=\"LARGE_DECREASE\",severity=\"warning\"} 1\n"
    "lpsa_rule_findings{code=\"NO_AGREEMENT\",severity=\"error\"} 2\n"
    "lpsa_rule_findings{code=\"ORPHAN_BILLING\",severity=\"warning\"} 1\n";

START_TEST(render_full_report) {
  run_result res;
  make_run(&res);
  metrics_run m = {.finished = 1795000000,
                   .duration_s = 12.25,
                   .exit_code = 1,
                   .run_id = 12,
                   .driver = "cw-east",
                   .driver_version = "1.2.0",
                   .res = &res,
                   .counts = counts,
                   .n_counts = sizeof counts / sizeof counts[0]};
  char *text = metrics_render(&m);
  ck_assert_ptr_nonnull(text);
  ck_assert_str_eq(text, expected);
  free(text);
  run_result_free(&res);
}
END_TEST

/* A run with no results (it could not start) still says when and how. */
START_TEST(render_without_results) {
  metrics_run m = {.finished = 1795000000,
                   .duration_s = 0.5,
                   .exit_code = 2,
                   .driver = "autotask"};
  char *text = metrics_render(&m);
  ck_assert_ptr_nonnull(text);
  ck_assert_ptr_nonnull(strstr(text, "\nlpsa_last_run_exit_code 2\n"));
  ck_assert_ptr_nonnull(strstr(text, "\nlpsa_last_run_success 0\n"));
  ck_assert_ptr_nonnull(strstr(text, "\nlpsa_companies{status=\"error\"} 0\n"));
  ck_assert_ptr_null(strstr(text, "lpsa_last_run_id "));
  ck_assert_ptr_null(strstr(text, "lpsa_rule_findings{"));
  free(text);
}
END_TEST

START_TEST(success_is_exit_zero) {
  metrics_run m = {.finished = 1, .run_id = 1, .driver = "x"};
  char *text = metrics_render(&m);
  ck_assert_ptr_nonnull(strstr(text, "\nlpsa_last_run_success 1\n"));
  free(text);
}
END_TEST

START_TEST(escape_label) {
  char buf[64];
  ck_assert_uint_eq(metrics_escape_label("a\"b\\c\nd", buf, sizeof buf), 10);
  ck_assert_str_eq(buf, "a\\\"b\\\\c\\nd");
  ck_assert_uint_eq(metrics_escape_label("plain", buf, sizeof buf), 5);
  ck_assert_str_eq(buf, "plain");
  /* Too small: truncated, terminated, full length returned. */
  char small[4];
  ck_assert_uint_eq(metrics_escape_label("abcdef", small, sizeof small), 6);
  ck_assert_str_eq(small, "abc");
}
END_TEST

START_TEST(write_atomically) {
  char *dir = test_tmpdir("metrics");
  ck_assert_ptr_nonnull(dir);
  char path[1024];
  snprintf(path, sizeof path, "%s/lpsa.prom", dir);
  char err[512];
  ck_assert_int_eq(metrics_write_file(path, "one 1\n", err, sizeof err), 0);
  ck_assert_int_eq(metrics_write_file(path, "two 2\n", err, sizeof err), 0);
  char *got = test_read_file(NULL, path);
  ck_assert_str_eq(got, "two 2\n");
  free(got);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0644);
  /* Nothing but the file is left in the directory. */
  DIR *d = opendir(dir);
  struct dirent *e;
  int entries = 0;
  while ((e = readdir(d)))
    entries += e->d_name[0] != '.';
  closedir(d);
  ck_assert_int_eq(entries, 1);
  /* A directory that does not exist: an error naming the file. */
  snprintf(path, sizeof path, "%s/missing/lpsa.prom", dir);
  ck_assert_int_eq(metrics_write_file(path, "x 1\n", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "metrics_file"));
  ck_assert_ptr_nonnull(strstr(err, "missing/lpsa.prom"));
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("metrics");
  TCase *tc = tcase_create("metrics");
  tcase_add_test(tc, render_full_report);
  tcase_add_test(tc, render_without_results);
  tcase_add_test(tc, success_is_exit_zero);
  tcase_add_test(tc, escape_label);
  tcase_add_test(tc, write_atomically);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
