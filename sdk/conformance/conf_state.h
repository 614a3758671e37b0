/* SPDX-License-Identifier: MIT */
/*
 * conf_state.h — the level-2 test line as the baseline test found it: where
 * it is and the quantity to restore. Written by one test's child process and
 * read by the next ones (each test runs in a process of its own), in the
 * run's private directory.
 */
#ifndef LPSA_CONF_STATE_H
#define LPSA_CONF_STATE_H

#include <stddef.h>

#include "lpsa/model.h"
#include "snapshot.h"

typedef struct conf_line_state {
  char company_id[256];
  char agreement_id[256];
  char line_id[256];
  char product_id[256];
  char period_start[16]; /* "" when the agreement has no current period */
  long long original;    /* the quantity to restore */
} conf_line_state;

/* Find `line_id` in `snap` and describe it. 0, or -1 with why. */
int conf_state_from_snapshot(const lpsa_snapshot *snap, const char *line_id,
                             conf_line_state *st, char *why, size_t len);

/* The line as the host would hand it to set_quantity(). Points into st. */
lpsa_line_ref conf_state_ref(const conf_line_state *st, const char *as_of);

/* Save to / load from dir/line.json. 0, or -1 (load: no baseline saved). */
int conf_state_save(const char *dir, const conf_line_state *st);
int conf_state_load(const char *dir, conf_line_state *st);

/* The quantity of line `line_id` in `snap`, or -1 when absent. */
long long conf_state_quantity(const lpsa_snapshot *snap, const char *line_id);

#endif
