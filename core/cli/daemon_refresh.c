/* SPDX-License-Identifier: MIT */
/*
 * daemon_refresh.c — the mapping read again and the configuration file's
 * stamp checked, before each run of the daemon.
 */
#include "daemon_refresh.h"

#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "mapping_diff.h"

/* The first line of a multi-line error, and how many more there are. */
static void first_line(const char *err, char *out, size_t cap, int *more) {
  size_t len = strcspn(err, "\n");
  snprintf(out, cap, "%.*s", (int)len, err);
  *more = 0;
  for (const char *p = err + len; *p; p++)
    *more += *p == '\n' && p[1];
}

static int refresh_mapping(app *a, finding_list *notices) {
  static char err[8192];
  mapping fresh;
  if (mapping_load(a->cfg.mapping_file, &fresh, err, sizeof err) != 0) {
    const char *p = err;
    while (*p) {
      size_t len = strcspn(p, "\n");
      log_msg(a->log, LPSA_LOG_ERROR, "mapping: %.*s", (int)len, p);
      p += len + (p[len] == '\n');
    }
    char line[1024];
    int more;
    first_line(err, line, sizeof line, &more);
    log_msg(a->log, LPSA_LOG_ERROR,
            "the mapping file %s cannot be used; this run uses the mapping "
            "read before (%zu rows): fix the file, the next run reads it "
            "again",
            a->cfg.mapping_file, a->n_rows);
    return findings_add(notices, "MAPPING_UNREADABLE", SEV_ERROR,
                        "the mapping file cannot be used: %s%s; this run used "
                        "the mapping read before (%zu rows): fix the file, "
                        "the next run reads it again",
                        line, more ? " (and more errors, in the log)" : "",
                        a->n_rows);
  }
  mapping_diff d;
  char what[1024];
  if (mapping_diff_of(&a->map, &fresh, &d, what, sizeof what) != 0) {
    mapping_free(&fresh);
    return -1;
  }
  /* Plans and MAPPING_SHRANK read the digest of what the run uses. */
  char digest[sizeof a->mapping_digest], derr[512];
  if (digest_file_sha256(a->cfg.mapping_file, digest, derr, sizeof derr) == 0)
    memcpy(a->mapping_digest, digest, sizeof digest);
  int rc = 0;
  if (mapping_diff_any(&d)) {
    if (app_use_mapping(a, &fresh) != 0) {
      mapping_free(&fresh);
      return -1;
    }
    log_msg(a->log, LPSA_LOG_INFO,
            "the mapping file %s changed since the last run: %s; this run "
            "uses it",
            a->cfg.mapping_file, what);
    rc = findings_add(notices, "MAPPING_CHANGED", SEV_INFO,
                      "the mapping file changed since the last run: %s", what);
  }
  mapping_free(&fresh);
  return rc;
}

int daemon_refresh(app *a, finding_list *notices) {
  if (a->mapping_change) {
    /* A reload changed the mapping since the last run. */
    log_msg(a->log, LPSA_LOG_INFO,
            "the mapping changed since the last run (reloaded): %s",
            a->mapping_change);
    int rc = findings_add(notices, "MAPPING_CHANGED", SEV_INFO,
                          "the mapping changed since the last run (a reload "
                          "read it): %s",
                          a->mapping_change);
    free(a->mapping_change);
    a->mapping_change = NULL;
    if (rc)
      return -1;
  }
  if (refresh_mapping(a, notices))
    return -1;
  if (driver_stamp_changed(a->cfg.path, &a->cfg_stamp)) {
    log_msg(a->log, LPSA_LOG_WARN,
            "the configuration file %s changed since lpsa-host loaded it; "
            "this run uses the configuration loaded before: send SIGHUP "
            "(systemctl reload lpsa-host) to load it",
            a->cfg.name);
    if (findings_add(notices, "CONFIG_CHANGED", SEV_INFO,
                     "the configuration file changed since lpsa-host loaded "
                     "it; this run used the configuration loaded before: "
                     "send SIGHUP (systemctl reload lpsa-host) to load it"))
      return -1;
  }
  return 0;
}
