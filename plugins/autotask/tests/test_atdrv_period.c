/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_period.c — which contracts a snapshot emits, the period each gets
 * (cross-checked with its units rows), and which service a sku names.
 */
#include <check.h>
#include <string.h>

#include "at_period.h"
#include "at_select.h"
#include "at_service_match.h"

static at_date D(const char *s) {
  at_date d;
  ck_assert_int_eq(at_date_parse(s, &d), 0);
  return d;
}

static at_contract C(long long id, long long company, long long type,
                     long long status, const char *start, const char *end) {
  at_contract c;
  memset(&c, 0, sizeof c);
  c.id = id;
  c.company_id = company;
  c.contract_type = type;
  c.status = status;
  if (start) {
    c.has_start = 1;
    c.start = D(start);
  }
  if (end) {
    c.has_end = 1;
    c.end = D(end);
  }
  return c;
}

START_TEST(selection) {
  at_contract cs[] = {
      C(1, 100, 7, 1, "2026-01-01", "2026-12-31"),  /* covering */
      C(2, 100, 7, 1, "2025-01-01", "2025-12-31"),  /* ended, company covered */
      C(3, 200, 7, 1, "2024-01-01", "2024-12-31"),  /* ended */
      C(4, 200, 7, 1, "2025-01-01", "2025-12-31"),  /* ended later: stand-in */
      C(5, 300, 7, 1, "2027-03-01", "2028-02-28"),  /* future */
      C(6, 300, 7, 1, "2027-01-01", "2027-12-31"),  /* sooner: stand-in */
      C(7, 300, 7, 1, "2025-01-01", "2025-06-30"),  /* ended */
      C(8, 400, 3, 1, "2026-01-01", "2026-12-31"),  /* not recurring */
      C(9, 400, 3, 1, "2026-01-01", "2026-12-31"),  /* pinned */
      C(10, 500, 7, 0, "2026-01-01", "2026-12-31"), /* inactive */
      C(11, 900, 7, 1, "2026-01-01", "2026-12-31"), /* unmapped, covering */
      C(12, 900, 7, 1, "2025-01-01", "2025-12-31"), /* unmapped, ended */
      C(13, 901, 7, 1, "2025-01-01", "2025-12-31"), /* unmapped, ended */
      C(14, 500, 7, 0, "2026-01-01", "2026-12-31"), /* pinned but inactive */
  };
  enum { N = sizeof cs / sizeof cs[0] };
  at_idset mapped = {0}, pinned = {0};
  at_idset_add(&mapped, 100, 0);
  at_idset_add(&mapped, 200, 0);
  at_idset_add(&mapped, 300, 0);
  at_idset_add(&mapped, 400, 0);
  at_idset_add(&mapped, 500, 0);
  at_idset_add(&pinned, 9, 0);
  at_idset_add(&pinned, 14, 0);
  at_select_rules rules = {.active_status = 1,
                           .pinned = &pinned,
                           .mapped = &mapped,
                           .as_of = D("2026-11-15")};
  unsigned char keep[N];
  ck_assert_int_eq(at_select_contracts(cs, N, &rules, keep), 0);
  static const unsigned char want[N] = {1, 0, 0, 1, 0, 1, 0,
                                        0, 1, 0, 1, 0, 0, 0};
  for (size_t i = 0; i < N; i++)
    ck_assert_msg(keep[i] == want[i], "contract %lld: keep %d", cs[i].id,
                  keep[i]);
  /* A category filter drops uncategorised contracts (not pinned ones). */
  cs[0].has_category = 1;
  cs[0].category = 5;
  rules.has_category = 1;
  rules.category = 5;
  ck_assert_int_eq(at_select_contracts(cs, N, &rules, keep), 0);
  ck_assert_int_eq(keep[0], 1);
  ck_assert_int_eq(keep[3], 0);
  ck_assert_int_eq(keep[8], 1);
  ck_assert_int_eq(keep[10], 0);
  at_idset_free(&mapped);
  at_idset_free(&pinned);
}
END_TEST

static at_unit U(long long id, const char *start, const char *end,
                 long long units) {
  at_unit u;
  memset(&u, 0, sizeof u);
  u.id = id;
  u.start = D(start);
  u.end = D(end);
  u.units = units;
  return u;
}

START_TEST(period_current_and_mid_period_row) {
  at_contract c = C(456, 1, 7, 1, "2026-02-14", "2027-02-13");
  at_unit row = U(1, "2026-11-14", "2027-02-13", 12);
  at_period_line l = {789, 3, &row};
  at_period_decision d;
  at_date as_of = D("2026-11-25");
  at_decide_period(&c, 0, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_CURRENT);
  ck_assert_int_eq(at_date_cmp(&d.start, &(at_date){2026, 11, 14}), 0);
  ck_assert_int_eq(at_date_cmp(&d.end, &(at_date){2027, 2, 13}), 0);
  ck_assert_int_eq(d.months, 3);
  /* Split mid-period by an adjustment: still the same period (an
   * adjustment at its start is cumulative and reaches today's row). */
  at_unit mid = U(2, "2026-11-20", "2027-02-13", 12);
  l.row = &mid;
  at_decide_period(&c, 0, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_CURRENT);
  ck_assert_int_eq(at_date_cmp(&d.start, &(at_date){2026, 11, 14}), 0);
  ck_assert_int_eq(at_date_cmp(&d.end, &(at_date){2027, 2, 13}), 0);
  /* A row starting before the computed period: the period is not what we
   * think, nothing may be posted. */
  at_unit early = U(3, "2026-10-01", "2027-02-13", 12);
  l.row = &early;
  at_decide_period(&c, 0, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(d.note, "outside"));
}
END_TEST

