/*
 * sync.h — one sync run from start to end: LastPass, the driver's snapshot,
 * recovery of interrupted changes, rules, plan, apply, journal, report.
 * Everything it needs comes in `sync_settings`, already validated, so it
 * does not depend on how the configuration is read.
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
#include "progress.h"
#include "rules.h"

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
} sync_settings;

typedef struct sync_report {
  int exit_code;
  long long run_id;
  json_object *json; /* the lpsa.report/1 document */
  char *text;        /* the table for people */
  run_summary summary;
  double duration_s;
  char error[2048]; /* why the run aborted or could not start */
} sync_report;

/* Run once. Always fills `out` (free with sync_report_free), including for
 * configuration and upstream failures, whose exit codes it sets. */
void sync_run(const sync_settings *s, sync_report *out);
void sync_report_free(sync_report *r);

#endif
