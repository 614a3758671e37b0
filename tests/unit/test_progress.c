/* SPDX-License-Identifier: MIT */
/*
 * test_progress.c — the progress display on a fake clock: a terminal line
 * redrawn in place at most ten times a second and left on screen per phase,
 * erased before a log line; log lines once per phase and at most one every
 * 10 s while a phase lasts; which mode a command's options give.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

static double now;

static double fake_clock(void) {
  return now;
}

static int count(const char *text, const char *needle) {
  int n = 0;
  for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

START_TEST(mode_for_options) {
  /* quiet, json, verbose, daemon, tty */
  ck_assert_int_eq(progress_mode_for(0, 0, 0, 0, 1), PROGRESS_TTY);
  ck_assert_int_eq(progress_mode_for(0, 0, 0, 0, 0), PROGRESS_OFF);
  ck_assert_int_eq(progress_mode_for(0, 0, 1, 0, 1), PROGRESS_LOG);
  ck_assert_int_eq(progress_mode_for(0, 0, 0, 1, 0), PROGRESS_LOG);
  ck_assert_int_eq(progress_mode_for(0, 1, 0, 0, 1), PROGRESS_OFF);
  ck_assert_int_eq(progress_mode_for(1, 0, 1, 1, 1), PROGRESS_OFF);
  ck_assert_ptr_null(progress_new(PROGRESS_OFF, stderr, NULL, "X", NULL));
  progress_begin(NULL, PROGRESS_LASTPASS); /* NULL: nothing, no crash */
  progress_on_page(NULL);
  progress_free(NULL);
}
END_TEST

START_TEST(terminal_line_per_phase) {
  char *buf = NULL;
  size_t len = 0;
  FILE *tty = open_memstream(&buf, &len);
  lpsa_log *log = log_new(tty, LPSA_LOG_INFO);
  now = 100.0;
  progress *p = progress_new(PROGRESS_TTY, tty, log, "Acme PSA", fake_clock);
  ck_assert_ptr_nonnull(p);
  progress_begin(p, PROGRESS_LASTPASS);
  for (int i = 0; i < 5; i++) {
    now += 0.015625; /* too soon to redraw (binary fractions: exact) */
    progress_on_page(p);
  }
  now += 0.5;
  progress_on_page(p);
  progress_begin(p, PROGRESS_PSA_READ); /* ends the LastPass phase */
  progress_on_http(p, 0, 40);           /* too soon after the first draw */
  now += 0.25;
  progress_on_http(p, 1, 40);
  now += 1;
  log_msg(log, LPSA_LOG_WARN, "a retry"); /* erases the line first */
  progress_on_http(p, 40, 40);
  progress_end(p);
  now += 65;
  progress_begin(p, PROGRESS_PSA_WRITE);
  now += 0.25;
  progress_on_write(p, 2, 2);
  progress_free(p); /* ends the open phase */
  fclose(tty);
  ck_assert_str_eq(buf, "\r\033[KLastPass: 0 pages read (elapsed 0.0 s)"
                        "\r\033[KLastPass: 6 pages read (elapsed 0.6 s)"
                        "\r\033[KLastPass: 6 pages read (elapsed 0.6 s)\n"
                        "\r\033[KAcme PSA: reads 0/0 (elapsed 0.6 s)"
                        "\r\033[KAcme PSA: reads 1/40 (elapsed 0.8 s)"
                        "\r\033[Klpsa-host: warning: a retry\n"
                        "\r\033[KAcme PSA: reads 40/40 (elapsed 1.8 s)"
                        "\r\033[KAcme PSA: reads 40/40 (elapsed 1.8 s)\n"
                        "\r\033[KAcme PSA: writes 0/0 (elapsed 1m06s)"
                        "\r\033[KAcme PSA: writes 2/2 (elapsed 1m07s)"
                        "\r\033[KAcme PSA: writes 2/2 (elapsed 1m07s)\n");
  log_free(log);
  free(buf);
}
END_TEST

