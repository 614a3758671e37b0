/* SPDX-License-Identifier: MIT */
/*
 * cmd_sync.c — one sync run from the command line: set up, run, print the
 * report (a table, or JSON with --json), write --report FILE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply_hint.h"
#include "atomic_file.h"
#include "commands.h"
#include "confirm.h"
#include "followup.h"
#include "sync.h"

void sync_settings_from_app(const app *a, sync_settings *s) {
  memset(s, 0, sizeof *s);
  s->driver_name = a->driver_name;
  s->driver = a->driver.desc;
  s->driver_config = a->driver_cfg.values;
  s->n_driver_config = a->driver_cfg.n_values;
  s->products = a->products;
  s->n_products = a->n_products;
  s->rows = a->rows;
  s->n_rows = a->n_rows;
  s->state_dir = a->cfg.state_dir;
  s->lastpass_url = a->cfg.lastpass_api_url;
  s->lastpass_key = a->cfg.lastpass_api_key;
  s->max_decrease_percent = a->cfg.max_decrease_percent;
  s->history_days = a->cfg.history_days;
  s->suspended_zero = a->cfg.suspended_zero;
  s->allow_large_decrease = a->opt.allow_large_decrease;
  s->dry_run = a->opt.dry_run;
  s->run_timeout = a->cfg.run_timeout;
  s->http = a->http;
  s->log = a->log;
  s->stop = a->stop;
  s->max_increase_percent = a->cfg.max_increase_percent;
  s->guardrail_min_seats = a->cfg.guardrail_min_seats;
  s->approve = (const char *const *)a->approve;
  s->n_approve = a->n_approve;
  s->approved_by = a->user;
  s->config_path = a->cfg.path;
  s->config_digest = a->config_digest;
  s->mapping_path = a->cfg.mapping_file;
  s->mapping_digest = a->mapping_digest;
  s->plan_max_age = a->cfg.plan_max_age;
}

void cmd_followup(const app *a, const sync_report *r) {
  followup_settings s = {
      .cfg = &a->cfg, .http = a->http, .log = a->log, .stop = a->stop};
  notify_run n = {.driver = a->driver_name,
                  .run_id = r->run_id,
                  .exit_code = r->exit_code,
                  .dry_run = a->opt.dry_run,
                  .summary = r->summary,
                  .text = r->text,
                  .report = r->json,
                  .error = r->error};
  followup_after_run(&s, &n, r->duration_s);
}

static const char *report_text_json(const sync_report *r) {
  return r->json ? json_object_to_json_string_ext(
                       r->json,
                       JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)
                 : "{}";
}

int cmd_sync_report_file(const app *a, const sync_report *r) {
  if (!a->opt.report_file)
    return 0;
  /* mkstemp + fsync + rename: no predictable name to plant a link at, and
   * a reader never sees half a report. Private: it names every company. */
  const char *json = report_text_json(r);
  size_t len = strlen(json);
  char err[1024] = "cannot write the report: out of memory";
  char *text = malloc(len + 2);
  int rc = -1;
  if (text) {
    memcpy(text, json, len);
    memcpy(text + len, "\n", 2);
    rc = atomic_write_file(a->opt.report_file, text, len + 1, 0600, err,
                           sizeof err);
    free(text);
  }
  if (rc != 0) {
    log_msg(a->log, LPSA_LOG_ERROR, "--report: %s", err);
    return -1;
  }
  return 0;
}

int cmd_sync_output(const app *a, const sync_report *r) {
  if (a->opt.json)
    printf("%s\n", report_text_json(r));
  else if (r->declined)
    printf("Not confirmed: nothing was written to %s (run %lld is recorded "
           "as a dry run).\n",
           a->driver.desc->terms->psa, r->run_id);
  else if (r->text)
    fputs(r->text, stdout);
  if (!a->opt.json && a->opt.dry_run && a->opt.command == CMD_SYNC &&
      !r->error[0])
    apply_hint_dry_run(stdout, a, r);
  fflush(stdout);
  return cmd_sync_report_file(a, r);
}

void cmd_sync_confirm(const app *a, sync_settings *s) {
  if (confirm_wanted(a)) {
    s->confirm = confirm_on_terminal;
    s->confirm_arg = NULL;
  }
}

int cmd_sync(app *a) {
  int rc;
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)) ||
      (rc = app_load_mapping(a)) || (rc = app_http(a)))
    return rc;
  sync_settings s;
  sync_settings_from_app(a, &s);
  cmd_sync_confirm(a, &s);
  progress *p =
      progress_new(progress_mode_for(a->opt.quiet, a->opt.json, a->opt.verbose,
                                     0, isatty(STDERR_FILENO)),
                   stderr, a->log, a->driver.desc->terms->psa, NULL);
  s.progress = p;
  sync_report r;
  sync_run(&s, &r); /* logs its own abort reason, once */
  progress_free(p);
  rc = r.exit_code;
  if (cmd_sync_output(a, &r) != 0 && rc == EXIT_IN_STEP)
    rc = EXIT_ATTENTION;
  cmd_followup(a, &r);
  sync_report_free(&r);
  return rc;
}
