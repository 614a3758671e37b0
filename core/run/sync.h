/* SPDX-License-Identifier: MIT */
/*
 * sync.h — one sync run from start to end: LastPass, the driver's snapshot,
 * recovery of interrupted changes, rules, plan, apply, journal, report.
 * Everything it needs comes in `sync_settings`, already validated, so it
 * does not depend on how the configuration is read.
 *
 * The same call serves every front end (the CLI, the daemon, the web
 * console): a sync; a plan (dry_run and save_plan: the report's plan_id
 * and plan_path say where it went); applying a saved plan (apply_plan,
 * with approve and approved_by naming the companies a person released and
 * that person). The journal's list of plans and their fate is
 * journal_plans_list() (journal_plans.h).
 */
#ifndef LPSA_CORE_SYNC_H
#define LPSA_CORE_SYNC_H

#include <json-c/json.h>
#include <signal.h>

#include "exit_codes.h"
#include "http.h"
#include "log.h"
#include "lpsa/driver.h"
#include "outcome.h"
#include "plan.h"
#include "progress.h"
#include "report.h"
#include "rules.h"

/* What a person is asked to confirm before the first write. */
typedef struct sync_confirm {
  const char *text; /* the plan as a table (report_text) */
  size_t changes;   /* how many lines would be written */
  const char *psa;  /* the PSA's name */
} sync_confirm;

typedef struct sync_settings {
  const char *driver_name; /* the [driver.NAME] section */
  const lpsa_driver *driver;
  const lpsa_config_value *driver_config;
  size_t n_driver_config;
  const lpsa_product_ref *products;
  size_t n_products;
  const map_row *rows;
  size_t n_rows;
  const char *state_dir;
  const char *lastpass_url;
  const char *lastpass_key;
  int max_decrease_percent;
  int history_days; /* prune older runs at the start (0: keep all) */
  int suspended_zero;
  int allow_large_decrease;
  int dry_run;
  int run_timeout; /* seconds the whole run may take; 0: no limit */
  /* Findings of the run as a whole that its caller found before it
   * started (the daemon: a changed or unreadable mapping), or NULL. */
  const finding_list *notices;
  http_client *http;
  lpsa_log *log;
  progress *progress; /* NULL: none shown */
  volatile sig_atomic_t *stop;
  /* Guardrails (planner.h). */
  int max_increase_percent;
  int guardrail_min_seats;
  /* Approvals (approval.h): the LastPass company ids whose held changes a
   * person releases, and who does: the Unix user of a command, the web
   * console's user. approved_by also names who made a plan. */
  const char *const *approve;
  size_t n_approve;
  const char *approved_by;
  /* Who released each of `approve` when several people did (the web
   * console keeps each approver's name): n_approve names, or NULL for
   * approved_by throughout. */
  const char *const *approve_by;
  /* The files the run was configured from, and their SHA-256 (digest.h),
   * recorded in a saved plan and checked when one is applied. */
  const char *config_path, *config_digest;
  const char *mapping_path, *mapping_digest;
  int plan_max_age; /* seconds */
  /* `plan`: a dry run that saves its plan (plan_save.h) to plan_out, or
   * to <state_dir>/plans/<id>.json when NULL. */
  int save_plan;
  const char *plan_out;
  /* `apply PLAN`: apply the plan file at this path instead of planning
   * (plan_replay.h); rows, LastPass and the planner are not used. */
  const char *apply_plan;
  /* Called once after planning and before the first write, when there is
   * something to write: 1 writes, anything else writes nothing (the run
   * becomes a dry run). NULL: no question. */
  int (*confirm)(void *arg, const sync_confirm *c);
  void *confirm_arg;
} sync_settings;

typedef struct sync_report {
  int exit_code;
  long long run_id;
  json_object *json; /* the lpsa.report/1 document */
  char *text;        /* the table for people */
  run_summary summary;
  double duration_s;
  /* What the run decided and did, typed, for what follows it (the metrics
   * file): the outcomes and findings (owned), the requests sent by endpoint
   * (owned labels), when it finished by the run's clock. */
  run_result res;
  /* The rule codes of an applied plan its findings point to (owned): they
   * live as long as res, not as long as the plan. */
  char **codes;
  size_t n_codes;
  report_count *counts;
  size_t n_counts;
  time_t finished;
  const char *driver_version; /* the driver's (borrowed) */
  int dry_run;      /* the mode it ran in (a declined run is a dry run) */
  char error[2048]; /* why the run aborted or could not start */
  /* The plan saved (`plan`) or applied (`apply PLAN`). */
  char plan_id[PLAN_ID_LEN];
  char plan_path[4096];
  size_t plan_changes, plan_held; /* of a saved plan */
  int declined; /* the person did not confirm: nothing was written */
} sync_report;

/* Run once. Always fills `out` (free with sync_report_free), including for
 * configuration and upstream failures, whose exit codes it sets. */
void sync_run(const sync_settings *s, sync_report *out);
void sync_report_free(sync_report *r);

#endif
