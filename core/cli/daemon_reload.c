/* SPDX-License-Identifier: MIT */
/*
 * daemon_reload.c — SIGHUP: the configuration, driver and mapping file
 * loaded again into a new app, which replaces the running one only when
 * everything loaded.
 */
#include "daemon_reload.h"

#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "mapping_diff.h"
#include "zone.h"

/* Log every line collected by a refused reload. */
static void log_refusal(app *old, const app *fresh) {
  const char *p = fresh->captured;
  while (*p) {
    size_t len = strcspn(p, "\n");
    log_msg(old->log, LPSA_LOG_ERROR, "reload: %.*s", (int)len, p);
    p += len;
    if (*p == '\n')
      p++;
  }
  log_msg(old->log, LPSA_LOG_ERROR,
          "reload refused: fix the configuration and send SIGHUP again; the "
          "configuration loaded before keeps running");
}

/* Load everything a run needs into `fresh`. 0 or the exit code. */
static int load_all(app *fresh) {
  int rc;
  if ((rc = app_load_config(fresh)) || (rc = app_load_driver(fresh)) ||
      (rc = app_load_mapping(fresh)) || (rc = app_http(fresh)))
    return rc;
  if (!fresh->cfg.schedule_text) {
    app_say(fresh,
            "%s: [host] sets no schedule; the daemon needs one (e.g. "
            "schedule = daily 02:00)",
            fresh->cfg.name);
    return EXIT_USAGE;
  }
  return 0;
}

/* Keep for the next run's report how the reload changed the mapping (after
 * any change an earlier reload made since the last run). */
static void note_mapping_change(app *old, app *fresh) {
  mapping_diff d;
  char what[1024];
  if (mapping_diff_of(&old->map, &fresh->map, &d, what, sizeof what) != 0 ||
      !mapping_diff_any(&d)) {
    fresh->mapping_change = old->mapping_change;
    old->mapping_change = NULL;
    return;
  }
  size_t len = strlen(what) +
               (old->mapping_change ? strlen(old->mapping_change) + 8 : 0) + 1;
  fresh->mapping_change = malloc(len);
  if (fresh->mapping_change)
    snprintf(fresh->mapping_change, len, "%s%s%s",
             old->mapping_change ? old->mapping_change : "",
             old->mapping_change ? "; then " : "", what);
}

int daemon_reload(app *a, int *lock_fd, driver_stamp *stamp) {
  app fresh;
  int rc = app_init_like(&fresh, a);
  fresh.capture = 1;
  if (rc == 0)
    rc = load_all(&fresh);
  int new_lock = -1;
  if (rc == 0 && strcmp(fresh.cfg.state_dir, a->cfg.state_dir) != 0) {
    char err[1024];
    int held;
    if ((new_lock = daemon_lock(fresh.cfg.state_dir, &held, err, sizeof err)) <
        0) {
      app_say(&fresh, "%s", err);
      rc = EXIT_USAGE;
    }
  }
  if (rc != 0) {
    log_refusal(a, &fresh);
    app_free(&fresh);
    zone_use(a->cfg.timezone); /* the refused file may have changed it */
    return -1;
  }
  if (new_lock >= 0) {
    daemon_unlock(*lock_fd);
    *lock_fd = new_lock;
  }
  fresh.capture = 0;
  note_mapping_change(a, &fresh);
  app_take_log(&fresh, a);
  app_free(a);
  *a = fresh;
  log_msg(a->log, LPSA_LOG_INFO,
          "configuration reloaded from %s: driver %s %s, %zu mapping rows, "
          "schedule %s",
          a->cfg.name, a->driver_name, a->driver.desc->version, a->n_rows,
          a->cfg.schedule_text);
  if (driver_stamp_changed(a->driver.path, stamp))
    log_msg(a->log, LPSA_LOG_WARN,
            "the driver file %s changed since lpsa-host loaded it; a reload "
            "keeps running the loaded code (driver %s %s): restart lpsa-host "
            "between runs to use the new file",
            a->driver.path, a->driver_name, a->driver.desc->version);
  else if (strcmp(a->driver.path, stamp->path) != 0)
    driver_stamp_take(a->driver.path, stamp); /* another file: loaded anew */
  return 0;
}
