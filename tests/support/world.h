/* SPDX-License-Identifier: MIT */
/*
 * world.h — the world of an integration test: a private directory (the
 * working directory of every run: lpsa.conf, mapping.csv, state/, the
 * JSON-file PSA's psa.json), the simulators it needs, the environment every
 * lpsa-host child gets, runs of the real binary, and what they leave behind
 * (the report, the journal through `history`, the PSA's file or the
 * simulators' state and request log). Every suite's harness is a thin layer
 * over it (its data set, its configuration, its own views).
 *
 *   world w;
 *   world_begin(&w, "mytest");
 *   world_lastpass(&w, "tests/integration/core/data/lastpass.json",
 *                  "2026-11-25", NULL);
 *   world_copy(&w, "tests/integration/core/data/psa.json", "psa.json");
 *   world_copy(&w, "tests/integration/core/data/mapping.csv",
 *              "mapping.csv");
 *   world_config(&w, NULL, WORLD_JSONPSA "sku.lastpass = LP-BUS\n");
 *   json_object *report =
 *       world_json(&w, 1, (const char *const[]){"--dry-run", NULL});
 *   ... report_company(report, "101") ...
 *   json_object_put(report);
 *   world_end(&w);
 *
 * Every helper fails the current Check test (ck_assert) when the world
 * itself goes wrong (a simulator that does not start, a file that cannot be
 * written), so a test body reads as its expectations. Waits are for events
 * (a file's text, a simulator's request count), bounded by TEST_WAIT_MS.
 */
#ifndef LPSA_TEST_WORLD_H
#define LPSA_TEST_WORLD_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

#include "hostrun.h"
#include "simproc.h"
#include "test_files.h"
#include "test_json.h"
#include "test_wait.h"

/* The clock of every run unless a test moves it (LPSA_NOW). */
#define WORLD_NOW "2026-11-25T12:00:00Z"
/* lastpass-sim's default API key, in LPSA_TEST_KEY. */
#define WORLD_LASTPASS_KEY "lpkey_demo"
/* Every wait before a retry, in ms (LPSA_TEST_BACKOFF_MS, test builds
 * only: core/cli/test_backoff.h), so fault tests do not sleep; a test of
 * real waits (pacing) unsets it. */
#define WORLD_BACKOFF_MS "10"
/* The JSON-file test PSA on the world's psa.json (a driver section). */
#define WORLD_JSONPSA "[driver.jsonpsa]\nfile = psa.json\n"

#define WORLD_MAX_ENV 24

typedef struct world {
  char *dir;
  simproc lp;  /* lastpass-sim, once world_lastpass() started it */
  simproc psa; /* a PSA simulator, once world_sim(&w->psa, ...) started it */
  char lp_fixture[4096]; /* what lastpass-sim serves ("": generated) */
  char env_text[WORLD_MAX_ENV][512];
  const char *env[WORLD_MAX_ENV + 1]; /* NULL-terminated */
  size_t n_env;
} world;

/* A new world in a new temporary directory (under $TMPDIR), with the
 * environment LPSA_TEST_KEY=lpkey_demo, LPSA_NOW=WORLD_NOW and
 * LPSA_TEST_BACKOFF_MS=WORLD_BACKOFF_MS. */
void world_begin(world *w, const char *tag);
/* Stop its simulators and remove the directory. Safe to call twice. */
void world_end(world *w);

/* The environment of every lpsa-host child: "K=V" replaces K's value. */
void world_setenv(world *w, const char *kv);
void world_unsetenv(world *w, const char *name);
/* LPSA_NOW=now (an ISO time, "2026-11-25T12:00:00Z"). */
void world_set_now(world *w, const char *now);

/* ---- simulators ------------------------------------------------------ */

/* Start `program` (lastpass-sim, connectwise-sim, ...) into *sp with
 * `args` (NULL-terminated, may be NULL). */
void world_sim(world *w, simproc *sp, const char *program,
               const char *const *args);
/* Start lastpass-sim (w->lp) serving `fixture` (NULL: none; a relative
 * path is in the source tree) on day `today` (--now; NULL: none), with
 * `extra` arguments (NULL-terminated, may be NULL). Restarts it when it
 * runs: its port changes, so write the configuration again. */
