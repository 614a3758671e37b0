/* SPDX-License-Identifier: MIT */
/*
 * app.h — what every lpsa-host command sets up from the command line: the
 * logger, the configuration, the chosen driver (loaded, its section checked),
 * the mapping file and the HTTP client. Each step prints its own clear error
 * and returns the exit code to use (0 when it succeeded).
 */
#ifndef LPSA_CORE_APP_H
#define LPSA_CORE_APP_H

#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"
#include "config_driver.h"
#include "daemon.h"
#include "http.h"
#include "journal.h"
#include "loader.h"
#include "log.h"
#include "mapping.h"
#include "rules.h"

typedef struct app {
  cli_options opt;
  lpsa_log *log;
  lpsa_config cfg;
  int cfg_loaded;
  driver_stamp cfg_stamp; /* the configuration file as it was loaded */
  char *default_driver_dir;
  /* The chosen driver. */
  const config_driver_section *section;
  const char *driver_name; /* the section's NAME */
  loaded_driver driver;
  driver_config driver_cfg;
  lpsa_product_ref *products;
  size_t n_products;
  /* The mapping file. */
  mapping map;
  map_row *rows;
  size_t n_rows;
  /* The daemon: how the mapping changed since the last run, when a reload
   * changed it, for that run's report (owned; NULL: no change). */
  char *mapping_change;
  http_client *http;
  volatile sig_atomic_t *stop;
  /* Who runs the command (the Unix user): approved_by, made_by. */
  char user[64];
  /* --approve, parsed. */
  char **approve;
  size_t n_approve;
  /* SHA-256 of the configuration and mapping files as loaded ("" until). */
  char config_digest[65];
  char mapping_digest[65];
  int owns_log; /* app_free() frees `log` only when set */
  /* When set, setup errors are collected in `captured` (one per line)
   * instead of printed: `check` shows them as checklist items, the daemon
   * logs them when a reloaded configuration is refused. */
  int capture;
  char captured[8192];
} app;

/* Logger per -v/-q/--syslog. 0 or 2. */
int app_init(app *a, const cli_options *opt, volatile sig_atomic_t *stop);
/* A second app with the options, stop flag and logger of `from` (borrowed:
 * `from` must outlive it unless app_take_log() moves it), for loading a
 * configuration again. 0 or 2. */
int app_init_like(app *a, const app *from);
/* Move the ownership of the shared logger from `from` to `to`. */
void app_take_log(app *to, app *from);
/* Read the configuration (required: its absence is an error). 0 or 2. */
int app_load_config(app *a);
/* The same without resolving secrets, for commands that use none. */
int app_load_config_nosecrets(app *a);
/* Read the configuration when there is one, else use the defaults (for
 * `drivers`). 0 or 2. */
int app_load_config_optional(app *a);
/* Pick the [driver.NAME] section (--driver, or the only one) into
 * section and driver_name, without loading its module. 0 or 2. */
int app_pick_driver(app *a);
/* Pick the [driver.NAME] section (--driver, or the only one), load its
 * module and check its keys. 0 or 2. */
int app_load_driver(app *a);
/* Read the mapping file. 0 or 2. */
int app_load_mapping(app *a);
/* Use `m` (taken: zeroed on return) as the mapping, in place of the one
 * loaded. 0, or 2 when out of memory (then the loaded one stays). */
int app_use_mapping(app *a, mapping *m);
/* Open the journal in state_dir for a command that reads or records in it
 * (history, ack), after checking state_dir's owner. 0, or the exit code
 * (2: state_dir unusable, 3: the journal locked, full or damaged), said. */
int app_open_journal(app *a, journal **out);
/* An HTTP client per the configuration. 0 or 2. */
int app_http(app *a);
void app_free(app *a);

/* Print an error to stderr with the program's prefix. */
void app_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error of a setup step: collected when a->capture, else app_error(). */
void app_say(app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
