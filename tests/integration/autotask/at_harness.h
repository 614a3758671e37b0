/* SPDX-License-Identifier: MIT */
/*
 * at_harness.h — what every Autotask driver integration test needs: an
 * autotask-sim child, the driver loaded by the real loader, a real host
 * (logger, libcurl transport with max_concurrency 4, the services table),
 * and helpers to read the simulator's log and stats.
 */
#ifndef AT_HARNESS_H
#define AT_HARNESS_H

#include <json-c/json.h>

#include "host_api.h"
#include "http.h"
#include "loader.h"
#include "log.h"
#include "lpsa/lpsa.h"
#include "simproc.h"
#include "snapshot.h"

#define AT_USER "api@demo.example"
#define AT_SECRET "demosecret"
#define AT_CODE "DEMOCODE"

typedef struct at_check_seen {
  char what[128];
  char detail[512];
  int ok;
} at_check_seen;

typedef struct at_harness {
  simproc sim;
  lpsa_log *log;
  http_client *http;
  lpsa_host host;
  loaded_driver drv;
  lpsa_driver_ctx *ctx;
  at_check_seen checks[32];
  int n_checks;
  char lookup_url[128]; /* the sim's zone lookup URL */
} at_harness;

/* Start autotask-sim with `sim_args` (NULL-terminated; e.g. "--fixture",
 * path), load and open the driver with the credentials above plus `extra`
 * config (key, value, key, value, ..., NULL). Fails the test on error. */
void at_start(at_harness *h, const char *const *sim_args,
              const char *const *extra);
/* Open the driver again with other config (the old instance is closed).
 * Returns open()'s status, err filled. */
int at_reopen(at_harness *h, const char *const *config_kv, char *err,
              size_t errlen);
void at_stop(at_harness *h);

/* The fixture file's path (a string literal). */
#define at_fixture(name) (AT_FIXTURE_DIR "/" name)

/* Run snapshot(); returns the status, *out the snapshot (free it). */
int at_snapshot_run(at_harness *h, const lpsa_snapshot_request *req,
                    lpsa_snapshot **out, char *err, size_t errlen);

/* Count log entries with this method whose path contains `path_part`. */
int at_log_count(at_harness *h, const char *method, const char *path_part);
/* The body of the last such entry as JSON (a new reference), or NULL. */
json_object *at_log_last_body(at_harness *h, const char *method,
                              const char *path_part);
/* The simulator's max_inflight for an endpoint key, -1 if absent. */
int at_stat_max_inflight(at_harness *h, const char *key);
/* A sim fault rule set (JSON text). */
void at_faults(at_harness *h, const char *rules_json);

/* Lookup helpers in a snapshot. */
const snap_company *at_company(const lpsa_snapshot *s, const char *id);
const snap_agreement *at_agreement(const lpsa_snapshot *s, const char *id);
const snap_line *at_line(const lpsa_snapshot *s, const char *id);

#endif
