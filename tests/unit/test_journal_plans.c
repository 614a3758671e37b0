/* SPDX-License-Identifier: MIT */
/*
 * test_journal_plans.c — what the journal keeps of plans: each plan's fate
 * as `history --plans` shows it, the lines an apply already wrote, who
 * approved which change, the mapping's size at each successful run.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "journal.h"
#include "journal_plans.h"
#include "lpsa/status.h"

static char *dir;
static journal *j;

static void setup(void) {
  dir = test_tmpdir("jplans");
  ck_assert_ptr_nonnull(dir);
  char err[512];
  ck_assert_msg(journal_open(dir, 0, &j, err, sizeof err) == JOURNAL_OK, "%s",
                err);
}

static void teardown(void) {
  journal_close(j);
  test_rmtree(dir);
  free(dir);
}

#define DAY 86400LL
#define T0 1795608000LL /* 2026-11-25T12:00:00Z */

static void save(const char *id, long long created, size_t changes,
                 size_t held) {
  plan_meta m = {0};
  snprintf(m.id, sizeof m.id, "%s", id);
  snprintf(m.created, sizeof m.created, "2026-11-25T12:00:00Z");
  m.created_epoch = created;
  m.driver = "jsonpsa";
  m.driver_version = "1.0.0";
  snprintf(m.cycle_start, sizeof m.cycle_start, "2026-11-01");
  snprintf(m.cycle_end, sizeof m.cycle_end, "2026-11-30");
  m.made_by_run = 1;
  m.made_by = "alice";
  ck_assert_int_eq(journal_plan_saved(j, &m, "/p.json", changes, held),
                   LPSA_OK);
}

static const char *fate(const char *id, long long now) {
  journal_plan_info *p;
  size_t n;
  ck_assert_int_eq(journal_plans_list(j, now, DAY, 100, &p, &n), LPSA_OK);
  static char out[64];
  out[0] = '\0';
  for (size_t i = 0; i < n; i++)
    if (strcmp(p[i].id, id) == 0)
      snprintf(out, sizeof out, "%s", p[i].fate);
  journal_plans_free(p, n);
  ck_assert_msg(out[0], "no plan %s", id);
  return out;
}

START_TEST(fates) {
  save("applied", T0, 2, 1);
  save("partly", T0, 2, 0);
  save("waiting", T0, 2, 0);
  save("old", T0 - 2 * DAY, 2, 0);
  save("refused", T0, 1, 0);
  save("empty", T0, 0, 0);
  save("approved-only", T0, 0, 1);
  ck_assert_int_eq(journal_plan_run(j, 5, "applied"), LPSA_OK);
  ck_assert_int_eq(
      journal_plan_line_set(j, "applied", "l1", "101", 5, "applied", NULL),
      LPSA_OK);
  ck_assert_int_eq(
      journal_plan_line_set(j, "applied", "l2", "102", 5, "already", NULL),
      LPSA_OK);
  ck_assert_int_eq(journal_plan_run(j, 6, "partly"), LPSA_OK);
  ck_assert_int_eq(
      journal_plan_line_set(j, "partly", "l1", "101", 6, "applied", NULL),
      LPSA_OK);
  ck_assert_int_eq(
      journal_plan_line_set(j, "partly", "l2", "102", 6, "changed", NULL),
      LPSA_OK);
  plan_meta m = {0};
  snprintf(m.id, sizeof m.id, "refused");
  m.driver = "jsonpsa";
  ck_assert_int_eq(journal_plan_refused(j, &m, "/p.json", 1, 0, "too old"),
                   LPSA_OK);
  ck_assert_int_eq(journal_plan_run(j, 7, "approved-only"), LPSA_OK);
  ck_assert_int_eq(journal_plan_line_set(j, "approved-only", "l9", "109", 7,
                                         "applied", "bob"),
                   LPSA_OK);
  ck_assert_str_eq(fate("applied", T0), "applied");
  ck_assert_str_eq(fate("partly", T0), "partly applied");
  ck_assert_str_eq(fate("waiting", T0), "not applied");
  ck_assert_str_eq(fate("waiting", T0 + DAY + 1), "expired");
  ck_assert_str_eq(fate("old", T0), "expired");
  ck_assert_str_eq(fate("refused", T0), "refused");
  ck_assert_str_eq(fate("empty", T0), "nothing to apply");
  ck_assert_str_eq(fate("approved-only", T0), "applied");
  /* A refused plan that is applied later is no longer "refused". */
  ck_assert_int_eq(journal_plan_run(j, 8, "refused"), LPSA_OK);
  ck_assert_int_eq(
      journal_plan_line_set(j, "refused", "l1", "101", 8, "applied", NULL),
      LPSA_OK);
  ck_assert_str_eq(fate("refused", T0), "applied");
}
END_TEST

