/* SPDX-License-Identifier: MIT */
/*
 * test_hostile_text.c — names and error texts from LastPass and the PSA
 * cannot drive a terminal or fake a line in anything lpsa-host shows a
 * person: the report table (stdout), log lines (stderr and syslog), the
 * e-mail, `history`, `check` and `map suggest` (stdout and --output).
 *
 * LastPass hands out two company names: one carrying terminal controls
 * (ESC ] 0 ; ... BEL retitles the terminal, ESC [ 2 J clears it, a C1 CSI,
 * DEL) and a right-to-left override (U+202E), one carrying "\n\nSummary:
 * 99 companies: ... 0 errors", a fake last line. The PSA's error answer and
 * LastPass's error answer carry the same. Every text output must hold
 * none of those characters, show them escaped (\x1b, \u202e), and have no
 * line beginning with the fake summary. JSON output escapes them itself.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"
#include "smtp_sink.h"

/* The right-to-left override first: the table cuts long names. */
#define CONTROL_NAME                                                           \
  "\xe2\x80\xae"                                                               \
  "Acme \033]0;pwned\007\033[2J \xc2\x9b"                                      \
  "31m\x7f Ltd"
#define FAKE_SUMMARY                                                           \
  "Summary: 99 companies: 99 updated, 0 planned, 0 already in step, 0 "        \
  "skipped, 0 held, 0 errors; 0 API requests."
#define FAKE_NAME "Blue Sky\n\n" FAKE_SUMMARY
/* The same as JSON string text, for the simulators' error answers. */
#define JSON_HOSTILE                                                           \
  "boom \\u001b]0;pwned\\u0007\\u001b[2J \\u009b31m \\u202e "                  \
  "\\n\\n" FAKE_SUMMARY

#define API "/v4_6_release/apis/3.0/"

