/* SPDX-License-Identifier: MIT */
/*
 * sync.c — the order of a run, and the exit code it earns.
 *
 * Nothing is written to the PSA until LastPass and the PSA have both been
 * read completely: any failure before that aborts with EXIT_ABORTED and zero
 * writes.
 */
#include "sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ack_match.h"
#include "apply.h"
#include "approval.h"
#include "clock.h"
#include "duration.h"
#include "host_api.h"
#include "journal.h"
#include "journal_acks.h"
#include "journal_history.h"
#include "journal_plans.h"
#include "lastpass.h"
#include "lastpass_async.h"
#include "lock.h"
#include "plan_doc.h"
#include "plan_key.h"
#include "plan_replay.h"
#include "plan_save.h"
#include "planner.h"
#include "psa_session.h"
#include "recovery.h"
#include "report.h"
#include "rule_codes.h"
#include "snapshot.h"

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The distinct mapped PSA company ids and pinned agreements. */
static int request_ids(const sync_settings *s, const char ***companies,
                       size_t *n_companies, const char ***agreements,
                       size_t *n_agreements) {
  strmap seen = {0};
  *companies = calloc(s->n_rows + 1, sizeof **companies);
  *agreements = calloc(s->n_rows + 1, sizeof **agreements);
  *n_companies = *n_agreements = 0;
  if (!*companies || !*agreements)
    return -1;
  for (size_t i = 0; i < s->n_rows; i++) {
    const map_row *r = &s->rows[i];
    if (!strmap_get(&seen, r->psa_company_id, NULL)) {
      if (strmap_put(&seen, r->psa_company_id, i)) {
        strmap_free(&seen);
        return -1;
      }
      (*companies)[(*n_companies)++] = r->psa_company_id;
    }
    if (r->agreement_id && r->agreement_id[0])
      (*agreements)[(*n_agreements)++] = r->agreement_id;
  }
  strmap_free(&seen);
  return 0;
}

typedef struct run_state {
  const sync_settings *s;
  psa_session ses; /* the host and the driver, opened once per run */
  journal *j;
  int lock_fd;
  long long run_id;
  char started[32];
  char as_of[11];
  lp_data lp;
  lpsa_snapshot *snap;
  run_result res;
  const char *aborted;
  char abort_text[2048];
  int exit_code;
  char deadline_why[160]; /* what passing run_timeout means */
  time_t now;
  int dry_run;   /* asked for, or the person did not confirm */
  int declined;  /* the person did not confirm */
  plan_doc plan; /* `apply PLAN`: the plan (owns its findings' codes) */
  int from_plan;
  char plan_path[4096];
  /* MAPPING_SHRANK: the mapping lost more than half of its rows and no
   * person accepted it yet (`map accept`). */
  int shrink_pending;
} run_state;

static void abort_run(run_state *st, int code, const char *fmt,
                      const char *detail) {
  /* Remote error text can quote what it was sent: keep secrets out of the
   * report and the journal. */
  char *clean = log_redact(st->s->log, detail);
  snprintf(st->abort_text, sizeof st->abort_text, fmt,
           clean ? clean : "(out of memory)");
  free(clean);
  st->aborted = st->abort_text;
  st->exit_code = code;
  log_msg(st->s->log, LPSA_LOG_ERROR, "%s", st->abort_text);
}

/* A read that failed because the run's deadline passed says so first. */
static void abort_read(run_state *st, const char *fmt, const char *detail) {
  if (!http_deadline_passed(st->s->http)) {
    abort_run(st, EXIT_ABORTED, fmt, detail);
    return;
  }
  char what[1400];
  snprintf(what, sizeof what, "%s; nothing was written (%s)", st->deadline_why,
           detail);
  abort_run(st, EXIT_ABORTED, "%s", what);
}

/* LastPass's side of the read: its result, then whether the mapping names
 * anyone it lists. 0, or -1 (aborted). */
static int lastpass_read(run_state *st, int rc, const char *err) {
  const sync_settings *s = st->s;
  if (rc != LPSA_OK) {
    char what[1100];
    snprintf(what, sizeof what, "LastPass: %s", err);
    abort_read(st, "%s; nothing was written", what);
    return -1;
  }
  log_msg(st->s->log, LPSA_LOG_INFO,
          "LastPass: %zu managed companies, billing cycle %s..%s", st->lp.n,
          st->lp.cycle_start, st->lp.cycle_end);
  /* A mapping none of whose rows LastPass knows bills nobody: a wrong
   * file or account, not a quiet run. */
  size_t known = 0;
  for (size_t i = 0; i < s->n_rows; i++)
    known += lp_data_find(&st->lp, s->rows[i].lastpass_id) >= 0;
  if (known == 0) {
    char what[1200];
    snprintf(what, sizeof what,
             "none of the %zu rows of the mapping file%s%s names a company "
             "LastPass lists (%zu managed companies), so lpsa would bill "
             "nobody: check that the file and [lastpass] api_key belong to "
             "the same account, and correct the LastPass ids (`lpsa-host map "
             "suggest` proposes rows); nothing was written",
             s->n_rows, s->mapping_path ? " " : "",
             s->mapping_path ? s->mapping_path : "", st->lp.n);
    abort_run(st, EXIT_USAGE, "%s", what);
    return -1;
  }
  return 0;
}

