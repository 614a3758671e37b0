/* SPDX-License-Identifier: MIT */
/*
 * rel_crash.c — lpsa-host killed with SIGKILL at every point of an apply,
 * then run again (see rel_crash.h); shared by the crash-safety programs of
 * every PSA.
 */
#include "rel_crash.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostrun.h"
#include "rel_harness.h"

#define LATENCY_MS 60
#define MAX_LINES 64

typedef struct line_set {
  char id[MAX_LINES][32];
  int n;
} line_set;

static int line_set_has(const line_set *s, const char *id) {
  for (int i = 0; i < s->n; i++)
    if (strcmp(s->id[i], id) == 0)
      return 1;
  return 0;
}

static void line_set_add(line_set *s, const char *id) {
  if (!line_set_has(s, id)) {
    ck_assert_int_lt(s->n, MAX_LINES);
    snprintf(s->id[s->n++], sizeof s->id[0], "%s", id);
  }
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static void set_latency(rel_world *w, int ms) {
  char body[32];
  snprintf(body, sizeof body, "{\"ms\":%d}", ms);
  ck_assert_int_eq(simproc_send_json(&w->psa, "PUT", "/_sim/latency", body), 0);
}

static size_t log_length(rel_world *w) {
  json_object *log = rel_log(w, REL_PSA);
  size_t n = json_object_array_length(log);
  json_object_put(log);
  return n;
}

/* HaloPSA posts a whole invoice: the line written is the planned line of
 * that invoice (one LastPass line per invoice in the generated world). */
static const char *halo_written_line(json_object *plan, json_object *body) {
  ck_assert_msg(json_object_is_type(body, json_type_array) &&
                    json_object_array_length(body) == 1,
                "a HaloPSA write posts one invoice");
  char invoice[32];
  snprintf(invoice, sizeof invoice, "%lld",
           rel_int(json_object_array_get_idx(body, 0), "id"));
  json_object *list = rel_get(plan, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "agreement_id"), invoice) == 0)
      return rel_str(c, "line_id");
  }
  ck_abort_msg("HaloPSA received a write of invoice %s, which no company of "
               "the plan bills from",
               invoice);
  return NULL;
}

/* The lines whose write the PSA simulator carried out (answered 2xx):
 * ConnectWise PATCH .../additions/{line}; Autotask POST
 * ContractServiceAdjustments {"contractServiceID": line, ...}; HaloPSA
 * POST RecurringInvoice [{"id": invoice, "lines": [...]}]. */
static void written_lines(const rel_world *w, json_object *plan,
                          json_object *log, line_set *out, int *writes) {
  memset(out, 0, sizeof *out);
  *writes = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    if (!rel_is_write(e) || rel_int(e, "status") / 100 != 2)
      continue;
    (*writes)++;
    if (w->opt.psa == REL_CONNECTWISE) {
      ck_assert_str_eq(rel_str(e, "method"), "PATCH");
      const char *slash = strrchr(rel_str(e, "path"), '/');
      ck_assert_ptr_nonnull(slash);
      line_set_add(out, slash + 1);
    } else if (w->opt.psa == REL_HALOPSA) {
      ck_assert_ptr_nonnull(strstr(rel_str(e, "path"), "RecurringInvoice"));
      json_object *body = json_tokener_parse(rel_str(e, "body"));
      ck_assert_ptr_nonnull(body);
      line_set_add(out, halo_written_line(plan, body));
      json_object_put(body);
    } else {
      ck_assert_ptr_nonnull(strstr(rel_str(e, "path"), "Adjustments"));
      json_object *body = json_tokener_parse(rel_str(e, "body"));
      ck_assert_ptr_nonnull(body);
      char id[32];
      snprintf(id, sizeof id, "%lld", rel_int(body, "contractServiceID"));
      json_object_put(body);
      line_set_add(out, id);
    }
  }
}

/* The newest run in the journal (the killed apply, before the re-run). */
static long long newest_run(rel_world *w) {
  json_object *h = rel_history(w, 0);
  json_object *runs = rel_get(h, "runs");
  ck_assert_int_gt(json_object_array_length(runs), 0);
  long long id = rel_int(json_object_array_get_idx(runs, 0), "run_id");
  json_object_put(h);
  return id;
}

