/* SPDX-License-Identifier: MIT */
/*
 * test_metrics.c — the Prometheus text of a run, written out by hand from a
 * hand-made report; label escaping; the atomic write.
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

static const char *const report_text =
    "{\"schema\":\"lpsa.report/1\",\"run_id\":12,\"driver\":\"cw-east\","
    "\"driver_version\":\"1.2.0\",\"mode\":\"apply\",\"exit_code\":1,"
    "\"summary\":{\"companies\":9,\"updated\":3,\"unchanged\":2,"
    "\"planned\":0,\"skipped\":1,\"held\":1,\"errors\":2},"
    "\"requests\":{\"total\":8,\"by_endpoint\":{"
    "\"GET api.example.com/v4_6_release/apis/3.0/company/companies\":4,"
    "\"lastpass billing-reports\":2,"
    "\"lastpass managed-companies\":1,"
    "\"weird \\\"x\\\\y\\\"\\nz\":1}},"
    "\"companies\":["
    "{\"status\":\"updated\",\"rules\":[]},"
    "{\"status\":\"error\",\"rules\":[{\"code\":\"NO_AGREEMENT\","
    "\"severity\":\"error\",\"message\":\"m\"}]},"
    "{\"status\":\"error\",\"rules\":[{\"code\":\"NO_AGREEMENT\","
    "\"severity\":\"error\",\"message\":\"m\"}]},"
    "{\"status\":\"held\",\"rules\":[{\"code\":\"LARGE_DECREASE\","
    "\"severity\":\"warning\",\"message\":\"m\"}]}],"
    "\"findings\":[{\"code\":\"ORPHAN_BILLING\",\"severity\":\"warning\","
    "\"message\":\"m\"},{\"code\":\"LARGE_DECREASE\",\"severity\":\"info\","
    "\"message\":\"m\"}]}";

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
  json_object *report = json_tokener_parse(report_text);
  ck_assert_ptr_nonnull(report);
  metrics_run m = {1795000000, 12.25, 1, 12, "cw-east", report};
  char *text = metrics_render(&m);
  ck_assert_ptr_nonnull(text);
  ck_assert_str_eq(text, expected);
  free(text);
  json_object_put(report);
}
END_TEST

/* A run with no report (it could not start) still says when and how. */
START_TEST(render_without_report) {
  metrics_run m = {1795000000, 0.5, 2, 0, "autotask", NULL};
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
  metrics_run m = {1, 0, 0, 1, "x", NULL};
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
  tcase_add_test(tc, render_without_report);
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