/* The PSA's snapshot of the given companies and agreements: LPSA_OK, or a
 * status with the message in err. */
static int psa_snapshot(run_state *st, const char **companies,
                        size_t n_companies, const char **agreements,
                        size_t n_agreements, char *err, size_t errlen) {
  const sync_settings *s = st->s;
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = s->products;
  req.n_products = s->n_products;
  req.company_ids = companies;
  req.n_company_ids = n_companies;
  req.agreement_ids = agreements;
  req.n_agreement_ids = n_agreements;
  req.as_of = st->as_of;
  /* The driver's reads go through the host's HTTP client: it counts them
   * (LastPass, read meanwhile, has a client of its own). */
  progress_begin(s->progress, PROGRESS_PSA_READ);
  if (s->progress)
    http_set_progress(s->http, progress_on_http, s->progress);
  int rc = psa_session_snapshot(&st->ses, &req, &st->snap, err, errlen);
  http_set_progress(s->http, NULL, NULL);
  progress_end(s->progress);
  return rc;
}

/* The PSA's side of the read: 0, or -1 (aborted). */
static int psa_read(run_state *st, int rc, const char *err) {
  const sync_settings *s = st->s;
  if (rc != LPSA_OK) {
    char what[1200];
    snprintf(what, sizeof what, "%s: %s", s->driver->terms->psa, err);
    abort_read(st, "reading %s; nothing was written", what);
    return -1;
  }
  log_msg(s->log, LPSA_LOG_INFO, "%s: %zu companies, %zu %ss, %zu %ss read",
          s->driver->terms->psa, st->snap->n_companies, st->snap->n_agreements,
          s->driver->terms->agreement, st->snap->n_lines,
          s->driver->terms->line);
  return 0;
}

/* Read the PSA for the given companies and agreements; 0 or -1. */
static int read_psa(run_state *st, const char **companies, size_t n_companies,
                    const char **agreements, size_t n_agreements) {
  char err[1024] = "";
  int rc = psa_snapshot(st, companies, n_companies, agreements, n_agreements,
                        err, sizeof err);
  return psa_read(st, rc, err);
}

static long long wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A delta write a killed run sent may still land (recovery_in_flight_ms):
 * wait until it cannot, then read the PSA again, so that nothing is
 * decided from a count about to change. Before anything else reads the
 * snapshot. 0, or -1 (aborted). */
static int settle(run_state *st, const char **companies, size_t n_companies,
                  const char **agreements, size_t n_agreements) {
  const sync_settings *s = st->s;
  char what[512] = "";
  long long wait =
      recovery_in_flight_ms(st->j, s->driver_name, st->snap, s->driver->terms,
                            wall_ms(), what, sizeof what);
  if (wait < 0) {
    abort_run(st, EXIT_ABORTED, "%s",
              "journal failure while checking interrupted changes; nothing "
              "was written");
    return -1;
  }
  if (wait == 0)
    return 0;
  log_msg(s->log, LPSA_LOG_WARN,
          "%s may still be in flight at %s (it was sent less than "
          "http_timeout ago, and %s does not show it yet): waiting %.1f s "
          "until it must have ended, then reading %s again, so that it is "
          "not applied twice",
          what, s->driver->terms->psa, s->driver->terms->psa, wait / 1000.0,
          s->driver->terms->psa);
  for (long long end = wall_ms() + wait, now; (now = wall_ms()) < end;) {
    if (s->stop && *s->stop) {
      abort_run(st, EXIT_ABORTED, "%s", "stopped by a signal before any write");
      return -1;
    }
    if (http_deadline_passed(s->http)) {
      abort_run(st, EXIT_ABORTED, "%s; nothing was written", st->deadline_why);
      return -1;
    }
    long long step = end - now < 100 ? end - now : 100;
    struct timespec ts = {0, (long)step * 1000000L};
    nanosleep(&ts, NULL);
  }
  snapshot_free(st->snap);
  st->snap = NULL;
  return read_psa(st, companies, n_companies, agreements, n_agreements);
}

/* Read both sides, at once: the PSA's snapshot needs only the mapping and
 * the products, so LastPass is read on a thread of its own meanwhile
 * (lastpass_async.h). 0 when the plan can be made. LastPass's failure is
 * reported first, as when the sides were read one after the other, unless
 * it only followed the PSA's. */
