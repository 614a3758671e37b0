/* SPDX-License-Identifier: MIT */
/*
 * conformance.c — the public calls of lpsa/conformance.h: pick the tests,
 * prepare the run, run them, and format the report.
 */
#include "lpsa/conformance.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_run.h"
#include "conf_suite.h"
#include "conf_tests.h"

typedef const conf_test *(*level_fn)(size_t *n);
static const level_fn levels[] = {conf_level0_tests, conf_level1_tests,
                                  conf_level2_tests};
#define N_LEVELS (sizeof levels / sizeof levels[0])

size_t lpsa_conformance_tests(lpsa_conformance_test_info *out, size_t cap) {
  size_t total = 0;
  for (size_t l = 0; l < N_LEVELS; l++) {
    size_t n;
    const conf_test *t = levels[l](&n);
    for (size_t i = 0; i < n; i++, total++)
      if (out && total < cap)
        out[total] =
            (lpsa_conformance_test_info){t[i].name, t[i].level, t[i].what};
  }
  return total;
}

/* The tests of levels 0..level whose name starts with `only`. */
static const conf_test **select_tests(const lpsa_conformance_options *opt,
                                      size_t *n_out) {
  size_t total = lpsa_conformance_tests(NULL, 0);
  const conf_test **sel = calloc(total + 1, sizeof *sel);
  *n_out = 0;
  for (size_t l = 0; sel && l < N_LEVELS && (int)l <= opt->level; l++) {
    size_t n;
    const conf_test *t = levels[l](&n);
    for (size_t i = 0; i < n; i++)
      if (!opt->only || strncmp(t[i].name, opt->only, strlen(opt->only)) == 0)
        sel[(*n_out)++] = &t[i];
  }
  return sel;
}

int lpsa_conformance_run(const lpsa_conformance_options *opt,
                         lpsa_conformance_report *rep) {
  memset(rep, 0, sizeof *rep);
  conf_run run;
  if (conf_run_prepare(&run, opt, rep->error, sizeof rep->error) != 0) {
    conf_run_free(&run);
    return 2;
  }
  snprintf(rep->driver_path, sizeof rep->driver_path, "%s", run.driver_path);
  snprintf(rep->section, sizeof rep->section, "%s", run.section->name);
  size_t n = 0;
  const conf_test **tests = select_tests(opt, &n);
  int rc = 0;
  if (!tests) {
    snprintf(rep->error, sizeof rep->error, "out of memory");
    rc = 2;
  } else if (n == 0) {
    snprintf(rep->error, sizeof rep->error,
             "no test of level 0..%d is named %s...: see --list", opt->level,
             opt->only);
    rc = 2;
  } else if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(rep->error, sizeof rep->error, "libcurl failed to start");
    rc = 2;
  } else {
    if (conf_suite_run(&run, tests, n, rep) != 0) {
      snprintf(rep->error, sizeof rep->error,
               "out of memory while collecting results");
      rc = 2;
    }
    curl_global_cleanup();
  }
  free(tests);
  conf_run_free(&run);
  return rc ? rc : rep->failed ? 1 : 0;
}

void lpsa_conformance_report_free(lpsa_conformance_report *rep) {
  if (!rep)
    return;
  for (size_t i = 0; i < rep->n; i++)
    free(rep->results[i].message);
  free(rep->results);
  memset(rep, 0, sizeof *rep);
}

/* A YAML double-quoted scalar. */
static int yaml_string(FILE *f, const char *s) {
  if (fputc('"', f) == EOF)
    return -1;
  for (; *s; s++) {
    int rc;
    if (*s == '"' || *s == '\\')
      rc = fprintf(f, "\\%c", *s);
    else if ((unsigned char)*s < 0x20)
      rc = fprintf(f, "\\x%02x", (unsigned char)*s);
    else
      rc = fputc(*s, f) == EOF ? -1 : 1;
    if (rc < 0)
      return -1;
  }
  return fputc('"', f) == EOF ? -1 : 0;
}

/* TAP descriptions and SKIP reasons are one line without '#'. */
static void tap_line(char *out, size_t cap, const char *in) {
  size_t i = 0;
  for (; *in && i + 1 < cap; in++)
    out[i++] = (*in == '#' || (unsigned char)*in < 0x20) ? ' ' : *in;
  out[i] = '\0';
}

int lpsa_conformance_write_tap(const lpsa_conformance_report *rep, FILE *f) {
  int bad = fprintf(f, "TAP version 13\n") < 0;
  if (rep->driver_path[0])
    bad |=
        fprintf(f, "# lpsa-conformance %s: driver %s, section [driver.%s]\n",
                LPSA_CONFORMANCE_VERSION, rep->driver_path, rep->section) < 0;
  if (rep->error[0]) {
    char line[512];
    tap_line(line, sizeof line, rep->error);
    bad |= fprintf(f, "1..0\nBail out! %s\n", line) < 0;
    return bad || fflush(f) ? -1 : 0;
  }
  bad |= fprintf(f, "1..%zu\n", rep->n) < 0;
  for (size_t i = 0; i < rep->n && !bad; i++) {
    const lpsa_conformance_result *r = &rep->results[i];
    char reason[512];
    tap_line(reason, sizeof reason, r->message);
    if (r->outcome == LPSA_CONFORMANCE_NOT_RUN) {
      bad |= fprintf(f, "ok %zu - %s # SKIP %s\n", i + 1, r->name, reason) < 0;
      continue;
    }
    bad |= fprintf(f, "%s %zu - %s\n",
                   r->outcome == LPSA_CONFORMANCE_PASS ? "ok" : "not ok", i + 1,
                   r->name) < 0;
    if (r->outcome == LPSA_CONFORMANCE_FAIL)
      bad |= fprintf(f, "  ---\n  message: ") < 0 ||
             yaml_string(f, r->message) < 0 ||
             fprintf(f, "\n  requirement: ") < 0 ||
             yaml_string(f, r->what) < 0 || fprintf(f, "\n  ...\n") < 0;
  }
  bad |= fprintf(f, "# passed %u, failed %u, not run %u\n", rep->passed,
                 rep->failed, rep->not_run) < 0;
  return bad || fflush(f) ? -1 : 0;
}

int lpsa_conformance_write_text(const lpsa_conformance_report *rep, FILE *f) {
  static const char *const label[] = {"PASS", "FAIL", "NOT RUN"};
  int bad = 0;
  if (rep->driver_path[0])
    bad |= fprintf(f, "driver %s, section [driver.%s]\n", rep->driver_path,
                   rep->section) < 0;
  for (size_t i = 0; i < rep->n; i++) {
    const lpsa_conformance_result *r = &rep->results[i];
    bad |= fprintf(f, "%-8s %s%s%s\n", label[r->outcome], r->name,
                   r->message[0] ? ": " : "", r->message) < 0;
  }
  if (!rep->error[0])
    bad |= fprintf(f, "%u passed, %u failed, %u not run\n", rep->passed,
                   rep->failed, rep->not_run) < 0;
  return bad || fflush(f) ? -1 : 0;
}
