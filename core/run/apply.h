/*
 * apply.h — carry out a plan: one line at a time through the driver, each
 * change journaled as an intent before the write and as a result after it.
 * One company's failure never stops the others; a failure of the PSA as a
 * whole (credentials rejected, unreachable) stops writing.
 */
#ifndef LPSA_CORE_APPLY_H
#define LPSA_CORE_APPLY_H

#include <signal.h>

#include "journal.h"
#include "log.h"
#include "lpsa/driver.h"
#include "outcome.h"

typedef struct apply_ctx {
  const lpsa_driver *driver;
  lpsa_driver_ctx *driver_ctx;
  journal *journal;
  long long run_id;
  const char *driver_name;
  const char *as_of;
  lpsa_log *log;
  /* Set by a signal handler: finish the write in progress, start no other. */
  volatile sig_atomic_t *stop;
  /* Called after each write with the writes done and planned (progress for
   * people), or NULL. */
  void (*on_write)(void *arg, size_t done, size_t total);
  void *on_write_arg;
} apply_ctx;

typedef struct apply_stats {
  size_t written, already, failed, not_attempted;
  int stopped;           /* writing stopped before the end of the plan */
  char stop_reason[512]; /* why, when stopped */
} apply_stats;

/* Apply every ST_PLANNED outcome: ST_UPDATED, ST_UNCHANGED (the PSA already
 * held the target) or ST_ERROR with WRITE_FAILED. Returns 0, or -1 when out
 * of memory. */
int apply_plan(const apply_ctx *ctx, run_result *res, apply_stats *stats);

#endif
