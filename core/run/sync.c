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

#include "apply.h"
#include "duration.h"
#include "host_api.h"
#include "journal.h"
#include "lastpass.h"
#include "lastpass_async.h"
#include "lock.h"
#include "planner.h"
#include "recovery.h"
#include "report.h"
#include "snapshot.h"

static void utc_text(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

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
  lpsa_host host;
  lpsa_driver_ctx *dctx;
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

/* LastPass's side of read_sides(): 0, or -1 (aborted). */
static int lastpass_read(run_state *st, int rc, const char *err) {
  if (rc != LPSA_OK) {
    char what[1100];
    snprintf(what, sizeof what, "LastPass: %s", err);
    abort_read(st, "%s; nothing was written", what);
    return -1;
  }
  log_msg(st->s->log, LPSA_LOG_INFO,
          "LastPass: %zu managed companies, billing cycle %s..%s", st->lp.n,
          st->lp.cycle_start, st->lp.cycle_end);
  return 0;
}

/* The PSA's snapshot of the mapped companies. LPSA_OK, or a status with
 * the message in err. */
static int psa_read(run_state *st, char *err, size_t errlen) {
  const sync_settings *s = st->s;
  const char **companies, **agreements;
  size_t n_companies, n_agreements;
  if (request_ids(s, &companies, &n_companies, &agreements, &n_agreements)) {
    free(companies);
    free(agreements);
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = s->products;
  req.n_products = s->n_products;
  req.company_ids = companies;
  req.n_company_ids = n_companies;
  req.agreement_ids = agreements;
  req.n_agreement_ids = n_agreements;
  req.as_of = st->as_of;
  st->snap = snapshot_new(&req);
  int rc = st->snap ? s->driver->snapshot(st->dctx, &req, st->snap, err, errlen)
                    : LPSA_ERR_NOMEM;
  free(companies);
  free(agreements);
  if (rc == LPSA_OK && st->snap->error[0]) {
    /* A builder refused a record the driver then ignored. */
    snprintf(err, errlen, "the driver emitted a bad record: %s",
             st->snap->error);
    rc = LPSA_ERR_PROTOCOL;
  }
  return rc;
}

/* Read both sides, at once: the PSA's snapshot needs only the mapping and
 * the products, so LastPass is read on a thread of its own meanwhile
 * (lastpass_async.h). 0 when the plan can be made. LastPass's failure is
 * reported first, as when the sides were read one after the other, unless
 * it only followed the PSA's. */
static int read_sides(run_state *st) {
  const sync_settings *s = st->s;
  char err[1024] = "", lp_err[1024] = "";
  lp_options lpo = {s->lastpass_url, s->lastpass_key, st->as_of, 0};
  lastpass_async *lpa = lastpass_async_start(s->http, &lpo);
  int lp_rc = LPSA_OK, lp_abandoned = 0;
  if (!lpa) {
    /* No thread: one side after the other. */
    lp_rc = lastpass_fetch(s->http, &lpo, &st->lp, lp_err, sizeof lp_err);
    if (lastpass_read(st, lp_rc, lp_err))
      return -1;
  }
  int rc = psa_read(st, err, sizeof err);
  if (lpa) {
    if (rc != LPSA_OK)
      lastpass_async_abandon(lpa, "the PSA could not be read; nothing is "
                                  "written");
    lp_rc =
        lastpass_async_join(lpa, &st->lp, lp_err, sizeof lp_err, &lp_abandoned);
    http_abandon_clear(s->http);
    if (!(lp_abandoned && rc != LPSA_OK) && lastpass_read(st, lp_rc, lp_err))
      return -1;
  }
  if (rc != LPSA_OK) {
    char what[1200];
    snprintf(what, sizeof what, "%s: %s", s->driver->terms->psa,
             err[0] ? err : host_status_str(rc));
    abort_read(st, "reading %s; nothing was written", what);
    return -1;
  }
  log_msg(s->log, LPSA_LOG_INFO, "%s: %zu companies, %zu %ss, %zu %ss read",
          s->driver->terms->psa, st->snap->n_companies, st->snap->n_agreements,
          s->driver->terms->agreement, st->snap->n_lines,
          s->driver->terms->line);
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
  if (rules_evaluate(&in, &st->res))
    return -1;
  plan_options po = {s->max_decrease_percent, s->allow_large_decrease,
                     s->suspended_zero, st->as_of};
  if (plan_compute(&po, &st->res) ||
      recovery_check_not_applied(st->j, s->driver_name, st->lp.cycle_start, t,
                                 &st->res))
    return -1;
  return recovery_check_drift(st->j, s->driver_name, &st->res);
}

static int exit_code_of(const run_state *st, int stopped) {
  if (st->aborted || stopped)
    return EXIT_ABORTED;
  run_summary sum;
  run_result_summarize(&st->res, &sum);
  if (sum.errors || sum.held || findings_max(&st->res.findings) == SEV_ERROR)
    return EXIT_ATTENTION;
  return EXIT_IN_STEP;
}

static void finish(run_state *st, sync_report *out, double t0) {
  const sync_settings *s = st->s;
  char finished[32];
  utc_text(time(NULL), finished);
  const http_count *hc;
  size_t n_counts = http_counts(s->http, &hc);
  report_count *counts = calloc(n_counts ? n_counts : 1, sizeof *counts);
  if (!counts)
    n_counts = 0;
  for (size_t i = 0; i < n_counts; i++)
    counts[i] = (report_count){hc[i].label, hc[i].requests};
  http_concurrency_stats hs;
  http_concurrency(s->http, &hs);
  report_concurrency conc = {hs.max, hs.peak, hs.halvings, hs.smallest};
  report_meta m = {.run_id = st->run_id,
                   .driver = s->driver_name,
                   .driver_version = s->driver->version,
                   .dry_run = s->dry_run,
                   .started = st->started,
                   .finished = finished,
                   .cycle_start = st->lp.cycle_start,
                   .cycle_end = st->lp.cycle_end,
                   .aborted = st->aborted,
                   .exit_code = st->exit_code,
                   .terms = s->driver->terms,
                   .counts = counts,
                   .n_counts = n_counts,
                   .total_requests = http_total_requests(s->http),
                   .concurrency = &conc,
                   .redact = s->log};
  out->exit_code = st->exit_code;
  out->run_id = st->run_id;
  out->json = report_json(&m, &st->res);
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (mem) {
    report_text(mem, &m, &st->res);
    fclose(mem);
  }
  free(counts);
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
  run_state st = {.s = s, .lock_fd = -1};
  host_init(&st.host, s->log, s->http);
  time_t now = host_api()->now(&st.host);
  utc_text(now, st.started);
  host_local_date(now, st.as_of);
  http_reset_counts(s->http);
  char err[1024] = "";

  if (s->run_timeout > 0) {
    char limit[32];
    duration_format(s->run_timeout, limit, sizeof limit);
    snprintf(st.deadline_why, sizeof st.deadline_why,
             "the run took longer than run_timeout (%s, in [host]); raise it "
             "if the PSA or LastPass is this slow",
             limit);
    http_set_deadline(s->http, t0 + s->run_timeout, st.deadline_why);
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
  int rc = s->driver->open(host_api(), &st.host, s->driver_config,
                           s->n_driver_config, &st.dctx, err, sizeof err);
  if (rc != LPSA_OK) {
    char what[1200];
    snprintf(what, sizeof what, "driver %s refused its configuration: %s",
             s->driver_name, err[0] ? err : host_status_str(rc));
    abort_run(&st, EXIT_USAGE, "%s", what);
    goto out;
  }
  if (read_sides(&st))
    goto out;
  if (s->stop && *s->stop) {
    abort_run(&st, EXIT_ABORTED, "%s", "stopped by a signal before any write");
    goto out;
  }
  if (http_deadline_passed(s->http)) {
    abort_run(&st, EXIT_ABORTED, "%s; nothing was written", st.deadline_why);
    goto out;
  }
  if (plan(&st)) {
    abort_run(&st, EXIT_ABORTED, "%s",
              "out of memory or journal failure while planning; nothing was "
              "written");
    goto out;
  }
  apply_stats as = {0};
  if (!s->dry_run) {
    apply_ctx ac = {.driver = s->driver,
                    .driver_ctx = st.dctx,
                    .journal = st.j,
                    .run_id = st.run_id,
                    .driver_name = s->driver_name,
                    .as_of = st.as_of,
                    .log = s->log,
                    .stop = s->stop,
                    .cycle_start = st.lp.cycle_start,
                    .http = s->http,
                    .deadline_why = st.deadline_why};
    if (apply_plan(&ac, &st.res, &as)) {
      abort_run(&st, EXIT_ABORTED, "%s", "out of memory while applying");
      goto out;
    }
    if (as.stopped) {
      findings_add(&st.res.findings, "WRITE_FAILED", SEV_ERROR,
                   "%s; %zu planned change(s) were not attempted and stay "
                   "planned for the next run",
                   as.stop_reason, as.not_attempted);
      log_msg(s->log, LPSA_LOG_ERROR, "%s", as.stop_reason);
    }
  }
  recovery_remember(st.j, s->driver_name, st.run_id, &st.res);
  st.exit_code = exit_code_of(&st, as.stopped);
out:
  http_set_deadline(s->http, 0, NULL); /* the next run (daemon) has its own */
  finish(&st, out, t0);
  if (st.dctx)
    s->driver->close(st.dctx);
  journal_close(st.j);
  lock_release(st.lock_fd);
  snapshot_free(st.snap);
  lp_data_free(&st.lp);
  run_result_free(&st.res);
}

void sync_report_free(sync_report *r) {
  json_object_put(r->json);
  free(r->text);
  memset(r, 0, sizeof *r);
}
