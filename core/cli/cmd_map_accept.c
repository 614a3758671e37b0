/* SPDX-License-Identifier: MIT */
/*
 * cmd_map_accept.c — `lpsa-host [--driver NAME] map accept`: a person
 * confirms that the mapping file really lost more than half of its rows.
 *
 * Until then MAPPING_SHRANK stays pending: every run of the driver holds
 * every change, says so, and exits 1, and the smaller size is never taken
 * as the one later runs compare with (a row lost by mistake stops a
 * customer's billing updates without a word). The acceptance is journaled
 * with who made it (the Unix user) and the row count accepted.
 * Exit: 0 accepted or nothing to accept, 2 configuration, 3 journal.
 */
#include <stdio.h>

#include "commands.h"
#include "exit_codes.h"
#include "journal_plans.h"
#include "planner.h"

int cmd_map_accept(app *a) {
  int rc;
  if ((rc = app_load_config_nosecrets(a)) || (rc = app_pick_driver(a)) ||
      (rc = app_load_mapping(a)))
    return rc;
  journal *j;
  if ((rc = app_open_journal(a, &j)))
    return rc;
  const char *file = a->cfg.mapping_file ? a->cfg.mapping_file : "";
  long long before = 0, run = 0;
  int known = journal_mapping_rows_last(j, a->driver_name, &before, &run);
  if (a->n_rows == 0) {
    app_error("the mapping file %s has no rows, so lpsa would bill nobody: "
              "that is not a smaller mapping to accept; add a row for each "
              "LastPass company to bill (`lpsa-host map suggest` proposes "
              "them)",
              file);
    rc = EXIT_USAGE;
  } else if (known < 0) {
    app_error("cannot read the journal: %s", journal_error(j));
    rc = EXIT_ABORTED;
  } else if (!known) {
    printf("Nothing to accept: no run of [driver.%s] has recorded the "
           "mapping's size yet; the next successful run records its %zu "
           "rows.\n",
           a->driver_name, a->n_rows);
  } else if (!plan_mapping_shrank((size_t)before, a->n_rows)) {
    printf("Nothing to accept: the mapping file %s has %zu rows, and runs "
           "of [driver.%s] compare with %lld (run %lld): it did not lose "
           "more than half of them.\n",
           file, a->n_rows, a->driver_name, before, run);
  } else if (journal_mapping_accept(j, a->driver_name, (long long)a->n_rows,
                                    a->user) != LPSA_OK) {
    app_error("cannot record the acceptance in the journal: %s",
              journal_error(j));
    rc = EXIT_ABORTED;
  } else {
    printf("Accepted by %s: the mapping file %s has %zu rows (it had %lld "
           "at run %lld); runs of [driver.%s] compare with %zu from now on, "
           "and no longer hold changes for MAPPING_SHRANK.\n",
           a->user, file, a->n_rows, before, run, a->driver_name, a->n_rows);
  }
  journal_close(j);
  return rc;
}
