/* SPDX-License-Identifier: MIT */
/*
 * metrics.h — the `metrics_file`: what the last run did, in the Prometheus
 * text exposition format (version 0.0.4), for node_exporter's textfile
 * collector or any scraper that reads a file.
 *
 * Every value describes the last finished run, so every metric is a gauge:
 *   lpsa_last_run_timestamp_seconds   Unix time the run finished
 *   lpsa_last_run_duration_seconds    how long it took
 *   lpsa_last_run_exit_code           0 in step, 1 needs a person,
 *                                     2 configuration, 3 aborted/stopped
 *   lpsa_last_run_success             1 when the exit code was 0, else 0
 *   lpsa_last_run_id                  the journal's run number
 *   lpsa_last_run_info{driver,driver_version,mode}   always 1
 *   lpsa_companies{status}            LastPass companies by outcome (all six
 *                                     statuses, zeros included)
 *   lpsa_last_run_api_requests{service,endpoint}
 *                                     requests sent by the run, by endpoint;
 *                                     service is "lastpass" for LastPass and
 *                                     the driver's name for the PSA
 *   lpsa_rule_findings{code,severity} rule findings by code and severity
 *                                     (companies' and run-wide ones)
 * Request counts are per run, not running totals, hence no `_total` suffix:
 * a counter that restarts every run would confuse rate().
 */
#ifndef LPSA_CORE_METRICS_H
#define LPSA_CORE_METRICS_H

#include <json-c/json.h>
#include <stddef.h>
#include <time.h>

typedef struct metrics_run {
  time_t finished;
  double duration_s;
  int exit_code;
  long long run_id;   /* 0 when the run was not journaled */
  const char *driver; /* the [driver.NAME] of the run (service label) */
  /* The lpsa.report/1 document (summary, requests, companies, findings);
   * NULL gives zeros. */
  json_object *report;
} metrics_run;

/* The file's text: a new string, or NULL when out of memory. */
char *metrics_render(const metrics_run *m);

/* Append `value` to out as a label value, escaped per the format (\\, \",
 * \n). Returns the length written (excluding the NUL), or the length needed
 * when cap is too small (like snprintf). */
size_t metrics_escape_label(const char *value, char *out, size_t cap);

/* Replace `path` atomically (a temporary file in the same directory, synced,
 * mode 0644, then renamed over it). 0, or -1 with one line in err. */
int metrics_write_file(const char *path, const char *text, char *err,
                       size_t errlen);

#endif
