/* SPDX-License-Identifier: MIT */
/*
 * cmd_history.c — `lpsa-host history [--run N | --report N | --company ID]`:
 * the journal read back (journal_history.h) and printed (history.h).
 */
#include <stdlib.h>

#include "commands.h"
#include "exit_codes.h"
#include "history.h"
#include "journal_history.h"
#include "journal_plans.h"
#include "lpsa/status.h"

#define HISTORY_LIST_LIMIT 100

static void print_json(json_object *o) {
  printf("%s\n",
         json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int list_runs(app *a, journal *j) {
  journal_run_info *runs;
  size_t n;
  if (journal_runs_list(j, HISTORY_LIST_LIMIT, &runs, &n) != LPSA_OK) {
    app_error("cannot read the runs from the journal in %s", a->cfg.state_dir);
    return EXIT_USAGE;
  }
  if (a->opt.json) {
    json_object *o = history_runs_json(runs, n);
    print_json(o);
    json_object_put(o);
  } else {
    history_print_runs(stdout, runs, n);
  }
  journal_runs_free(runs, n);
  return EXIT_IN_STEP;
}

static int get_run(app *a, journal *j, long long id, journal_run_info *run) {
  int rc = journal_run_get(j, id, run);
  if (rc == LPSA_ERR_NOT_FOUND)
    app_error("no run %lld in the journal in %s; `lpsa-host history` lists "
              "the runs (runs older than history_days are pruned)",
              id, a->cfg.state_dir);
  else if (rc != LPSA_OK)
    app_error("cannot read run %lld from the journal in %s", id,
              a->cfg.state_dir);
  return rc == LPSA_OK ? 0 : EXIT_USAGE;
}

static int show_run(app *a, journal *j, long long id) {
  journal_run_info run;
  int rc = get_run(a, j, id, &run);
  if (rc)
    return rc;
  journal_change *changes;
  size_t n;
  if (journal_run_changes(j, id, &changes, &n) != LPSA_OK) {
    app_error("cannot read the changes of run %lld from the journal", id);
    journal_run_info_clear(&run);
    return EXIT_USAGE;
  }
  /* The saved plan the run applied, if any. */
  char plan_id[PLAN_ID_LEN] = "";
  history_run_extra extra = {0};
  if (journal_run_plan(j, id, plan_id) == 1)
    extra.plan_id = plan_id;
  if (a->opt.json) {
    json_object *o = history_run_json(&run, changes, n, &extra);
    if (o)
      print_json(o);
    json_object_put(o);
    rc = o ? EXIT_IN_STEP : EXIT_USAGE;
  } else {
    history_print_run(stdout, &run, changes, n, &extra);
  }
  journal_changes_free(changes, n);
  journal_run_info_clear(&run);
  return rc;
}

static int show_report(app *a, journal *j, long long id) {
  journal_run_info run;
  int rc = get_run(a, j, id, &run);
  if (rc)
    return rc;
  if (!run.report) {
    app_error("run %lld stored no report: it did not finish (%s); `lpsa-host "
              "history --run %lld` shows what the journal recorded",
              id, run.result, id);
    rc = EXIT_USAGE;
  } else {
    /* Pretty, as --json and --report FILE write it. */
    json_object *o = json_tokener_parse(run.report);
    if (o)
      print_json(o);
    else
      printf("%s\n", run.report);
    json_object_put(o);
  }
  journal_run_info_clear(&run);
  return rc;
}

static int show_company(app *a, journal *j, const char *id) {
  const char *driver = a->opt.driver;
  journal_change *changes;
  size_t n;
  if (journal_company_changes(j, id, driver, &changes, &n) != LPSA_OK) {
    app_error("cannot read the changes of company %s from the journal", id);
    return EXIT_USAGE;
  }
  journal_run_info latest;
  char *entry_text = NULL;
  int found = journal_latest_company_entry(j, id, driver, &latest, &entry_text);
  json_object *entry = found == 1 ? json_tokener_parse(entry_text) : NULL;
  free(entry_text);
  int rc = EXIT_IN_STEP;
  if (found < 0) {
    app_error("cannot read the stored reports from the journal");
    rc = EXIT_USAGE;
  } else if (!n && !entry) {
    app_error("the journal knows no LastPass company %s%s%s: no change of it "
              "and no stored report lists it; `lpsa-host history --run N` "
              "shows a run's companies",
              id, driver ? " for driver " : "", driver ? driver : "");
    rc = EXIT_USAGE;
  } else if (a->opt.json) {
    json_object *o =
        history_company_json(id, changes, n, entry ? &latest : NULL, entry);
    print_json(o);
    json_object_put(o);
  } else {
    history_print_company(stdout, id, changes, n, entry ? &latest : NULL,
                          entry);
  }
  json_object_put(entry);
  if (found == 1)
    journal_run_info_clear(&latest);
  journal_changes_free(changes, n);
  return rc;
}

int cmd_history(app *a) {
  int rc = app_load_config_nosecrets(a);
  if (rc)
    return rc;
  journal *j;
  if ((rc = app_open_journal(a, &j)))
    return rc;
  if (a->opt.run_id)
    rc = show_run(a, j, a->opt.run_id);
  else if (a->opt.report_run_id)
    rc = show_report(a, j, a->opt.report_run_id);
  else if (a->opt.company)
    rc = show_company(a, j, a->opt.company);
  else
    rc = list_runs(a, j);
  journal_close(j);
  return rc;
}
