/* SPDX-License-Identifier: MIT */
/*
 * report.h — what a run did, for people (a table: changes first, then the
 * problems grouped by rule with what to do, then how many companies are
 * already in step) and for machines (JSON, schema "lpsa.report/1").
 *
 * JSON: {schema, run_id, driver, driver_version, mode ("apply"|"dry-run"),
 * started, finished, exit_code, aborted (null or the reason), billing_cycle
 * {start,end}, terms {psa, company, agreement, line, product} (the PSA's
 * words), summary {companies, updated, unchanged, planned, skipped, held,
 * errors, acknowledged}, requests {total, by_endpoint{label: n},
 * concurrency {max, peak, halved, smallest}}, companies [{lastpass_id,
 * lastpass_name, sku, seats, psa_company_id, psa_company_name, agreement_id,
 * line_id, product, old_quantity, new_quantity, effective_date, status,
 * approved_by, rules [RULE]}], findings [RULE], plan_id (the plan saved or
 * applied, or null)}, where RULE is {code, severity, message, acknowledged
 * (true when an acknowledgement applies), acknowledgement (null or {by, at,
 * until, note, state: applies|changed|expired})}. Absent values are null.
 *
 * Both forms hide every credential the logger `redact` knows, in each of
 * its encodings; the table shows strings from LastPass and the PSA escaped
 * (text_escape.h), so a company name cannot drive the terminal or add a
 * line of its own.
 */
#ifndef LPSA_CORE_REPORT_H
#define LPSA_CORE_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "log.h"
#include "lpsa/driver.h"
#include "outcome.h"

/* Requests made to one endpoint during the run. */
typedef struct report_count {
  const char *label;
  unsigned long requests;
} report_count;

/* Free `n` counts whose labels are owned (strdup), and the array. */
void report_counts_free(report_count *c, size_t n);

/* The concurrency a run's PSA requests used (the HTTP client's window):
 * max_concurrency, the most in flight at once, how often throttled answers
 * halved the window and the smallest it got (0: never halved). */
typedef struct report_concurrency {
  unsigned max, peak, halved, smallest;
} report_concurrency;

typedef struct report_meta {
  long long run_id;
  const char *driver;
  const char *driver_version;
  int dry_run;
  const char *started;
  const char *finished;
  const char *cycle_start; /* may be NULL or "" */
  const char *cycle_end;
  const char *aborted; /* NULL, or why the run stopped */
  int exit_code;
  const lpsa_terms *terms;
  const report_count *counts; /* sorted by label */
  size_t n_counts;
  unsigned long total_requests;
  const report_concurrency *concurrency; /* NULL: not shown */
  const char *plan_id;       /* the plan saved or applied, or NULL */
  const char *planned_title; /* the table of planned changes; NULL: by mode */
  /* Hides every credential in every string of both forms (NULL: none). */
  const lpsa_log *redact;
} report_meta;

/* The JSON report (a new reference), or NULL when out of memory. */
json_object *report_json(const report_meta *m, const run_result *r);
/* The table for people. */
void report_text(FILE *out, const report_meta *m, const run_result *r);
/* The same table as a new string, or NULL when out of memory. */
char *report_text_string(const report_meta *m, const run_result *r);
/* Replace every credential `log` knows in every string of the tree (the
 * report's and the plan file's). */
void report_redact_tree(json_object *o, const lpsa_log *log);
/* Summary as a JSON object string (for the journal); caller frees. */
char *report_summary_json(const run_result *r);

#endif