static int read_sides(run_state *st) {
  const sync_settings *s = st->s;
  char err[1024] = "", lp_err[1024] = "";
  /* The progress counts LastPass's pages while the PSA's reads are shown,
   * and shows them when the PSA is done (progress.h). */
  lp_options lpo = {s->lastpass_url,  s->lastpass_key, st->as_of, 0,
                    progress_on_page, s->progress};
  lastpass_async *lpa = lastpass_async_start(s->http, &lpo);
  int lp_rc = LPSA_OK, lp_abandoned = 0, lp_failed = 0;
  if (!lpa) {
    /* No thread: one side after the other. */
    progress_begin(s->progress, PROGRESS_LASTPASS);
    lp_rc = lastpass_fetch(s->http, &lpo, &st->lp, lp_err, sizeof lp_err);
    progress_end(s->progress);
    if (lastpass_read(st, lp_rc, lp_err))
      return -1;
  }
  const char **companies, **agreements;
  size_t n_companies, n_agreements;
  int rc = request_ids(s, &companies, &n_companies, &agreements, &n_agreements)
               ? LPSA_ERR_NOMEM
               : psa_snapshot(st, companies, n_companies, agreements,
                              n_agreements, err, sizeof err);
  if (rc == LPSA_ERR_NOMEM && !err[0])
    snprintf(err, sizeof err, "out of memory");
  if (lpa) {
    if (rc != LPSA_OK)
      lastpass_async_abandon(lpa, "the PSA could not be read; nothing is "
                                  "written");
    progress_begin(s->progress, PROGRESS_LASTPASS);
    lp_rc =
        lastpass_async_join(lpa, &st->lp, lp_err, sizeof lp_err, &lp_abandoned);
    progress_end(s->progress);
    http_abandon_clear(s->http);
    /* LastPass's failure first (it aborted the run), and no wait then. */
    lp_failed =
        !(lp_abandoned && rc != LPSA_OK) && lastpass_read(st, lp_rc, lp_err);
  }
  /* A write a killed run left in flight is waited out once both sides are
   * read, before the plan (settle). */
  int failed = lp_failed || psa_read(st, rc, err) ||
               settle(st, companies, n_companies, agreements, n_agreements);
  free(companies);
  free(agreements);
  return failed ? -1 : 0;
}

/* Release the held changes of the companies a person approved, and say
 * what became of the ids that released nothing. 0, or -1 on OOM. */
static int approve(run_state *st) {
  const sync_settings *s = st->s;
  if (!s->n_approve)
    return 0;
  const char *by = s->approved_by ? s->approved_by : "?";
  approval_use *use = calloc(s->n_approve, sizeof *use);
  if (!use)
    return -1;
  /* One approval per person: each id released in the name of who chose
   * it. */
  for (size_t i = 0; i < s->n_approve; i++) {
    approval a = {s->approve + i, 1,
                  s->approve_by && s->approve_by[i] ? s->approve_by[i] : by};
    if (approval_apply(&a, &st->res, use + i) < 0) {
      free(use);
      return -1;
    }
  }
  for (size_t i = 0; i < s->n_approve; i++) {
    const char *id = s->approve[i];
    if (use[i] == APPROVAL_UNKNOWN)
      log_msg(s->log, LPSA_LOG_WARN,
              "--approve %s: no LastPass company has that id in this %s; "
              "nothing released for it",
              id, st->from_plan ? "plan" : "run");
    else if (use[i] == APPROVAL_NOT_HELD)
      log_msg(s->log, LPSA_LOG_WARN,
              "--approve %s: that company has no held change; nothing "
              "released for it",
              id);
    else if (use[i] == APPROVAL_NO_TARGET)
      log_msg(s->log, LPSA_LOG_WARN,
              "--approve %s: that company is held because LastPass has no "
              "billing record of it (NO_BILLING_RECORD): there is no count "
              "to approve; check it in LastPass",
              id);
  }
  free(use);
  return 0;
}

/* The guardrails of this configuration, and MAPPING_SHRANK from the
 * mapping's `rows` and the journal's. 0, or -1 (journal failure). */
static int guardrails(run_state *st, size_t rows, plan_options *po) {
  const sync_settings *s = st->s;
  *po = (plan_options){.max_decrease_percent = s->max_decrease_percent,
                       .allow_large_decrease = s->allow_large_decrease,
                       .suspended_zero = s->suspended_zero,
                       .as_of = st->as_of,
                       .max_increase_percent = s->max_increase_percent,
                       .min_seats = s->guardrail_min_seats};
  long long before = 0, before_run = 0;
  int known =
      journal_mapping_rows_last(st->j, s->driver_name, &before, &before_run);
  if (known < 0)
    return -1;
  if (known && plan_mapping_shrank((size_t)before, rows)) {
    st->shrink_pending = 1;
    po->mapping_shrank = 1;
    po->mapping_rows = rows;
    po->mapping_rows_before = (size_t)before;
    po->mapping_rows_run = before_run;
  }
  return 0;
}