void world_lastpass(world *w, const char *fixture, const char *today,
                    const char *const *extra);

/* ---- files ----------------------------------------------------------- */

/* dir/name into out. */
void world_path(const world *w, const char *name, char *out, size_t cap);
/* Write dir/name (any mode the umask gives) or, private, with mode 0600. */
void world_write(world *w, const char *name, const char *text);
void world_write_private(world *w, const char *name, const char *text);
/* Copy the source tree's file `rel` to dir/name. */
void world_copy(world *w, const char *rel, const char *name);
/* dir/name now (malloc'd), or NULL when there is none. */
char *world_read(const world *w, const char *name);
/* How many times `needle` is in dir/name now. */
int world_count(const world *w, const char *name, const char *needle);
/* The number (from 1) of the first line of dir/name holding `needle`, as
 * an error message about that file should name it; fails the test when
 * there is none. */
int world_line_of(const world *w, const char *name, const char *needle);
/* Wait until dir/name holds `needle` `times` times (fails the test after
 * TEST_WAIT_MS). */
void world_wait_text(const world *w, const char *name, const char *needle,
                     int times);

/* lpsa.conf (mode 0600):
 *   [host] driver_path = the build's drivers, state_dir = state,
 *          mapping_file = mapping.csv, then `host_keys` lines
 *   [lastpass] api_url = lastpass-sim, api_key = env:LPSA_TEST_KEY
 *   then `sections` (driver sections, [web], ...) as they are.
 * host_keys and sections may be NULL. */
void world_config(world *w, const char *host_keys, const char *sections);

/* ---- lpsa-host ------------------------------------------------------- */

/* lpsa-host -c lpsa.conf ARGS (NULL-terminated, may be NULL) in the world,
 * stdin /dev/null; output in *r (hostrun_free() it). */
void world_run(world *w, const char *const *args, hostrun *r);
/* The same with `env` added ("K=V", NULL-ended, may be NULL), `input` on
 * its standard input (NULL: none) and `wrapper` words in front of it
 * (NULL: none; valgrind, unshare). */
void world_run_with(world *w, const char *const *wrapper,
                    const char *const *env, const char *input,
                    const char *const *args, hostrun *r);
/* lpsa-host -c lpsa.conf --json ARGS: stdout parsed (a report, a history),
 * after checking the exit status is `expect` (negative: any). A new
 * reference. */
json_object *world_json(world *w, int expect, const char *const *args);
/* lpsa-host -c lpsa.conf ARGS in the background (output in the world's
 * host.out and host.err, truncated); `env` added (may be NULL). */
pid_t world_spawn(world *w, const char *const *env, const char *const *args);
/* `history --json` and ARGS (e.g. "--run", "3", NULL; may be NULL), exit
 * 0 checked: the journal as the host reads it back. */
json_object *world_history(world *w, const char *const *args);

/* ---- the JSON-file PSA (psa.json in the world) ----------------------- */

json_object *world_psa_file(world *w); /* parsed, a new reference */
/* A line's quantity (-1: no such line) and the PSA's write counter. */
long long world_psa_quantity(world *w, const char *line_id);
long long world_psa_writes(world *w);
/* A person changes a line in the PSA (not through lpsa). */
void world_psa_set_quantity(world *w, const char *line_id, long long q);

/* ---- simulators' state and log --------------------------------------- */

json_object *world_sim_state(simproc *sp); /* GET /_sim/state, new ref */
void world_sim_put_state(simproc *sp, json_object *state);
json_object *world_sim_log(simproc *sp); /* GET /_sim/log, new ref */
/* Wait until the simulator has answered `log_entries` requests (since its
 * log was last cleared) and, with idle, none is in progress. */
void world_sim_wait(simproc *sp, long log_entries, int idle);
/* LastPass's data changes: activeUsers (every company when lastpass_id is
 * NULL), or the name of one company. */
void world_lp_set_seats(world *w, const char *lastpass_id, long long seats);
void world_lp_set_name(world *w, const char *lastpass_id, const char *name);

#endif
