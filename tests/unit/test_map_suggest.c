/* SPDX-License-Identifier: MIT */
/*
 * test_map_suggest.c — choosing best and runner-up, the states that comment
 * a row out, the order of rows, and a CSV the mapping parser accepts as it
 * stands.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_suggest_render.h"
#include "mapping.h"

static const ms_company lastpass[] = {
    {"201", "Acme Inc"},              /* 0: "Acme" 95, runner-up "Acme Labs" */
    {"202", "Globex"},                /* 1: "Globx" 75 */
    {"203", "Initech"},               /* 2: "Initech Holdings" 60: below */
    {"204", "Umbrella Ltd"},          /* 3: nothing alike */
    {"205", "Hooli"},                 /* 4: "Hooli LLC" 95 and "Hooli Ltd" 95 */
    {"206", "Acme Incorporated"},     /* 5: "Acme" 95 as well: tie with 201 */
    {"207", "Stark, \"Industries\""}, /* 6: quotes and a comma in a name */
};

static const ms_company psa[] = {
    {"c1", "Acme"},
    {"c2", "Acme Labs"},
    {"c3", "Globx"},
    {"c4", "Initech Holdings"},
    {"c5", "Hooli LLC"},
    {"c6", "Hooli Ltd"},
    {"c7", "Stark Industries"},
    {"c8", "Zzz"},
};

#define N_LP (sizeof lastpass / sizeof lastpass[0])
#define N_PSA (sizeof psa / sizeof psa[0])

static const ms_row *row_of(const ms_result *r, const char *lastpass_id) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(lastpass[r->rows[i].lastpass].id, lastpass_id) == 0)
      return &r->rows[i];
  ck_abort_msg("no row for %s", lastpass_id);
  return NULL;
}

static void expect(const ms_result *r, const char *id, const char *best,
                   int score, ms_state state) {
  const ms_row *row = row_of(r, id);
  ck_assert_msg(row->state == state, "%s: state %s, want %s", id,
                ms_state_name(row->state), ms_state_name(state));
  ck_assert_int_eq(row->best_score, score);
  if (best)
    ck_assert_str_eq(psa[row->best].id, best);
}

START_TEST(states_and_scores) {
  ms_result r;
  ck_assert_int_eq(map_suggest(lastpass, N_LP, psa, N_PSA, NULL, &r), 0);
  ck_assert_uint_eq(r.n, N_LP);
  /* 201 and 206 both normalise to "acme": a tie on c1, a person chooses. */
  expect(&r, "201", "c1", 95, MS_TAKEN);
  expect(&r, "206", "c1", 95, MS_TAKEN);
  expect(&r, "202", "c3", 75, MS_SUGGESTED);
  expect(&r, "203", "c4", 60, MS_BELOW_THRESHOLD);
  expect(&r, "205", NULL, 95, MS_AMBIGUOUS);
  expect(&r, "207", "c7", 95, MS_SUGGESTED);
  const ms_row *hooli = row_of(&r, "205");
  ck_assert_int_eq(hooli->second_score, 95);
  const ms_row *umbrella = row_of(&r, "204");
  ck_assert_int_lt(umbrella->best_score, MAP_SUGGEST_THRESHOLD);
  /* Runner-up of Acme Inc: Acme Labs, Dice 2 x 1/3 = 60. */
  const ms_row *acme = row_of(&r, "201");
  ck_assert_str_eq(psa[acme->second].id, "c2");
  ck_assert_int_eq(acme->second_score, 60);
  ms_result_free(&r);
}
END_TEST

START_TEST(rows_ordered_by_confidence) {
  ms_result r;
  ck_assert_int_eq(map_suggest(lastpass, N_LP, psa, N_PSA, NULL, &r), 0);
  for (size_t i = 1; i < r.n; i++) {
    const ms_row *a = &r.rows[i - 1], *b = &r.rows[i];
    ck_assert_int_ge(a->best_score, b->best_score);
    if (a->best_score == b->best_score)
      ck_assert_int_le(
          strcmp(lastpass[a->lastpass].name, lastpass[b->lastpass].name), 0);
  }
  ms_result_free(&r);
}
END_TEST

START_TEST(the_better_match_keeps_the_psa_company) {
  static const ms_company lp[] = {{"1", "Acme Inc"}, {"2", "Acme Labz"}};
  static const ms_company ps[] = {{"p1", "Acme Labs"}};
  ms_result r;
  ck_assert_int_eq(map_suggest(lp, 2, ps, 1, NULL, &r), 0);
  /* "acmelabz" vs "acmelabs": 1 edit in 8 -> 79; "acme" vs "acme labs":
   * Dice 2/3 -> 60. */
  ck_assert_str_eq(lp[r.rows[0].lastpass].id, "2");
  ck_assert_int_eq(r.rows[0].best_score, 79);
  ck_assert_int_eq(r.rows[0].state, MS_SUGGESTED);
  ck_assert_int_eq(r.rows[1].best_score, 60);
  ck_assert_int_eq(r.rows[1].state, MS_BELOW_THRESHOLD);
  ms_result_free(&r);

  /* Raise both above the threshold: the lower one is taken. */
  ms_options o = {50, 0};
  ck_assert_int_eq(map_suggest(lp, 2, ps, 1, &o, &r), 0);
  ck_assert_int_eq(r.rows[0].state, MS_SUGGESTED);
  ck_assert_int_eq(r.rows[1].state, MS_TAKEN);
  ck_assert_str_eq(lp[r.rows[1].taken_by].id, "2");
  ms_result_free(&r);
}
END_TEST

