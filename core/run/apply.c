/* SPDX-License-Identifier: MIT */
/*
 * apply.c — the only place lpsa writes to a PSA: each change begun (its
 * intent journaled), written through the driver, and ended (its result
 * judged and journaled), one after the other here or several at once
 * (apply_parallel.c) for a driver whose writes may run in parallel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recovery.h"
#include "rule_codes.h"

#include "apply_internal.h"

/* Consecutive transport failures after which the PSA is taken to be down. */
#define APPLY_MAX_TRANSPORT_FAILURES 3

int apply_is_transport(int rc) {
  return rc == LPSA_ERR_NETWORK || rc == LPSA_ERR_RATE_LIMITED;
}

/* Journal the final known quantity of the line so the next run can tell a
 * change made by a person. */
static void remember(const apply_ctx *ctx, outcome *o, long long qty) {
  o->line_recorded = 1;
  if (journal_line_set(ctx->journal, ctx->driver_name, o->line_id, qty,
                       ctx->run_id) != LPSA_OK)
    log_msg(ctx->log, LPSA_LOG_WARN,
            "could not record the quantity of line %s in the journal",
            o->line_id);
}

const char *apply_billing_period(const outcome *o, const char *cycle_start) {
  return o->period_start && o->period_start[0] ? o->period_start
         : cycle_start                         ? cycle_start
                                               : "";
}

/* The PSA accepted the write, and the line still shows the old count. */
static int not_applied(const apply_ctx *ctx, outcome *o, apply_stats *st,
                       long long change_id, const lpsa_set_result *res,
                       const char *why) {
  const lpsa_terms *t = ctx->driver->terms;
  st->failed++;
  o->status = ST_ERROR;
  journal_result(ctx->journal, change_id, "psa-did-not-apply", res->after, why);
  return finding_rule(
      &o->findings, RULE_WRITE_FAILED,
      "%s did not apply the change as documented: check %s %s (setting %s "
      "%s from %lld to %lld was accepted, but it still shows %lld%s%s); lpsa "
      "does not write this %s again in the billing period starting %s",
      t->psa, t->agreement, o->agreement_id, t->line, o->line_id, res->before,
      o->new_quantity, res->after, why ? ": " : "", why ? why : "", t->line,
      apply_billing_period(o, ctx->cycle_start));
}

/* The line shows neither the old count nor the target: someone else is
 * writing too. Stop, and never correct it in this run. */
static int another_writer(const apply_ctx *ctx, outcome *o, apply_stats *st,
                          long long change_id, const lpsa_set_result *res,
                          const char *why) {
  const lpsa_terms *t = ctx->driver->terms;
  st->failed++;
  o->status = ST_ERROR;
  journal_result(ctx->journal, change_id, "other-writer", res->after, why);
  st->stopped = 1;
  snprintf(st->stop_reason, sizeof st->stop_reason,
           "another writer is changing %s (%s %s: %lld before the write, "
           "set to %lld, %lld after it); lpsa stopped writing for the rest "
           "of this run",
           t->psa, t->line, o->line_id, res->before, o->new_quantity,
           res->after);
  return finding_rule(
      &o->findings, RULE_WRITE_FAILED,
      "another writer is changing %s: %s %s of %s %s read %lld before the "
      "write, lpsa set it to %lld, and it reads %lld after it (a second "
      "lpsa host, a person or another integration changed it too%s%s); lpsa "
      "stopped writing for the rest of this run and posts no correction: "
      "let only one writer change these counts (one lpsa host per PSA), "
      "then check this %s in %s",
      t->psa, t->line, o->line_id, t->agreement, o->agreement_id, res->before,
      o->new_quantity, res->after, why ? ": " : "", why ? why : "", t->line,
      t->psa);
}

/* The real clock (not LPSA_NOW), in milliseconds. */
long long apply_wall_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Journal until when the job's delta write may be in flight: a re-run
 * after a kill waits that out (recovery.h). On the run's thread. */
static int mark_sent(void *arg, long timeout_ms) {
  apply_job *job = arg;
  job->sent = 1;
  return journal_write_sent(job->journal, job->change_id,
                            apply_wall_ms() + timeout_ms) == LPSA_OK
             ? 0
             : -1;
}