static int plan(run_state *st) {
  const sync_settings *s = st->s;
  const lpsa_terms *t = s->driver->terms;
  if (recovery_resolve(st->j, s->driver_name, st->run_id, st->snap, t,
                       &st->res))
    return -1;
  rules_input in = {&st->lp, s->rows,        s->n_rows,        st->snap,
                    t,       s->driver_name, s->suspended_zero};
  plan_options po;
  if (rules_evaluate(&in, &st->res) || guardrails(st, s->n_rows, &po))
    return -1;
  if (plan_compute(&po, &st->res) ||
      recovery_check_not_applied(st->j, s->driver_name, st->lp.cycle_start, t,
                                 &st->res) ||
      approve(st))
    return -1;
  return recovery_check_drift(st->j, s->driver_name, &st->res);
}

/* `apply PLAN`: read the plan, refuse it whole when it no longer fits.
 * 0, or -1 with the run aborted. Before any run is recorded. */
static int load_plan(run_state *st) {
  const sync_settings *s = st->s;
  char err[2048];
  plan_key key;
  int kr = plan_key_load(s->state_dir, 0, &key, err, sizeof err);
  if (kr == 1)
    snprintf(err, sizeof err,
             "%s: this plan was not made by this lpsa (state_dir %s has no "
             "plan key, so it has made no plan): make a new one with "
             "`lpsa-host plan`",
             s->apply_plan, s->state_dir);
  if (kr != 0 ||
      plan_doc_load(s->apply_plan, &key, &st->plan, err, sizeof err) != 0) {
    if (kr == 0)
      plan_key_wipe(&key);
    abort_run(st, EXIT_USAGE, "%s; nothing was written", err);
    return -1;
  }
  plan_key_wipe(&key);
  st->from_plan = 1;
  snprintf(st->plan_path, sizeof st->plan_path, "%s", s->apply_plan);
  plan_facts f = {s->driver_name,    s->driver->name,  s->driver->version,
                  s->config_path,    s->config_digest, s->mapping_path,
                  s->mapping_digest, st->as_of,        (long long)st->now,
                  s->plan_max_age};
  char why[2048];
  if (!s->config_digest || !s->mapping_digest) {
    abort_run(st, EXIT_USAGE, "%s",
              "internal error: applying a plan needs the digests of the "
              "configuration and mapping files; nothing was written");
    return -1;
  }
  if (plan_replay_refusal(&st->plan, &f, why, sizeof why)) {
    size_t planned, held;
    plan_count(&st->plan.res, &planned, &held);
    if (journal_plan_refused(st->j, &st->plan.meta, s->apply_plan, planned,
                             held, why) != LPSA_OK)
      log_msg(s->log, LPSA_LOG_WARN,
              "could not record in the journal that plan %s was refused",
              st->plan.meta.id);
    abort_run(st, EXIT_USAGE, "%s; nothing was written", why);
    return -1;
  }
  /* The plan's decisions are this run's; its codes stay owned by it. */
  st->res = st->plan.res;
  memset(&st->plan.res, 0, sizeof st->plan.res);
  snprintf(st->lp.cycle_start, sizeof st->lp.cycle_start, "%s",
           st->plan.meta.cycle_start);
  snprintf(st->lp.cycle_end, sizeof st->lp.cycle_end, "%s",
           st->plan.meta.cycle_end);
  return 0;
}

/* `apply PLAN` after the run began: approvals, a snapshot of the plan's
 * lines, interrupted changes resolved, each line checked. 0 or -1. */
static int replay(run_state *st) {
  const sync_settings *s = st->s;
  /* Every planned change passes the guardrails again, whatever the file
   * says (plan_guard): only --approve releases what they hold. (The plan's
   * row count is the mapping file's: their digests are the same.) Lines
   * written by an earlier apply of this plan are not read again. */
  plan_options po;
  int rc = guardrails(st, (size_t)st->plan.meta.mapping_rows, &po);
  for (size_t i = 0; i < st->res.n && rc == 0; i++)
    rc = plan_guard(&po, &st->res.outcomes[i]) < 0;
  if (rc || journal_plan_run(st->j, st->run_id, st->plan.meta.id) != LPSA_OK ||
      approve(st) || plan_replay_done(st->j, st->plan.meta.id, &st->res)) {
    abort_run(st, EXIT_ABORTED, "%s",
              "out of memory or journal failure; nothing was written");
    return -1;
  }
  journal_pending *pending = NULL;
  size_t n_pending = 0;
  const char **companies = NULL, **agreements = NULL;
  size_t n_companies = 0, n_agreements = 0;
  rc = journal_pending_list(st->j, s->driver_name, &pending, &n_pending) !=
           LPSA_OK ||
       plan_replay_request(&st->res, pending, n_pending, &companies,
                           &n_companies, &agreements, &n_agreements);
  if (rc)
    abort_run(st, EXIT_ABORTED, "%s",
              "out of memory or journal failure; nothing was written");
  else
    rc = read_psa(st, companies, n_companies, agreements, n_agreements) ||
         settle(st, companies, n_companies, agreements, n_agreements);
  free(companies);
  free(agreements);
  journal_pending_free(pending, n_pending);
  if (rc)
    return -1;
  if (recovery_resolve(st->j, s->driver_name, st->run_id, st->snap,
                       s->driver->terms, &st->res) ||
      plan_replay_check(st->j, s->driver_name, st->run_id, st->plan.meta.id,
                        st->snap, s->driver->terms, &st->res) ||
      recovery_check_not_applied(st->j, s->driver_name, st->lp.cycle_start,
                                 s->driver->terms, &st->res)) {
    abort_run(st, EXIT_ABORTED, "%s",
              "out of memory or journal failure while checking the plan; "
              "nothing was written");
    return -1;
  }
  return 0;
}

