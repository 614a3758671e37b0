/* SPDX-License-Identifier: MIT */
/*
 * confirm.h — asking the person at the terminal before lpsa writes what
 * customers are billed. Only when standard input and output are both
 * terminals, and not with --yes: the daemon, timers, scripts and CI never
 * get a question.
 */
#ifndef LPSA_CORE_CONFIRM_H
#define LPSA_CORE_CONFIRM_H

#include "app.h"
#include "sync.h"

/* 1 when a run of this app should ask (a terminal on both ends, no --yes,
 * not a dry run). */
int confirm_wanted(const app *a);

/* A sync_settings.confirm: print the plan and
 *   Apply N changes to <PSA>? This changes what customers are billed. [y/N]
 * then read one line: 1 for "y" or "yes" (any case), 0 for anything else,
 * an empty line or end of input. `arg` is unused. */
int confirm_on_terminal(void *arg, const sync_confirm *c);

#endif