START_TEST(lines_done_and_who_approved) {
  save("p", T0, 2, 1);
  long long run = 0;
  char by[64] = "x";
  ck_assert_int_eq(journal_plan_line_done(j, "p", "l1", &run, by, sizeof by),
                   0);
  ck_assert_int_eq(
      journal_plan_line_set(j, "p", "l1", "101", 3, "failed", NULL), LPSA_OK);
  ck_assert_int_eq(journal_plan_line_done(j, "p", "l1", &run, by, sizeof by),
                   0); /* a failed write may be tried again */
  ck_assert_int_eq(
      journal_plan_line_set(j, "p", "l1", "101", 4, "applied", "carol"),
      LPSA_OK);
  ck_assert_int_eq(journal_plan_line_done(j, "p", "l1", &run, by, sizeof by),
                   1);
  ck_assert_int_eq(run, 4);
  ck_assert_str_eq(by, "carol");
  outcome o = {0};
  o.lastpass_id = "101";
  o.lastpass_name = "Acme";
  o.line_id = "l1";
  o.old_quantity = 64;
  o.new_quantity = 640;
  o.approved_by = "carol";
  ck_assert_int_eq(journal_approval_add(j, 4, "p", &o, "LARGE_INCREASE"),
                   LPSA_OK);
  char who[64];
  ck_assert_int_eq(journal_approval_get(j, 4, "101", who, sizeof who), 1);
  ck_assert_str_eq(who, "carol");
  ck_assert_int_eq(journal_approval_get(j, 4, "102", who, sizeof who), 0);
  char id[PLAN_ID_LEN];
  ck_assert_int_eq(journal_run_plan(j, 4, id), 0);
  ck_assert_int_eq(journal_plan_run(j, 4, "p"), LPSA_OK);
  ck_assert_int_eq(journal_run_plan(j, 4, id), 1);
  ck_assert_str_eq(id, "p");
}
END_TEST

START_TEST(mapping_sizes) {
  long long rows = 0, run = 0;
  ck_assert_int_eq(journal_mapping_rows_last(j, "jsonpsa", &rows, &run), 0);
  ck_assert_int_eq(journal_mapping_rows_set(j, 3, "jsonpsa", 40), LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_set(j, 4, "other", 2), LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_set(j, 5, "jsonpsa", 38), LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_last(j, "jsonpsa", &rows, &run), 1);
  ck_assert_int_eq(rows, 38);
  ck_assert_int_eq(run, 5);
  ck_assert_int_eq(journal_mapping_rows_last(j, "other", &rows, &run), 1);
  ck_assert_int_eq(rows, 2);
}
END_TEST

/* A person's acceptance wins over every run before it, and a later
 * successful run wins over the acceptance. */
START_TEST(mapping_accepted) {
  long long id = 0, rows = 0, run = 0;
  for (int i = 0; i < 2; i++)
    ck_assert_int_eq(journal_run_begin(j, "jsonpsa", "1.0.0", "apply",
                                       "2026-11-25T12:00:00Z", &id),
                     LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_set(j, id, "jsonpsa", 40), LPSA_OK);
  ck_assert_int_eq(journal_mapping_accept(j, "jsonpsa", 6, "alice"), LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_last(j, "jsonpsa", &rows, &run), 1);
  ck_assert_int_eq(rows, 6);
  ck_assert_int_eq(run, id);
  ck_assert_int_eq(journal_mapping_rows_last(j, "other", &rows, &run), 0);
  long long next = 0;
  ck_assert_int_eq(journal_run_begin(j, "jsonpsa", "1.0.0", "apply",
                                     "2026-11-25T13:00:00Z", &next),
                   LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_set(j, next, "jsonpsa", 7), LPSA_OK);
  ck_assert_int_eq(journal_mapping_rows_last(j, "jsonpsa", &rows, &run), 1);
  ck_assert_int_eq(rows, 7);
  ck_assert_int_eq(run, next);
}
END_TEST