/* Lay the acknowledgements of this driver over the findings, so that what
 * a person has seen no longer counts against the exit code (nor, through
 * it, triggers a notify_on = problems notification). */
static void apply_acks(run_state *st) {
  ack_record *acks;
  size_t n;
  if (journal_acks_list(st->j, st->s->driver_name, &acks, &n) != LPSA_OK) {
    log_msg(st->s->log, LPSA_LOG_WARN,
            "cannot read the acknowledgements from the journal: every "
            "finding counts in this run");
    return;
  }
  if (acks_match(acks, n, st->as_of, &st->res))
    log_msg(st->s->log, LPSA_LOG_WARN,
            "out of memory matching acknowledgements: some findings count "
            "as not acknowledged");
  ack_records_free(acks, n);
}

/* Retention (history_days): old runs go at the start of a run, never one
 * holding an unresolved change. */
static void prune_history(run_state *st, time_t now) {
  const sync_settings *s = st->s;
  if (s->history_days <= 0)
    return;
  time_t cutoff = now - (time_t)s->history_days * 86400;
  char text[32], day[11];
  clock_utc_text(cutoff, text);
  host_local_date(cutoff, day);
  int runs = 0, acks = 0;
  if (journal_prune(st->j, text, &runs) != LPSA_OK ||
      journal_acks_prune(st->j, text, day, &acks) != LPSA_OK) {
    log_msg(s->log, LPSA_LOG_WARN,
            "could not prune the journal (history_days = %d); the run goes "
            "on",
            s->history_days);
    return;
  }
  if (runs || acks)
    log_msg(s->log, LPSA_LOG_INFO,
            "journal: pruned %d run(s) and %d ended acknowledgement(s) older "
            "than %d days (history_days)",
            runs, acks, s->history_days);
}

static int exit_code_of(const run_state *st, int stopped) {
  if (st->aborted || stopped)
    return EXIT_ABORTED;
  run_summary sum;
  run_result_summarize(&st->res, &sum);
  /* Companies in error or held count unless a person acknowledged all
   * their findings; a problem of the run as a whole always counts. */
  if (sum.errors + sum.held > sum.acknowledged ||
      findings_max(&st->res.findings) == SEV_ERROR)
    return EXIT_ATTENTION;
  /* So does a mapping that lost most of its rows, until it is accepted,
   * even when nothing was held by it (the rows left were in step). */
  if (st->shrink_pending)
    return EXIT_ATTENTION;
  /* A line left as it is because it changed after the review needs a
   * person as much as a held one. */
  for (size_t i = 0; i < st->res.n; i++)
    if (findings_has_rule(&st->res.outcomes[i].findings,
                          RULE_CHANGED_SINCE_PLAN))
      return EXIT_ATTENTION;
  return EXIT_IN_STEP;
}

static size_t count_planned(const run_result *res) {
  size_t n = 0;
  for (size_t i = 0; i < res->n; i++)
    n += res->outcomes[i].status == ST_PLANNED;
  return n;
}

static void fill_meta(const run_state *st, report_meta *m) {
  const sync_settings *s = st->s;
  *m = (report_meta){.run_id = st->run_id,
                     .driver = s->driver_name,
                     .driver_version = s->driver->version,
                     .dry_run = st->dry_run,
                     .started = st->started,
                     .cycle_start = st->lp.cycle_start,
                     .cycle_end = st->lp.cycle_end,
                     .aborted = st->aborted,
                     .exit_code = st->exit_code,
                     .terms = s->driver->terms,
                     .redact = s->log,
                     .plan_id = st->plan.meta.id[0] ? st->plan.meta.id : NULL};
}

/* Ask the person, when there is a question to ask. 1 to write. */
static int confirmed(run_state *st) {
  const sync_settings *s = st->s;
  size_t n = count_planned(&st->res);
  if (!s->confirm || st->dry_run || n == 0)
    return 1;
  report_meta m;
  fill_meta(st, &m);
  m.planned_title = "To be written if you confirm";
  m.total_requests = http_total_requests(s->http);
  char *buf = report_text_string(&m, &st->res);
  sync_confirm c = {buf ? buf : "", n, s->driver->terms->psa};
  int yes = s->confirm(s->confirm_arg, &c) == 1;
  free(buf);
  if (!yes) {
    st->declined = 1;
    st->dry_run = 1;
    journal_run_declined(st->j, st->run_id);
    log_msg(s->log, LPSA_LOG_WARN,
            "not confirmed: nothing was written (run %lld is recorded as a "
            "dry run)",
            st->run_id);
  }
  return yes;
}

