/* SPDX-License-Identifier: MIT */
/*
 * ops_harness.h — what the operations tests share: a temporary directory
 * with the ops data set (tests/integration/ops/data), the LastPass simulator
 * serving a fixture, a configuration for the JSON-file test PSA (jsonpsa),
 * and polling helpers that wait on files with a deadline instead of
 * sleeping and hoping.
 */
#ifndef LPSA_OPS_HARNESS_H
#define LPSA_OPS_HARNESS_H

#include <json-c/json.h>
#include <sys/types.h>

#include "hostrun.h"
#include "simproc.h"

/* Deadline of every wait: generous, for valgrind and loaded machines. */
#define OPS_WAIT_MS 60000L

typedef struct ops_env {
  char *dir;
  simproc lp;
  char lp_fixture[1024]; /* what lastpass-sim serves (absolute) */
} ops_env;

/* The environment every lpsa-host child gets (API key, fixed date). */
extern const char *const ops_child_env[];

/* New temp dir; data/psa_file and data/mapping.csv copied as psa.json and
 * mapping.csv; lastpass-sim started on data/lastpass_fixture. */
void ops_setup(ops_env *e, const char *tag, const char *lastpass_fixture,
               const char *psa_file);
void ops_teardown(ops_env *e);
/* Restart lastpass-sim on `fixture` (an absolute path; NULL: the one it
 * serves) on day `today` ("YYYY-MM-DD"), its billing cycle moved to the
 * month of that day, so a run dated `today` finds its cycle. Its port
 * changes: write the configuration again afterwards. */
void ops_lastpass_restart(ops_env *e, const char *fixture, const char *today);

/* Write lpsa.conf: [host] with driver_path, state_dir, mapping_file plus
 * `host_extra` lines; [lastpass]; [driver.jsonpsa] with file = DIR/psa.json
 * (absolute: jsonpsa reads it from the working directory), `products` (NULL:
 * LP-BUS and LP-MFA) and `driver_extra` lines. */
void ops_write_config(ops_env *e, const char *host_extra,
                      const char *driver_extra, const char *products);

/* The file dir/name read now, or NULL. */
char *ops_read(ops_env *e, const char *name);
/* Wait until dir/name contains `needle`: 1, or 0 after timeout_ms. */
int ops_wait_for_text(ops_env *e, const char *name, const char *needle,
                      long timeout_ms);
/* Count of `needle` in dir/name. */
int ops_count_text(ops_env *e, const char *name, const char *needle);

/* The test PSA's write counter and a line's quantity. */
long long ops_psa_writes(ops_env *e);
long long ops_psa_quantity(ops_env *e, const char *line_id);
/* Wait until the PSA counted n writes: 1, or 0 after timeout_ms. */
int ops_wait_for_writes(ops_env *e, long long n, long timeout_ms);

/* Run lpsa-host -c lpsa.conf ARGS (NULL-terminated, at most 8). */
void ops_run(ops_env *e, hostrun *r, const char *const *args);
/* Spawn lpsa-host -c lpsa.conf ARGS in the background (host.out/host.err). */
pid_t ops_spawn(ops_env *e, const char *const *args);
/* SIGTERM if still running, then wait: the exit status. */
int ops_stop(pid_t pid);

/* Member lookup that fails the test when absent. */
json_object *ops_get(json_object *o, const char *key);

#endif
