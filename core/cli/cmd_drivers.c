/* SPDX-License-Identifier: MIT */
/*
 * cmd_drivers.c — `lpsa-host drivers`: what is on the driver path.
 */
#include "commands.h"
#include "drivers_list.h"
#include "exit_codes.h"

int cmd_drivers(app *a) {
  int rc = app_load_config_optional(a);
  if (rc)
    return rc;
  int listed =
      drivers_list_print(stdout, (const char *const *)a->cfg.driver_path,
                         a->cfg.n_driver_path, a->opt.json);
  if (listed < 0) {
    app_error("cannot scan the driver path (out of memory or processes)");
    return EXIT_USAGE;
  }
  return listed == 0 ? EXIT_IN_STEP : EXIT_ATTENTION;
}