/* After the writes: the fate of each line of an applied plan, who released
 * which held change, the mapping's size when the run succeeded. */
static void record(run_state *st, const unsigned char *attempted, int stopped) {
  const sync_settings *s = st->s;
  const char *plan_id = st->from_plan ? st->plan.meta.id : NULL;
  for (size_t i = 0; i < st->res.n; i++) {
    const outcome *o = &st->res.outcomes[i];
    if (!attempted || !attempted[i])
      continue;
    if (o->approved_by) {
      char codes[256] = "";
      for (size_t k = 0; k < o->findings.n; k++)
        if (approval_is_hold(o->findings.items[k].code)) {
          size_t used = strlen(codes);
          snprintf(codes + used, sizeof codes - used, "%s%s", used ? "," : "",
                   o->findings.items[k].code);
        }
      if (journal_approval_add(st->j, st->run_id, plan_id, o, codes) != LPSA_OK)
        log_msg(s->log, LPSA_LOG_WARN,
                "could not record in the journal who approved the change of "
                "%s",
                o->lastpass_name);
    }
    if (plan_id && o->status != ST_PLANNED) {
      const char *state = o->status == ST_UPDATED     ? "applied"
                          : o->status == ST_UNCHANGED ? "already"
                                                      : "failed";
      if (journal_plan_line_set(st->j, plan_id, o->line_id, o->lastpass_id,
                                st->run_id, state, o->approved_by) != LPSA_OK)
        log_msg(s->log, LPSA_LOG_WARN,
                "could not record in the journal what became of line %s of "
                "plan %s",
                o->line_id, plan_id);
    }
  }
  /* The size a later run compares with (MAPPING_SHRANK): only a real run
   * that finished, and never a shrink no person accepted (`map accept`),
   * whatever was approved or in step. */
  long long rows =
      st->from_plan ? st->plan.meta.mapping_rows : (long long)s->n_rows;
  if (!st->dry_run && !stopped && !st->shrink_pending &&
      journal_mapping_rows_set(st->j, st->run_id, s->driver_name, rows) !=
          LPSA_OK)
    log_msg(s->log, LPSA_LOG_WARN,
            "could not record the mapping's row count in the journal");
}

/* `plan`: save what this dry run decided. 0, or -1 (aborted). */
static int save(run_state *st, sync_report *out) {
  const sync_settings *s = st->s;
  plan_meta m = {0};
  clock_utc_text(st->now, m.created);
  m.created_epoch = (long long)st->now;
  m.driver = (char *)s->driver_name;
  m.driver_name = (char *)s->driver->name;
  m.driver_version = (char *)s->driver->version;
  m.psa = (char *)s->driver->terms->psa;
  m.config_path = (char *)s->config_path;
  m.mapping_path = (char *)s->mapping_path;
  snprintf(m.config_digest, sizeof m.config_digest, "%s",
           s->config_digest ? s->config_digest : "");
  snprintf(m.mapping_digest, sizeof m.mapping_digest, "%s",
           s->mapping_digest ? s->mapping_digest : "");
  m.mapping_rows = (long long)s->n_rows;
  snprintf(m.cycle_start, sizeof m.cycle_start, "%s", st->lp.cycle_start);
  snprintf(m.cycle_end, sizeof m.cycle_end, "%s", st->lp.cycle_end);
  snprintf(m.as_of, sizeof m.as_of, "%s", st->as_of);
  m.made_by_run = st->run_id;
  m.made_by = (char *)s->approved_by;
  char err[2048];
  if (plan_save(&m, &st->res, s->log, s->state_dir, s->plan_out, out->plan_path,
                sizeof out->plan_path, err, sizeof err) != 0) {
    abort_run(st, EXIT_USAGE, "%s", err);
    return -1;
  }
  snprintf(out->plan_id, sizeof out->plan_id, "%s", m.id);
  snprintf(st->plan.meta.id, sizeof st->plan.meta.id, "%s", m.id);
  plan_count(&st->res, &out->plan_changes, &out->plan_held);
  if (journal_plan_saved(st->j, &m, out->plan_path, out->plan_changes,
                         out->plan_held) != LPSA_OK)
    log_msg(s->log, LPSA_LOG_WARN,
            "could not record plan %s in the journal (its file is saved)",
            m.id);
  log_msg(s->log, LPSA_LOG_INFO, "plan %s saved to %s", m.id, out->plan_path);
  return 0;
}

