/* SPDX-License-Identifier: MIT */
/*
 * test_notify.c — when a notification goes out, what the e-mail says, its
 * delivery through libcurl's SMTP to a loopback receiver (smtp_sink), the
 * webhook POST to the scriptable server, and failures that are logged and
 * nothing more. Secrets never reach the log.
 */
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lpsa/status.h"
#include "notify.h"
#include "smtp.h"
#include "smtp_sink.h"
#include "test_server.h"

/* -- policy and subject ---------------------------------------------------- */

START_TEST(wanted_table) {
  static const struct {
    config_notify_on on;
    int exit_code, want;
  } cases[] = {
      {CONFIG_NOTIFY_ALWAYS, 0, 1},   {CONFIG_NOTIFY_ALWAYS, 1, 1},
      {CONFIG_NOTIFY_PROBLEMS, 0, 0}, {CONFIG_NOTIFY_PROBLEMS, 1, 1},
      {CONFIG_NOTIFY_PROBLEMS, 2, 1}, {CONFIG_NOTIFY_PROBLEMS, 3, 1},
      {CONFIG_NOTIFY_NEVER, 0, 0},    {CONFIG_NOTIFY_NEVER, 3, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    ck_assert_msg(notify_wanted(cases[i].on, cases[i].exit_code) ==
                      cases[i].want,
                  "case %zu", i);
}
END_TEST

static notify_run run_with(int exit_code, size_t updated, size_t errors,
                           size_t held) {
  notify_run r = {
      .driver = "connectwise", .run_id = 42, .exit_code = exit_code};
  r.summary.companies = 10;
  r.summary.updated = updated;
  r.summary.errors = errors;
  r.summary.held = held;
  return r;
}

START_TEST(subject_table) {
  static const struct {
    int exit_code;
    size_t updated, errors, held;
    int dry;
    const char *want;
  } cases[] = {
      {0, 3, 0, 0, 0, "lpsa: billing updated for 3 companies (connectwise)"},
      {0, 1, 0, 0, 0, "lpsa: billing updated for 1 company (connectwise)"},
      {0, 0, 0, 0, 0, "lpsa: billing in step (connectwise)"},
      {1, 2, 3, 1, 0, "lpsa: 4 companies need attention (connectwise)"},
      {1, 0, 1, 0, 0, "lpsa: 1 company needs attention (connectwise)"},
      {1, 0, 0, 0, 0, "lpsa: the configuration needs attention (connectwise)"},
      {2, 0, 0, 0, 0, "lpsa: run could not start (connectwise)"},
      {3, 0, 0, 0, 0, "lpsa: run aborted (connectwise)"},
      {0, 0, 0, 0, 1, "lpsa: dry run: billing in step (connectwise)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    notify_run r = run_with(cases[i].exit_code, cases[i].updated,
                            cases[i].errors, cases[i].held);
    r.dry_run = cases[i].dry;
    char buf[256];
    notify_subject(&r, buf, sizeof buf);
    ck_assert_str_eq(buf, cases[i].want);
  }
}
END_TEST

/* Companies whose problems a person acknowledged do not need attention. */
START_TEST(subject_leaves_out_acknowledged) {
  notify_run r = run_with(1, 0, 2, 1);
  r.summary.acknowledged = 2;
  char buf[256];
  notify_subject(&r, buf, sizeof buf);
  ck_assert_str_eq(buf, "lpsa: 1 company needs attention (connectwise)");
}
END_TEST

/* -- the message ----------------------------------------------------------- */

/* The value of header `name` in the header block of msg, or NULL. */
static char *header_value(const char *msg, const char *name) {
  static char buf[1024];
  size_t n = strlen(name);
  const char *end = strstr(msg, "\r\n\r\n");
  for (const char *line = msg; line && line < end;) {
    if (strncmp(line, name, n) == 0 && line[n] == ':' && line[n + 1] == ' ') {
      size_t len = strcspn(line + n + 2, "\r");
      snprintf(buf, sizeof buf, "%.*s", (int)len, line + n + 2);
      return buf;
    }
    line = strstr(line, "\r\n");
    line = line ? line + 2 : NULL;
  }
  return NULL;
}

START_TEST(message_headers_and_body) {
  notify_run r = run_with(1, 0, 2, 0);
  r.text = "lpsa apply with connectwise\n\nErrors:\n  NO_AGREEMENT\n"
           ".leading dot\nSummary: 10 companies\n";
  r.error = "";
  char *to[] = {"ops@msp.example", "billing@msp.example"};
  /* 2026-11-25T12:00:00Z */
  char *msg = notify_email_message(&r, "lpsa@msp.example", to, 2,
                                   (time_t)1795608000, 7);
  ck_assert_ptr_nonnull(msg);
  ck_assert_str_eq(header_value(msg, "From"), "lpsa@msp.example");
  ck_assert_str_eq(header_value(msg, "Subject"),
                   "lpsa: 2 companies need attention (connectwise)");
  ck_assert_ptr_nonnull(
      strstr(msg, "To: ops@msp.example,\r\n billing@msp.example\r\n"));
  ck_assert_str_eq(header_value(msg, "Message-ID"),
                   "<lpsa.42.1795608000.7@msp.example>");
  ck_assert_str_eq(header_value(msg, "Content-Type"),
                   "text/plain; charset=utf-8");
  ck_assert_ptr_nonnull(header_value(msg, "Date"));
  ck_assert_ptr_nonnull(strstr(header_value(msg, "Date"), "Nov 2026"));
  ck_assert_ptr_nonnull(header_value(msg, "MIME-Version"));
  /* Headers end with an empty line; the body has CRLF everywhere. */
  const char *body = strstr(msg, "\r\n\r\n");
  ck_assert_ptr_nonnull(body);
  body += 4;
  ck_assert_ptr_nonnull(strstr(body, "exit code 1"));
  ck_assert_ptr_nonnull(strstr(body, "lpsa-host history --run 42"));
  ck_assert_ptr_nonnull(strstr(body, "Errors:\r\n  NO_AGREEMENT\r\n"));
  for (const char *p = msg; *p; p++)
    if (*p == '\n')
      ck_assert_msg(p > msg && p[-1] == '\r', "bare LF at %ld",
                    (long)(p - msg));
  free(msg);
}
END_TEST

START_TEST(long_lines_are_broken) {
  notify_run r = run_with(0, 0, 0, 0);
  char *text = malloc(3000);
  memset(text, 'Q', 2500);
  text[2500] = '\0';
  r.text = text;
  char *to[] = {"a@b.example"};
  char *msg = notify_email_message(&r, "c@d.example", to, 1, 0, 1);
  ck_assert_ptr_nonnull(msg);
  size_t run = 0, longest = 0, xs = 0;
  for (const char *p = msg; *p; p++) {
    run = *p == '\r' || *p == '\n' ? 0 : run + 1;
    longest = run > longest ? run : longest;
    xs += *p == 'Q';
  }
  ck_assert_uint_le(longest, 998);
  ck_assert_uint_eq(xs, 2500); /* nothing lost */
  free(msg);
  free(text);
}
END_TEST

/* -- SMTP delivery -----------------------------------------------------------
 */

static smtp_sink *sink;

static void sink_setup(void) {
  sink = smtp_sink_start();
  ck_assert_ptr_nonnull(sink);
}

static void sink_teardown(void) {
  smtp_sink_stop(sink);
}

static const char *const test_message =
    "From: lpsa@msp.example\r\nTo: ops@msp.example\r\nSubject: t\r\n\r\n"
    "line one\r\n.starts with a dot\r\n.\r\nlast\r\n";

START_TEST(smtp_delivers) {
  smtp_options o = {
      smtp_sink_url(sink), "lpsa@msp.example", NULL, NULL, NULL, 10000};
  const char *to[] = {"ops@msp.example", "billing@msp.example"};
  char err[512] = "";
  ck_assert_msg(smtp_send(&o, to, 2, test_message, strlen(test_message), err,
                          sizeof err) == LPSA_OK,
                "%s", err);
  ck_assert_int_eq(smtp_sink_wait(sink, 1, 5000), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_str_eq(m.from, "lpsa@msp.example");
  ck_assert_uint_eq(m.n_rcpt, 2);
  ck_assert_str_eq(m.rcpt[0], "ops@msp.example");
  ck_assert_str_eq(m.rcpt[1], "billing@msp.example");
  /* Dot-stuffing done by curl, undone by the sink: the same bytes. */
  ck_assert_str_eq(m.data, test_message);
  ck_assert_ptr_null(m.auth_user);
  smtp_message_free(&m);
}
END_TEST

START_TEST(smtp_authenticates) {
  smtp_options o = {smtp_sink_url(sink),
                    "lpsa@msp.example",
                    "relay-user",
                    "s3cret-pass",
                    NULL,
                    10000};
  const char *to[] = {"ops@msp.example"};
  char err[512] = "";
  ck_assert_msg(smtp_send(&o, to, 1, test_message, strlen(test_message), err,
                          sizeof err) == LPSA_OK,
                "%s", err);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_str_eq(m.auth_user, "relay-user");
  ck_assert_str_eq(m.auth_pass, "s3cret-pass");
  smtp_message_free(&m);
}
END_TEST

START_TEST(smtp_refused) {
  smtp_sink_refuse_data(sink, 554);
  smtp_options o = {smtp_sink_url(sink),
                    "lpsa@msp.example",
                    "relay-user",
                    "s3cret-pass",
                    NULL,
                    10000};
  const char *to[] = {"ops@msp.example"};
  char err[512] = "";
  ck_assert_int_eq(
      smtp_send(&o, to, 1, test_message, strlen(test_message), err, sizeof err),
      LPSA_ERR_NETWORK);
  ck_assert_ptr_nonnull(strstr(err, "554"));
  ck_assert_ptr_null(strstr(err, "s3cret-pass"));
  ck_assert_uint_eq(smtp_sink_count(sink), 0);
}
END_TEST

START_TEST(smtp_nobody_listening) {
  /* A bound socket that does not listen: connecting is refused, and the
   * port stays ours for the whole test. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, alen), 0);
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
  char url[64];
  snprintf(url, sizeof url, "smtp://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
  smtp_options o = {url, "lpsa@msp.example", NULL, NULL, NULL, 5000};
  const char *to[] = {"ops@msp.example"};
  char err[512] = "";
  ck_assert_int_eq(
      smtp_send(&o, to, 1, test_message, strlen(test_message), err, sizeof err),
      LPSA_ERR_NETWORK);
  ck_assert_ptr_nonnull(strstr(err, "127.0.0.1"));
  close(fd);
}
END_TEST

/* -- notify_send: both channels, failures only logged ------------------------
 */

static test_server *srv;
static char *log_text;
static size_t log_len;
static FILE *log_file;
static lpsa_log *logger;
static http_client *http;
static lpsa_config cfg;
static char *addresses[] = {"ops@msp.example"};
static char webhook[256];

static void send_setup(void) {
  sink_setup();
  srv = ts_start();
  ck_assert_ptr_nonnull(srv);
  log_file = open_memstream(&log_text, &log_len);
  logger = log_new(log_file, LPSA_LOG_DEBUG);
  http_options o;
  http_options_default(&o);
  o.max_retries = 1; /* one retry: its warning names the request */
  o.backoff_base_ms = 5;
  o.backoff_max_ms = 20;
  http = http_client_new(&o, logger);
  snprintf(webhook, sizeof webhook, "%s/hooks/T0KEN-abcdef", ts_url(srv));
  memset(&cfg, 0, sizeof cfg);
  cfg.notify_on = CONFIG_NOTIFY_PROBLEMS;
  cfg.notify_email = addresses;
  cfg.n_notify_email = 1;
  cfg.smtp_url = (char *)smtp_sink_url(sink);
  cfg.smtp_from = "lpsa@msp.example";
  cfg.smtp_username = "relay-user";
  cfg.smtp_password = "s3cret-pass";
  cfg.notify_webhook = webhook;
  cfg.http_timeout = 10;
  log_add_secret(logger, cfg.smtp_password);
  log_add_secret(logger, webhook);
}

static void send_teardown(void) {
  http_client_free(http);
  log_free(logger);
  fclose(log_file);
  free(log_text);
  ts_stop(srv);
  sink_teardown();
}

static const char *logged(void) {
  fflush(log_file);
  return log_text ? log_text : "";
}

START_TEST(send_both) {
  ts_response ok = {.status = 204};
  ck_assert_int_eq(ts_push(srv, "POST", "/hooks/", &ok), 0);
  notify_run r = run_with(1, 1, 2, 0);
  r.text = "the table\n";
  r.report = json_tokener_parse("{\"schema\":\"lpsa.report/1\",\"run_id\":42}");
  ck_assert_int_eq(notify_send(&cfg, &r, http, logger), 0);
  json_object_put(r.report);
  ck_assert_int_eq(smtp_sink_wait(sink, 1, 5000), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(sink, 0, &m), 0);
  ck_assert_ptr_nonnull(strstr(
      m.data, "Subject: lpsa: 2 companies need attention (connectwise)\r\n"));
  ck_assert_ptr_nonnull(strstr(m.data, "the table\r\n"));
  smtp_message_free(&m);
  ck_assert_uint_eq(ts_request_count(srv), 1);
  const ts_request *q = ts_request_at(srv, 0);
  ck_assert_str_eq(q->method, "POST");
  ck_assert_str_eq(q->target, "/hooks/T0KEN-abcdef");
  ck_assert_str_eq(ts_request_header(q, "Content-Type"), "application/json");
  json_object *body = json_tokener_parse(q->body);
  ck_assert_ptr_nonnull(body);
  json_object *v;
  ck_assert(json_object_object_get_ex(body, "run_id", &v));
  ck_assert_int_eq(json_object_get_int(v), 42);
  json_object_put(body);
  ck_assert_ptr_null(strstr(logged(), "s3cret-pass"));
  ck_assert_ptr_null(strstr(logged(), "T0KEN-abcdef"));
}
END_TEST

START_TEST(nothing_when_in_step) {
  notify_run r = run_with(0, 2, 0, 0);
  ck_assert_int_eq(notify_send(&cfg, &r, http, logger), 0);
  ck_assert_uint_eq(ts_request_count(srv), 0);
  ck_assert_uint_eq(smtp_sink_connections(sink), 0);
  cfg.notify_on = CONFIG_NOTIFY_ALWAYS;
  ck_assert_int_eq(notify_send(&cfg, &r, http, logger), 1); /* 404 hook */
  ck_assert_int_eq(smtp_sink_wait(sink, 1, 5000), 0);
  ck_assert_uint_eq(ts_request_count(srv), 1);
}
END_TEST

START_TEST(failures_are_logged_only) {
  ts_response bad = {.status = 503, .body = "down"};
  ck_assert_int_eq(ts_set_default(srv, &bad), 0);
  smtp_sink_refuse_data(sink, 554);
  notify_run r = run_with(3, 0, 0, 0);
  r.error = "LastPass rejected the API key";
  ck_assert_int_eq(notify_send(&cfg, &r, http, logger), 2);
  const char *log = logged();
  ck_assert_ptr_nonnull(strstr(log, "could not e-mail the run report"));
  ck_assert_ptr_nonnull(strstr(log, "554"));
  ck_assert_ptr_nonnull(strstr(log, "notify_webhook: it answered HTTP 503"));
  ck_assert_ptr_nonnull(strstr(log, "retrying")); /* the transport spoke */
  ck_assert_ptr_null(strstr(log, "s3cret-pass"));
  ck_assert_ptr_null(strstr(log, "T0KEN-abcdef"));
}
END_TEST

int main(void) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  Suite *s = suite_create("notify");
  TCase *tc = tcase_create("message");
  tcase_add_test(tc, wanted_table);
  tcase_add_test(tc, subject_table);
  tcase_add_test(tc, subject_leaves_out_acknowledged);
  tcase_add_test(tc, message_headers_and_body);
  tcase_add_test(tc, long_lines_are_broken);
  suite_add_tcase(s, tc);
  tc = tcase_create("smtp");
  tcase_add_checked_fixture(tc, sink_setup, sink_teardown);
  tcase_add_test(tc, smtp_delivers);
  tcase_add_test(tc, smtp_authenticates);
  tcase_add_test(tc, smtp_refused);
  tcase_add_test(tc, smtp_nobody_listening);
  suite_add_tcase(s, tc);
  tc = tcase_create("send");
  tcase_add_checked_fixture(tc, send_setup, send_teardown);
  tcase_add_test(tc, send_both);
  tcase_add_test(tc, nothing_when_in_step);
  tcase_add_test(tc, failures_are_logged_only);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  curl_global_cleanup();
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
