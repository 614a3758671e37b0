/* SPDX-License-Identifier: MIT */
/*
 * apply.c — the only place lpsa writes to a PSA.
 */
#include "apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "recovery.h"
#include "rule_codes.h"

/* Consecutive transport failures after which the PSA is taken to be down. */
#define APPLY_MAX_TRANSPORT_FAILURES 3

static int is_transport(int rc) {
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

/* The change whose delta write is about to be sent (http_on_unrepeatable). */
typedef struct sending {
  journal *j;
  long long change_id;
  int sent; /* such a request went out */
} sending;

/* The real clock (not LPSA_NOW), in milliseconds. */
static long long wall_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/* Journal until when the request may be in flight: a re-run after a kill
 * waits that out (recovery.h). */
static int mark_sent(void *arg, long timeout_ms) {
  sending *w = arg;
  w->sent = 1;
  return journal_write_sent(w->j, w->change_id, wall_ms() + timeout_ms) ==
                 LPSA_OK
             ? 0
             : -1;
}

static int apply_one(const apply_ctx *ctx, outcome *o, apply_stats *st,
                     int *rc_out) {
  /* The one gate of "not again in this billing period" (recovery.h). */
  int blocked = recovery_not_applied(ctx->journal, ctx->driver_name,
                                     ctx->cycle_start, ctx->driver->terms, o);
  if (blocked) {
    if (blocked < 0) {
      /* Never write what cannot be checked. */
      st->stopped = 1;
      snprintf(st->stop_reason, sizeof st->stop_reason,
               "the journal cannot be read (%s); no further change was "
               "written",
               journal_error(ctx->journal));
    } else {
      st->failed++;
    }
    return 0;
  }
  long long change_id;
  if (journal_intent(ctx->journal, ctx->run_id, ctx->driver_name, o,
                     apply_billing_period(o, ctx->cycle_start),
                     &change_id) != LPSA_OK) {
    /* Never write what cannot be journaled: a crash would lose it. */
    st->stopped = 1;
    snprintf(st->stop_reason, sizeof st->stop_reason,
             "the journal cannot record changes (%s); no further change was "
             "written",
             journal_error(ctx->journal));
    return 0;
  }
  lpsa_line_ref ref = LPSA_INIT(lpsa_line_ref);
  ref.company_id = o->psa_company_id;
  ref.agreement_id = o->agreement_id;
  ref.line_id = o->line_id;
  ref.product_id = o->product_id;
  ref.period_start = o->period_start;
  ref.as_of = ctx->as_of;
  lpsa_set_result res = LPSA_INIT(lpsa_set_result);
  char err[512] = "";
  /* The deadline never cuts a write off between its request and the read
   * that verifies it. */
  http_hold_deadline(ctx->http, 1);
  sending w = {ctx->journal, change_id, 0};
  http_on_unrepeatable(ctx->http, mark_sent, &w);
  int rc = ctx->driver->set_quantity(ctx->driver_ctx, &ref, o->new_quantity,
                                     &res, err, sizeof err);
  http_on_unrepeatable(ctx->http, NULL, NULL);
  http_hold_deadline(ctx->http, 0);
  *rc_out = rc;
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
      if (w.sent)
        journal_write_sent(ctx->journal, change_id, wall_ms());
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

int apply_plan(const apply_ctx *ctx, run_result *res, apply_stats *st) {
  memset(st, 0, sizeof *st);
  int transport_failures = 0;
  size_t planned = 0, done = 0;
  for (size_t i = 0; i < res->n; i++)
    planned += res->outcomes[i].status == ST_PLANNED;
  if (ctx->on_write)
    ctx->on_write(ctx->on_write_arg, 0, planned);
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    if (o->status != ST_PLANNED)
      continue;
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
    if (st->stopped) {
      st->not_attempted++;
      continue;
    }
    int rc = LPSA_OK;
    if (apply_one(ctx, o, st, &rc))
      return -1;
    if (ctx->on_write)
      ctx->on_write(ctx->on_write_arg, ++done, planned);
    if (st->stopped) {
      /* Only a line whose write never started is left planned (the journal
       * could not record it); the line that found another writer was. */
      st->not_attempted += o->status == ST_PLANNED;
      continue;
    }
    transport_failures = is_transport(rc) ? transport_failures + 1 : 0;
    if (rc == LPSA_ERR_AUTH ||
        transport_failures >= APPLY_MAX_TRANSPORT_FAILURES) {
      st->stopped = 1;
      snprintf(st->stop_reason, sizeof st->stop_reason,
               "%s; stopped writing so as not to hammer the PSA",
               rc == LPSA_ERR_AUTH
                   ? "the PSA rejected the credentials"
                   : "the PSA failed to answer several writes in a row");
    }
  }
  return 0;
}