int apply_begin(const apply_ctx *ctx, outcome *o, apply_stats *st,
                apply_job *job) {
  memset(job, 0, sizeof *job);
  job->o = o;
  job->journal = ctx->journal;
  job->mark = mark_sent;
  job->mark_arg = job;
  /* The one gate of "not again in this billing period" (recovery.h). */
  int blocked = recovery_not_applied(ctx->journal, ctx->driver_name,
                                     ctx->cycle_start, ctx->driver->terms, o);
  if (blocked < 0) {
    /* Never write what cannot be checked. */
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "the journal cannot be read (%s); no further change was "
             "written",
             journal_error(ctx->journal));
    return 1;
  }
  if (blocked) {
    st->failed++;
    return 2;
  }
  if (journal_intent(ctx->journal, ctx->run_id, ctx->driver_name, o,
                     apply_billing_period(o, ctx->cycle_start),
                     &job->change_id) != LPSA_OK) {
    /* Never write what cannot be journaled: a crash would lose it. */
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "the journal cannot record changes (%s); no further change was "
             "written",
             journal_error(ctx->journal));
    return 1;
  }
  lpsa_line_ref ref = LPSA_INIT(lpsa_line_ref);
  ref.company_id = o->psa_company_id;
  ref.agreement_id = o->agreement_id;
  ref.line_id = o->line_id;
  ref.product_id = o->product_id;
  ref.period_start = o->period_start;
  ref.as_of = ctx->as_of;
  job->ref = ref;
  lpsa_set_result res = LPSA_INIT(lpsa_set_result);
  job->res = res;
  return 0;
}

void apply_write(const apply_ctx *ctx, apply_job *job) {
  /* The deadline never cuts a write off between its request and the read
   * that verifies it (the hold is this thread's). */
  http_hold_deadline(ctx->http, 1);
  http_on_unrepeatable(ctx->http, job->mark, job->mark_arg);
  job->rc = ctx->driver->set_quantity(ctx->driver_ctx, &job->ref,
                                      job->o->new_quantity, &job->res, job->err,
                                      sizeof job->err);
  http_on_unrepeatable(ctx->http, NULL, NULL);
  http_hold_deadline(ctx->http, 0);
}

int apply_end(const apply_ctx *ctx, apply_job *job, apply_stats *st) {
  outcome *o = job->o;
  long long change_id = job->change_id;
  lpsa_set_result res = job->res;
  char *err = job->err;
  int rc = job->rc;
  if (res.verified && res.after != o->new_quantity &&
      (res.after != res.before || rc != LPSA_ERR_NETWORK)) {
    char *clean = err[0] ? log_redact(ctx->log, err) : NULL;
    log_msg(ctx->log, LPSA_LOG_ERROR,
            "writing %s %s: %lld before, %lld set, %lld read back%s%s",
            o->lastpass_name, o->line_id, res.before, o->new_quantity,
            res.after, clean ? ": " : "", clean ? clean : "");
    int frc = res.after == res.before
                  ? not_applied(ctx, o, st, change_id, &res, clean)
                  : another_writer(ctx, o, st, change_id, &res, clean);
    free(clean);
    return frc;
  }
  if (rc != LPSA_OK && res.verified && res.after == o->new_quantity) {
    /* The read after the write shows the target: the count is set (and
     * known: nothing is left for the next run to resolve), but the driver
     * saw something else go wrong on the way, for a person to look at. */
    char *clean = log_redact(ctx->log, err[0] ? err : "no details");
    const char *why = clean ? clean : "no details";
    st->failed++;
    o->status = ST_ERROR;
    log_msg(ctx->log, LPSA_LOG_ERROR, "writing %s %s: %s", o->lastpass_name,
            o->line_id, why);
    int tx = journal_begin(ctx->journal) == LPSA_OK;
    journal_result(ctx->journal, change_id, "applied", res.after, why);
    remember(ctx, o, res.after);
    if (tx)
      journal_commit(ctx->journal);
    int frc = finding_rule(&o->findings, RULE_WRITE_FAILED,
                           "the count was set from %lld to %lld (read back "
                           "after the write), but: %s",
                           res.before, o->new_quantity, why);
    free(clean);
    return frc;
  }
  if (rc != LPSA_OK) {
    /* Remote error text can quote what it was sent: keep secrets out. */
    char *clean = log_redact(ctx->log, err[0] ? err : "no details");
    const char *why = clean ? clean : "no details";
    st->failed++;
    o->status = ST_ERROR;
    log_msg(ctx->log, LPSA_LOG_ERROR, "writing %s %s failed: %s",
            o->lastpass_name, o->line_id, why);
    int frc;
    if (res.wrote) {
      /* It may have been applied: leave the change open so the next run
       * resolves it from what the PSA shows, never by guessing. */
      /* This process saw the request end (an answer lost, a reset, its
       * timeout): only the margin remains for the next run to wait. */
      if (job->sent)
        journal_write_sent(ctx->journal, change_id, apply_wall_ms());
      journal_result(ctx->journal, change_id, "unconfirmed", res.before, why);
      frc = finding_rule(&o->findings, RULE_WRITE_FAILED,
                         "setting the count from %lld to %lld may have been "
                         "applied, but it could not be confirmed: %s; do not "
                         "change it by hand: the next run checks it first",
                         o->old_quantity, o->new_quantity, why);
    } else {
      journal_result(ctx->journal, change_id, "failed", res.before, why);
      frc = finding_rule(&o->findings, RULE_WRITE_FAILED,
                         "setting the count from %lld to %lld failed: %s; "
                         "nothing was changed, and the next run retries",
                         o->old_quantity, o->new_quantity, why);
    }
    free(clean);
    return frc;
  }
  if (!res.wrote) {
    st->already++;
    o->status = ST_UNCHANGED;
    int tx = journal_begin(ctx->journal) == LPSA_OK;
    journal_result(ctx->journal, change_id, "already", res.before,
                   "the PSA already held the target");
    remember(ctx, o, res.before);
    if (tx)
      journal_commit(ctx->journal);
    return finding_rule_sev(&o->findings, RULE_CHANGED_IN_PSA, SEV_INFO,
                            "the count was already %lld when lpsa re-read it "
                            "before writing (it read %lld moments earlier); "
                            "nothing written",
                            res.before, o->old_quantity);
  }
  st->written++;
  o->status = ST_UPDATED;
  /* The result and the line's remembered count together: a kill between
   * them would make the next run blame a person for lpsa's own write. */
  int tx = journal_begin(ctx->journal) == LPSA_OK;
  journal_result(ctx->journal, change_id, "applied", res.after, NULL);
  remember(ctx, o, res.after);
  if (tx)
    journal_commit(ctx->journal);
  if (res.before != o->old_quantity)
    return finding_rule(&o->findings, RULE_CHANGED_IN_PSA,
                        "the count changed in the PSA to %lld while this run "
                        "was planning (it read %lld); it was set to %lld from "
                        "LastPass",
                        res.before, o->old_quantity, o->new_quantity);
  return 0;
}

