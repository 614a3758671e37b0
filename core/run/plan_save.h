/* SPDX-License-Identifier: MIT */
/*
 * plan_save.h — writing a plan file: <state_dir>/plans/<id>.json by
 * default (the directory created 0700), or the path asked for; mode 0600,
 * atomically (base/atomic_file.h), so a reader never sees half a plan.
 */
#ifndef LPSA_CORE_PLAN_SAVE_H
#define LPSA_CORE_PLAN_SAVE_H

#include <stddef.h>

#include "log.h"
#include "plan.h"

/* Render the plan (setting m->id and, with the plan key of state_dir, made
 * on first use, m->tag), credentials hidden by `redact`, and
 * write it to `out_path`, or to the default path when NULL. The path
 * written is put into path (cap bytes). 0, or -1 with one line in err. */
int plan_save(plan_meta *m, const run_result *r, const lpsa_log *redact,
              const char *state_dir, const char *out_path, char *path,
              size_t cap, char *err, size_t errlen);

#endif
