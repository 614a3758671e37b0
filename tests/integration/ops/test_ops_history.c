/* SPDX-License-Identifier: MIT */
/*
 * test_ops_history.c — `lpsa-host history` as an admin uses it, through the
 * real binary against the LastPass simulator and the JSON-file test PSA:
 *
 *   - `history --run N` shows every company of the run: what a dry run
 *     planned, what an apply changed (old -> new), held changes and why,
 *     errors and warnings with their rule codes, skipped companies, and
 *     what the journal recorded of each change; `--json` is the run's
 *     lpsa.report/1 document with the journal's result and changes;
 *   - `history --report N` prints exactly the report the run wrote;
 *   - `history --company ID` lists one customer's counts over time;
 *   - retention (history_days) prunes old runs at the start of a run, but
 *     never a run holding an unresolved change.
 *
 * The world: Acme 12 -> 14 (a change), Beta not mapped (skipped), Gamma 30
 * -> 5 (a drop of 83%: held), Delta mapped to a PSA company that does not
 * exist (an error).
 */
#include <check.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ops_harness.h"

static ops_env e;

static void setup(void) {
  ops_setup(&e, "history", "lastpass.json", "psa.json");
  char *psa = ops_read(&e, "psa.json");
  ck_assert_ptr_nonnull(psa);
  char *at = strstr(psa, "\"id\": \"l3\"");
  ck_assert_ptr_nonnull(at);
  char *q = strstr(at, "\"quantity\": 3}");
  ck_assert_ptr_nonnull(q);
  memcpy(q, "\"quantity\":30}", strlen("\"quantity\":30}"));
  ck_assert_int_eq(test_write_file(e.dir, "psa.json", psa), 0);
  free(psa);
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n303,c3\n304,c404\n"),
                   0);
  ops_write_config(&e, NULL, NULL, NULL);
}

static void teardown(void) {
  ops_teardown(&e);
}

static hostrun run(const char *a1, const char *a2, const char *a3,
                   const char *a4) {
  const char *args[] = {a1, a2, a3, a4, NULL};
  hostrun h;
  ops_run(&e, &h, args);
  return h;
}

static void expect_exit(hostrun *h, int status) {
  ck_assert_msg(h->status == status, "exit %d, expected %d\nstdout: %s\n%s",
                h->status, status, h->out, h->err);
}

static void expect_text(const char *text, const char *needle) {
  ck_assert_msg(strstr(text, needle), "no \"%s\" in:\n%s", needle, text);
}

/* The line of `text` that holds `a`, which must also hold `b`. */
static void expect_line(const char *text, const char *a, const char *b) {
  for (const char *p = text; (p = strstr(p, a)); p++) {
    const char *start = p, *end = strchr(p, '\n');
    while (start > text && start[-1] != '\n')
      start--;
    size_t len = end ? (size_t)(end - start) : strlen(start);
    char line[1024];
    snprintf(line, sizeof line, "%.*s", (int)len, start);
    if (strstr(line, b))
      return;
  }
  ck_abort_msg("no line with \"%s\" and \"%s\" in:\n%s", a, b, text);
}

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(o != NULL, "not JSON: %s", text);
  return o;
}

static json_object *company(json_object *report, const char *id) {
  json_object *list = ops_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(ops_get(c, "lastpass_id")), id) == 0)
      return c;
  }
  ck_abort_msg("no company %s", id);
  return NULL;
}

