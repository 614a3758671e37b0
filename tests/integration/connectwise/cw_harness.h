/* SPDX-License-Identifier: MIT */
/*
 * cw_harness.h — what every ConnectWise driver integration test needs: a
 * connectwise-sim with a fixture, connectwise.so loaded through the real
 * loader, a real host (host_init over the real http_client) and a driver
 * instance configured against the simulator.
 */
#ifndef CW_HARNESS_H
#define CW_HARNESS_H

#include <json-c/json.h>
#include <stdio.h>

#include "host_api.h"
#include "http.h"
#include "loader.h"
#include "log.h"
#include "simproc.h"
#include "snapshot.h"

#define CWH_MAX_CHECKS 16

typedef struct cw_harness {
  simproc sim;
  int sim_up;
  char fixture_path[300];
  loaded_driver drv;
  FILE *log_out; /* everything the driver logged */
  lpsa_log *log;
  http_client *http;
  lpsa_host host;
  const lpsa_host_api *api; /* handed to open(); NULL: host_api() */
  lpsa_driver_ctx *ctx;
  char err[1024];
  /* check_item() calls seen */
  int n_checks;
  char check_what[CWH_MAX_CHECKS][128];
  char check_detail[CWH_MAX_CHECKS][512];
  int check_ok[CWH_MAX_CHECKS];
} cw_harness;

/* Start connectwise-sim with `fixture` (JSON text, or NULL for none) and
 * the extra arguments `args` (NULL-terminated, may be NULL); load the driver
 * and build the host. Fails the current Check test on error. */
void cwh_start(cw_harness *h, const char *fixture, const char *const *args);

/* Load the driver and build the host without a simulator (for tests that
 * script a test_server); pass "site" to cwh_open(). */
void cwh_start_bare(cw_harness *h);

/* Open the driver with the standard configuration against the simulator
 * (site, company_id lpsademo, public_key pubkey, private_key privkey,
 * client_id) overridden/extended by `kv` ("key", "value", ..., NULL).
 * Returns the open status (h->err holds the message). */
int cwh_open(cw_harness *h, const char *const *kv);

/* Close the driver, stop everything, free. */
void cwh_stop(cw_harness *h);

/* Run snapshot(): returns the status; *out the snapshot (free it). */
int cwh_snapshot(cw_harness *h, const lpsa_snapshot_request *req,
                 lpsa_snapshot **out);

/* The simulator's request log (a new reference) and helpers over it. */
json_object *cwh_log(cw_harness *h);
void cwh_clear_log(cw_harness *h);
/* Requests whose method equals `method` (NULL: any) and whose path contains
 * `path_part` (NULL: any). */
int cwh_count(cw_harness *h, const char *method, const char *path_part);

/* 1 when the simulator sends whole Link headers for a long paged query
 * (some builds cut header values at 255 bytes). */
int cwh_sim_links_whole(cw_harness *h);

/* 1 when the driver's log so far contains `text`. */
int cwh_logged(cw_harness *h, const char *text);

/* A sim record from GET /_sim/state: `kind` "additions"... by id (a new
 * reference, or NULL). */
json_object *cwh_state_record(cw_harness *h, const char *kind, long id);

/* Index of a snapshot record by PSA id, or -1. */
long cwh_company(const lpsa_snapshot *s, const char *id);
long cwh_agreement(const lpsa_snapshot *s, const char *id);
long cwh_line(const lpsa_snapshot *s, const char *id);

#endif
