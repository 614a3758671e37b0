/* SPDX-License-Identifier: MIT */
/*
 * conf_tests.h — the catalogue of conformance tests and what every test
 * body may use to say "this does not apply".
 *
 * A test body runs in its own child process (see conf_suite.c) and fails
 * with Check's ck_assert_msg()/ck_abort_msg(); its message is what the
 * person reads, so it says what the driver did and what it should do.
 */
#ifndef LPSA_CONF_TESTS_H
#define LPSA_CONF_TESTS_H

#include <stddef.h>

#include "conf_run.h"

typedef void (*conf_test_fn)(const conf_run *run);

typedef struct conf_test {
  const char *name; /* "level0.descriptor_abi" */
  int level;
  const char *what; /* what a driver must do to pass, one line */
  conf_test_fn fn;
} conf_test;

/* The tests of each level, in running order. */
const conf_test *conf_level0_tests(size_t *n);
const conf_test *conf_level1_tests(size_t *n);
const conf_test *conf_level2_tests(size_t *n);

/* Messages starting with this mark a test that did not apply. */
#define CONF_NOT_RUN_MARK "\001not-run: "

/* End the test as "not run" (or as failed, with --strict), saying why. */
void conf_not_run(const conf_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

#endif