START_TEST(no_psa_companies) {
  ms_result r;
  ck_assert_int_eq(map_suggest(lastpass, 2, NULL, 0, NULL, &r), 0);
  ck_assert_int_eq(r.rows[0].state, MS_NO_MATCH);
  ck_assert_int_eq(r.rows[0].best, -1);
  ms_result_free(&r);
}
END_TEST

static char *render_csv(const ms_result *r, const char *const *now) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  ms_context ctx = {"2026-11-25", "Test PSA", MAP_SUGGEST_THRESHOLD, now};
  map_suggest_csv(f, lastpass, psa, N_PSA, r, &ctx);
  fclose(f);
  return buf;
}

/* The output is a mapping file: only suggested rows are live, each with the
 * four columns, and every detail in the note. */
START_TEST(csv_is_a_mapping_file) {
  ms_result r;
  ck_assert_int_eq(map_suggest(lastpass, N_LP, psa, N_PSA, NULL, &r), 0);
  const char *now[N_LP] = {NULL, "c9", NULL, NULL, NULL, NULL, NULL};
  char *csv = render_csv(&r, now);
  mapping m;
  char err[2048];
  ck_assert_msg(mapping_parse_buffer(csv, strlen(csv), "suggested.csv", &m, err,
                                     sizeof err) == 0,
                "%s\n%s", err, csv);
  ck_assert_uint_eq(m.n_rows, 2); /* Stark (95), then Globex (75) */
  ck_assert_str_eq(m.rows[0].lastpass_company_id, "207");
  ck_assert_str_eq(m.rows[0].psa_company_id, "c7");
  ck_assert_ptr_nonnull(strstr(m.rows[0].note, "'Stark, \"Industries\"'"));
  ck_assert_str_eq(m.rows[1].lastpass_company_id, "202");
  ck_assert_str_eq(m.rows[1].psa_company_id, "c3");
  ck_assert_ptr_null(m.rows[1].agreement_id);
  ck_assert_str_eq(m.rows[1].note,
                   "confidence 75; runner-up c1 'Acme' 15; LastPass name "
                   "'Globex'; PSA name 'Globx'; mapped now to c9");
  mapping_free(&m);
  /* Commented rows say why. */
  ck_assert_ptr_nonnull(strstr(csv, "# 203,c4,,\"below 70, check by hand: "
                                    "confidence 60;"));
  ck_assert_ptr_nonnull(strstr(csv, "# 205,"));
  ck_assert_ptr_nonnull(strstr(csv, "ambiguous, choose by hand"));
  ck_assert_ptr_nonnull(strstr(csv, "fits LastPass company"));
  ck_assert_ptr_nonnull(
      strstr(csv, "lastpass_company_id,psa_company_id,agreement_id,note\n"));
  free(csv);
  ms_result_free(&r);
}
END_TEST

START_TEST(json_shape) {
  ms_result r;
  ck_assert_int_eq(map_suggest(lastpass, N_LP, psa, N_PSA, NULL, &r), 0);
  ms_context ctx = {"2026-11-25", "Test PSA", MAP_SUGGEST_THRESHOLD, NULL};
  json_object *o = map_suggest_json(lastpass, psa, &r, &ctx);
  ck_assert_ptr_nonnull(o);
  json_object *list, *first, *v;
  ck_assert(json_object_object_get_ex(o, "suggestions", &list));
  ck_assert_uint_eq(json_object_array_length(list), N_LP);
  first = json_object_array_get_idx(list, 0);
  ck_assert(json_object_object_get_ex(first, "confidence", &v));
  ck_assert_int_eq(json_object_get_int(v), 95);
  ck_assert(json_object_object_get_ex(first, "status", &v));
  ck_assert_ptr_nonnull(json_object_get_string(v));
  json_object_put(o);
  ms_result_free(&r);
}
END_TEST

int main(void) {
  Suite *s = suite_create("map_suggest");
  TCase *tc = tcase_create("map_suggest");
  tcase_add_test(tc, states_and_scores);
  tcase_add_test(tc, rows_ordered_by_confidence);
  tcase_add_test(tc, the_better_match_keeps_the_psa_company);
  tcase_add_test(tc, no_psa_companies);
  tcase_add_test(tc, csv_is_a_mapping_file);
  tcase_add_test(tc, json_shape);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
