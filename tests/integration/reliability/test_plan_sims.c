/* SPDX-License-Identifier: MIT */
/*
 * test_plan_sims.c — saved plans and approvals against the PSA simulators,
 * through the real lpsa-host:
 *   - a write Autotask accepted but did not apply ("psa-did-not-apply") is
 *     never posted again in its billing period, whatever path would write
 *     it: the plan applied again, an older plan applied after a sync hit
 *     it, a held change released with --approve on a plain sync;
 *   - a plan applied after its line went away says what was seen: the
 *     ConnectWise agreement cancelled or the HaloPSA invoice disabled is
 *     "no longer active", an addition removed is "gone" (never "no longer
 *     exists" for all three).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"

#define V1 "/atservicesrest/v1.0/"
#define ADJUST_PATH V1 "ContractServiceAdjustments"
#define IGNORED_ONCE                                                           \
  "[{\"name\":\"f\",\"method\":\"POST\",\"path_prefix\":\"" ADJUST_PATH        \
  "\",\"times\":1,\"action\":\"adjust_ignored\"}]"

static const rel_world_opts autotask = {
    .psa = REL_AUTOTASK, .companies = 20, .seed = 4, .change_pct = 30};

/* `plan`: the plan file it saved (caller frees). */
static char *make_plan(rel_world *w) {
  rel_run p;
  rel_host(w, &p, "plan", NULL);
  ck_assert_msg(p.status == 0 || p.status == 1, "plan: exit %d; stderr: %s",
                p.status, p.err);
  char *path = strdup(rel_str(p.report, "plan_file"));
  ck_assert_msg(path[0] != '\0', "plan saved no file: %s", p.out);
  rel_run_free(&p);
  return path;
}

/* The one company of `report` carrying WRITE_FAILED. */
static json_object *the_failed(json_object *report) {
  json_object *list = rel_get(report, "companies"), *found = NULL;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (rel_has_rule(rel_get(c, "rules"), "WRITE_FAILED")) {
      ck_assert_msg(found == NULL, "two companies failed: %s",
                    json_object_to_json_string(list));
      found = c;
    }
  }
  ck_assert_msg(found != NULL, "no company failed: %s",
                json_object_to_json_string(list));
  return found;
}

static const char *rule_message(json_object *c, const char *code) {
  json_object *rules = rel_get(c, "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    if (strcmp(rel_str(f, "code"), code) == 0)
      return rel_str(f, "message");
  }
  ck_abort_msg("no %s: %s", code, json_object_to_json_string(c));
  return "";
}

static void assert_contains(const char *text, const char *part) {
  ck_assert_msg(strstr(text, part) != NULL, "\"%s\" lacks \"%s\"", text, part);
}

/* How many adjustments Autotask holds for the contract service. */
static int adjustments(rel_world *w, const char *line) {
  json_object *state = rel_state(w, REL_PSA);
  long long sum;
  int n = rel_at_adjustments(state, line, &sum);
  json_object_put(state);
  return n;
}

/* The company a sync with the adjust_ignored fault left blocked: its
 * LastPass id and line, after checking the PSA kept the old count. */
typedef struct blocked {
  char lastpass_id[32], line[32];
  long long old_q, new_q;
} blocked;

static void expect_not_applied(rel_world *w, json_object *report, blocked *b) {
  ck_assert_int_eq(rel_fault_fired(w, REL_PSA, "f"), 1);
  json_object *c = the_failed(report);
  snprintf(b->lastpass_id, sizeof b->lastpass_id, "%s",
           rel_str(c, "lastpass_id"));
  snprintf(b->line, sizeof b->line, "%s", rel_str(c, "line_id"));
  b->old_q = rel_int(c, "old_quantity");
  b->new_q = rel_int(c, "new_quantity");
  assert_contains(rule_message(c, "WRITE_FAILED"),
                  "does not write this contract service again in the "
                  "billing period");
  ck_assert_int_eq(adjustments(w, b->line), 1);
  ck_assert_int_eq(simproc_clear_faults(&w->psa), 0);
}

/* A later run posted nothing for the blocked line and said why. */
static void expect_still_blocked(rel_world *w, const rel_run *r,
                                 const blocked *b) {
  ck_assert_int_eq(adjustments(w, b->line), 1);
  json_object *c = rel_company(r->report, b->lastpass_id);
  ck_assert_ptr_nonnull(c);
  ck_assert_str_eq(rel_str(c, "status"), "error");
  assert_contains(rule_message(c, "WRITE_FAILED"),
                  "does not write this contract service again in the "
                  "billing period");
  ck_assert_msg(r->status == 1, "exit %d; stderr: %s", r->status, r->err);
}

