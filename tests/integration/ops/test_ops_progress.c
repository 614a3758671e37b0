/* SPDX-License-Identifier: MIT */
/*
 * test_ops_progress.c — progress of a run on stderr, through the real
 * lpsa-host, the LastPass simulator and connectwise-sim (the shared
 * generated world of rel_harness.h):
 *
 *   - stderr on a terminal: one line per phase, redrawn in place ("\r" and
 *     erase to the end of line) and left on screen when it ends: LastPass
 *     pages, ConnectWise reads n/N, writes n/N (N the planned changes), each
 *     with the elapsed time; standard output is untouched;
 *   - -v: one log line per phase instead;
 *   - stderr not a terminal, or --json: nothing new at all.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "rel_harness.h"

static const rel_world_opts world = {
    .psa = REL_CONNECTWISE, .companies = 30, .seed = 7, .change_pct = 40};

static rel_world w;
static int planned;

static void setup(void) {
  rel_world_start(&w, &world);
  rel_run dry;
  rel_host(&w, &dry, "--dry-run", NULL);
  ck_assert_msg(dry.status == 0, "dry run exit %d: %s", dry.status, dry.err);
  planned = rel_count_status(dry.report, "planned");
  ck_assert_int_gt(planned, 0);
  rel_run_free(&dry);
}

static void teardown(void) {
  rel_world_stop(&w);
}

static int count(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; p && (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* The text of the last line (ended by "\r\n") starting with `start`. */
static const char *final_line(const char *tty, const char *start, char *out,
                              size_t cap) {
  const char *found = NULL;
  for (const char *p = tty; (p = strstr(p, start)); p++) {
    const char *end = strstr(p, "\r");
    if (end && end[1] == '\n')
      found = p;
  }
  if (!found)
    return NULL;
  size_t len = strcspn(found, "\r");
  snprintf(out, cap, "%.*s", (int)len, found);
  return out;
}

START_TEST(terminal_shows_one_line_per_phase) {
  const char *args[] = {"-c", "lpsa.conf", "--driver", "connectwise", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec_tty(w.dir, args, rel_child_env(),
                                    HOSTRUN_TTY_STDERR, NULL, &h),
                   0);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.tty);
  /* Redrawn in place. */
  ck_assert_msg(count(h.tty, "\r\033[KLastPass: ") >= 2, "%s", h.tty);
  ck_assert_msg(count(h.tty, "\r\033[KConnectWise PSA: reads ") >= 2, "%s",
                h.tty);
  char line[256], want[64];
  ck_assert_msg(final_line(h.tty, "LastPass: ", line, sizeof line), "%s",
                h.tty);
  ck_assert_msg(strstr(line, " pages read (elapsed "), "%s", line);
  /* The reads end with all the requests asked for done. */
  ck_assert_msg(final_line(h.tty, "ConnectWise PSA: reads ", line, sizeof line),
                "%s", h.tty);
  unsigned long done = 0, asked = 0;
  ck_assert_int_eq(
      sscanf(line, "ConnectWise PSA: reads %lu/%lu (elapsed", &done, &asked),
      2);
  ck_assert_uint_gt(asked, 0);
  ck_assert_uint_eq(done, asked);
  snprintf(want, sizeof want, "ConnectWise PSA: writes %d/%d (elapsed ",
           planned, planned);
  ck_assert_msg(
      final_line(h.tty, "ConnectWise PSA: writes ", line, sizeof line) &&
          strstr(line, want) == line,
      "no \"%s\" in:\n%s", want, h.tty);
  /* Standard output is the report, untouched. */
  ck_assert_ptr_nonnull(strstr(h.out, "Summary: "));
  ck_assert_ptr_null(strstr(h.out, "\033"));
  ck_assert_ptr_null(strstr(h.out, "reads "));
  hostrun_free(&h);
}
END_TEST

START_TEST(verbose_logs_one_line_per_phase) {
  const char *args[] = {"-c",          "lpsa.conf", "--driver",
                        "connectwise", "-v",        NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(w.dir, args, rel_child_env(), &h), 0);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  ck_assert_int_eq(count(h.err, "lpsa-host: info: progress: LastPass: "), 1);
  /* A loaded machine may add a line every 10 s ("going on"); one ends. */
  int reads = count(h.err, "lpsa-host: info: progress: ConnectWise PSA: reads");
  ck_assert_int_eq(reads - count(h.err, ", going on"), 1);
  char want[96];
  snprintf(want, sizeof want,
           "lpsa-host: info: progress: ConnectWise PSA: writes %d/%d "
           "(elapsed ",
           planned, planned);
  ck_assert_msg(count(h.err, want) == 1, "no \"%s\" in:\n%s", want, h.err);
  ck_assert_ptr_null(strstr(h.err, "\033"));
  hostrun_free(&h);
}
END_TEST

START_TEST(not_a_terminal_shows_nothing_new) {
  const char *args[] = {"-c", "lpsa.conf", "--driver", "connectwise", NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(w.dir, args, rel_child_env(), &h), 0);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  ck_assert_msg(!strstr(h.err, "progress") && !strstr(h.err, "reads ") &&
                    !strstr(h.err, "\033") && !strstr(h.err, "\r"),
                "%s", h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(json_output_unchanged_on_a_terminal) {
  const char *args[] = {"-c",          "lpsa.conf", "--driver",
                        "connectwise", "--json",    NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec_tty(w.dir, args, rel_child_env(),
                                    HOSTRUN_TTY_STDERR, NULL, &h),
                   0);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.tty);
  ck_assert_msg(!strstr(h.tty, "reads ") && !strstr(h.tty, "\033"), "%s",
                h.tty);
  json_object *doc = json_tokener_parse(h.out);
  ck_assert_msg(doc != NULL, "stdout is not JSON: %s", h.out);
  ck_assert_int_eq(json_object_get_int(json_object_object_get(
                       json_object_object_get(doc, "summary"), "updated")),
                   planned);
  json_object_put(doc);
  hostrun_free(&h);
}
END_TEST

int main(void) {
  char *tmp = rel_private_tmpdir_begin("progress");
  Suite *s = suite_create("ops_progress");
  TCase *tc = tcase_create("progress");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, terminal_shows_one_line_per_phase);
  tcase_add_test(tc, verbose_logs_one_line_per_phase);
  tcase_add_test(tc, not_a_terminal_shows_nothing_new);
  tcase_add_test(tc, json_output_unchanged_on_a_terminal);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
