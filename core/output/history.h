/* SPDX-License-Identifier: MIT */
/*
 * history.h — the journal for people and programs (`lpsa-host history`),
 * over the read API of state/journal_history.h:
 *   - the runs: a table, or {"schema": "lpsa.history/1", "runs": [...]};
 *   - one run: its stored report printed as the run printed it (every
 *     company: changes, held changes and why, errors and warnings with
 *     their rule codes, skipped companies, or what a dry run planned), then
 *     what the journal recorded of each change; as JSON, the stored
 *     lpsa.report/1 document with "result" (the journal's) and "changes"
 *     (the journal's records) added;
 *   - one company: its changes over time (date, run, line, old, new, state,
 *     who approved) and how the newest run saw it.
 */
#ifndef LPSA_CORE_HISTORY_H
#define LPSA_CORE_HISTORY_H

#include <json-c/json.h>
#include <stdio.h>

#include "journal_history.h"

/* What a run's view adds beyond the journal's runs and changes: a hook for
 * the saved plan a run applied. Members may be NULL. */
typedef struct history_run_extra {
  const char *plan_id; /* the plan this run applied */
  json_object *plan;   /* its JSON (borrowed), added as "plan" */
} history_run_extra;

json_object *history_runs_json(const journal_run_info *runs, size_t n);
void history_print_runs(FILE *out, const journal_run_info *runs, size_t n);

/* One run (`extra` may be NULL). NULL when out of memory. */
json_object *history_run_json(const journal_run_info *run,
                              const journal_change *changes, size_t n,
                              const history_run_extra *extra);
void history_print_run(FILE *out, const journal_run_info *run,
                       const journal_change *changes, size_t n,
                       const history_run_extra *extra);

/* The journal's records of changes, as a JSON array. */
json_object *history_changes_json(const journal_change *changes, size_t n);

/* One company: `latest` is the newest run listing it and `entry` its
 * company object there (both NULL when no stored report lists it). */
json_object *history_company_json(const char *lastpass_id,
                                  const journal_change *changes, size_t n,
                                  const journal_run_info *latest,
                                  json_object *entry);
void history_print_company(FILE *out, const char *lastpass_id,
                           const journal_change *changes, size_t n,
                           const journal_run_info *latest, json_object *entry);

#endif
