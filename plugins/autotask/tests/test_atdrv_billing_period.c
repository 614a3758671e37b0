/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_billing_period.c — the current billing period, table-driven. Every
 * expected period here was worked out by hand from the rule in
 * billing_period.h (step from the ORIGINAL start day, clamp at month end).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "billing_period.h"

typedef struct bp_case {
  const char *start, *end; /* end NULL: open */
  int months;
  const char *as_of;
  bp_result want;
  const char *ps, *pe; /* BP_OK */
} bp_case;

static const bp_case cases[] = {
    /* monthly, mid-month start */
    {"2026-01-15", "2027-01-14", 1, "2026-11-15", BP_OK, "2026-11-15",
     "2026-12-14"},
    {"2026-01-15", "2027-01-14", 1, "2026-11-14", BP_OK, "2026-10-15",
     "2026-11-14"},
    {"2026-01-15", "2027-01-14", 1, "2026-01-15", BP_OK, "2026-01-15",
     "2026-02-14"},
    {"2026-12-15", NULL, 1, "2027-01-10", BP_OK, "2026-12-15", "2027-01-14"},
    {"2026-01-01", NULL, 1, "2026-12-31", BP_OK, "2026-12-01", "2026-12-31"},
    /* monthly from the 31st: Jan 31, Feb 28/29, Mar 31, Apr 30 ... */
    {"2026-01-31", NULL, 1, "2026-02-27", BP_OK, "2026-01-31", "2026-02-27"},
    {"2026-01-31", NULL, 1, "2026-02-28", BP_OK, "2026-02-28", "2026-03-30"},
    {"2026-01-31", NULL, 1, "2026-03-30", BP_OK, "2026-02-28", "2026-03-30"},
    {"2026-01-31", NULL, 1, "2026-03-31", BP_OK, "2026-03-31", "2026-04-29"},
    {"2026-01-31", NULL, 1, "2026-04-30", BP_OK, "2026-04-30", "2026-05-30"},
    {"2026-08-31", NULL, 1, "2027-02-28", BP_OK, "2027-02-28", "2027-03-30"},
    {"2026-12-31", NULL, 1, "2027-01-31", BP_OK, "2027-01-31", "2027-02-27"},
    {"2020-01-31", NULL, 1, "2026-11-30", BP_OK, "2026-11-30", "2026-12-30"},
    {"2020-01-31", NULL, 1, "2026-12-31", BP_OK, "2026-12-31", "2027-01-30"},
    /* leap years */
    {"2028-01-31", NULL, 1, "2028-02-28", BP_OK, "2028-01-31", "2028-02-28"},
    {"2028-01-31", NULL, 1, "2028-02-29", BP_OK, "2028-02-29", "2028-03-30"},
    {"2100-01-31", NULL, 1, "2100-02-28", BP_OK, "2100-02-28", "2100-03-30"},
    {"2000-01-31", NULL, 1, "2000-02-29", BP_OK, "2000-02-29", "2000-03-30"},
    /* 29th and 30th starts */
    {"2026-01-30", NULL, 1, "2026-02-28", BP_OK, "2026-02-28", "2026-03-29"},
    {"2026-01-30", NULL, 1, "2026-03-29", BP_OK, "2026-02-28", "2026-03-29"},
    {"2026-01-30", NULL, 1, "2026-03-30", BP_OK, "2026-03-30", "2026-04-29"},
    {"2028-01-30", NULL, 1, "2028-02-29", BP_OK, "2028-02-29", "2028-03-29"},
    {"2026-01-29", NULL, 1, "2026-02-28", BP_OK, "2026-02-28", "2026-03-28"},
    {"2028-01-29", NULL, 1, "2028-02-28", BP_OK, "2028-01-29", "2028-02-28"},
    {"2028-01-29", NULL, 1, "2028-02-29", BP_OK, "2028-02-29", "2028-03-28"},
    /* before the start, after the end, on the end, clamped to the end */
    {"2026-01-01", NULL, 1, "2025-12-31", BP_BEFORE_START, NULL, NULL},
    {"2026-01-01", "2026-12-31", 1, "2027-01-01", BP_AFTER_END, NULL, NULL},
    {"2026-01-01", "2026-06-30", 1, "2026-06-30", BP_OK, "2026-06-01",
     "2026-06-30"},
    {"2026-01-15", "2026-06-30", 1, "2026-06-20", BP_OK, "2026-06-15",
     "2026-06-30"},
    {"2026-11-01", "2026-11-20", 1, "2026-11-15", BP_OK, "2026-11-01",
     "2026-11-20"},
    {"2026-05-01", "2026-04-01", 1, "2026-05-02", BP_AFTER_END, NULL, NULL},
    {"2026-05-01", "2026-04-01", 1, "2026-04-15", BP_BEFORE_START, NULL, NULL},
    /* quarterly */
    {"2026-01-15", NULL, 3, "2026-11-15", BP_OK, "2026-10-15", "2027-01-14"},
    {"2026-01-15", NULL, 3, "2026-10-14", BP_OK, "2026-07-15", "2026-10-14"},
    {"2026-02-14", NULL, 3, "2026-11-15", BP_OK, "2026-11-14", "2027-02-13"},
    {"2026-02-14", NULL, 3, "2026-11-13", BP_OK, "2026-08-14", "2026-11-13"},
    {"2026-02-14", NULL, 3, "2026-02-14", BP_OK, "2026-02-14", "2026-05-13"},
    {"2025-11-30", NULL, 3, "2026-02-27", BP_OK, "2025-11-30", "2026-02-27"},
    {"2025-11-30", NULL, 3, "2026-02-28", BP_OK, "2026-02-28", "2026-05-29"},
    {"2027-11-30", NULL, 3, "2028-02-29", BP_OK, "2028-02-29", "2028-05-29"},
    {"2026-01-31", NULL, 3, "2026-05-01", BP_OK, "2026-04-30", "2026-07-30"},
    {"2026-03-31", NULL, 3, "2026-07-01", BP_OK, "2026-06-30", "2026-09-29"},
    {"2026-03-31", NULL, 3, "2026-12-30", BP_OK, "2026-09-30", "2026-12-30"},
    {"2026-03-31", NULL, 3, "2026-12-31", BP_OK, "2026-12-31", "2027-03-30"},
    {"2026-01-01", "2026-12-31", 3, "2026-12-31", BP_OK, "2026-10-01",
     "2026-12-31"},
    /* semi-annual */
    {"2026-01-01", NULL, 6, "2026-11-15", BP_OK, "2026-07-01", "2026-12-31"},
    {"2025-08-31", NULL, 6, "2026-02-28", BP_OK, "2026-02-28", "2026-08-30"},
    {"2027-08-31", NULL, 6, "2028-02-28", BP_OK, "2027-08-31", "2028-02-28"},
    {"2027-08-31", NULL, 6, "2028-02-29", BP_OK, "2028-02-29", "2028-08-30"},
    {"2026-05-10", NULL, 6, "2026-05-09", BP_BEFORE_START, NULL, NULL},
    {"2026-01-01", "2026-09-30", 6, "2026-08-01", BP_OK, "2026-07-01",
     "2026-09-30"},
    /* yearly, multi-year */
    {"2024-02-29", NULL, 12, "2026-11-15", BP_OK, "2026-02-28", "2027-02-27"},
    {"2024-02-29", NULL, 12, "2028-02-28", BP_OK, "2027-02-28", "2028-02-28"},
    {"2024-02-29", NULL, 12, "2028-02-29", BP_OK, "2028-02-29", "2029-02-27"},
    {"2020-03-15", "2030-03-14", 12, "2026-03-14", BP_OK, "2025-03-15",
     "2026-03-14"},
    {"2020-03-15", "2030-03-14", 12, "2026-03-15", BP_OK, "2026-03-15",
     "2027-03-14"},
    {"2020-03-15", "2030-03-14", 12, "2030-03-15", BP_AFTER_END, NULL, NULL},
    {"2026-11-15", NULL, 12, "2026-11-15", BP_OK, "2026-11-15", "2027-11-14"},
    /* not a billing period length */
    {"2026-01-01", NULL, 2, "2026-03-01", BP_BAD_LENGTH, NULL, NULL},
    {"2026-01-01", NULL, 0, "2026-03-01", BP_BAD_LENGTH, NULL, NULL},
};