/* Nothing that drives a terminal, reorders text or fakes a line. */
static void assert_safe(const char *where, const char *text) {
  ck_assert_msg(text != NULL, "%s: no output", where);
  static const struct {
    const char *bytes, *name;
  } bad[] = {{"\033", "ESC"},
             {"\007", "BEL"},
             {"\x7f", "DEL"},
             {"\xc2\x9b", "C1 CSI"},
             {"\xe2\x80\xae", "U+202E"},
             {"\r", "CR"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *hit = strstr(text, bad[i].bytes);
    ck_assert_msg(hit == NULL, "%s holds a raw %s: ...%.80s", where,
                  bad[i].name, hit ? (hit > text + 40 ? hit - 40 : text) : "");
  }
  for (const char *line = text; line && *line;) {
    ck_assert_msg(strncmp(line, "Summary: 99", 11) != 0,
                  "%s shows the fake summary as a line of its own:\n%s", where,
                  text);
    line = strchr(line, '\n');
    line = line ? line + 1 : NULL;
  }
}

/* ... and shows the hostile text escaped, where it is shown. */
static void assert_escaped(const char *where, const char *text) {
  assert_safe(where, text);
  ck_assert_msg(strstr(text, "\\x1b") != NULL, "%s shows no \\x1b:\n%s", where,
                text);
  ck_assert_msg(strstr(text, "\\u202e") != NULL, "%s shows no \\u202e:\n%s",
                where, text);
}

typedef struct hostile {
  rel_world w;
  smtp_sink *smtp;
  char capture[1100], preload[1100], asan[1100];
  const char *syslog_env[4];
} hostile;

static void start(hostile *h) {
  rel_world_opts o = {
      .psa = REL_CONNECTWISE, .companies = 3, .seed = 5, .change_pct = 100};
  rel_world_start(&h->w, &o);
  h->smtp = smtp_sink_start();
  ck_assert_ptr_nonnull(h->smtp);
  char keys[1024];
  snprintf(keys, sizeof keys,
           "notify_on = always\nnotify_email = billing@msp.example\n"
           "smtp_url = %s\nsmtp_from = lpsa@msp.example\n",
           smtp_sink_url(h->smtp));
  rel_write_config(&h->w, keys);
  rel_lp_set_name(&h->w, "100000", CONTROL_NAME);
  rel_lp_set_name(&h->w, "100001", FAKE_NAME);
  snprintf(h->capture, sizeof h->capture, "LPSA_SYSLOG_CAPTURE=%s/syslog.txt",
           h->w.dir);
  snprintf(h->preload, sizeof h->preload, "LD_PRELOAD=%s", LPSA_SYSLOG_SHIM);
  const char *old = getenv("ASAN_OPTIONS");
  snprintf(h->asan, sizeof h->asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
           old ? old : "", old && *old ? ":" : "");
  h->syslog_env[0] = h->capture;
  h->syslog_env[1] = h->preload;
  h->syslog_env[2] = h->asan;
  h->syslog_env[3] = NULL;
}

static void stop(hostile *h) {
  smtp_sink_stop(h->smtp);
  rel_world_stop(&h->w);
}

/* Run; check stdout and stderr; return the exit code (h kept in *out). */
static int host(hostile *h, int use_syslog, const char *const *args,
                hostrun *out) {
  rel_host_exec(&h->w, use_syslog ? h->syslog_env : NULL, args, out);
  char where[256];
  snprintf(where, sizeof where, "stdout of %s%s", args[0],
           args[1] ? " ..." : "");
  assert_safe(where, out->out);
  snprintf(where, sizeof where, "stderr of %s%s", args[0],
           args[1] ? " ..." : "");
  assert_safe(where, out->err);
  return out->status;
}

static void expect_mail_escaped(hostile *h, size_t n) {
  ck_assert_int_eq(smtp_sink_wait(h->smtp, n, 10000), 0);
  smtp_message m;
  ck_assert_int_eq(smtp_sink_get(h->smtp, n - 1, &m), 0);
  /* The message's own line ends are CRLF: judge its lines, not them. */
  char *text = strdup(m.data);
  ck_assert_ptr_nonnull(text);
  size_t o = 0;
  for (size_t i = 0; text[i]; i++)
    if (!(text[i] == '\r' && text[i + 1] == '\n'))
      text[o++] = text[i];
  text[o] = '\0';
  assert_escaped("the e-mail", text);
  free(text);
  smtp_message_free(&m);
}

START_TEST(report_log_mail_history_escape) {
  hostile h;
  start(&h);
  hostrun r;
  /* The table of a dry run: both names in the plan, escaped. */
  const char *dry[] = {"--dry-run", NULL};
  ck_assert_int_eq(host(&h, 0, dry, &r), 0);
  assert_escaped("the dry run's table", r.out);
  ck_assert_ptr_nonnull(strstr(r.out, "\\x0a\\x0aSummary: 99"));
  hostrun_free(&r);

  /* An apply whose first write the PSA refuses with a hostile error: the
   * failure is logged (stderr, then syslog) with the company's name. */
  simproc *psa = rel_sim(&h.w, REL_PSA);
  const char *rule =
      "[{\"name\":\"f\",\"method\":\"PATCH\",\"path_prefix\":\"" API
      "finance/agreements/\",\"times\":1,\"status\":400,\"content_type\":"
      "\"application/json\",\"body\":\"{\\\"code\\\":\\\"Bad\\\","
      "\\\"message\\\":\\\"" JSON_HOSTILE "\\\"}\"}]";
  ck_assert_int_eq(simproc_set_faults(psa, rule), 0);
  const char *apply[] = {"-v", NULL};
  ck_assert_int_eq(host(&h, 0, apply, &r), 1);
  assert_escaped("the apply's table", r.out);
  ck_assert_msg(strstr(r.err, "failed") && strstr(r.err, "\\u009b31m"),
                "the failure is not logged escaped: %s", r.err);
  hostrun_free(&r);
  expect_mail_escaped(&h, 1);

  ck_assert_int_eq(simproc_set_faults(psa, rule), 0);
  const char *sys_apply[] = {"-v", "--syslog", NULL};
  host(&h, 1, sys_apply, &r);
  hostrun_free(&r);
  char *syslog = test_read_file(h.w.dir, "syslog.txt");
  assert_safe("syslog", syslog);
  ck_assert_msg(strstr(syslog, "\\u009b31m") != NULL, "syslog: %s", syslog);
  free(syslog);
  ck_assert_int_eq(simproc_clear_faults(psa), 0);

  /* history: the runs, and each run's changes with the names. */
  const char *runs[] = {"history", NULL};
  ck_assert_int_eq(host(&h, 0, runs, &r), 0);
  hostrun_free(&r);
  /* Run 2 changed every company (one write refused), run 3 retried the
   * refused one: its note quotes the PSA's hostile error. */
  const char *two[] = {"history", "--run", "2", NULL};
  ck_assert_int_eq(host(&h, 0, two, &r), 0);
  assert_escaped("history --run 2", r.out);
  ck_assert_ptr_nonnull(strstr(r.out, "\\x0a\\x0aSummary: 99"));
  hostrun_free(&r);
  const char *three[] = {"history", "--run", "3", NULL};
  ck_assert_int_eq(host(&h, 0, three, &r), 0);
  ck_assert_msg(strstr(r.out, "\\u202e") && strstr(r.out, "\\u009b31m"),
                "history --run 3: %s", r.out);
  hostrun_free(&r);
  stop(&h);
}
END_TEST

START_TEST(check_and_map_suggest_escape) {
  hostile h;
  start(&h);
  hostrun r;
  /* map suggest: the names are in each row's note. */
  const char *suggest[] = {"map", "suggest", NULL};
  ck_assert_int_eq(host(&h, 0, suggest, &r), 0);
  assert_escaped("map suggest", r.out);
  hostrun_free(&r);
  const char *to_file[] = {"map", "suggest", "--output", "suggested.csv", NULL};
  ck_assert_int_eq(host(&h, 0, to_file, &r), 0);
  hostrun_free(&r);
  char *csv = test_read_file(h.w.dir, "suggested.csv");
  assert_escaped("map suggest --output", csv);
  free(csv);

  /* LastPass answers every request with a hostile error. */
  simproc *lp = rel_sim(&h.w, REL_LASTPASS);
  ck_assert_int_eq(simproc_set_faults(
                       lp, "[{\"name\":\"f\",\"status\":400,"
                           "\"content_type\":\"application/json\","
                           "\"body\":\"{\\\"title\\\":\\\"" JSON_HOSTILE
                           "\\\",\\\"detail\\\":\\\"" JSON_HOSTILE "\\\"}\"}]"),
                   0);
  const char *check[] = {"check", NULL};
  ck_assert_int_eq(host(&h, 0, check, &r), 1);
  ck_assert_msg(strstr(r.out, "\\x1b") && strstr(r.out, "\\u202e"), "check: %s",
                r.out);
  hostrun_free(&r);
  const char *dry[] = {"--dry-run", NULL};
  ck_assert_int_eq(host(&h, 0, dry, &r), 3);
  ck_assert_msg(strstr(r.out, "ABORTED") && strstr(r.out, "\\x1b"),
                "the aborted table: %s", r.out);
  ck_assert_msg(strstr(r.err, "\\x1b"), "the abort's log line: %s", r.err);
  hostrun_free(&r);
  ck_assert_int_eq(host(&h, 0, suggest, &r), 3);
  ck_assert_msg(strstr(r.err, "\\x1b"), "map suggest's error: %s", r.err);
  hostrun_free(&r);
  stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hostile_text");
  TCase *tc = tcase_create("hostile_text");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, report_log_mail_history_escape);
  tcase_add_test(tc, check_and_map_suggest_escape);
  suite_add_tcase(s, tc);
  char *tmp = rel_private_tmpdir_begin("hostile-text");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