static void finish(run_state *st, sync_report *out, double t0) {
  const sync_settings *s = st->s;
  /* The clock that dated the start (LPSA_NOW in tests), not another. */
  time_t end = psa_session_now(&st->ses);
  char finished[32];
  clock_utc_text(end, finished);
  const http_count *hc;
  size_t n_counts = http_counts(s->http, &hc);
  /* Owned labels: the counts outlive the HTTP client's (a daemon's next
   * run resets them). */
  report_count *counts = calloc(n_counts ? n_counts : 1, sizeof *counts);
  for (size_t i = 0; counts && i < n_counts; i++) {
    counts[i] = (report_count){strdup(hc[i].label), hc[i].requests};
    if (!counts[i].label) {
      report_counts_free(counts, i);
      counts = NULL;
    }
  }
  if (!counts)
    n_counts = 0;
  http_concurrency_stats hs;
  http_concurrency(s->http, &hs);
  report_concurrency conc = {hs.max, hs.peak, hs.halvings, hs.smallest};
  report_meta m;
  fill_meta(st, &m);
  m.finished = finished;
  m.counts = counts;
  m.n_counts = n_counts;
  m.total_requests = http_total_requests(s->http);
  m.concurrency = &conc;
  if (st->declined)
    m.planned_title = "Not written: you did not confirm";
  out->exit_code = st->exit_code;
  out->declined = st->declined;
  if (st->from_plan) {
    snprintf(out->plan_id, sizeof out->plan_id, "%s", st->plan.meta.id);
    snprintf(out->plan_path, sizeof out->plan_path, "%s", st->plan_path);
  }
  out->run_id = st->run_id;
  out->json = report_json(&m, &st->res);
  char *buf = report_text_string(&m, &st->res);
  out->counts = counts;
  out->n_counts = n_counts;
  out->finished = end;
  out->driver_version = s->driver->version;
  out->dry_run = st->dry_run;
  out->text = buf;
  run_result_summarize(&st->res, &out->summary);
  out->duration_s = monotonic() - t0;
  if (st->aborted)
    snprintf(out->error, sizeof out->error, "%s", st->aborted);
  if (st->j && st->run_id > 0) {
    char *summary = report_summary_json(&st->res);
    const char *result = st->aborted                       ? "aborted"
                         : st->exit_code == EXIT_ABORTED   ? "stopped"
                         : st->exit_code == EXIT_ATTENTION ? "problems"
                                                           : "ok";
    journal_run_end(st->j, st->run_id, finished, result, st->exit_code, summary,
                    out->json ? json_object_to_json_string_ext(
                                    out->json, JSON_C_TO_STRING_PLAIN)
                              : NULL);
    free(summary);
  }
}

