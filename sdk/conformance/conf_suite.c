/* SPDX-License-Identifier: MIT */
/*
 * conf_suite.c — the tests under Check: one TCase per test, each run in a
 * forked child (CK_FORK) with its own timeout, so a driver that crashes,
 * hangs or leaks (under valgrind or LeakSanitizer) fails that one test.
 *
 * Check calls a test function with nothing but a loop index, so the run and
 * the selected tests reach the children through the two file-scope pointers
 * below: set just before srunner_run() and cleared right after, in the
 * parent; the children only read their copy. This is the one piece of
 * mutable state in the library, and Check's calling convention is why.
 */
#include "conf_suite.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const conf_run *current_run;
static const conf_test *const *current_tests;

START_TEST(dispatch) {
  current_tests[_i]->fn(current_run);
}
END_TEST

void conf_not_run(const conf_run *run, const char *fmt, ...) {
  char why[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  if (run->opt->strict)
    ck_abort_msg("%s (--strict: a test that cannot apply fails)", why);
  ck_abort_msg("%s%s", CONF_NOT_RUN_MARK, why);
  abort(); /* not reached: ck_abort_msg ends the test */
}

static Suite *make_suite(const conf_run *run, const conf_test *const *tests,
                         size_t n) {
  Suite *su = suite_create("lpsa-conformance");
  for (size_t i = 0; i < n; i++) {
    TCase *tc = tcase_create(tests[i]->name);
    tcase_set_timeout(tc, (double)run->timeout_s);
    tcase_add_loop_test(tc, dispatch, (int)i, (int)i + 1);
    suite_add_tcase(su, tc);
  }
  return su;
}

static int add_result(lpsa_conformance_report *rep, const conf_test *t,
                      lpsa_conformance_outcome outcome, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int add_result(lpsa_conformance_report *rep, const conf_test *t,
                      lpsa_conformance_outcome outcome, const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lpsa_conformance_result *grown =
      realloc(rep->results, (rep->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  rep->results = grown;
  lpsa_conformance_result *r = &rep->results[rep->n];
  r->message = strdup(msg);
  if (!r->message)
    return -1;
  r->name = t->name;
  r->level = t->level;
  r->what = t->what;
  r->outcome = outcome;
  rep->n++;
  rep->passed += outcome == LPSA_CONFORMANCE_PASS;
  rep->failed += outcome == LPSA_CONFORMANCE_FAIL;
  rep->not_run += outcome == LPSA_CONFORMANCE_NOT_RUN;
  return 0;
}

static TestResult *find_result(TestResult **results, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(tr_tcname(results[i]), name) == 0)
      return results[i];
  return NULL;
}

static int record(lpsa_conformance_report *rep, const conf_test *t,
                  TestResult *tr) {
  if (!tr)
    return add_result(rep, t, LPSA_CONFORMANCE_NOT_RUN, "%s",
                      "Check did not run it (CK_RUN_SUITE, CK_RUN_CASE or "
                      "tag filters in the environment?)");
  const char *msg = tr_msg(tr) ? tr_msg(tr) : "";
  size_t mark = strlen(CONF_NOT_RUN_MARK);
  switch (tr_rtype(tr)) {
  case CK_PASS:
    return add_result(rep, t, LPSA_CONFORMANCE_PASS, "%s", "");
  case CK_FAILURE:
    if (strncmp(msg, CONF_NOT_RUN_MARK, mark) == 0)
      return add_result(rep, t, LPSA_CONFORMANCE_NOT_RUN, "%s", msg + mark);
    return add_result(rep, t, LPSA_CONFORMANCE_FAIL, "%s", msg);
  default: /* CK_ERROR: the child died, timed out or exited early */
    return add_result(rep, t, LPSA_CONFORMANCE_FAIL,
                      "the test process died: %s (a crash, a hang or, under "
                      "valgrind/sanitizers, an error they reported)",
                      msg);
  }
}

int conf_suite_run(const conf_run *run, const conf_test *const *tests, size_t n,
                   lpsa_conformance_report *rep) {
  Suite *su = make_suite(run, tests, n);
  SRunner *sr = srunner_create(su);
  srunner_set_fork_status(sr, CK_FORK);
  /* Named explicitly so that CK_*_LOG_FILE_NAME variables meant for an
   * enclosing test program do not make this run overwrite its logs. */
  srunner_set_log(sr, "/dev/null");
  srunner_set_xml(sr, "/dev/null");
  srunner_set_tap(sr, "/dev/null");
  fflush(NULL); /* children must not repeat our buffered output */
  current_run = run;
  current_tests = tests;
  srunner_run(sr, "lpsa-conformance", NULL, CK_SILENT);
  current_run = NULL;
  current_tests = NULL;
  int n_results = srunner_ntests_run(sr);
  TestResult **results = srunner_results(sr);
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++)
    rc = record(rep, tests[i],
                results ? find_result(results, n_results, tests[i]->name)
                        : NULL);
  free(results);
  srunner_free(sr);
  return rc;
}
