/* SPDX-License-Identifier: MIT */
/*
 * test_name_match.c — the company-name normal form and the score, table
 * driven. Expected scores are worked out by hand from the rules in
 * name_match.h (shown next to each case).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "name_match.h"

typedef struct norm_case {
  const char *in;
  const char *out;
} norm_case;

static const norm_case norms[] = {
    {"Acme, Inc.", "acme"},
    {"ACME INC", "acme"},
    {"The Acme Company", "acme"},
    {"Beta & Co", "beta"},
    {"Beta&Co.", "beta"},
    {"Smith & Wesson", "smith and wesson"},
    {"AT&T", "at and t"},
    {"O'Brien Plumbing Ltd", "obrien plumbing"},
    {"O\xE2\x80\x99"
     "Brien Plumbing",
     "obrien plumbing"}, /* U+2019 */
    {"Van Der Berg B.V.", "van der berg"},
    {"Van Der Berg BV", "van der berg"},
    {"Soci\xC3\xA9t\xC3\xA9 G\xC3\xA9n\xC3\xA9rale S.A.", "societe generale"},
    {"Caf\xC3\xA9 M\xC3\xBCller GmbH", "cafe muller"},
    {"M\xC3\xBCller GmbH & Co. KG", "muller"},
    {"Stra\xC3\x9F"
     "e GmbH",
     "strasse"},
    {"\xC3\x86r\xC3\xB8 Fisk", "aero fisk"},
    {"\xC5\x81\xC3\xB3"
     "d\xC5\xBA Ltd",
     "lodz"},                        /* Łódź */
    {"\xC5\x92uvre Corp", "oeuvre"}, /* Œ */
    {"Acme Pty Ltd", "acme"},
    {"Acme Pty. Ltd.", "acme"},
    {"Widget Corporation", "widget"},
    {"Widget plc", "widget"},
    {"Widget AG", "widget"},
    {"Widget SAS", "widget"},
    {"Widget Limited", "widget"},
    {"Widget LLC", "widget"},
    {"  Multiple   Spaces  ", "multiple spaces"},
    {"Trailing Space ", "trailing space"},
    {"Data-Flow (UK)", "data flow uk"},
    {"Inc", "inc"},              /* never the last word */
    {"Co Inc", "co"},            /* one word always stays */
    {"The", "the"},              /* a lone "the" stays */
    {"Theodor Ltd", "theodor"},  /* "the" only as a word */
    {"Bad\xFFName", "bad name"}, /* an invalid byte separates */
    {"\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE",
     "\xE6\xA0\xAA\xE5\xBC\x8F\xE4\xBC\x9A\xE7\xA4\xBE"}, /* kept as is */
    {"!!!", ""},
    {"", ""},
};

START_TEST(normalize_table) {
  const norm_case *c = &norms[_i];
  char *got = name_normalize(c->in);
  ck_assert_ptr_nonnull(got);
  ck_assert_msg(strcmp(got, c->out) == 0,
                "normalize(\"%s\") = \"%s\", want "
                "\"%s\"",
                c->in, got, c->out);
  free(got);
}
END_TEST

typedef struct score_case {
  const char *a, *b;
  int score;
  const char *why;
} score_case;

static const score_case scores[] = {
    {"Acme Inc", "ACME inc", 100, "same text ignoring case"},
    {"Acme  Inc ", "acme inc", 100, "spaces collapsed and trimmed"},
    {"Acme Inc.", "Acme, LLC", 95, "same normal form"},
    {"Caf\xC3\xA9 M\xC3\xBCller GmbH", "Cafe Muller", 95, "accents, suffix"},
    {"Smith & Co", "Smith and Company", 95, "& and suffixes"},
    {"Data Flow Ltd", "DataFlow", 92, "same letters without spaces"},
    {"Globex", "Globx", 75, "1 edit in 6 letters: 90 x 5/6"},
    {"Tyrell Corp", "Tyrel Corporation", 75, "tyrell/tyrel: 90 x 5/6"},
    {"Wayne Enterprises", "Wayne Enterprise", 84,
     "1 edit in 16: 90 x 15/16 = 84.4"},
    {"Acme", "Acme Holdings", 60, "Dice 2x1/3 beats 4/12 characters"},
    {"Abc", "Xyz", 0, "nothing in common"},
    {"!!!", "!!!", 0, "empty normal forms never match"},
    {"", "Acme", 0, "no name"},
};

