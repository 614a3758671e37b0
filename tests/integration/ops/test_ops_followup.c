/* SPDX-License-Identifier: MIT */
/*
 * test_ops_followup.c — what lpsa-host does after a run, end to end: the
 * summary e-mail to a loopback SMTP receiver, the JSON report POSTed to a
 * loopback webhook, the metrics file; notify_on; failures that are logged
 * and leave the exit code alone; dry runs that do neither; secrets that
 * never reach the log.
 */
#include <check.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ops_harness.h"
#include "smtp_sink.h"
#include "test_server.h"

static ops_env e;
static smtp_sink *sink;
static test_server *hook;

static const char *const secret_env[] = {
    "LPSA_TEST_KEY=lpkey_demo", "LPSA_NOW=2026-11-25T12:00:00Z",
    "LPSA_SMTP_PASSWORD=pa55-w0rd-xyz", NULL};

static void setup(void) {
  ops_setup(&e, "followup", "lastpass.json", "psa.json");
  sink = smtp_sink_start();
  ck_assert_ptr_nonnull(sink);
  hook = ts_start();
  ck_assert_ptr_nonnull(hook);
}

static void teardown(void) {
  ts_stop(hook);
  smtp_sink_stop(sink);
  ops_teardown(&e);
}

/* [host] keys for both channels and the metrics file; with `broken`, Delta
 * is mapped to a PSA company that does not exist (PSA_COMPANY_NOT_FOUND). */
static void configure(const char *notify_on, int broken) {
  char host[2048];
  snprintf(host, sizeof host,
           "metrics_file = metrics.prom\n"
           "notify_on = %s\n"
           "notify_email = ops@msp.example, billing@msp.example\n"
           "smtp_url = %s\n"
           "smtp_from = lpsa@msp.example\n"
           "smtp_username = relay\n"
           "smtp_password = env:LPSA_SMTP_PASSWORD\n"
           "notify_webhook = %s/hooks/T0KEN-42",
           notify_on, smtp_sink_url(sink), ts_url(hook));
  ops_write_config(&e, host, NULL, NULL);
  /* The webhook URL is a literal secret: the file must be private. */
  char path[1024];
  snprintf(path, sizeof path, "%s/lpsa.conf", e.dir);
  ck_assert_int_eq(chmod(path, 0600), 0);
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   broken
                                       ? "lastpass_company_id,psa_company_id\n"
                                         "301,c1\n302,c2\n303,c3\n304,c404\n"
                                       : "lastpass_company_id,psa_company_id\n"
                                         "301,c1\n302,c2\n303,c3\n304,c4\n"),
                   0);
}

static hostrun run(const char *a1, const char *a2) {
  const char *args[] = {"-c", "lpsa.conf", a1, a2, NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, secret_env, &h), 0);
  return h;
}

/* A run with a problem (a company mapped to a PSA company that does not
 * exist): exit 1, an e-mail, a webhook POST, metrics. */
