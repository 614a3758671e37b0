/* SPDX-License-Identifier: MIT */
/*
 * test_host_api.c — the services table at the ABI's edges: what a driver
 * of a newer minor may hand an older host (a log level it does not know).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "host_api.h"
#include "log.h"

/* What the table's log() wrote for `level`. */
static char *logged_at(lpsa_log_level level) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_ptr_nonnull(f);
  lpsa_log *log = log_new(f, LPSA_LOG_DEBUG);
  lpsa_host host;
  host_init(&host, log, NULL);
  host_api()->log(&host, level, "from a newer driver");
  log_free(log);
  fclose(f);
  return buf;
}

/* syslog(3) as this program sees it: the executable's definitions come
 * before the C library's, so the logger's calls land here and nothing
 * reaches the machine's log. */
static int syslog_priority = -1;
static char syslog_line[256];
void openlog(const char *ident, int option, int facility) {
  (void)ident, (void)option, (void)facility;
}
void closelog(void) {}
void syslog(int priority, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(syslog_line, sizeof syslog_line, fmt, ap);
  va_end(ap);
  syslog_priority = priority;
}

/* A level this host does not know is logged, as an error: never dropped,
 * never an index past the level tables (syslog priorities). */
START_TEST(an_unknown_log_level_is_an_error) {
  const lpsa_log_level unknown[] = {(lpsa_log_level)4, (lpsa_log_level)99,
                                    (lpsa_log_level)-1};
  for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
    char *text = logged_at(unknown[i]);
    ck_assert_msg(strcmp(text, "lpsa-host: error: from a newer driver\n") == 0,
                  "level %d: \"%s\"", (int)unknown[i], text);
    free(text);
  }
  char *text = logged_at(LPSA_LOG_WARN);
  ck_assert_str_eq(text, "lpsa-host: warning: from a newer driver\n");
  free(text);
}
END_TEST

START_TEST(an_unknown_log_level_is_an_error_in_syslog) {
  const lpsa_log_level unknown[] = {(lpsa_log_level)4, (lpsa_log_level)7,
                                    (lpsa_log_level)4096, (lpsa_log_level)-1};
  lpsa_log *log = log_new(NULL, LPSA_LOG_DEBUG);
  log_use_syslog(log, "test_host_api");
  lpsa_host host;
  host_init(&host, log, NULL);
  for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
    syslog_priority = -1;
    host_api()->log(&host, unknown[i], "level %zu", i);
    ck_assert_msg(syslog_priority == LOG_ERR, "level %d: priority %d",
                  (int)unknown[i], syslog_priority);
  }
  host_api()->log(&host, LPSA_LOG_INFO, "known");
  ck_assert_int_eq(syslog_priority, LOG_INFO);
  ck_assert_str_eq(syslog_line, "known");
  log_free(log);
}
END_TEST

int main(void) {
  Suite *s = suite_create("host_api");
  TCase *tc = tcase_create("edges");
  tcase_add_test(tc, an_unknown_log_level_is_an_error);
  tcase_add_test(tc, an_unknown_log_level_is_an_error_in_syslog);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