static const char *run_result(rel_world *w, long long run_id, char *buf,
                              size_t cap) {
  json_object *h = rel_history(w, run_id);
  snprintf(buf, cap, "%s", rel_str(h, "result"));
  json_object_put(h);
  return buf;
}

/* Lines of run `run_id`'s changes in `state` ("intent": still open). */
static void changes_in_state(rel_world *w, long long run_id, const char *state,
                             line_set *out) {
  memset(out, 0, sizeof *out);
  json_object *h = rel_history(w, run_id);
  json_object *changes = rel_get(h, "changes");
  for (size_t i = 0; i < json_object_array_length(changes); i++) {
    json_object *c = json_object_array_get_idx(changes, i);
    if (strcmp(rel_str(c, "state"), state) == 0)
      line_set_add(out, rel_str(c, "line_id"));
  }
  json_object_put(h);
}

/* Start the apply and SIGKILL it once the PSA has answered n requests.
 * Returns 1 if it was killed, 0 if it had already finished. */
static int kill_after(rel_world *w, size_t n) {
  pid_t pid = rel_spawn_apply(w);
  int waited = 0;
  for (int i = 0; i < 15000; i++) {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      waited = 1;
      break;
    }
    if (log_length(w) >= n)
      break;
    sleep_ms(2);
  }
  if (waited)
    return 0;
  ck_assert_int_eq(kill(pid, SIGKILL), 0);
  int st = hostrun_wait(pid);
  /* It may have exited on its own just before the signal. */
  return st == 128 + SIGKILL;
}

typedef struct coverage {
  int killed, open_applied, open_not_applied, written_before_rerun;
} coverage;

