/*
 * cmd_history.c — `lpsa-host history [--run ID]`: the journal's runs.
 */
#include "commands.h"
#include "exit_codes.h"
#include "journal.h"
#include "state_owner.h"

int cmd_history(app *a) {
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
  rc = a->opt.run_id ? journal_print_run(j, stdout, a->opt.run_id, a->opt.json,
                                         err, sizeof err)
                     : journal_print_runs(j, stdout, a->opt.json, 100);
  journal_close(j);
  if (rc != LPSA_OK) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  return EXIT_IN_STEP;
}