START_TEST(score_table) {
  const score_case *c = &scores[_i];
  int got = name_score(c->a, c->b);
  ck_assert_msg(got == c->score, "score(\"%s\", \"%s\") = %d, want %d (%s)",
                c->a, c->b, got, c->score, c->why);
  /* Symmetric. */
  ck_assert_int_eq(name_score(c->b, c->a), got);
}
END_TEST

/* The bound used to skip pairs is never below the score. */
START_TEST(bound_is_an_upper_bound) {
  name_key a, b;
  for (size_t i = 0; i < sizeof scores / sizeof scores[0]; i++) {
    ck_assert_int_eq(name_key_init(&a, scores[i].a), 0);
    ck_assert_int_eq(name_key_init(&b, scores[i].b), 0);
    ck_assert_int_ge(name_key_score_bound(&a, &b), name_key_score(&a, &b));
    name_key_free(&a);
    name_key_free(&b);
  }
}
END_TEST

/* The same over many generated names (fixed seed): words, typos, accents,
 * legal forms, in any mix. */
START_TEST(bound_holds_for_generated_names) {
  static const char *const parts[] = {
      "Acme", "Acne", "Globex",        "Glob",   "Inc",   "LLC",  "GmbH",
      "&",    "Co",   "M\xC3\xBCller", "Muller", "Data",  "Flow", "DataFlow",
      "Labs", "Lab",  "B.V.",          "O'Neil", "Oneil", "The",  "Group",
      "1st"};
  const size_t n_parts = sizeof parts / sizeof parts[0];
  unsigned seed = 12345;
  for (int pair = 0; pair < 3000; pair++) {
    char names[2][128];
    for (int k = 0; k < 2; k++) {
      names[k][0] = '\0';
      int words = 1 + rand_r(&seed) % 4;
      for (int w = 0; w < words; w++) {
        strcat(names[k], w ? " " : "");
        strcat(names[k], parts[rand_r(&seed) % n_parts]);
      }
    }
    name_key a, b;
    ck_assert_int_eq(name_key_init(&a, names[0]), 0);
    ck_assert_int_eq(name_key_init(&b, names[1]), 0);
    int score = name_key_score(&a, &b);
    ck_assert_msg(name_key_score_bound(&a, &b) >= score,
                  "bound below score %d for \"%s\" / \"%s\"", score, names[0],
                  names[1]);
    ck_assert_int_ge(score, 0);
    ck_assert_int_le(score, 100);
    name_key_free(&a);
    name_key_free(&b);
  }
}
END_TEST

/* Closer names score higher: the ordering map suggest relies on. */
START_TEST(ordering) {
  int exact = name_score("Initech", "Initech");
  int suffix = name_score("Initech", "Initech LLC");
  int typo = name_score("Initech", "Initek");
  int longer = name_score("Initech", "Initech Holdings");
  int other = name_score("Initech", "Umbrella");
  ck_assert_int_gt(exact, suffix);
  ck_assert_int_gt(suffix, typo);
  ck_assert_int_gt(typo, longer);
  ck_assert_int_gt(longer, other);
}
END_TEST

int main(void) {
  Suite *s = suite_create("name_match");
  TCase *tc = tcase_create("name_match");
  tcase_add_loop_test(tc, normalize_table, 0, sizeof norms / sizeof norms[0]);
  tcase_add_loop_test(tc, score_table, 0, sizeof scores / sizeof scores[0]);
  tcase_add_test(tc, bound_is_an_upper_bound);
  tcase_add_test(tc, bound_holds_for_generated_names);
  tcase_add_test(tc, ordering);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