void sync_run(const sync_settings *s, sync_report *out) {
  memset(out, 0, sizeof *out);
  double t0 = monotonic();
  run_state st = {.s = s, .lock_fd = -1, .dry_run = s->dry_run};
  psa_session_init(&st.ses, s->driver, s->log, s->http);
  time_t now = psa_session_now(&st.ses);
  st.now = now;
  clock_utc_text(now, st.started);
  host_local_date(now, st.as_of);
  http_reset_counts(s->http);
  char err[1024] = "";
  unsigned char *attempted = NULL;
  if (s->run_timeout > 0) {
    char limit[32];
    duration_format(s->run_timeout, limit, sizeof limit);
    snprintf(st.deadline_why, sizeof st.deadline_why,
             "the run took longer than run_timeout (%s, in [host]); raise it "
             "if the PSA or LastPass is this slow",
             limit);
    http_set_deadline(s->http, t0 + s->run_timeout, st.deadline_why);
  }

  if (!s->apply_plan && s->n_rows == 0) {
    /* An empty mapping would make every run "in step" while nobody is
     * billed. */
    snprintf(err, sizeof err,
             "the mapping file%s%s has no rows, so lpsa would bill nobody: "
             "add a row for each LastPass company to bill (`lpsa-host map "
             "suggest` proposes them); nothing was read or written",
             s->mapping_path ? " " : "",
             s->mapping_path ? s->mapping_path : "");
    abort_run(&st, EXIT_USAGE, "%s", err);
    goto out;
  }

  st.lock_fd = lock_acquire(s->state_dir, err, sizeof err);
  if (st.lock_fd < 0) {
    /* Not a configuration error: the run stopped before any write. */
    abort_run(&st, EXIT_ABORTED, "%s", err);
    goto out;
  }
  /* A journal that is locked, full or damaged is not a configuration
   * error: the run stops before any write (exit 3). */
  journal_status js =
      journal_open(s->state_dir, JOURNAL_VERIFY, &st.j, err, sizeof err);
  if (js != JOURNAL_OK) {
    abort_run(&st, js == JOURNAL_NO_STATE_DIR ? EXIT_USAGE : EXIT_ABORTED, "%s",
              err);
    goto out;
  }
  if (s->apply_plan && load_plan(&st))
    goto out;
  for (size_t i = 0; s->notices && i < s->notices->n; i++)
    if (findings_add(&st.res.findings, s->notices->items[i].code,
                     s->notices->items[i].sev, "%s",
                     s->notices->items[i].message)) {
      abort_run(&st, EXIT_ABORTED, "%s", "out of memory");
      goto out;
    }
  int interrupted = journal_mark_interrupted(st.j);
  if (interrupted < 0) {
    snprintf(err, sizeof err,
             "cannot update the journal: %s; nothing was written (is the "
             "disk full, or another program holding the journal?)",
             journal_error(st.j));
    abort_run(&st, EXIT_ABORTED, "%s", err);
    goto out;
  }
  if (interrupted > 0)
    log_msg(s->log, LPSA_LOG_WARN,
            "%d earlier run(s) ended without finishing; their unfinished "
            "changes are checked against the PSA now",
            interrupted);
  prune_history(&st, now);
  if (journal_run_begin(st.j, s->driver_name, s->driver->version,
                        s->dry_run ? "dry-run" : "apply", st.started,
                        &st.run_id) != LPSA_OK) {
    snprintf(err, sizeof err,
             "cannot record the run in the journal: %s; nothing was written "
             "(is the disk full, or another program holding the journal?)",
             journal_error(st.j));
    abort_run(&st, EXIT_ABORTED, "%s", err);
    goto out;
  }
  if (psa_session_open(&st.ses, s->driver_config, s->n_driver_config, err,
                       sizeof err) != LPSA_OK) {
    char what[1200];
    snprintf(what, sizeof what, "driver %s refused its configuration: %s",
             s->driver_name, err);
    abort_run(&st, EXIT_USAGE, "%s", what);
    goto out;
  }
  if (st.from_plan) {
    if (replay(&st))
      goto out;
  } else {
    if (read_sides(&st))
      goto out;
    if (plan(&st)) {
      abort_run(&st, EXIT_ABORTED, "%s",
                "out of memory or journal failure while planning; nothing "
                "was written");
      goto out;
    }
  }
  if (s->stop && *s->stop) {
    abort_run(&st, EXIT_ABORTED, "%s", "stopped by a signal before any write");
    goto out;
  }
  if (http_deadline_passed(s->http)) {
    abort_run(&st, EXIT_ABORTED, "%s; nothing was written", st.deadline_why);
    goto out;
  }
  if (s->save_plan && save(&st, out))
    goto out;
  apply_stats as = {0};
  if (!st.dry_run && confirmed(&st)) {
    if (!(attempted = calloc(st.res.n + 1, 1))) {
      abort_run(&st, EXIT_ABORTED, "%s", "out of memory while applying");
      goto out;
    }
    for (size_t i = 0; i < st.res.n; i++)
      attempted[i] = st.res.outcomes[i].status == ST_PLANNED;
    apply_ctx ac = {.driver = s->driver,
                    .driver_ctx = st.ses.ctx,
                    .journal = st.j,
                    .run_id = st.run_id,
                    .driver_name = s->driver_name,
                    .as_of = st.as_of,
                    .log = s->log,
                    .stop = s->stop,
                    .cycle_start = st.lp.cycle_start,
                    .http = s->http,
                    .deadline_why = st.deadline_why,
                    .on_write = progress_on_write,
                    .on_write_arg = s->progress};
    /* A driver whose writes may run in parallel gets as many at once as
     * requests may be in flight; the HTTP client bounds the requests. */
    http_concurrency_stats hs;
    http_concurrency(s->http, &hs);
    ac.writers = st.ses.host.concurrent_writes ? hs.max : 1;
    progress_begin(s->progress, PROGRESS_PSA_WRITE);
    int failed = apply_plan(&ac, &st.res, &as);
    progress_end(s->progress);
    if (failed) {
      abort_run(&st, EXIT_ABORTED, "%s", "out of memory while applying");
      goto out;
    }
    if (as.stopped) {
      finding_rule(&st.res.findings, RULE_WRITE_FAILED,
                   "%s; %zu planned change(s) were not attempted and stay "
                   "planned for the next run",
                   as.stop_reason, as.not_attempted);
      log_msg(s->log, LPSA_LOG_ERROR, "%s", as.stop_reason);
    }
  }
  recovery_remember(st.j, s->driver_name, st.run_id, &st.res);
  record(&st, attempted, as.stopped);
  apply_acks(&st);
  st.exit_code = exit_code_of(&st, as.stopped);
out:
  finish(&st, out, t0);
  out->res = st.res; /* the report's results, typed, go with it */
  memset(&st.res, 0, sizeof st.res);
  out->codes = st.plan.codes; /* and the plan's codes they point to */
  out->n_codes = st.plan.n_codes;
  st.plan.codes = NULL;
  st.plan.n_codes = st.plan.cap_codes = 0;
  psa_session_close(&st.ses);
  journal_close(st.j);
  lock_release(st.lock_fd);
  snapshot_free(st.snap);
  lp_data_free(&st.lp);
  run_result_free(&st.res);
  plan_doc_free(&st.plan);
  free(attempted);
  http_set_deadline(s->http, 0, NULL); /* the next run (daemon) has its own */
}

void sync_report_free(sync_report *r) {
  json_object_put(r->json);
  free(r->text);
  run_result_free(&r->res);
  for (size_t i = 0; i < r->n_codes; i++)
    free(r->codes[i]);
  free(r->codes);
  report_counts_free(r->counts, r->n_counts);
  memset(r, 0, sizeof *r);
}