static int has_rule(json_object *c, const char *code) {
  json_object *rules = ops_get(c, "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++)
    if (strcmp(json_object_get_string(
                   ops_get(json_object_array_get_idx(rules, i), "code")),
               code) == 0)
      return 1;
  return 0;
}

static const char *status_of(json_object *report, const char *id) {
  return json_object_get_string(ops_get(company(report, id), "status"));
}

START_TEST(run_shows_every_company) {
  hostrun h = run("--dry-run", NULL, NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);

  /* The dry run: what it planned, held, refused and skipped. */
  h = run("history", "--run", "1", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "run 1: dry-run with jsonpsa");
  expect_text(h.out, "Planned (dry run: nothing was written) (1):");
  expect_line(h.out, "Acme Inc", "    12     14");
  expect_text(h.out, "Held for a person (1):");
  expect_line(h.out, "Gamma GmbH", "LARGE_DECREASE");
  expect_text(h.out,
              "Errors (not updated; what to do):\n  PSA_COMPANY_NOT_FOUND");
  expect_line(h.out, "Delta Ltd (LastPass 304, PSA c404)", "c404");
  expect_text(h.out, "  UNMAPPED\n");
  expect_line(h.out, "Beta & Co (LastPass 302)", "not in the mapping file");
  expect_text(h.out, "The journal recorded no change for this run.");
  hostrun_free(&h);

  h = run("--report", "report.json", NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);

  /* The apply: the change made, with what the journal recorded of it. */
  h = run("history", "--run", "2", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "run 2: apply with jsonpsa");
  expect_text(h.out, "result problems (exit 1)");
  expect_text(h.out, "Updated (1):");
  expect_line(h.out, "Acme Inc", "    12     14");
  expect_line(h.out, "Gamma GmbH", "LARGE_DECREASE");
  expect_text(h.out, "PSA_COMPANY_NOT_FOUND");
  expect_text(h.out, "Journal: the changes of this run");
  expect_line(h.out, "Acme Inc", "applied");
  expect_line(h.out, "Acme Inc", "12 -> 14");
  hostrun_free(&h);

  /* --json: the report, plus the journal's result and changes. */
  h = run("--json", "history", "--run", "2");
  expect_exit(&h, 0);
  json_object *doc = parse(h.out);
  hostrun_free(&h);
  ck_assert_str_eq(json_object_get_string(ops_get(doc, "schema")),
                   "lpsa.report/1");
  ck_assert_str_eq(json_object_get_string(ops_get(doc, "result")), "problems");
  ck_assert_str_eq(status_of(doc, "301"), "updated");
  ck_assert_str_eq(status_of(doc, "302"), "skipped");
  ck_assert_str_eq(status_of(doc, "303"), "held");
  ck_assert(has_rule(company(doc, "303"), "LARGE_DECREASE"));
  ck_assert_str_eq(status_of(doc, "304"), "error");
  ck_assert(has_rule(company(doc, "304"), "PSA_COMPANY_NOT_FOUND"));
  json_object *changes = ops_get(doc, "changes");
  ck_assert_uint_eq(json_object_array_length(changes), 1);
  json_object *c = json_object_array_get_idx(changes, 0);
  ck_assert_str_eq(json_object_get_string(ops_get(c, "state")), "applied");
  ck_assert_str_eq(json_object_get_string(ops_get(c, "line_id")), "l1");
  ck_assert_int_eq(json_object_get_int(ops_get(c, "old_quantity")), 12);
  ck_assert_int_eq(json_object_get_int(ops_get(c, "new_quantity")), 14);
  json_object_put(doc);

  /* --report N: the very report the run wrote with --report FILE. */
  h = run("history", "--report", "2", NULL);
  expect_exit(&h, 0);
  json_object *stored = parse(h.out);
  hostrun_free(&h);
  char *written = ops_read(&e, "report.json");
  ck_assert_ptr_nonnull(written);
  json_object *file = parse(written);
  free(written);
  ck_assert_msg(json_object_equal(stored, file),
                "history --report 2 differs from the run's report file:\n%s",
                json_object_to_json_string(stored));
  json_object_put(stored);
  json_object_put(file);

  /* Every company, also those already in step. */
  h = run(NULL, NULL, NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);
  h = run("history", "--run", "3", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "Already in step (1):");
  expect_line(h.out, "  Acme Inc", "line l1         14");
  hostrun_free(&h);

  /* A run that does not exist. */
  h = run("history", "--report", "9", NULL);
  expect_exit(&h, 2);
  expect_text(h.err, "no run 9 in the journal");
  hostrun_free(&h);
}
END_TEST

START_TEST(company_counts_over_time) {
  hostrun h = run(NULL, NULL, NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);
  /* LastPass now says 16 for Acme: a second change. */
  char src[1024];
  snprintf(src, sizeof src, "%s/tests/integration/ops/data/lastpass.json",
           getenv("LPSA_SOURCE_DIR"));
  char *text = test_read_file(NULL, src);
  ck_assert_ptr_nonnull(text);
  char *at = strstr(text, "\"activeUsers\":14");
  ck_assert_ptr_nonnull(at);
  memcpy(at, "\"activeUsers\":16", strlen("\"activeUsers\":16"));
  ck_assert_int_eq(test_write_file(e.dir, "lastpass.json", text), 0);
  free(text);
  char path[1024];
  snprintf(path, sizeof path, "%s/lastpass.json", e.dir);
  ops_lastpass_restart(&e, path, "2026-11-25");
  ops_write_config(&e, NULL, NULL, NULL); /* the simulator's new port */
  h = run(NULL, NULL, NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);

  h = run("history", "--company", "301", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "LastPass company 301 (Acme Inc)");
  expect_text(h.out, "Newest run listing it: run 2");
  expect_text(h.out, "Changes of its count (2), oldest first:");
  expect_line(h.out, "12 -> 14", "applied");
  expect_line(h.out, "14 -> 16", "applied");
  hostrun_free(&h);

  h = run("--json", "history", "--company", "301");
  expect_exit(&h, 0);
  json_object *doc = parse(h.out);
  hostrun_free(&h);
  ck_assert_str_eq(json_object_get_string(ops_get(doc, "schema")),
                   "lpsa.history-company/1");
  json_object *changes = ops_get(doc, "changes");
  ck_assert_uint_eq(json_object_array_length(changes), 2);
  json_object *second = json_object_array_get_idx(changes, 1);
  ck_assert_int_eq(json_object_get_int(ops_get(second, "run_id")), 2);
  ck_assert_int_eq(json_object_get_int(ops_get(second, "old_quantity")), 14);
  ck_assert_int_eq(json_object_get_int(ops_get(second, "new_quantity")), 16);
  ck_assert_ptr_null(ops_get(second, "approved_by")); /* nobody approved */
  json_object *latest = ops_get(doc, "latest");
  ck_assert_int_eq(json_object_get_int(ops_get(latest, "run_id")), 2);
  ck_assert_str_eq(
      json_object_get_string(ops_get(ops_get(latest, "company"), "status")),
      "updated");
  json_object_put(doc);

  /* A held company has no change yet, but the newest run lists it. */
  h = run("history", "--company", "303", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "LastPass 5 seats; PSA c3 line l3: 30 -> 5 (held)");
  expect_text(h.out, "The journal holds no change of its count.");
  hostrun_free(&h);

  /* A person releases Gamma's held drop: the approver is in its history. */
  h = run("--approve", "303", NULL, NULL);
  expect_exit(&h, 1); /* Delta is still in error */
  hostrun_free(&h);
  h = run("--json", "history", "--company", "303");
  expect_exit(&h, 0);
  doc = parse(h.out);
  hostrun_free(&h);
  changes = ops_get(doc, "changes");
  ck_assert_uint_eq(json_object_array_length(changes), 1);
  json_object *released = json_object_array_get_idx(changes, 0);
  ck_assert_int_eq(json_object_get_int(ops_get(released, "old_quantity")), 30);
  ck_assert_int_eq(json_object_get_int(ops_get(released, "new_quantity")), 5);
  struct passwd *pw = getpwuid(getuid());
  ck_assert_ptr_nonnull(pw);
  ck_assert_str_eq(json_object_get_string(ops_get(released, "approved_by")),
                   pw->pw_name);
  json_object_put(doc);
  h = run("history", "--company", "303", NULL);
  expect_exit(&h, 0);
  expect_line(h.out, "30 -> 5", pw->pw_name);
  hostrun_free(&h);

  h = run("history", "--company", "999", NULL);
  expect_exit(&h, 2);
  expect_text(h.err, "the journal knows no LastPass company 999");
  hostrun_free(&h);
}
END_TEST

static const char *const later_env[] = {"LPSA_TEST_KEY=lpkey_demo",
                                        "LPSA_NOW=2027-01-10T12:00:00Z", NULL};

static hostrun run_later(const char *a1, const char *a2, const char *a3) {
  const char *args[] = {"-c", "lpsa.conf", a1, a2, a3, NULL};
  hostrun h;
  ck_assert_int_eq(hostrun_exec(e.dir, args, later_env, &h), 0);
  return h;
}

/* Open intents in the journal, read by SQLite itself. */
static int open_intents(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/state/journal.sqlite", e.dir);
  sqlite3 *db;
  int n = -1;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM changes WHERE state='intent'",
                           -1, &st, NULL) == SQLITE_OK) {
      if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
      sqlite3_finalize(st);
    }
  }
  sqlite3_close(db);
  return n;
}

