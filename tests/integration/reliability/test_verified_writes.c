/* SPDX-License-Identifier: MIT */
/*
 * test_verified_writes.c — what lpsa-host does when the read after a write
 * does not show the target (the driver sets lpsa_set_result.verified):
 *   - the PSA accepted the write but the line still shows the old count:
 *     "did not apply the change as documented". The company is an error
 *     (WRITE_FAILED naming the agreement), the change is journaled as
 *     "psa-did-not-apply", and lpsa never writes that line again in the
 *     same billing period: later runs report it again, naming the run that
 *     wrote it, without writing; a person who fixes the line makes it
 *     unchanged; a new billing period lets it be written again;
 *   - the line shows neither the old count nor the target: another writer
 *     (a second lpsa host, a person, another integration) is changing the
 *     PSA. Writing stops for the rest of the run (no further set_quantity,
 *     no correction), exit 3, the company's WRITE_FAILED says "another
 *     writer" with the values seen, the change is journaled as
 *     "other-writer".
 * Both through the real binary against autotask-sim (fault actions
 * adjust_ignored and adjust_other_writer on the adjustment POST) and the
 * JSON-file test PSA (fail.ignore_write and fail.other_writer).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jp_world.h"
#include "rel_harness.h"

#define V1 "/atservicesrest/v1.0/"
#define ADJUST_PATH V1 "ContractServiceAdjustments"
#define ADJUST "\"method\":\"POST\",\"path_prefix\":\"" ADJUST_PATH "\""
#define RULE(body) "[{\"name\":\"f\"," body "}]"

static const rel_world_opts calm = {
    .psa = REL_AUTOTASK, .companies = 20, .seed = 4, .change_pct = 30};

/* The one company of `report` carrying rule `code`. */
static json_object *only_with_rule(json_object *report, const char *code) {
  json_object *list = rel_get(report, "companies"), *found = NULL;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (rel_has_rule(rel_get(c, "rules"), code)) {
      ck_assert_msg(found == NULL, "two companies carry %s: %s", code,
                    json_object_to_json_string(list));
      found = c;
    }
  }
  ck_assert_msg(found != NULL, "no company carries %s: %s", code,
                json_object_to_json_string(list));
  return found;
}

/* The message of rule `code` of company `c`. */
static const char *rule_message(json_object *c, const char *code) {
  json_object *rules = rel_get(c, "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    if (strcmp(rel_str(f, "code"), code) == 0)
      return rel_str(f, "message");
  }
  ck_abort_msg("company has no %s: %s", code, json_object_to_json_string(c));
  return "";
}

/* The journal state of the change run `run_id` made to `line`. */
static char *change_state(json_object *history, const char *line) {
  json_object *changes = rel_get(history, "changes");
  for (size_t i = 0; i < json_object_array_length(changes); i++) {
    json_object *c = json_object_array_get_idx(changes, i);
    if (strcmp(rel_str(c, "line_id"), line) == 0)
      return strdup(rel_str(c, "state"));
  }
  return strdup("(no change)");
}

static void assert_contains(const char *text, const char *part) {
  ck_assert_msg(strstr(text, part) != NULL, "\"%s\" lacks \"%s\"", text, part);
}

/* The run's WRITE_FAILED says how many planned changes were not attempted:
 * exactly the companies the report still shows as planned. */
static void assert_not_attempted(json_object *report, int left) {
  json_object *findings = rel_get(report, "findings");
  const char *msg = NULL;
  for (size_t i = 0; i < json_object_array_length(findings); i++) {
    json_object *f = json_object_array_get_idx(findings, i);
    if (strcmp(rel_str(f, "code"), "WRITE_FAILED") == 0)
      msg = rel_str(f, "message");
  }
  ck_assert_msg(msg != NULL, "no WRITE_FAILED among the run's findings");
  char want[64];
  snprintf(want, sizeof want, "; %d planned change(s) were not attempted",
           left);
  assert_contains(msg, want);
  ck_assert_int_eq(rel_count_status(report, "planned"), left);
}

/* ---- Autotask ------------------------------------------------------------ */

