/* SPDX-License-Identifier: MIT */
/*
 * jp_world.h — a small world on the JSON-file test PSA (sdk/template's
 * jsonpsa) for the reliability suites: five LastPass companies "A Co".."E
 * Co" (ids 201..205, 10..50 seats) in lastpass-sim, mapped to PSA companies
 * c1..c5, each with one agreement a<i> holding one line l<i> one seat
 * short (9, 19, ... 49), so an apply makes five changes, in that order.
 * a2..a4 bill in the period 2026-11-01..30, a1's period is the caller's,
 * a5 has none (its billing period is then the LastPass cycle).
 */
#ifndef LPSA_TEST_JP_WORLD_H
#define LPSA_TEST_JP_WORLD_H

#include <json-c/json.h>

#include "hostrun.h"
#include "simproc.h"

typedef struct jp_world {
  char *dir; /* lpsa.conf, mapping.csv, psa.json, state/ */
  simproc lp;
} jp_world;

/* The PSA file: `fail` is its "fail" member (JSON, e.g. "{}"), a1_period
 * the members of a1 giving its period (e.g. "\"period_start\":..."). */
#define JP_PERIOD_NOV                                                          \
  "\"period_start\":\"2026-11-01\",\"period_end\":\"2026-11-30\""
char *jp_psa_doc(const char *fail, const char *a1_period);

/* Start lastpass-sim and write the files; host_keys and driver_keys are
 * extra lines of [host] and [driver.jsonpsa] (NULL: none). */
void jp_world_start(jp_world *w, const char *fail, const char *host_keys,
                    const char *driver_keys);
void jp_world_stop(jp_world *w);

/* `lpsa-host -c lpsa.conf --driver jsonpsa --json ARGS...` (NULL-ended),
 * asserting exit code `expect`; the report, and stderr in *err when err is
 * not NULL (caller frees). */
json_object *jp_run(jp_world *w, int expect, char **err, ...);

/* The same without --json or any check of the outcome: for runs that
 * stop before a report (exit 2). */
void jp_exec(jp_world *w, hostrun *h, ...);

/* The PSA file now: its write counter, the quantity of line `id`. */
long long jp_writes(jp_world *w);
long long jp_quantity(jp_world *w, const char *id);
/* Replace its agreements and "fail", keeping lines and counter. */
void jp_rewrite(jp_world *w, const char *fail, const char *a1_period);

#endif