static json_object *runs_now(int later) {
  const char *args[] = {"-c", "lpsa.conf", "--json", "history", NULL};
  hostrun h;
  ck_assert_int_eq(
      hostrun_exec(e.dir, args, later ? later_env : ops_child_env, &h), 0);
  expect_exit(&h, 0);
  json_object *doc = parse(h.out);
  hostrun_free(&h);
  return doc;
}

/* The run ids the journal lists, newest first, as "3,2". */
static void run_ids(char *out, size_t cap) {
  json_object *doc = runs_now(0);
  json_object *runs = ops_get(doc, "runs");
  out[0] = '\0';
  for (size_t i = 0; i < json_object_array_length(runs); i++) {
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%lld", i ? "," : "",
             (long long)json_object_get_int64(
                 ops_get(json_object_array_get_idx(runs, i), "run_id")));
  }
  json_object_put(doc);
}

START_TEST(retention_keeps_unresolved_changes) {
  ops_write_config(&e, "history_days = 30", "write_delay_ms = 600000", NULL);
  /* Run 1, on 2026-11-25: a dry run. */
  hostrun h = run("--dry-run", NULL, NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);
  /* Run 2, the same day: killed inside its first write, so its intent is
   * left open in the journal. */
  const char *none[] = {NULL};
  pid_t pid = ops_spawn(&e, none);
  long waited = 0;
  while (open_intents() != 1 && waited < OPS_WAIT_MS) {
    usleep(20000);
    waited += 20;
  }
  ck_assert_int_eq(open_intents(), 1);
  ck_assert_int_eq(kill(pid, SIGKILL), 0);
  ck_assert_int_eq(hostrun_wait(pid), 128 + SIGKILL);
  ck_assert_int_eq(ops_psa_writes(&e), 0);

  char ids[64];
  run_ids(ids, sizeof ids);
  ck_assert_str_eq(ids, "2,1");

  /* Run 3, 46 days later: run 1 is pruned; run 2 held an unresolved change
   * when the run started, so it stays (this run resolves it). */
  ops_lastpass_restart(&e, NULL, "2027-01-10"); /* that day's cycle */
  ops_write_config(&e, "history_days = 30", NULL, NULL);
  h = run_later("-v", "--dry-run", NULL);
  expect_exit(&h, 1);
  expect_text(h.err, "pruned 1 run(s)");
  hostrun_free(&h);
  run_ids(ids, sizeof ids);
  ck_assert_str_eq(ids, "3,2");
  ck_assert_int_eq(open_intents(), 0);
  h = run("history", "--run", "1", NULL);
  expect_exit(&h, 2);
  expect_text(h.err, "no run 1 in the journal");
  hostrun_free(&h);
  h = run("history", "--run", "2", NULL);
  expect_exit(&h, 0);
  expect_text(h.out, "No report was stored: the run did not finish "
                     "(interrupted)");
  expect_line(h.out, "Acme Inc", "resolved-not-applied");
  hostrun_free(&h);

  /* Run 4: now run 2 goes too. */
  h = run_later("--dry-run", NULL, NULL);
  expect_exit(&h, 1);
  hostrun_free(&h);
  run_ids(ids, sizeof ids);
  ck_assert_str_eq(ids, "4,3");

  /* history_days = 0 keeps everything. */
  ops_lastpass_restart(&e, NULL, "2035-01-10");
  ops_write_config(&e, "history_days = 0", NULL, NULL);
  const char *far_env[] = {"LPSA_TEST_KEY=lpkey_demo",
                           "LPSA_NOW=2035-01-10T12:00:00Z", NULL};
  const char *dry[] = {"-c", "lpsa.conf", "--dry-run", NULL};
  ck_assert_int_eq(hostrun_exec(e.dir, dry, far_env, &h), 0);
  hostrun_free(&h);
  run_ids(ids, sizeof ids);
  ck_assert_str_eq(ids, "5,4,3");
}
END_TEST

