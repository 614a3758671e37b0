/* SPDX-License-Identifier: MIT */
/*
 * cmd_history_plans.c — `lpsa-host history --plans`: the saved plans, and
 * what became of each (applied, partly applied, not applied, expired,
 * refused).
 */
#include "commands.h"
#include "exit_codes.h"
#include "host_api.h"
#include "journal.h"
#include "journal_plans.h"
#include "state_owner.h"

int cmd_history_plans(app *a) {
  int rc = app_load_config_nosecrets(a);
  if (rc)
    return rc;
  journal *j;
  char err[1024];
  /* Opening the journal may create its WAL files: not as another user. */
  if (state_owner_check(a->cfg.state_dir, err, sizeof err) != 0) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  journal_status js = journal_open(a->cfg.state_dir, 0, &j, err, sizeof err);
  if (js != JOURNAL_OK) {
    app_error("%s", err);
    /* A locked, full or damaged journal is not a configuration error. */
    return js == JOURNAL_NO_STATE_DIR ? EXIT_USAGE : EXIT_ABORTED;
  }
  /* The run's clock (LPSA_NOW in tests) tells which plans expired. */
  lpsa_host host;
  host_init(&host, a->log, NULL);
  long long now = (long long)host_api()->now(&host);
  rc = journal_print_plans(j, stdout, a->opt.json, now, a->cfg.plan_max_age,
                           100);
  journal_close(j);
  if (rc != LPSA_OK) {
    app_error("cannot read the plans from the journal in %s", a->cfg.state_dir);
    return EXIT_ABORTED;
  }
  return EXIT_IN_STEP;
}
