/* SPDX-License-Identifier: MIT */
/*
 * conf_suite.h — run the selected tests with Check, each in a forked child
 * with its own timeout, and turn Check's results into the report.
 */
#ifndef LPSA_CONF_SUITE_H
#define LPSA_CONF_SUITE_H

#include "conf_run.h"
#include "conf_tests.h"
#include "lpsa/conformance.h"

/* Run tests[0..n) against `run`, appending one result per test to `rep`.
 * 0, or -1 when out of memory. */
int conf_suite_run(const conf_run *run, const conf_test *const *tests, size_t n,
                   lpsa_conformance_report *rep);

#endif