int apply_should_stop(const apply_ctx *ctx, apply_stats *st) {
  if (!st->stopped && ctx->stop && *ctx->stop) {
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "stopped by a signal after the write in progress");
  }
  if (!st->stopped && http_deadline_passed(ctx->http)) {
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "%s; writing stopped after the write in progress",
             ctx->deadline_why ? ctx->deadline_why
                               : "the run's deadline has passed");
  }
  return st->stopped;
}

void apply_after(apply_stats *st, int rc, int *transport_failures) {
  if (st->stopped)
    return;
  *transport_failures = apply_is_transport(rc) ? *transport_failures + 1 : 0;
  if (rc == LPSA_ERR_AUTH ||
      *transport_failures >= APPLY_MAX_TRANSPORT_FAILURES) {
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "%s; stopped writing so as not to hammer the PSA",
             rc == LPSA_ERR_AUTH
                 ? "the PSA rejected the credentials"
                 : "the PSA failed to answer several writes in a row");
  }
}

int apply_plan(const apply_ctx *ctx, run_result *res, apply_stats *st) {
  memset(st, 0, sizeof *st);
  int transport_failures = 0;
  size_t planned = 0, done = 0;
  for (size_t i = 0; i < res->n; i++)
    planned += res->outcomes[i].status == ST_PLANNED;
  if (ctx->on_write)
    ctx->on_write(ctx->on_write_arg, 0, planned);
  if (ctx->writers > 1)
    return apply_parallel(ctx, res, st, planned);
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    if (o->status != ST_PLANNED)
      continue;
    if (apply_should_stop(ctx, st)) {
      st->not_attempted++;
      continue;
    }
    apply_job job;
    int begun = apply_begin(ctx, o, st, &job);
    if (begun == 1) {
      st->not_attempted++;
      continue;
    }
    if (begun == 2) {
      /* Blocked by the gate: an error of its own, nothing sent. */
      if (ctx->on_write)
        ctx->on_write(ctx->on_write_arg, ++done, planned);
      apply_after(st, LPSA_OK, &transport_failures);
      continue;
    }
    apply_write(ctx, &job);
    if (apply_end(ctx, &job, st))
      return -1;
    if (ctx->on_write)
      ctx->on_write(ctx->on_write_arg, ++done, planned);
    apply_after(st, job.rc, &transport_failures);
  }
  return 0;
}
