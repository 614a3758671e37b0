/* SPDX-License-Identifier: MIT */
/*
 * plans_world.h — the world of the plan, approval and guardrail tests: a
 * temporary directory with six companies (data/plans_*), the LastPass
 * simulator serving them, the JSON-file test PSA, and a configuration with
 * two driver sections on that PSA (jsonpsa, and other, the same module),
 * so every command says --driver.
 *
 *   LastPass  PSA line  old -> LastPass  what the guardrails make of it
 *   201       l201      10 -> 12         planned
 *   202       l202      64 -> 640        held, LARGE_INCREASE
 *   203       l203       3 -> 1          planned (2 seats: below the minimum)
 *   204       l204      40 -> 4          held, LARGE_DECREASE
 *   205       l205      20 -> 22         planned
 *   206       l206       7 -> 7          in step
 */
#ifndef LPSA_PLANS_WORLD_H
#define LPSA_PLANS_WORLD_H

#include <json-c/json.h>

#include "hostrun.h"
#include "simproc.h"

/* The clock of every run unless a test moves it (LPSA_NOW). */
#define PW_NOW "2026-11-25T12:00:00Z"

typedef struct pw {
  char *dir;
  simproc lp;
} pw;

void pw_setup(pw *w, const char *tag);
void pw_teardown(pw *w);
/* lpsa.conf with `host_extra` lines in [host]. */
void pw_config(pw *w, const char *host_extra);

/* lpsa-host -c lpsa.conf ARGS (NULL-terminated, at most 10) with
 * LPSA_NOW = now (NULL: PW_NOW). */
void pw_run(pw *w, hostrun *r, const char *now, const char *const *args);
/* The same with --json; the report (or whatever JSON stdout holds), after
 * checking the exit status. */
json_object *pw_json(pw *w, int status, const char *now,
                     const char *const *args);

/* The PSA file: a line's quantity, the write counter, the bytes. */
long long pw_qty(pw *w, const char *line);
long long pw_writes(pw *w);
char *pw_psa_text(pw *w);
/* A person changes a line in the PSA (not through lpsa). */
void pw_set_qty(pw *w, const char *line, long long quantity);
/* LastPass's count of a company changes. */
void pw_lp_seats(pw *w, long long lastpass_id, long long seats);

/* `plan` and the path of the plan it saved. */
char *pw_plan(pw *w, const char *now);

/* Report lookups (fail the test when absent). */
json_object *pw_get(json_object *o, const char *key);
json_object *pw_company(json_object *report, const char *lastpass_id);
const char *pw_status(json_object *report, const char *lastpass_id);
int pw_has_rule(json_object *report, const char *lastpass_id, const char *code,
                const char *severity);

/* The Unix user running the tests (what approved_by records). */
const char *pw_user(void);
/* A command's output of `sh -c CMD` (for sha256sum). */
char *pw_shell(const char *cmd);

#endif