START_TEST(autotask_did_not_apply) {
  rel_world w;
  rel_world_start(&w, &calm);
  rel_run base, r1, r2, r3;
  rel_host(&w, &base, "--dry-run", NULL);
  int planned = rel_count_status(base.report, "planned");
  ck_assert_int_gt(planned, 1);

  ck_assert_int_eq(
      simproc_set_faults(
          &w.psa, RULE(ADJUST ",\"times\":1,\"action\":\"adjust_ignored\"")),
      0);
  rel_host(&w, &r1, NULL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);
  ck_assert_msg(r1.status == 1, "exit %d; stderr: %s", r1.status, r1.err);
  json_object *c = only_with_rule(r1.report, "WRITE_FAILED");
  char line[32], agreement[32], lp_id[32], want[160];
  snprintf(line, sizeof line, "%s", rel_str(c, "line_id"));
  snprintf(agreement, sizeof agreement, "%s", rel_str(c, "agreement_id"));
  snprintf(lp_id, sizeof lp_id, "%s", rel_str(c, "lastpass_id"));
  long long old_q = rel_int(c, "old_quantity"),
            new_q = rel_int(c, "new_quantity");
  ck_assert_str_eq(rel_str(c, "status"), "error");
  snprintf(want, sizeof want,
           "Autotask did not apply the change as documented: check contract "
           "%s",
           agreement);
  assert_contains(rule_message(c, "WRITE_FAILED"), want);
  /* Every other planned change was made. */
  ck_assert_int_eq(rel_count_status(r1.report, "updated"), planned - 1);
  json_object *state = rel_state(&w, REL_PSA);
  long long sum = 0;
  ck_assert_int_eq(rel_at_adjustments(state, line, &sum), 1);
  ck_assert_int_eq(rel_psa_quantity(&w, state, line), old_q);
  json_object_put(state);
  json_object *h = rel_history(&w, rel_int(r1.report, "run_id"));
  char *st = change_state(h, line);
  ck_assert_str_eq(st, "psa-did-not-apply");
  free(st);
  json_object_put(h);

  /* The next run, the PSA healthy again: reported, never written. */
  ck_assert_int_eq(simproc_clear_faults(&w.psa), 0);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &r2, NULL);
  ck_assert_int_eq(r2.status, 1);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  c = rel_company(r2.report, lp_id);
  ck_assert_str_eq(rel_str(c, "status"), "error");
  char run[64];
  snprintf(run, sizeof run, "run %lld", rel_int(r1.report, "run_id"));
  assert_contains(rule_message(c, "WRITE_FAILED"), want);
  assert_contains(rule_message(c, "WRITE_FAILED"), run);
  state = rel_state(&w, REL_PSA);
  ck_assert_int_eq(rel_at_adjustments(state, line, &sum), 1);
  json_object_put(state);

  /* A person fixes it in Autotask: in step, nothing to write. */
  rel_psa_set_quantity(&w, line, new_q);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &r3, NULL);
  c = rel_company(r3.report, lp_id);
  ck_assert_str_eq(rel_str(c, "status"), "unchanged");
  log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  rel_run_free(&r3);
  rel_run_free(&r2);
  rel_run_free(&r1);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

START_TEST(autotask_another_writer) {
  rel_world w;
  rel_world_start(&w, &calm);
  rel_run base, r;
  rel_host(&w, &base, "--dry-run", NULL);
  int planned = rel_count_status(base.report, "planned");
  ck_assert_int_gt(planned, 1);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  ck_assert_int_eq(
      simproc_set_faults(
          &w.psa,
          RULE(ADJUST ",\"times\":1,\"action\":\"adjust_other_writer\"")),
      0);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);
  ck_assert_msg(r.status == 3, "exit %d; stderr: %s", r.status, r.err);
  rel_wait_idle(&w, REL_PSA);

  /* One adjustment posted, then not a single request more: no further
   * set_quantity, no correction. */
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_requests(log, "POST", ADJUST_PATH), 1);
  size_t n = json_object_array_length(log), post = n;
  for (size_t i = 0; i < n; i++)
    if (strstr(rel_str(json_object_array_get_idx(log, i), "path"), ADJUST_PATH))
      post = i;
  ck_assert_msg(post + 2 == n,
                "after the adjustment only its verifying read may follow: %s",
                json_object_to_json_string(log));
  json_object_put(log);

  json_object *c = only_with_rule(r.report, "WRITE_FAILED");
  char line[32], expect[256];
  snprintf(line, sizeof line, "%s", rel_str(c, "line_id"));
  json_object *state = rel_state(&w, REL_PSA);
  long long now = rel_psa_quantity(&w, state, line);
  json_object_put(state);
  ck_assert_int_ne(now, rel_int(c, "old_quantity"));
  ck_assert_int_ne(now, rel_int(c, "new_quantity"));
  const char *msg = rule_message(c, "WRITE_FAILED");
  snprintf(expect, sizeof expect, "%lld before the write",
           rel_int(c, "old_quantity"));
  assert_contains(msg, expect);
  snprintf(expect, sizeof expect, "set it to %lld", rel_int(c, "new_quantity"));
  assert_contains(msg, expect);
  snprintf(expect, sizeof expect, "%lld after it", now);
  assert_contains(msg, expect);
  assert_contains(msg, "another writer");
  assert_contains(msg, "contract service");
  ck_assert_int_eq(rel_count_status(r.report, "planned"), planned - 1);
  ck_assert(rel_has_rule(rel_get(r.report, "findings"), "WRITE_FAILED"));
  /* The stop counts what was left, not the line just written. */
  assert_not_attempted(r.report, planned - 1);

  json_object *h = rel_history(&w, rel_int(r.report, "run_id"));
  char *st = change_state(h, line);
  ck_assert_str_eq(st, "other-writer");
  free(st);
  json_object_put(h);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* ---- the JSON-file PSA --------------------------------------------------- */

