/* SPDX-License-Identifier: MIT */
/*
 * rel_harness.h — shared by the fault-injection, guardrail and crash-safety
 * suites (issue 8): a generated world in the LastPass simulator and one PSA
 * simulator (connectwise-sim, autotask-sim or halopsa-sim), lpsa-host runs
 * against it, and independent views of what the PSA saw (its request log)
 * and holds (its state), so no expectation is ever computed by the code
 * under test.
 *
 * The world is the simulators' shared generated world (sim_world.h):
 * LastPass company 100000+i is PSA company 1000+i; the mapping file says so.
 * The date is fixed (REL_TODAY) for the host (LPSA_NOW) and the simulators.
 *
 * Every helper asserts with Check (ck_assert) on failures of the harness
 * itself, so a test body reads as its expectations.
 */
#ifndef LPSA_TEST_REL_HARNESS_H
#define LPSA_TEST_REL_HARNESS_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

#include "hostrun.h"
#include "simproc.h"

#define REL_TODAY "2026-11-15"

typedef enum rel_psa { REL_CONNECTWISE, REL_AUTOTASK, REL_HALOPSA } rel_psa;
typedef enum rel_remote { REL_LASTPASS, REL_PSA } rel_remote;

typedef struct rel_world_opts {
  rel_psa psa;
  int companies; /* --generate N */
  unsigned seed;
  int change_pct;
  /* Map every k-th company only (0 or 1: all); the others are UNMAPPED
   * and cost the PSA nothing. */
  int map_every;
  int psa_latency_ms;      /* --latency-ms of the PSA simulator; 0: none */
  int http_timeout;        /* [host] http_timeout in seconds; 0: default */
  const char *driver_keys; /* extra lines of the driver section, or NULL */
  /* Extra arguments of the PSA simulator (NULL-terminated), or NULL. */
  const char *const *psa_args;
} rel_world_opts;

typedef struct rel_world {
  rel_world_opts opt;
  char *dir; /* the host's working directory: lpsa.conf, mapping, state/ */
  simproc lp, psa;
  int lp_up, psa_up;
} rel_world;

/* Start both simulators and write lpsa.conf and mapping.csv in a new
 * temporary directory. */
void rel_world_start(rel_world *w, const rel_world_opts *o);
/* Stop the simulators and remove the directory. Safe to call twice. */
void rel_world_stop(rel_world *w);
simproc *rel_sim(rel_world *w, rel_remote r);
/* "connectwise" | "autotask" | "halopsa" */
const char *rel_driver(const rel_world *w);
/* (Re)write lpsa.conf; `host_keys` are extra [host] lines (may be NULL). */
void rel_write_config(rel_world *w, const char *host_keys);

/* A private directory for everything a test program creates, made
 * $TMPDIR (the worlds' directories, the simulators' port files): a test
 * that fails stops at its assertion, so main() removes it all at the end
 * with rel_private_tmpdir_end(). Call before srunner_run_all(). */
char *rel_private_tmpdir_begin(const char *tag);
void rel_private_tmpdir_end(char *dir);

/* ---- lpsa-host -------------------------------------------------------- */

typedef struct rel_run {
  int status;          /* exit code, 128 + signal when killed */
  json_object *report; /* stdout parsed (sync runs use --json), or NULL */
  char *out, *err;
} rel_run;

/* The environment every lpsa-host child gets (credentials, the date). */
const char *const *rel_child_env(void);
/* lpsa-host -c lpsa.conf --driver D --json ARGS... (NULL-terminated list
 * of extra arguments, e.g. "--dry-run", NULL). The report must parse. */
void rel_host(rel_world *w, rel_run *r, ...);
/* The same with `env` ("K=V", NULL-terminated) added to the environment. */
void rel_host_env(rel_world *w, const char *const *env, rel_run *r, ...);
void rel_run_free(rel_run *r);
/* lpsa-host -c lpsa.conf ARGS... as it is (text output, any command), with
 * `extra_env` ("K=V", NULL-terminated, may be NULL) added to the world's
 * environment; output in *h (hostrun_free() it). */
void rel_host_exec(rel_world *w, const char *const *extra_env,
                   const char *const *args, hostrun *h);
/* LastPass: set the name of company `lastpass_id`. */
void rel_lp_set_name(rel_world *w, const char *lastpass_id, const char *name);
/* `history --json` (run_id 0) or `history --run ID --json`. */
json_object *rel_history(rel_world *w, long long run_id);
/* Start an apply in the background (output in host.out/host.err). */
pid_t rel_spawn_apply(rel_world *w);

/* ---- reports ---------------------------------------------------------- */

json_object *rel_get(json_object *o, const char *key); /* asserts presence */
const char *rel_str(json_object *o, const char *key);  /* "" for null */
long long rel_int(json_object *o, const char *key);
/* The company row with that LastPass id, or NULL. */
json_object *rel_company(json_object *report, const char *lastpass_id);
json_object *rel_company_by_line(json_object *report, const char *line_id);
int rel_has_rule(json_object *rules, const char *code);
int rel_count_rule(json_object *rules, const char *code);
int rel_count_status(json_object *report, const char *status);
/* A normalised text of a report: one line per company (id, status, old,
 * new, rule codes) sorted, then the findings' codes. With
 * planned_as_updated, "planned" reads "updated" (a dry run's plan compared
 * with an apply's outcome). Caller frees. */
char *rel_digest(json_object *report, int planned_as_updated);

