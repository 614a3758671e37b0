/* SPDX-License-Identifier: MIT */
/*
 * apply_internal.h — the steps of one change, shared by the one-at-a-time
 * loop (apply.c) and the parallel one (apply_parallel.c). Only apply_write()
 * may run off the run's thread: the journal and the outcomes are touched by
 * apply_begin() and apply_end() alone, on the thread that called
 * apply_plan().
 */
#ifndef LPSA_CORE_APPLY_INTERNAL_H
#define LPSA_CORE_APPLY_INTERNAL_H

#include "apply.h"

/* One change on its way. */
typedef struct apply_job {
  outcome *o;
  long long change_id; /* its intent in the journal */
  lpsa_line_ref ref;
  lpsa_set_result res;
  char err[512];
  int rc; /* what set_quantity returned */
  journal *journal;
  /* A request that must not be sent twice (a delta) went out: set by
   * `mark`, the hook the HTTP client calls right before sending one
   * (http_on_unrepeatable), which journals until when it may be in flight.
   * apply_begin() makes it journal directly; apply_parallel.c has the
   * run's thread do it for a writer. */
  int sent;
  http_unrepeatable_fn mark;
  void *mark_arg;
} apply_job;

/* The real clock (not LPSA_NOW), in milliseconds. */
long long apply_wall_ms(void);

/* Check the "not applied in this billing period" gate, journal the intent
 * of `o` and prepare the job. 0; 1 when the journal refused or could not
 * be read (then writing stops: st->stopped, nothing was written); 2 when
 * the gate blocks it (the outcome is an error, st->failed counted). */
int apply_begin(const apply_ctx *ctx, outcome *o, apply_stats *st,
                apply_job *job);
/* The driver's set_quantity(), the deadline held by this thread. */
void apply_write(const apply_ctx *ctx, apply_job *job);
/* Judge the result, journal it, set the outcome. 0, or -1 out of memory. */
int apply_end(const apply_ctx *ctx, apply_job *job, apply_stats *st);
/* Before a change is handed out: a signal or the deadline stops writing.
 * Returns st->stopped. */
int apply_should_stop(const apply_ctx *ctx, apply_stats *st);
/* After a change ended: rejected credentials, or several transport
 * failures in a row, stop writing. */
void apply_after(apply_stats *st, int rc, int *transport_failures);

/* A failure of the PSA as a whole (no answer, throttled), not of a line. */
int apply_is_transport(int rc);

/* apply_plan() with ctx->writers changes written at once, `planned` of
 * them (st already cleared, on_write told of the start). */
int apply_parallel(const apply_ctx *ctx, run_result *res, apply_stats *st,
                   size_t planned);

#endif
