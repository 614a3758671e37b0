/* SPDX-License-Identifier: MIT */
/*
 * apply.h — carry out a plan: line by line through the driver (several
 * lines at once when the driver allows it: `writers`), each change
 * journaled as an intent before the write and as a result after it.
 * One company's failure never stops the others; a failure of the PSA as a
 * whole (credentials rejected, unreachable), another writer changing the
 * lines, a signal or the run's deadline stop writing (never in the middle
 * of a write).
 *
 * A driver that read the line back after its write says so
 * (lpsa_set_result.verified), and the host trusts that read:
 *   - the target: done;
 *   - the old count: the PSA did not apply the write as documented. The
 *     company is an error (WRITE_FAILED, "<PSA> did not apply the change as
 *     documented: check <agreement> N"), the change is journaled as
 *     "psa-did-not-apply" with its billing period, and lpsa never writes
 *     that line again in that period (recovery.h reports it in later runs).
 *     An answer lost in transport (LPSA_ERR_NETWORK) is not that: the PSA
 *     may still apply it, so the change stays open for the next run to
 *     resolve from the PSA, as an interrupted one;
 *   - any other count: another writer is changing the PSA. The company is
 *     an error (WRITE_FAILED, "another writer is changing <PSA>", with the
 *     counts seen), the change is journaled as "other-writer", and writing
 *     stops for the rest of the run: no correction is posted.
 * A driver error with the target read back is a change made (journaled
 * "applied") that a person should still look at (WRITE_FAILED, the
 * driver's words).
 */
#ifndef LPSA_CORE_APPLY_H
#define LPSA_CORE_APPLY_H

#include <signal.h>

#include "http.h"
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
  /* The first day of LastPass's billing cycle: the billing period of a line
   * whose agreement has none. */
  const char *cycle_start;
  /* The run's deadline lives here (http_set_deadline); it is held during
   * each write. NULL: no deadline. */
  http_client *http;
  const char *deadline_why; /* why writing stops at the deadline */
  /* Called after each write with the writes done and planned (progress for
   * people), or NULL; on the thread that called apply_plan(). */
  void (*on_write)(void *arg, size_t done, size_t total);
  void *on_write_arg;
  /* Changes written at once (apply_parallel.c): more than 1 only for a
   * driver instance whose set_quantity() may run on several threads
   * (lpsa_host_api.concurrent_writes). 0 or 1: one after the other. */
  unsigned writers;
} apply_ctx;

typedef struct apply_stats {
  size_t written, already, failed, not_attempted;
  int stopped;           /* writing stopped before the end of the plan */
  char stop_reason[512]; /* why, when stopped */
} apply_stats;

/* The billing period a change of `o` belongs to: its agreement's
 * period_start, else the LastPass cycle's start. */
const char *apply_billing_period(const outcome *o, const char *cycle_start);

/* Apply every ST_PLANNED outcome: ST_UPDATED, ST_UNCHANGED (the PSA already
 * held the target) or ST_ERROR with WRITE_FAILED. Returns
 * 0, or -1 when out of memory. */
int apply_plan(const apply_ctx *ctx, run_result *res, apply_stats *stats);

#endif