START_TEST(problems_notify_and_write_metrics) {
  configure("problems", 1);
  ts_response ok = {.status = 200, .body = "{}"};
  ck_assert_int_eq(ts_push(hook, "POST", "/hooks/", &ok), 0);
  hostrun h = run("-vv", NULL);
  ck_assert_msg(h.status == 1, "exit %d: %s", h.status, h.err);
  /* Secrets never logged, even at debug level. */
  ck_assert_ptr_null(strstr(h.err, "pa55-w0rd-xyz"));
  ck_assert_ptr_null(strstr(h.err, "T0KEN-42"));
  hostrun_free(&h);

  ck_assert_int_eq(smtp_sink_wait(sink, 1, OPS_WAIT_MS), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_str_eq(m.from, "lpsa@msp.example");
  ck_assert_uint_eq(m.n_rcpt, 2);
  ck_assert_str_eq(m.rcpt[1], "billing@msp.example");
  ck_assert_str_eq(m.auth_user, "relay");
  ck_assert_str_eq(m.auth_pass, "pa55-w0rd-xyz");
  ck_assert_ptr_nonnull(strstr(
      m.data, "\r\nSubject: lpsa: 1 company needs attention (jsonpsa)\r\n"));
  ck_assert_ptr_nonnull(strstr(m.data, "\r\nMessage-ID: <lpsa.1."));
  ck_assert_ptr_nonnull(strstr(m.data, "lpsa-host history --run 1"));
  ck_assert_ptr_nonnull(strstr(m.data, "PSA_COMPANY_NOT_FOUND"));
  ck_assert_ptr_nonnull(strstr(m.data, "\r\nSummary: 4 companies"));
  smtp_message_free(&m);

  ck_assert_uint_eq(ts_request_count(hook), 1);
  const ts_request *q = ts_request_at(hook, 0);
  ck_assert_str_eq(q->target, "/hooks/T0KEN-42");
  json_object *report = json_tokener_parse(q->body);
  ck_assert_ptr_nonnull(report);
  ck_assert_str_eq(json_object_get_string(ops_get(report, "schema")),
                   "lpsa.report/1");
  ck_assert_int_eq(json_object_get_int(ops_get(report, "exit_code")), 1);
  json_object_put(report);

  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_nonnull(metrics);
  static const char *const lines[] = {
      "\nlpsa_last_run_exit_code 1\n",
      "\nlpsa_last_run_success 0\n",
      "\nlpsa_last_run_id 1\n",
      "\nlpsa_companies{status=\"updated\"} 2\n",
      "\nlpsa_companies{status=\"unchanged\"} 1\n",
      "\nlpsa_companies{status=\"error\"} 1\n",
      "\nlpsa_last_run_api_requests{service=\"lastpass\",endpoint=\"managed-"
      "companies\"} 1\n",
      "\nlpsa_rule_findings{code=\"PSA_COMPANY_NOT_FOUND\",severity="
      "\"error\"} 1\n",
      "\nlpsa_last_run_info{driver=\"jsonpsa\",driver_version=\"1.0.0\","
      "mode=\"apply\"} 1\n",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
    ck_assert_msg(strstr(metrics, lines[i]), "no %s in:\n%s", lines[i],
                  metrics);
  free(metrics);
}
END_TEST

START_TEST(in_step_run_is_quiet_unless_always) {
  configure("problems", 0);
  hostrun h = run(NULL, NULL);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  hostrun_free(&h);
  ck_assert_uint_eq(smtp_sink_connections(sink), 0);
  ck_assert_uint_eq(ts_request_count(hook), 0);
  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_nonnull(strstr(metrics, "\nlpsa_last_run_success 1\n"));
  free(metrics);

  configure("always", 0);
  ts_response ok = {.status = 204};
  ck_assert_int_eq(ts_push(hook, "POST", "/hooks/", &ok), 0);
  h = run(NULL, NULL);
  ck_assert_int_eq(h.status, 0);
  hostrun_free(&h);
  ck_assert_int_eq(smtp_sink_wait(sink, 1, OPS_WAIT_MS), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_ptr_nonnull(
      strstr(m.data, "\r\nSubject: lpsa: billing in step (jsonpsa)\r\n"));
  smtp_message_free(&m);
  ck_assert_uint_eq(ts_request_count(hook), 1);

  configure("never", 1);
  h = run(NULL, NULL);
  ck_assert_int_eq(h.status, 1);
  hostrun_free(&h);
  ck_assert_uint_eq(smtp_sink_count(sink), 1);
  ck_assert_uint_eq(ts_request_count(hook), 1);
}
END_TEST

/* Both channels fail: logged, and the exit code is the run's. */
START_TEST(failures_leave_the_exit_code) {
  configure("always", 0);
  smtp_sink_refuse_data(sink, 554);
  ts_response bad = {.status = 503, .body = "down"};
  ck_assert_int_eq(ts_set_default(hook, &bad), 0);
  hostrun h = run(NULL, NULL);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  ck_assert_ptr_nonnull(strstr(h.err, "could not e-mail the run report"));
  ck_assert_ptr_nonnull(
      strstr(h.err, "could not POST the run report to notify_webhook"));
  ck_assert_ptr_null(strstr(h.err, "pa55-w0rd-xyz"));
  ck_assert_msg(!strstr(h.err, "T0KEN-42"), "%s", h.err);
  hostrun_free(&h);
  ck_assert_int_eq(ops_psa_quantity(&e, "l1"), 14); /* the run did its job */
}
END_TEST

START_TEST(dry_run_does_neither) {
  configure("always", 0);
  hostrun h = run("--dry-run", NULL);
  ck_assert_int_eq(h.status, 0);
  hostrun_free(&h);
  ck_assert_uint_eq(smtp_sink_connections(sink), 0);
  ck_assert_uint_eq(ts_request_count(hook), 0);
  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_null(metrics);
}
END_TEST

/* The daemon notifies after each scheduled run, like a one-off run. */
START_TEST(daemon_runs_notify) {
  configure("always", 0);
  char *conf = ops_read(&e, "lpsa.conf");
  char text[8192];
  snprintf(text, sizeof text, "%s", conf);
  free(conf);
  char *host = strstr(text, "[host]\n");
  ck_assert_ptr_nonnull(host);
  char with[8300];
  snprintf(with, sizeof with, "%.*s[host]\nschedule = every 5m\n%s",
           (int)(host - text), text, host + strlen("[host]\n"));
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", with), 0);
  const char *args[] = {"-c", "lpsa.conf", "--daemon", "--run-now", "-v", NULL};
  pid_t pid = hostrun_spawn(e.dir, args, secret_env);
  ck_assert_int_gt(pid, 0);
  ck_assert_int_eq(smtp_sink_wait(sink, 1, OPS_WAIT_MS), 0);
  ck_assert(ops_wait_for_text(&e, "host.err", "run 1 finished", OPS_WAIT_MS));
  ck_assert_int_eq(ops_stop(pid), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_ptr_nonnull(strstr(
      m.data, "\r\nSubject: lpsa: billing updated for 2 companies (jsonpsa)"));
  smtp_message_free(&m);
  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_nonnull(metrics);
  ck_assert_ptr_nonnull(strstr(metrics, "\nlpsa_last_run_exit_code 0\n"));
  free(metrics);
}
END_TEST

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Suite *s = suite_create("ops_followup");
  TCase *tc = tcase_create("followup");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, problems_notify_and_write_metrics);
  tcase_add_test(tc, in_step_run_is_quiet_unless_always);
  tcase_add_test(tc, failures_leave_the_exit_code);
  tcase_add_test(tc, dry_run_does_neither);
  tcase_add_test(tc, daemon_runs_notify);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