START_TEST(log_lines_at_most_every_ten_seconds) {
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  lpsa_log *log = log_new(out, LPSA_LOG_INFO);
  now = 0;
  progress *p = progress_new(PROGRESS_LOG, NULL, log, "Acme PSA", fake_clock);
  progress_begin(p, PROGRESS_LASTPASS);
  progress_on_page(p);
  progress_begin(p, PROGRESS_PSA_READ);
  /* 25 s of reads, an update every half second. */
  for (int i = 1; i <= 50; i++) {
    now += 0.5;
    progress_on_http(p, (unsigned long)i, 50);
  }
  progress_end(p);
  progress_free(p);
  fclose(out);
  ck_assert_int_eq(count(buf, "\n"), 4);
  ck_assert_int_eq(count(buf, "lpsa-host: info: progress: LastPass: 1 page "
                              "read (elapsed 0.0 s)\n"),
                   1);
  ck_assert_int_eq(count(buf, "lpsa-host: info: progress: Acme PSA: reads "
                              "20/50 (elapsed 10.0 s), going on\n"),
                   1);
  ck_assert_int_eq(count(buf, "lpsa-host: info: progress: Acme PSA: reads "
                              "40/50 (elapsed 20.0 s), going on\n"),
                   1);
  ck_assert_int_eq(count(buf, "lpsa-host: info: progress: Acme PSA: reads "
                              "50/50 (elapsed 25.0 s)\n"),
                   1);
  ck_assert_ptr_null(strstr(buf, "\033"));
  log_free(log);
  free(buf);
}
END_TEST

typedef struct seen {
  int calls, ended;
  progress_phase phase;
  size_t done, total;
} seen;

static void watcher(void *arg, progress_phase phase, size_t done, size_t total,
                    int ended) {
  seen *w = arg;
  w->calls++;
  w->ended += ended;
  w->phase = phase;
  w->done = done;
  w->total = total;
}

/* A watcher sees every step, unthrottled; PROGRESS_QUIET shows nothing
 * else. */
START_TEST(watcher_sees_every_step) {
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  lpsa_log *log = log_new(out, LPSA_LOG_DEBUG);
  now = 50.0;
  progress *p = progress_new(PROGRESS_QUIET, out, log, "Acme PSA", fake_clock);
  ck_assert_ptr_nonnull(p);
  seen w = {0};
  progress_watch(p, watcher, &w);
  progress_begin(p, PROGRESS_LASTPASS);
  ck_assert_int_eq(w.calls, 1);
  ck_assert_int_eq(w.phase, PROGRESS_LASTPASS);
  progress_on_page(p);
  progress_on_page(p);
  ck_assert_int_eq(w.calls, 3);
  ck_assert_uint_eq(w.done, 2);
  progress_begin(p, PROGRESS_PSA_WRITE); /* ends LastPass's phase */
  ck_assert_int_eq(w.ended, 1);
  now += 30; /* past the log's 10 s: still nothing logged */
  progress_on_write(p, 3, 7);
  ck_assert_int_eq(w.phase, PROGRESS_PSA_WRITE);
  ck_assert_uint_eq(w.done, 3);
  ck_assert_uint_eq(w.total, 7);
  progress_free(p); /* ends the open phase */
  ck_assert_int_eq(w.ended, 2);
  log_free(log);
  fclose(out);
  ck_assert_uint_eq(len, 0);
  free(buf);
  /* beside the log mode, the log keeps its pace */
  out = open_memstream(&buf, &len);
  log = log_new(out, LPSA_LOG_INFO);
  now = 0;
  p = progress_new(PROGRESS_LOG, out, log, "Acme PSA", fake_clock);
  memset(&w, 0, sizeof w);
  progress_watch(p, watcher, &w);
  progress_begin(p, PROGRESS_PSA_READ);
  for (int i = 1; i <= 5; i++) {
    now += 1;
    progress_on_http(p, (unsigned long)i, 5);
  }
  progress_end(p);
  ck_assert_int_eq(w.calls, 7);
  progress_free(p);
  log_free(log);
  fclose(out);
  ck_assert_int_eq(count(buf, "progress:"), 1); /* the phase's end only */
  free(buf);
}
END_TEST

int main(void) {
  Suite *s = suite_create("progress");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, mode_for_options);
  tcase_add_test(tc, terminal_line_per_phase);
  tcase_add_test(tc, log_lines_at_most_every_ten_seconds);
  tcase_add_test(tc, watcher_sees_every_step);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