static void one_kill(const rel_world_opts *o, json_object *plan, size_t n,
                     coverage *cov) {
  rel_world w;
  rel_world_start(&w, o);
  char result[64];

  /* 1. The operator's dry run, quick. */
  set_latency(&w, 0);
  rel_run dry;
  rel_host(&w, &dry, "--dry-run", NULL);
  ck_assert_int_eq(dry.status, rel_int(plan, "exit_code"));
  rel_run_free(&dry);

  /* 2. The apply, killed after the n-th PSA answer. */
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  set_latency(&w, LATENCY_MS);
  int killed = kill_after(&w, n);
  cov->killed += killed;

  /* 3. What reached the PSA, and what the journal left open. */
  rel_wait_idle(&w, REL_PSA);
  set_latency(&w, 0);
  json_object *log = rel_log(&w, REL_PSA);
  line_set written, open;
  int writes;
  written_lines(&w, plan, log, &written, &writes);
  json_object_put(log);
  ck_assert_msg(writes == written.n, "N=%zu: a line was written twice", n);
  cov->written_before_rerun += written.n > 0;
  long long killed_run = newest_run(&w);
  changes_in_state(&w, killed_run, "intent", &open);
  /* A kill after the last request may land after the run was journaled as
   * ended (then it must have ended normally, leaving nothing open). */
  run_result(&w, killed_run, result, sizeof result);
  int mid_run = strcmp(result, "running") == 0;
  ck_assert_msg(mid_run || ((strcmp(result, "ok") == 0 ||
                             strcmp(result, "problems") == 0) &&
                            open.n == 0),
                "N=%zu: the killed run is \"%s\" in the journal with %d open "
                "change(s)",
                n, result, open.n);
  ck_assert_msg(killed || !mid_run,
                "N=%zu: the apply exited but its run is still running", n);

  /* 4. The re-run, to completion. */
  rel_run again;
  rel_host(&w, &again, NULL);
  ck_assert_msg(again.status == rel_int(plan, "exit_code"),
                "N=%zu: the re-run exited %d, expected %lld; aborted: %s", n,
                again.status, rel_int(plan, "exit_code"),
                rel_str(again.report, "aborted"));

  /* The PSA: every target reached, each exactly once. */
  ck_assert_int_gt(rel_assert_psa_matches(&w, plan), 0);
  rel_assert_applied_once(&w, plan);
  json_object *all = rel_log(&w, REL_PSA);
  line_set total;
  int total_writes;
  written_lines(&w, plan, all, &total, &total_writes);
  json_object_put(all);
  ck_assert_msg(total_writes == rel_count_status(plan, "planned"),
                "N=%zu: %d writes over both runs for %d planned changes", n,
                total_writes, rel_count_status(plan, "planned"));

  /* The re-run wrote exactly what the killed run had not. */
  json_object *list = rel_get(plan, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *p = json_object_array_get_idx(list, i);
    const char *line = rel_str(p, "line_id");
    json_object *c = rel_company(again.report, rel_str(p, "lastpass_id"));
    ck_assert_ptr_nonnull(c);
    if (strcmp(rel_str(p, "status"), "planned") == 0) {
      const char *want = line_set_has(&written, line) ? "unchanged" : "updated";
      ck_assert_msg(strcmp(rel_str(c, "status"), want) == 0,
                    "N=%zu: line %s is %s in the re-run, expected %s", n, line,
                    rel_str(c, "status"), want);
    }
    if (!line_set_has(&written, line))
      ck_assert_msg(!rel_has_rule(rel_get(c, "rules"), "CHANGED_IN_PSA"),
                    "N=%zu: line %s reported CHANGED_IN_PSA: %s", n, line,
                    json_object_to_json_string(c));
  }

  /* The journal: the killed run, its open changes resolved from the PSA. */
  ck_assert_int_eq(
      rel_count_rule(rel_get(again.report, "findings"), "INTERRUPTED_CHANGE"),
      open.n);
  if (mid_run)
    ck_assert_str_eq(run_result(&w, killed_run, result, sizeof result),
                     "interrupted");
  line_set applied, not_applied;
  changes_in_state(&w, killed_run, "resolved-applied", &applied);
  changes_in_state(&w, killed_run, "resolved-not-applied", &not_applied);
  ck_assert_int_eq(applied.n + not_applied.n, open.n);
  for (int i = 0; i < open.n; i++) {
    int was_written = line_set_has(&written, open.id[i]);
    ck_assert_msg(
        line_set_has(was_written ? &applied : &not_applied, open.id[i]),
        "N=%zu: open change of line %s should be resolved-%s", n, open.id[i],
        was_written ? "applied" : "not-applied");
    cov->open_applied += was_written;
    cov->open_not_applied += !was_written;
  }
  rel_run_free(&again);
  rel_world_stop(&w);
}

void rel_crash_loop(rel_psa psa) {
  rel_world_opts o = {.psa = psa,
                      .companies = 15,
                      .seed = 4,
                      .change_pct = 40,
                      .psa_latency_ms = 0};

  /* The reference: the plan, and T, the PSA requests of a whole apply. */
  rel_world ref;
  rel_world_start(&ref, &o);
  rel_run plan, full;
  rel_host(&ref, &plan, "--dry-run", NULL);
  ck_assert_int_ge(rel_count_status(plan.report, "planned"), 4);
  ck_assert_int_eq(simproc_clear_log(&ref.psa), 0);
  rel_host(&ref, &full, NULL);
  ck_assert_int_eq(full.status, plan.status);
  size_t total = log_length(&ref);
  rel_run_free(&full);
  rel_world_stop(&ref);
  json_object_object_add(plan.report, "exit_code",
                         json_object_new_int(plan.status));

  o.psa_latency_ms = LATENCY_MS;
  coverage cov = {0};
  for (size_t n = 1; n <= total; n++)
    one_kill(&o, plan.report, n, &cov);
  fprintf(stderr,
          "%s: %zu kill points, %d killed, %d with a write before the "
          "re-run; open changes: %d applied, %d not applied\n",
          rel_driver(&ref), total, cov.killed, cov.written_before_rerun,
          cov.open_applied, cov.open_not_applied);
  ck_assert_int_gt(cov.killed, (int)total / 2);
  ck_assert_msg(cov.open_applied > 0,
                "no kill landed between a write and its journal result");
  ck_assert_msg(cov.open_not_applied > 0,
                "no kill landed between an intent and its write");
  rel_run_free(&plan);
}
