/* SPDX-License-Identifier: MIT */
/*
 * lpsa/conformance.h — the driver conformance suite, as a library.
 *
 * The `lpsa-conformance` program is a thin command line over these calls; a
 * driver's own test suite can call them directly (link liblpsa-conformance:
 * `target_link_libraries(t PRIVATE lpsa::conformance)` after
 * `find_package(LpsaSDK 1)`, or `pkg-config --libs lpsa-conformance`):
 *
 *     lpsa_conformance_options opt = LPSA_CONFORMANCE_OPTIONS_INIT;
 *     opt.driver = "build/mypsa.so";     // a path, or a [driver.NAME] name
 *     opt.config = "conformance.conf";   // an ordinary lpsa configuration
 *     opt.level = 2;
 *     opt.test_line = "l1";              // the line level 2 may change
 *     lpsa_conformance_report rep;
 *     int rc = lpsa_conformance_run(&opt, &rep);  // 0 pass, 1 fail, 2 error
 *     lpsa_conformance_write_text(&rep, stdout);
 *     lpsa_conformance_report_free(&rep);
 *
 * What is read from the configuration, exactly as lpsa-host reads it: the
 * [driver.NAME] section (its keys checked against the driver's config_keys,
 * secrets resolved, the products of its sku.* keys), [host] driver_path (to
 * find a driver given by name), http_timeout, max_concurrency and ca_file,
 * and [host] mapping_file when set: its psa_company_id and agreement_id
 * columns become the companies and pinned agreements every snapshot
 * requests, as in a sync. The file must be a valid lpsa configuration, so it
 * needs a [lastpass] api_key even though the suite never calls LastPass.
 *
 * Levels (each includes the ones below):
 *   0  no network: the descriptor, loading, open/close cycles, refusals of
 *      bad configurations and bad arguments, silence on stdout/stderr;
 *   1  read-only against the configured PSA: snapshot shape, repeatability,
 *      the request flags, check();
 *   2  writes to ONE designated line (test_line): set N+1, read it back, set
 *      N+1 again (must not write), restore N (always attempted, also after a
 *      failure or a crash), and a set on a line that does not exist.
 *
 * Every test runs in a child process (Check's CK_FORK) with a timeout, so a
 * driver that crashes or hangs fails that test instead of the suite. A test
 * that cannot apply (an optional operation missing, a flag the driver
 * answers LPSA_ERR_UNSUPPORTED to) is "not run", or failed with `strict`.
 *
 * This library never prints: results come back in the report, which the
 * write functions format.
 */
#ifndef LPSA_CONFORMANCE_H
#define LPSA_CONFORMANCE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The suite's own version; reported in the TAP header. */
#define LPSA_CONFORMANCE_VERSION "1.0.0"

/* Default seconds a single test may take before it is killed and failed. */
#define LPSA_CONFORMANCE_DEFAULT_TIMEOUT 60u

typedef struct lpsa_conformance_options {
  size_t size; /* sizeof(lpsa_conformance_options) */
  /* A driver file (anything containing '/': "build/mypsa.so"), or a name:
   * the [driver.NAME] section whose module is then found on driver_path,
   * as `lpsa-host --driver NAME` does. Required. */
  const char *driver;
  const char *config; /* the lpsa configuration file; required */
  /* The [driver.NAME] section to use. NULL: the section named like the
   * driver (the file name without ".so", or the name given), else the only
   * section of the file. */
  const char *section;
  int level;  /* highest level to run: 0, 1 or 2 */
  int strict; /* 1: a test that cannot apply fails instead of "not run" */
  /* Extra PSA company ids to request, after the mapping file's. */
  const char *const *company_ids;
  size_t n_company_ids;
  /* Level 2: the id of the line (addition, contract service...) the suite
   * may change and restores. It must be a line of a mapped product on an
   * active agreement of a requested company. */
  const char *test_line;
  unsigned timeout_s; /* per test; 0: LPSA_CONFORMANCE_DEFAULT_TIMEOUT */
  /* Run only the tests whose name starts with this ("level1.", or one
   * name); NULL: all tests up to `level`. */
  const char *only;
  /* Append the host's log (the driver's api->log lines among them) here;
   * NULL: discard it. */
  const char *log_file;
  int verbose; /* with log_file: 1 logs debug lines too */
} lpsa_conformance_options;

#define LPSA_CONFORMANCE_OPTIONS_INIT                                          \
  {                                                                            \
    sizeof(lpsa_conformance_options), NULL, NULL, NULL, 0, 0, NULL, 0, NULL,   \
        0, NULL, NULL, 0                                                       \
  }

typedef enum lpsa_conformance_outcome {
  LPSA_CONFORMANCE_PASS = 0,
  LPSA_CONFORMANCE_FAIL = 1,
  LPSA_CONFORMANCE_NOT_RUN = 2
} lpsa_conformance_outcome;

typedef struct lpsa_conformance_result {
  const char *name; /* "level0.descriptor": level, then the subject */
  int level;
  const char *what; /* one line: what the test requires of a driver */
  lpsa_conformance_outcome outcome;
  char *message; /* why it failed or did not run; "" when it passed */
} lpsa_conformance_result;

typedef struct lpsa_conformance_report {
  lpsa_conformance_result *results; /* in the order they ran */
  size_t n;
  unsigned passed, failed, not_run;
  /* What was tested, for the report's header ("" when unknown). */
  char driver_path[4096];
  char section[128];
  /* Why the suite could not run at all (lpsa_conformance_run() returned 2),
   * one line per problem; "" otherwise. */
  char error[4096];
} lpsa_conformance_report;

/* Run the suite. Returns 0 when no test failed, 1 when one or more failed,
 * 2 when the suite could not run (bad options, a configuration that does
 * not load, no such section; report->error says why). The report is always
 * filled and must be freed. */
int lpsa_conformance_run(const lpsa_conformance_options *opt,
                         lpsa_conformance_report *report);

/* The report as TAP version 13 (failures and "not run" reasons as YAML
 * diagnostics, "not run" as "# SKIP"). 0, or -1 on a write error. */
int lpsa_conformance_write_tap(const lpsa_conformance_report *report, FILE *f);

/* The report for people: one line per test, then the counts. 0 or -1. */
int lpsa_conformance_write_text(const lpsa_conformance_report *report, FILE *f);

/* Free what lpsa_conformance_run() allocated and zero the report. */
void lpsa_conformance_report_free(lpsa_conformance_report *report);

/* The catalogue of tests, in running order (for `lpsa-conformance
 * --list`): fills out[0..cap) and returns how many tests there are. */
typedef struct lpsa_conformance_test_info {
  const char *name;
  int level;
  const char *what;
} lpsa_conformance_test_info;
size_t lpsa_conformance_tests(lpsa_conformance_test_info *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