START_TEST(plan_applied_again_after_not_applied) {
  rel_world w;
  rel_world_start(&w, &autotask);
  char *plan = make_plan(&w);
  ck_assert_int_eq(simproc_set_faults(&w.psa, IGNORED_ONCE), 0);
  rel_run r1, r2;
  rel_host(&w, &r1, "apply", plan, NULL);
  ck_assert_msg(r1.status == 1, "exit %d; stderr: %s", r1.status, r1.err);
  blocked b;
  expect_not_applied(&w, r1.report, &b);
  /* The same plan again: its line is not posted a second time. */
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &r2, "apply", plan, NULL);
  expect_still_blocked(&w, &r2, &b);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_requests(log, "POST", ADJUST_PATH), 0);
  json_object_put(log);
  rel_run_free(&r2);
  rel_run_free(&r1);
  free(plan);
  rel_world_stop(&w);
}
END_TEST

START_TEST(older_plan_after_a_sync_hit_not_applied) {
  rel_world w;
  rel_world_start(&w, &autotask);
  char *plan = make_plan(&w);
  /* A plain sync (a timer, say) meets the PSA ignoring one write. */
  ck_assert_int_eq(simproc_set_faults(&w.psa, IGNORED_ONCE), 0);
  rel_run sync, applied;
  rel_host(&w, &sync, NULL);
  ck_assert_msg(sync.status == 1, "exit %d; stderr: %s", sync.status, sync.err);
  blocked b;
  expect_not_applied(&w, sync.report, &b);
  /* Then a person applies the plan made before it: the line still reads
   * the plan's old count, and is not posted. */
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &applied, "apply", plan, NULL);
  expect_still_blocked(&w, &applied, &b);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_requests(log, "POST", ADJUST_PATH), 0);
  json_object_put(log);
  rel_run_free(&applied);
  rel_run_free(&sync);
  free(plan);
  rel_world_stop(&w);
}
END_TEST

START_TEST(approve_does_not_release_a_not_applied_line) {
  rel_world w;
  rel_world_start(&w, &autotask);
  ck_assert_int_eq(simproc_set_faults(&w.psa, IGNORED_ONCE), 0);
  rel_run r1, r2, r3;
  rel_host(&w, &r1, NULL);
  blocked b;
  expect_not_applied(&w, r1.report, &b);
  /* LastPass now asks for a jump big enough to be held: a person approves
   * it on a plain sync. The line is still not written this period. */
  rel_lp_set_seats(&w, b.lastpass_id, b.old_q * 3 + 10);
  rel_host(&w, &r2, "--dry-run", NULL);
  json_object *c = rel_company(r2.report, b.lastpass_id);
  ck_assert(rel_has_rule(rel_get(c, "rules"), "LARGE_INCREASE"));
  ck_assert_str_ne(rel_str(c, "status"), "planned");
  rel_host(&w, &r3, "--approve", b.lastpass_id, NULL);
  expect_still_blocked(&w, &r3, &b);
  rel_run_free(&r3);
  rel_run_free(&r2);
  rel_run_free(&r1);
  rel_world_stop(&w);
}
END_TEST

/* ---- a line that went away after the plan ------------------------------ */

/* Set `key` of the record `id` of state[list] (a simulator's state). */
static void set_member(rel_world *w, const char *list, const char *id,
                       const char *key, json_object *value) {
  json_object *state = rel_state(w, REL_PSA);
  json_object *arr = rel_get(state, list);
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *o = json_object_array_get_idx(arr, i);
    if (rel_int(o, "id") == atoll(id)) {
      json_object_object_add(o, key, json_object_get(value));
      found = 1;
    }
  }
  json_object_put(value);
  ck_assert_msg(found, "no %s %s in the simulator's state", list, id);
  rel_put_state(w, REL_PSA, state);
  json_object_put(state);
}

/* The first planned company of a dry run. */
static json_object *first_planned(json_object *report) {
  json_object *list = rel_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "status"), "planned") == 0)
      return c;
  }
  ck_abort_msg("no planned company");
  return NULL;
}

typedef void (*take_away)(rel_world *w, const char *agreement,
                          const char *line);

/* plan; take the first planned company's line away; apply: that company is
 * skipped with CHANGED_SINCE_PLAN saying `words` (and naming `named`: "a"
 * the agreement, "l" the line), the others are written. */
