/* SPDX-License-Identifier: MIT */
/*
 * apply_hint.h — the exact command that applies what a dry run or a plan
 * showed, so a person copies it instead of retyping options.
 */
#ifndef LPSA_CORE_APPLY_HINT_H
#define LPSA_CORE_APPLY_HINT_H

#include <stddef.h>
#include <stdio.h>

#include "app.h"
#include "sync.h"

/* "lpsa-host --config '/etc/lpsa/lpsa.conf' --driver NAME", each argument
 * quoted for a POSIX shell when it needs it. */
void apply_hint_prefix(const app *a, char *out, size_t cap);

/* The LastPass ids of the held changes a person may approve in the
 * report, comma-separated ("" when none). */
void apply_hint_held_ids(const sync_report *r, char *out, size_t cap);

/* After a dry run's table: how to apply it (and the held changes). */
void apply_hint_dry_run(FILE *out, const app *a, const sync_report *r);

/* After `plan`: where the plan is, its counts, how to apply exactly it. */
void apply_hint_plan(FILE *out, const app *a, const sync_report *r);

#endif