static at_date D(const char *s) {
  at_date d;
  ck_assert_msg(at_date_parse(s, &d) == 0, "bad test date %s", s);
  return d;
}

START_TEST(table) {
  const bp_case *c = &cases[_i];
  at_date start = D(c->start), as_of = D(c->as_of), end, ps, pe;
  if (c->end)
    end = D(c->end);
  bp_result got =
      billing_period(&start, c->end ? &end : NULL, c->months, &as_of, &ps, &pe);
  ck_assert_msg(got == c->want, "case %d (%s +%dm as of %s): got %d want %d",
                _i, c->start, c->months, c->as_of, got, c->want);
  if (got == BP_OK) {
    char a[11], b[11];
    at_date_format(&ps, a);
    at_date_format(&pe, b);
    ck_assert_msg(strcmp(a, c->ps) == 0 && strcmp(b, c->pe) == 0,
                  "case %d (%s +%dm as of %s): got %s..%s want %s..%s", _i,
                  c->start, c->months, c->as_of, a, b, c->ps, c->pe);
    ck_assert(bp_contains(&ps, &pe, &as_of));
  }
}
END_TEST

/* Every day of four years, for every length: the period contains the day,
 * consecutive days' periods either match or the later starts the day after
 * the earlier ends. */
START_TEST(periods_tile_the_calendar) {
  static const char *const starts[] = {"2026-01-31", "2026-01-29", "2026-02-14",
                                       "2027-08-31"};
  static const int lengths[] = {1, 3, 6, 12};
  for (size_t s = 0; s < 4; s++)
    for (size_t l = 0; l < 4; l++) {
      at_date start = D(starts[s]), day = start, pps = {0}, ppe = {0};
      for (int i = 0; i < 4 * 366; i++) {
        at_date ps, pe;
        ck_assert_int_eq(
            billing_period(&start, NULL, lengths[l], &day, &ps, &pe), BP_OK);
        ck_assert(bp_contains(&ps, &pe, &day));
        ck_assert_int_eq(
            ps.d == start.d || ps.d == at_days_in_month(ps.y, ps.m), 1);
        if (i > 0 && at_date_cmp(&ps, &pps) != 0) {
          at_date next = at_date_add_days(&ppe, 1);
          ck_assert_int_eq(at_date_cmp(&ps, &next), 0);
        }
        pps = ps;
        ppe = pe;
        day = at_date_add_days(&day, 1);
      }
    }
}
END_TEST

START_TEST(labels) {
  ck_assert_int_eq(bp_months_from_label("Monthly"), 1);
  ck_assert_int_eq(bp_months_from_label("QUARTERLY"), 3);
  ck_assert_int_eq(bp_months_from_label("Semi-Annual"), 6);
  ck_assert_int_eq(bp_months_from_label("semi annual"), 6);
  ck_assert_int_eq(bp_months_from_label("Yearly"), 12);
  ck_assert_int_eq(bp_months_from_label("Annual"), 12);
  ck_assert_int_eq(bp_months_from_label("One-Time"), 0);
  ck_assert_int_eq(bp_months_from_label(""), 0);
  ck_assert_int_eq(bp_months_from_label(NULL), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("billing_period");
  TCase *tc = tcase_create("core");
  tcase_add_loop_test(tc, table, 0, (int)(sizeof cases / sizeof cases[0]));
  tcase_add_test(tc, periods_tile_the_calendar);
  tcase_add_test(tc, labels);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