/* A run that applied a saved plan says which. */
START_TEST(run_names_the_plan_it_applied) {
  const char *plan[] = {"plan", "--out", "plan.json", NULL};
  hostrun h;
  ops_run(&e, &h, plan);
  ck_assert_msg(h.status == 0 || h.status == 1, "plan: exit %d: %s", h.status,
                h.err);
  hostrun_free(&h);
  char *text = ops_read(&e, "plan.json");
  ck_assert_ptr_nonnull(text);
  json_object *p = parse(text);
  free(text);
  char id[128];
  snprintf(id, sizeof id, "%s", json_object_get_string(ops_get(p, "plan_id")));
  json_object_put(p);
  const char *apply[] = {"apply", "plan.json", NULL};
  ops_run(&e, &h, apply);
  expect_exit(&h, 1);
  hostrun_free(&h);
  h = run("history", "--run", "2", NULL);
  expect_exit(&h, 0);
  char want[256];
  snprintf(want, sizeof want, "applied the saved plan %s", id);
  expect_text(h.out, want);
  expect_line(h.out, "Acme Inc", "applied");
  hostrun_free(&h);
  h = run("--json", "history", "--run", "2");
  expect_exit(&h, 0);
  json_object *doc = parse(h.out);
  hostrun_free(&h);
  ck_assert_str_eq(json_object_get_string(ops_get(doc, "plan_id")), id);
  json_object_put(doc);
}
END_TEST

START_TEST(history_days_is_checked) {
  ops_write_config(&e, "history_days = -1", NULL, NULL);
  hostrun h = run("history", NULL, NULL, NULL);
  expect_exit(&h, 2);
  expect_text(h.err, "history_days");
  hostrun_free(&h);
  h = run("history", "--run", "1", "--company");
  expect_exit(&h, 2);
  hostrun_free(&h);
  ops_write_config(&e, NULL, NULL, NULL);
  h = run("history", "--run", "1", NULL);
  ck_assert_int_eq(h.status, 2);
  hostrun_free(&h);
  const char *both[] = {"history", "--run", "1", "--company", "301", NULL};
  ops_run(&e, &h, both);
  expect_exit(&h, 2);
  expect_text(h.err, "history takes one of --run N, --report N, --company ID");
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_history");
  TCase *tc = tcase_create("history");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, run_shows_every_company);
  tcase_add_test(tc, company_counts_over_time);
  tcase_add_test(tc, retention_keeps_unresolved_changes);
  tcase_add_test(tc, run_names_the_plan_it_applied);
  tcase_add_test(tc, history_days_is_checked);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