/* ---- simulators: log, state ------------------------------------------- */

json_object *rel_log(rel_world *w, rel_remote r); /* asserts it answered */
/* A request that changes the PSA: any method but GET, except the
 * read-only query endpoints of Autotask (POST .../query) and HaloPSA's
 * token endpoint (POST .../token). */
int rel_is_write(json_object *entry);
int rel_count_writes(json_object *log);
/* Entries whose method is `method` and whose path contains `path_part`. */
int rel_count_requests(json_object *log, const char *method,
                       const char *path_part);
/* 1 when an entry fired by fault rule `name` is followed by the same
 * request (method, path, query) answered 2xx without a fault. */
int rel_log_shows_retry(json_object *log, const char *name);
/* How many times fault rule `name` fired (GET /_sim/faults). */
long rel_fault_fired(rel_world *w, rel_remote r, const char *name);
/* Wait (up to 10 s) until the simulator has no request in progress. */
void rel_wait_idle(rel_world *w, rel_remote r);

json_object *rel_state(rel_world *w, rel_remote r); /* new reference */
char *rel_state_text(rel_world *w, rel_remote r);   /* caller frees */
void rel_put_state(rel_world *w, rel_remote r, json_object *state);

/* The PSA line's quantity today in `state` (a PSA state): ConnectWise the
 * addition's quantity, Autotask the units of the contract service's row
 * covering REL_TODAY, HaloPSA the invoice line's qty_order. -1 when there
 * is no such line. */
long long rel_psa_quantity(const rel_world *w, json_object *state,
                           const char *line_id);
/* Edit that quantity in the simulator's state, as a person would. */
void rel_psa_set_quantity(rel_world *w, const char *line_id, long long q);
/* Autotask: the adjustments posted for contract service `line_id`: count,
 * and their unitChange summed into *sum. */
int rel_at_adjustments(json_object *state, const char *line_id, long long *sum);
/* LastPass: set activeUsers of company `lastpass_id` (or of every company
 * when NULL). */
void rel_lp_set_seats(rel_world *w, const char *lastpass_id, long long seats);

/* Every planned company of `plan` (a dry-run report) holds new_quantity in
 * the PSA now, and every other company with a line holds old_quantity.
 * Returns how many planned lines were checked. */
int rel_assert_psa_matches(rel_world *w, json_object *plan);

/* ---- the fault table -------------------------------------------------- */

typedef enum rel_expect {
  /* The transport retried the faulted request and it then succeeded: the
   * run ends as without the fault (exit code, report), the simulator's log
   * shows the retry, and the PSA holds the targets. */
  REL_RETRIED,
  /* The faulted answer is legitimate (an empty page that still names a
   * next page, a slow body within the timeout) and was read correctly:
   * the run ends as without the fault. */
  REL_FOLLOWED,
  /* The run aborts with exit 3 before any PSA write: the report says why,
   * the PSA's log holds no write, its state is unchanged. */
  REL_ABORTED
} rel_expect;

typedef struct rel_fault_case {
  const char *name;
  rel_remote remote; /* the simulator that gets the rules */
  const char *rules; /* JSON array; the rule that must fire is named "f" */
  rel_expect expect;
  const char *why;   /* the expected outcome in words (test documentation) */
  const char *words; /* REL_ABORTED: text the report's "aborted" holds */
} rel_fault_case;

/* One case end to end in a fresh world: a dry run without faults (the
 * baseline: exit 0 with planned changes), then an apply with the rules
 * set, checked against the expectation. */
void rel_fault_case_run(const rel_world_opts *o, const rel_fault_case *c);

/* ---- scenarios shared by the PSA suites ------------------------------ */

/* Every planned line of `plan` was changed exactly once, by exactly its
 * delta: Autotask one adjustment per contract service with unitChange =
 * new - old (and no other adjustment); ConnectWise one journalled quantity
 * change per addition, old -> new (and no other); HaloPSA one recorded
 * change per invoice line, old -> new, no other, and no line dropped from
 * any posted invoice. */
void rel_assert_applied_once(rel_world *w, json_object *plan);

/* Writes fail under `rules` (set on the PSA simulator, not applied by it;
 * "{agreement}" and "{line}" in them are replaced by the agreement and line
 * ids of the first planned company of a dry run):
 * exactly `failed` companies end in error with WRITE_FAILED and keep their
 * count, every other planned company is updated, exit 1; a re-run without
 * the fault updates the failed ones and nothing is applied twice. */
void rel_scenario_write_fails(const rel_world_opts *o, const char *what,
                              const char *rules, int failed);

/* The PSA fails every write with a transport error or a rate limit under
 * `rules`: apply stops after three in a row with exit 3, the rest stay
 * planned and unwritten; a re-run without the fault applies everything
 * once. */
void rel_scenario_psa_down(const rel_world_opts *o, const char *rules);

/* LastPass answers no companies, then zero seats for every company: each
 * aborts with exit 3 and the PSA receives no write. */
void rel_guardrail_lastpass_empty(const rel_world_opts *o);

/* A drop of more than max_decrease_percent and a drop to zero are held
 * (LARGE_DECREASE, nothing written to those lines) until
 * --allow-large-decrease, which applies both. */
void rel_guardrail_large_decrease(const rel_world_opts *o);

/* A count a person changed in the PSA since the last run is reported
 * (CHANGED_IN_PSA on that company) and set back from LastPass. */
void rel_guardrail_changed_in_psa(const rel_world_opts *o);

#endif
