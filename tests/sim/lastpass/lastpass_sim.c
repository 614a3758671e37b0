/* SPDX-License-Identifier: MIT */
/*
 * lastpass_sim.c — the lastpass-sim program: the LastPass MSP API
 * simulator (tests, demo, benchmark). Owns the one lp_app of the process.
 *
 *   lastpass-sim [standard simulator options] [--api-key KEY] [--now DATE]
 *
 * Dataset: --fixture FILE (lp_data.h), or --generate N --seed S (the shared
 * world, sim_world.h); with neither, 25 generated companies (seed 1).
 */
#include <stdio.h>
#include <string.h>

#include "lp_app.h"
#include "lp_dates.h"

static int lp_option(void *ctx, const char *name, const char *value, char *err,
                     size_t cap) {
  lp_app *app = ctx;
  if (strcmp(name, "--api-key") == 0) {
    if (!value || !*value || strlen(value) >= sizeof app->api_key) {
      snprintf(err, cap, "--api-key needs a key (under 256 characters)");
      return SIM_OPT_ERROR;
    }
    snprintf(app->api_key, sizeof app->api_key, "%s", value);
    return SIM_OPT_VALUE;
  }
  if (strcmp(name, "--now") == 0) {
    if (!lp_date_valid(value)) {
      snprintf(err, cap, "--now needs a date written YYYY-MM-DD");
      return SIM_OPT_ERROR;
    }
    snprintf(app->now, sizeof app->now, "%s", value);
    return SIM_OPT_VALUE;
  }
  return SIM_OPT_UNKNOWN;
}

static int lp_load(void *ctx, const sim_options *opt, char *err, size_t cap) {
  lp_app *app = ctx;
  if (opt->fixture && opt->generate >= 0) {
    snprintf(err, cap, "give either --fixture or --generate, not both");
    return -1;
  }
  if (opt->fixture) {
    json_object *j = json_object_from_file(opt->fixture);
    if (!j) {
      snprintf(err, cap, "cannot read the fixture %s: %s", opt->fixture,
               json_util_get_last_err() ? json_util_get_last_err()
                                        : "bad JSON");
      return -1;
    }
    char why[400];
    int rc = lp_data_from_json(j, &app->data, why, sizeof why);
    json_object_put(j);
    if (rc != 0)
      snprintf(err, cap, "fixture %s: %s", opt->fixture, why);
    return rc;
  }
  int n = opt->generate >= 0 ? opt->generate : 25;
  if (lp_data_generate(&app->data, n, opt->seed, opt->change_pct) != 0) {
    snprintf(err, cap, "out of memory generating %d companies", n);
    return -1;
  }
  return 0;
}

static const char usage[] =
    "  --api-key KEY       the accepted API key (default lpkey_demo)\n"
    "  --now YYYY-MM-DD    the simulator's today, for billing cycles "
    "(default: today, UTC)\n"
    "Serves GET /business/v1/managed-companies[/{id}/users] and\n"
    "/business/v1/managed-companies-reports/"
    "{billing-cycles,billing-reports}.\n";

int main(int argc, char **argv) {
  lp_app app;
  sim_app sim;
  memset(&app, 0, sizeof app);
  snprintf(app.api_key, sizeof app.api_key, "lpkey_demo");
  lp_date_today(app.now);
  app.generation = 1;
  memset(&sim, 0, sizeof sim);
  sim.name = "lastpass-sim";
  sim.ctx = &app;
  sim.handle = lp_handle;
  sim.state_get = lp_state_get;
  sim.state_put = lp_state_put;
  sim.load = lp_load;
  sim.option = lp_option;
  sim.usage = usage;
  int rc = sim_main(argc, argv, &sim);
  lp_data_free(&app.data);
  return rc;
}