static void gone_after_plan(const rel_world_opts *o, take_away fn,
                            const char *words, char named) {
  rel_world w;
  rel_world_start(&w, o);
  rel_run dry, r;
  rel_host(&w, &dry, "--dry-run", NULL);
  json_object *c = first_planned(dry.report);
  char id[32], agreement[32], line[32];
  snprintf(id, sizeof id, "%s", rel_str(c, "lastpass_id"));
  snprintf(agreement, sizeof agreement, "%s", rel_str(c, "agreement_id"));
  snprintf(line, sizeof line, "%s", rel_str(c, "line_id"));
  char *plan = make_plan(&w);
  fn(&w, agreement, line);
  rel_host(&w, &r, "apply", plan, NULL);
  ck_assert_msg(r.status == 1, "exit %d; stderr: %s", r.status, r.err);
  json_object *got = rel_company(r.report, id);
  ck_assert_str_eq(rel_str(got, "status"), "skipped");
  const char *msg = rule_message(got, "CHANGED_SINCE_PLAN");
  assert_contains(msg, words);
  assert_contains(msg, named == 'a' ? agreement : line);
  ck_assert_msg(strstr(msg, "no longer exists") == NULL, "%s", msg);
  ck_assert_int_eq(rel_count_status(r.report, "updated"),
                   rel_count_status(dry.report, "planned") - 1);
  rel_run_free(&r);
  rel_run_free(&dry);
  free(plan);
  rel_world_stop(&w);
}

static void cw_cancel_agreement(rel_world *w, const char *agreement,
                                const char *line) {
  (void)line;
  set_member(w, "agreements", agreement, "agreementStatus",
             json_object_new_string("Cancelled"));
  set_member(w, "agreements", agreement, "cancelledFlag",
             json_object_new_boolean(1));
}

static void cw_remove_addition(rel_world *w, const char *agreement,
                               const char *line) {
  (void)agreement;
  json_object *state = rel_state(w, REL_PSA);
  json_object *adds = rel_get(state, "additions"),
              *kept = json_object_new_array();
  for (size_t i = 0; i < json_object_array_length(adds); i++) {
    json_object *a = json_object_array_get_idx(adds, i);
    if (rel_int(a, "id") != atoll(line))
      json_object_array_add(kept, json_object_get(a));
  }
  ck_assert_int_eq(json_object_array_length(kept) + 1,
                   json_object_array_length(adds));
  json_object_object_add(state, "additions", kept);
  rel_put_state(w, REL_PSA, state);
  json_object_put(state);
}

static void halo_disable_invoice(rel_world *w, const char *agreement,
                                 const char *line) {
  (void)line;
  set_member(w, "invoices", agreement, "disabled", json_object_new_boolean(1));
}

static const rel_world_opts connectwise = {
    .psa = REL_CONNECTWISE, .companies = 15, .seed = 4, .change_pct = 40};
static const rel_world_opts halopsa = {
    .psa = REL_HALOPSA, .companies = 15, .seed = 4, .change_pct = 40};

START_TEST(cw_agreement_cancelled_after_plan) {
  gone_after_plan(&connectwise, cw_cancel_agreement, "is no longer active",
                  'a');
}
END_TEST

START_TEST(cw_addition_removed_after_plan) {
  gone_after_plan(&connectwise, cw_remove_addition, "is gone from", 'l');
}
END_TEST

START_TEST(halo_invoice_disabled_after_plan) {
  gone_after_plan(&halopsa, halo_disable_invoice, "is no longer active", 'a');
}
END_TEST

int main(void) {
  Suite *s = suite_create("plan_sims");
  TCase *na = tcase_create("not_applied");
  tcase_set_timeout(na, 120);
  tcase_add_test(na, plan_applied_again_after_not_applied);
  tcase_add_test(na, older_plan_after_a_sync_hit_not_applied);
  tcase_add_test(na, approve_does_not_release_a_not_applied_line);
  suite_add_tcase(s, na);
  TCase *gone = tcase_create("gone");
  tcase_set_timeout(gone, 120);
  tcase_add_test(gone, cw_agreement_cancelled_after_plan);
  tcase_add_test(gone, cw_addition_removed_after_plan);
  tcase_add_test(gone, halo_invoice_disabled_after_plan);
  suite_add_tcase(s, gone);
  char *tmp = rel_private_tmpdir_begin("plan_sims");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