START_TEST(listing) {
  save("20261125-120000-aaaaaaaaaaaa", T0, 3, 1);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ck_assert_int_eq(journal_print_plans(j, f, 0, T0, DAY, 10), LPSA_OK);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "PLAN"));
  ck_assert_ptr_nonnull(strstr(buf, "20261125-120000-aaaaaaaaaaaa"));
  ck_assert_ptr_nonnull(strstr(buf, "not applied"));
  free(buf);
  f = open_memstream(&buf, &len);
  ck_assert_int_eq(journal_print_plans(j, f, 1, T0, DAY, 10), LPSA_OK);
  fclose(f);
  ck_assert_ptr_nonnull(strstr(buf, "\"schema\":\"lpsa.history-plans/1\""));
  ck_assert_ptr_nonnull(strstr(buf, "\"changes\":3"));
  free(buf);
}
END_TEST

/* The web console's pages of plans: newest first, by driver or by id, with
 * the number of plans the filter selects. */
START_TEST(pages_and_filters) {
  save("20261125-100000-aaaaaaaaaaaa", T0 - 7200, 1, 0);
  save("20261125-110000-bbbbbbbbbbbb", T0 - 3600, 2, 0);
  save("20261125-120000-cccccccccccc", T0, 3, 1);
  journal_plans_query q = {.now = T0, .max_age = DAY, .limit = 2};
  journal_plan_info *p;
  size_t n;
  long long total;
  ck_assert_int_eq(journal_plans_find(j, &q, &p, &n, &total), LPSA_OK);
  ck_assert_int_eq(total, 3);
  ck_assert_uint_eq(n, 2);
  ck_assert_str_eq(p[0].id, "20261125-120000-cccccccccccc");
  ck_assert_str_eq(p[1].id, "20261125-110000-bbbbbbbbbbbb");
  journal_plans_free(p, n);
  q.offset = 2;
  ck_assert_int_eq(journal_plans_find(j, &q, &p, &n, &total), LPSA_OK);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(p[0].id, "20261125-100000-aaaaaaaaaaaa");
  ck_assert_int_eq(p[0].changes, 1);
  journal_plans_free(p, n);
  q = (journal_plans_query){.now = T0,
                            .max_age = DAY,
                            .id = "20261125-110000-bbbbbbbbbbbb",
                            .limit = 5};
  ck_assert_int_eq(journal_plans_find(j, &q, &p, &n, &total), LPSA_OK);
  ck_assert_int_eq(total, 1);
  ck_assert_uint_eq(n, 1);
  ck_assert_int_eq(p[0].changes, 2);
  ck_assert_str_eq(p[0].fate, "not applied");
  journal_plans_free(p, n);
  q = (journal_plans_query){
      .now = T0, .max_age = DAY, .driver = "other", .limit = 5};
  ck_assert_int_eq(journal_plans_find(j, &q, &p, &n, &total), LPSA_OK);
  ck_assert_int_eq(total, 0);
  ck_assert_uint_eq(n, 0);
  journal_plans_free(p, n);
  q.driver = "jsonpsa";
  ck_assert_int_eq(journal_plans_find(j, &q, &p, &n, NULL), LPSA_OK);
  ck_assert_uint_eq(n, 3);
  journal_plans_free(p, n);
}
END_TEST

int main(void) {
  Suite *s = suite_create("journal_plans");
  TCase *tc = tcase_create("journal_plans");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, fates);
  tcase_add_test(tc, lines_done_and_who_approved);
  tcase_add_test(tc, mapping_sizes);
  tcase_add_test(tc, mapping_accepted);
  tcase_add_test(tc, listing);
  tcase_add_test(tc, pages_and_filters);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