START_TEST(jsonpsa_did_not_apply_until_the_period_changes) {
  jp_world w;
  jp_world_start(&w, "{\"ignore_write\":[\"l1\",\"l5\"]}", NULL, NULL);
  json_object *r1 = jp_run(&w, 1, NULL, NULL);
  ck_assert_int_eq(jp_writes(&w), 5);
  ck_assert_int_eq(rel_count_status(r1, "updated"), 3);
  json_object *c1 = rel_company(r1, "201"), *c5 = rel_company(r1, "205");
  ck_assert_str_eq(rel_str(c1, "status"), "error");
  ck_assert_str_eq(rel_str(c5, "status"), "error");
  assert_contains(rule_message(c1, "WRITE_FAILED"),
                  "did not apply the change as documented: check agreement "
                  "a1");
  ck_assert_int_eq(jp_quantity(&w, "l1"), 9);

  /* Later runs in the same period (a1's) and cycle (a5 has no period):
   * reported, not written. */
  json_object *r2 = jp_run(&w, 1, NULL, NULL);
  ck_assert_int_eq(jp_writes(&w), 5);
  char run[64];
  snprintf(run, sizeof run, "run %lld", rel_int(r1, "run_id"));
  assert_contains(rule_message(rel_company(r2, "201"), "WRITE_FAILED"), run);
  assert_contains(rule_message(rel_company(r2, "205"), "WRITE_FAILED"), run);

  /* a1 enters a new billing period (and the PSA works again): a1's line is
   * written once; a5's stays blocked for the rest of the LastPass cycle. */
  jp_rewrite(&w, "{}",
             "\"period_start\":\"2026-11-15\",\"period_end\":\"2026-12-14\"");
  json_object *r3 = jp_run(&w, 1, NULL, NULL);
  ck_assert_int_eq(jp_writes(&w), 6);
  ck_assert_int_eq(jp_quantity(&w, "l1"), 10);
  ck_assert_str_eq(rel_str(rel_company(r3, "201"), "status"), "updated");
  ck_assert_str_eq(rel_str(rel_company(r3, "205"), "status"), "error");
  ck_assert_int_eq(jp_quantity(&w, "l5"), 49);
  json_object_put(r3);
  json_object_put(r2);
  json_object_put(r1);
  jp_world_stop(&w);
}
END_TEST

START_TEST(jsonpsa_another_writer) {
  jp_world w;
  jp_world_start(&w, "{\"other_writer\":[\"l1\"]}", NULL, NULL);
  json_object *r = jp_run(&w, 3, NULL, NULL);
  /* The first write (A Co's) and nothing after it. */
  ck_assert_int_eq(jp_writes(&w), 1);
  ck_assert_int_eq(jp_quantity(&w, "l1"), 11);
  for (int i = 2; i <= 5; i++) {
    char id[8];
    snprintf(id, sizeof id, "l%d", i);
    ck_assert_int_eq(jp_quantity(&w, id), i * 10 - 1);
  }
  json_object *c = rel_company(r, "201");
  const char *msg = rule_message(c, "WRITE_FAILED");
  assert_contains(msg, "9 before the write");
  assert_contains(msg, "set it to 10");
  assert_contains(msg, "11 after it");
  ck_assert_int_eq(rel_count_status(r, "planned"), 4);
  assert_not_attempted(r, 4);
  json_object_put(r);
  jp_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("verified_writes");
  TCase *at = tcase_create("autotask");
  tcase_set_timeout(at, 120);
  tcase_add_test(at, autotask_did_not_apply);
  tcase_add_test(at, autotask_another_writer);
  suite_add_tcase(s, at);
  TCase *jp = tcase_create("jsonpsa");
  tcase_set_timeout(jp, 60);
  tcase_add_test(jp, jsonpsa_did_not_apply_until_the_period_changes);
  tcase_add_test(jp, jsonpsa_another_writer);
  suite_add_tcase(s, jp);
  char *tmp = rel_private_tmpdir_begin("verified");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
