/* SPDX-License-Identifier: MIT */
/*
 * cmd_apply.c — `lpsa-host apply PLAN [--approve ID[,ID...]] [--yes]`:
 * write exactly a saved plan (plan_replay.h), asking first on a terminal.
 */
#include <stdio.h>

#include "commands.h"
#include "exit_codes.h"

int cmd_apply(app *a) {
  int rc;
  /* The mapping is read for its digest: a plan made from another mapping
   * file is refused. */
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)) ||
      (rc = app_load_mapping(a)) || (rc = app_http(a)))
    return rc;
  sync_settings s;
  sync_settings_from_app(a, &s);
  s.apply_plan = a->opt.plan_file;
  cmd_sync_confirm(a, &s);
  sync_report r;
  sync_run(&s, &r); /* logs its own abort reason, once */
  rc = r.exit_code;
  if (cmd_sync_output(a, &r) != 0 && rc == EXIT_IN_STEP)
    rc = EXIT_ATTENTION;
  cmd_followup(a, &r);
  sync_report_free(&r);
  return rc;
}
