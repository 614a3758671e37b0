/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_shape.c — the snapshot rules of the conformance suite
 * (sdk/conformance/conf_shape.c) on snapshots built with the host's own
 * builders: a good one passes, and each broken rule is named.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conf_shape.h"

static const lpsa_product_ref products[] = {{"lastpass", "LP-BUS"},
                                            {"lastpass_mfa", "LP-MFA"}};

static lpsa_snapshot *new_snap(void) {
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  lpsa_snapshot *s = snapshot_new(&req);
  ck_assert_ptr_nonnull(s);
  return s;
}

static void company(lpsa_snapshot *s, const char *id) {
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = id;
  c.active = 1;
  ck_assert_int_eq(snapshot_add_company(s, &c), LPSA_OK);
}

static void agreement(lpsa_snapshot *s, const char *id, const char *co,
                      const char *start, const char *end) {
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = id;
  a.company_id = co;
  a.period = start ? LPSA_PERIOD_CURRENT : LPSA_PERIOD_NONE;
  a.period_start = start;
  a.period_end = end;
  ck_assert_int_eq(snapshot_add_agreement(s, &a), LPSA_OK);
}

static void line(lpsa_snapshot *s, const char *id, const char *ag,
                 size_t product, long long q) {
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = id;
  l.agreement_id = ag;
  l.product = product;
  l.quantity = q;
  ck_assert_int_eq(snapshot_add_line(s, &l), LPSA_OK);
}

/* c1/a1 (period 2026-11-01..30)/l1 = 12 of product 0; c2/a2/l2 = 5 of 1. */
static lpsa_snapshot *good(void) {
  lpsa_snapshot *s = new_snap();
  ck_assert_int_eq(snapshot_product_found(s, 0, "p1", NULL), LPSA_OK);
  ck_assert_int_eq(snapshot_product_found(s, 1, "p2", NULL), LPSA_OK);
  company(s, "c1");
  company(s, "c2");
  agreement(s, "a1", "c1", "2026-11-01", "2026-11-30");
  agreement(s, "a2", "c2", NULL, NULL);
  line(s, "l1", "a1", 0, 12);
  line(s, "l2", "a2", 1, 5);
  return s;
}

START_TEST(good_snapshot_passes) {
  lpsa_snapshot *s = good();
  char why[512] = "";
  ck_assert_msg(conf_shape_check(s, "2026-11-15", why, sizeof why) == 0, "%s",
                why);
  const char *ids[] = {"c1", "c2"};
  ck_assert_int_eq(conf_shape_has_companies(s, ids, 2, why, sizeof why), 0);
  lpsa_snapshot *t = good();
  ck_assert_int_eq(conf_shape_agree(s, t, why, sizeof why), 0);
  ck_assert_int_eq(conf_shape_companies_within(s, t, why, sizeof why), 0);
  snapshot_free(s);
  snapshot_free(t);
}
END_TEST

START_TEST(builder_refusal_is_reported) {
  lpsa_snapshot *s = good();
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = "l9";
  l.agreement_id = "nope";
  ck_assert_int_ne(snapshot_add_line(s, &l), LPSA_OK);
  char why[512];
  ck_assert_int_eq(conf_shape_check(s, "2026-11-15", why, sizeof why), -1);
  ck_assert_msg(strstr(why, "a builder refused a record"), "%s", why);
  snapshot_free(s);
}
END_TEST

START_TEST(line_of_a_product_never_found) {
  lpsa_snapshot *s = new_snap();
  ck_assert_int_eq(snapshot_product_found(s, 0, "p1", NULL), LPSA_OK);
  company(s, "c1");
  agreement(s, "a1", "c1", NULL, NULL);
  line(s, "l1", "a1", 1, 3); /* product 1 was never reported found */
  char why[512];
  ck_assert_int_eq(conf_shape_check(s, "2026-11-15", why, sizeof why), -1);
  ck_assert_msg(strstr(why, "line l1 is of product \"LP-MFA\", which the "
                            "driver never reported found"),
                "%s", why);
  snapshot_free(s);
}
END_TEST

START_TEST(period_must_cover_the_run_date) {
  lpsa_snapshot *s = good();
  char why[512];
  ck_assert_int_eq(conf_shape_check(s, "2026-12-01", why, sizeof why), -1);
  ck_assert_msg(strstr(why, "does not cover the run's date 2026-12-01"), "%s",
                why);
  snapshot_free(s);
  s = new_snap();
  company(s, "c1");
  agreement(s, "a1", "c1", "2026-11-01", NULL); /* no end */
  ck_assert_int_eq(conf_shape_check(s, "2026-11-15", why, sizeof why), -1);
  ck_assert_msg(strstr(why, "without both dates"), "%s", why);
  snapshot_free(s);
}
END_TEST

START_TEST(missing_companies_are_listed) {
  lpsa_snapshot *s = good();
  const char *ids[] = {"c1", "c7", "c8"};
  char why[512];
  ck_assert_int_eq(conf_shape_has_companies(s, ids, 3, why, sizeof why), -1);
  ck_assert_str_eq(why, "requested companies not emitted: c7, c8");
  snapshot_free(s);
}
END_TEST

START_TEST(differences_are_named) {
  lpsa_snapshot *a = good(), *b = new_snap();
  ck_assert_int_eq(snapshot_product_found(b, 0, "p1", NULL), LPSA_OK);
  ck_assert_int_eq(snapshot_product_found(b, 1, "p2", NULL), LPSA_OK);
  company(b, "c1");
  company(b, "c2");
  agreement(b, "a1", "c1", "2026-11-01", "2026-11-30");
  agreement(b, "a2", "c2", NULL, NULL);
  line(b, "l1", "a1", 0, 13);
  line(b, "l2", "a2", 1, 5);
  char why[512];
  ck_assert_int_eq(conf_shape_agree(a, b, why, sizeof why), -1);
  ck_assert_msg(strstr(why, "line l1 differs") && strstr(why, "quantity 12") &&
                    strstr(why, "quantity 13"),
                "%s", why);
  lpsa_snapshot *c = new_snap();
  company(c, "c1");
  ck_assert_int_eq(conf_shape_agree(a, c, why, sizeof why), -1);
  ck_assert_str_eq(why, "the first had 2 companies, the second 1");
  ck_assert_int_eq(conf_shape_companies_within(a, c, why, sizeof why), -1);
  ck_assert_str_eq(why, "company c2 is missing");
  snapshot_free(a);
  snapshot_free(b);
  snapshot_free(c);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sdk_shape");
  TCase *tc = tcase_create("shape");
  tcase_add_test(tc, good_snapshot_passes);
  tcase_add_test(tc, builder_refusal_is_reported);
  tcase_add_test(tc, line_of_a_product_never_found);
  tcase_add_test(tc, period_must_cover_the_run_date);
  tcase_add_test(tc, missing_companies_are_listed);
  tcase_add_test(tc, differences_are_named);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