START_TEST(period_missing_cases) {
  at_period_decision d;
  at_date as_of = D("2026-11-15");
  at_unit row = U(1, "2026-11-01", "2026-11-30", 5);
  at_period_line l = {789, 1, &row};
  at_contract future = C(1, 1, 7, 1, "2027-01-01", "2027-12-31");
  at_decide_period(&future, 1, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(d.note, "starts on 2027-01-01"));
  at_contract ended = C(2, 1, 7, 1, "2025-01-01", "2025-12-31");
  at_decide_period(&ended, 1, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(d.note, "ended on 2025-12-31"));
  at_contract nostart = C(3, 1, 7, 1, NULL, NULL);
  at_decide_period(&nostart, 1, &l, 1, &as_of, &d);
  ck_assert_ptr_nonnull(strstr(d.note, "no start date"));
  at_contract ok = C(4, 1, 7, 1, "2026-01-01", "2026-12-31");
  at_period_line norow = {790, 1, NULL};
  at_decide_period(&ok, 0, &norow, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(d.note, "contract service 790"));
  at_period_line nolen = {791, 0, &row};
  at_decide_period(&ok, 0, &nolen, 1, &as_of, &d);
  ck_assert_ptr_nonnull(strstr(d.note, "no billing period type"));
  /* A units row starting before the computed period: disagreement. */
  at_unit early = U(2, "2026-10-01", "2026-11-30", 5);
  at_period_line bad = {792, 1, &early};
  at_decide_period(&ok, 1, &bad, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(d.note, "outside the monthly billing period "
                                       "2026-11-01 to 2026-11-30"));
}
END_TEST

START_TEST(period_length_chosen_by_rows) {
  /* The contract says monthly, the service quarterly, the rows quarterly:
   * the monthly period would start after the row, so quarterly wins. */
  at_contract c = C(5, 1, 7, 1, "2026-01-01", "2027-12-31");
  at_unit row = U(3, "2026-10-01", "2026-12-31", 9);
  at_period_line l = {800, 3, &row};
  at_period_decision d;
  at_date as_of = D("2026-11-15");
  at_decide_period(&c, 1, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.state, LPSA_PERIOD_CURRENT);
  ck_assert_int_eq(d.months, 3);
  ck_assert_int_eq(d.start.m, 10);
  /* Both agree (row on the month start): the contract's length wins. */
  at_unit row2 = U(4, "2026-11-01", "2026-11-30", 9);
  l.row = &row2;
  at_decide_period(&c, 1, &l, 1, &as_of, &d);
  ck_assert_int_eq(d.months, 1);
  ck_assert_int_eq(d.start.m, 11);
}
END_TEST

START_TEST(unit_preference) {
  at_date as_of = D("2026-11-15");
  at_unit a = U(10, "2026-11-01", "2026-11-30", 5);
  at_unit b = U(11, "2026-11-10", "2026-11-30", 7); /* adjustment */
  at_unit c = U(12, "2026-11-10", "2026-11-30", 8); /* newer, same dates */
  at_unit old = U(9, "2026-10-01", "2026-10-31", 3);
  ck_assert(at_unit_prefer(&a, NULL, &as_of));
  ck_assert(!at_unit_prefer(&old, NULL, &as_of));
  ck_assert(at_unit_prefer(&b, &a, &as_of));
  ck_assert(!at_unit_prefer(&a, &b, &as_of));
  ck_assert(at_unit_prefer(&c, &b, &as_of));
  ck_assert(!at_unit_prefer(&b, &c, &as_of));
}
END_TEST

START_TEST(service_refs) {
  at_service s[] = {
      {.id = 123, .name = "LastPass Business", .active = 1},
      {.id = 124, .name = "lastpass business", .active = 0},
      {.id = 125, .name = "Dup", .active = 1},
      {.id = 126, .name = "Dup", .active = 1},
      {.id = 127, .name = "2024", .active = 1},
      {.id = 128, .name = "ODD \"name\" & + MFA", .active = 1},
      {.id = 129, .name = "Mixed", .active = 0},
      {.id = 130, .name = "MIXED", .active = 1},
  };
  size_t n = sizeof s / sizeof s[0];
  ck_assert_int_eq(at_match_service("123", s, n), 0);
  ck_assert_int_eq(at_match_service("LastPass Business", s, n), 0);
  ck_assert_int_eq(at_match_service("lastpass business", s, n), 1);
  ck_assert_int_eq(at_match_service("LASTPASS BUSINESS", s, n), 0);
  ck_assert_int_eq(at_match_service("Dup", s, n), AT_MATCH_AMBIGUOUS);
  ck_assert_int_eq(at_match_service("2024", s, n), 4);
  ck_assert_int_eq(at_match_service("ODD \"name\" & + MFA", s, n), 5);
  ck_assert_int_eq(at_match_service("mixed", s, n), 7);
  ck_assert_int_eq(at_match_service("Nope", s, n), AT_MATCH_NONE);
  ck_assert_int_eq(at_match_service("999", s, n), AT_MATCH_NONE);
  long long id;
  ck_assert(at_ref_is_id("42", &id) && id == 42);
  ck_assert(!at_ref_is_id("0", &id));
  ck_assert(!at_ref_is_id("-4", &id));
  ck_assert(!at_ref_is_id("4a", &id));
  ck_assert(!at_ref_is_id("1234567890123456789", &id));
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_period");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, selection);
  tcase_add_test(tc, period_current_and_mid_period_row);
  tcase_add_test(tc, period_missing_cases);
  tcase_add_test(tc, period_length_chosen_by_rows);
  tcase_add_test(tc, unit_preference);
  tcase_add_test(tc, service_refs);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
