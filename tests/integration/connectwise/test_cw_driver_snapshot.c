/* SPDX-License-Identifier: MIT */
/*
 * test_cw_driver_snapshot.c — connectwise.so against connectwise-sim:
 * what snapshot() emits, what it leaves out, and what it costs.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_fixture.h"
#include "cw_harness.h"

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "LASTPASS-BUS"},
    {LPSA_SKU_LASTPASS_MFA, "lastpass-mfa"},
    {LPSA_SKU_LASTPASS_MFA, "NO-SUCH-PRODUCT"},
};
static const char *const mapped[] = {"1000", "1001", "1002",
                                     "ACME", "9999", "1000"};

static lpsa_snapshot_request base_request(void) {
  lpsa_snapshot_request r = LPSA_INIT(lpsa_snapshot_request);
  r.products = products;
  r.n_products = 3;
  r.company_ids = mapped;
  r.n_company_ids = 6;
  r.as_of = "2026-11-15";
  return r;
}

/* The records every variant of the fixture must produce. */
static void expect_fixture_picture(const lpsa_snapshot *s) {
  ck_assert_uint_eq(s->n_companies, 3);
  ck_assert_int_ge(cwh_company(s, "1000"), 0);
  const snap_company *c = &s->companies[cwh_company(s, "1000")];
  ck_assert_str_eq(c->name, "O'Brien & Sons");
  ck_assert_int_eq(c->active, 1);
  ck_assert_int_eq(s->companies[cwh_company(s, "1001")].active, 0);
  ck_assert_int_eq(s->companies[cwh_company(s, "1002")].active, 0);
  ck_assert_int_lt(cwh_company(s, "1003"), 0);
  ck_assert_int_lt(cwh_company(s, "9999"), 0);

  ck_assert(s->products[0].found);
  ck_assert_str_eq(s->products[0].psa_id, "700");
  ck_assert(s->products[1].found);
  ck_assert_str_eq(s->products[1].psa_id, "701");
  ck_assert(!s->products[2].found);

  ck_assert_uint_eq(s->n_agreements, 2);
  long a = cwh_agreement(s, "5000");
  ck_assert_int_ge(a, 0);
  ck_assert_int_eq(s->agreements[a].prorate, 1);
  ck_assert_int_eq(s->agreements[a].period, LPSA_PERIOD_NONE);
  ck_assert_str_eq(s->agreements[a].type, "Managed Services");
  ck_assert_int_ge(cwh_agreement(s, "5002"), 0);
  ck_assert_int_lt(cwh_agreement(s, "5001"), 0);

  ck_assert_uint_eq(s->n_lines, 2);
  long l = cwh_line(s, "9000");
  ck_assert_int_ge(l, 0);
  ck_assert_int_eq(s->lines[l].quantity, 12);
  ck_assert_uint_eq(s->lines[l].product, 0);
  /* 3.6 is never rounded: company 1000 gets a note instead of that line */
  ck_assert_int_lt(cwh_line(s, "9001"), 0);
  ck_assert_uint_eq(s->n_notes, 1);
  ck_assert_int_eq(s->notes[0].kind, LPSA_NOTE_BAD_RECORD);
  ck_assert_uint_eq(s->notes[0].company, (size_t)cwh_company(s, "1000"));
  ck_assert_int_eq(s->notes[0].agreement, cwh_agreement(s, "5000"));
  ck_assert_str_eq(s->notes[0].line_id, "9001");
  ck_assert_str_eq(s->notes[0].message,
                   "addition 9001 on agreement 5000 has quantity 3.6, not a "
                   "whole number of seats: lpsa never rounds a billed count; "
                   "set it to a whole number in ConnectWise and the next run "
                   "syncs it");
  l = cwh_line(s, "9004");
  ck_assert_int_ge(l, 0); /* cancelled only in the future: still bills */
  ck_assert_int_eq(s->lines[l].quantity, 7);
  ck_assert_int_eq(s->lines[l].agreement, cwh_agreement(s, "5002"));
  ck_assert_int_lt(cwh_line(s, "9002"), 0);
  ck_assert_int_lt(cwh_line(s, "9003"), 0);
  ck_assert_int_lt(cwh_line(s, "9005"), 0);
}

START_TEST(emits_the_billing_picture) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_snapshot_request req = base_request();
  lpsa_snapshot *s;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  expect_fixture_picture(s);
  ck_assert(cwh_logged(&h, "not a whole number of seats"));
  ck_assert(cwh_logged(&h, "inactive in the ConnectWise catalog"));
  /* Cost: discovery, catalog, company statuses, companies, agreements, then
   * one additions request per agreement (two agreements). */
  ck_assert_int_eq(cwh_count(&h, NULL, NULL), 7);
  ck_assert_int_eq(cwh_count(&h, "GET", "/company/companies/statuses"), 1);
  ck_assert_int_eq(cwh_count(&h, "GET", "/login/companyinfo/lpsademo"), 1);
  ck_assert_int_eq(cwh_count(&h, "GET", "/additions"), 2);
  ck_assert_int_eq(cwh_count(&h, "PATCH", NULL), 0);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(pages_of_one_record_give_the_same_picture) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  const char *kv[] = {"page_size", "1", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  int whole = cwh_sim_links_whole(&h);
  lpsa_snapshot_request req = base_request();
  lpsa_snapshot *s;
  int rc = cwh_snapshot(&h, &req, &s);
  if (!whole) {
    /* This connectwise-sim cannot send long Link headers whole (it cuts
     * them, or refuses with a 500): a simulator limit, not ConnectWise's.
     * Paging is then covered by test_cw_driver_wire and the unit tests;
     * here the driver must at least refuse rather than stop early. */
    ck_assert_msg(rc != LPSA_OK, "a partial list was accepted");
    snapshot_free(s);
    cwh_stop(&h);
    return;
  }
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  expect_fixture_picture(s);
  /* The company list came in three pages of one (the five statuses of a
   * new tenant in five). */
  ck_assert_int_eq(cwh_count(&h, "GET", "/company/companies/statuses"), 5);
  ck_assert_int_eq(cwh_count(&h, "GET", "/company/companies"), 3 + 5);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(configured_codebase_skips_discovery) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  const char *kv[] = {"codebase", "v4_6_release/", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  lpsa_snapshot_request req = base_request();
  lpsa_snapshot *s;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(cwh_count(&h, NULL, "/login/companyinfo"), 0);
  ck_assert_int_eq(cwh_count(&h, NULL, NULL), 6);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(agreement_type_filter_and_pinned_agreements) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  const char *kv[] = {"agreement_type", "Managed Services", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  lpsa_snapshot_request req = base_request();
  lpsa_snapshot *s;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_agreements, 1);
  ck_assert_int_ge(cwh_agreement(s, "5000"), 0);
  ck_assert_int_lt(cwh_line(s, "9004"), 0);
  snapshot_free(s);
  /* A pinned agreement shows although its type differs. */
  const char *const pins[] = {"5002"};
  req.agreement_ids = pins;
  req.n_agreement_ids = 1;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_agreements, 2);
  ck_assert_int_ge(cwh_agreement(s, "5002"), 0);
  ck_assert_int_ge(cwh_line(s, "9004"), 0);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(all_companies_only) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_snapshot_request req = base_request();
  req.flags = LPSA_SNAPSHOT_ALL_COMPANIES | LPSA_SNAPSHOT_COMPANIES_ONLY;
  lpsa_snapshot *s;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_companies, 4);
  ck_assert_int_ge(cwh_company(s, "1003"), 0);
  ck_assert_uint_eq(s->n_agreements, 0);
  ck_assert(!s->products[0].found);
  /* discovery + the company statuses + one company page */
  ck_assert_int_eq(cwh_count(&h, NULL, NULL), 3);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

/* Catalog identifiers may be 60 characters: 40 of them do not fit one URL
 * of at most 2,000 characters (the simulator answers 414 past that), so the
 * catalog is read in as many requests as needed, each within the limit. */
START_TEST(long_identifiers_fit_the_url_budget) {
  enum { N = 40 };
  char idents[N][64];
  char *fx = malloc(16384);
  ck_assert_ptr_nonnull(fx);
  size_t len = (size_t)snprintf(fx, 16384, "{\"catalog\":[");
  lpsa_product_ref refs[N];
  for (int i = 0; i < N; i++) {
    snprintf(idents[i], sizeof idents[i],
             "LASTPASS-BUSINESS-ANNUAL-PREPAID-ADVANCED-MFA-SSO-TIER-%05d", i);
    ck_assert_uint_eq(strlen(idents[i]), 60);
    len += (size_t)snprintf(fx + len, 16384 - len,
                            "%s{\"id\":%d,\"identifier\":\"%s\"}", i ? "," : "",
                            800 + i, idents[i]);
    refs[i] = (lpsa_product_ref){
        i % 2 ? LPSA_SKU_LASTPASS_MFA : LPSA_SKU_LASTPASS, idents[i]};
  }
  snprintf(fx + len, 16384 - len, "]}");
  cw_harness h;
  cwh_start(&h, fx, NULL);
  free(fx);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_snapshot_request req = base_request();
  req.products = refs;
  req.n_products = N;
  lpsa_snapshot *s;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  for (int i = 0; i < N; i++)
    ck_assert_msg(s->products[i].found, "%s not found", idents[i]);
  json_object *log = cwh_log(&h);
  int catalog = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i), *v = NULL;
    json_object_object_get_ex(e, "status", &v);
    ck_assert_int_ne(json_object_get_int(v), 414);
    json_object_object_get_ex(e, "path", &v);
    const char *path = json_object_get_string(v);
    json_object_object_get_ex(e, "query", &v);
    size_t url = strlen(h.sim.base_url) + strlen(path) + 1 +
                 strlen(json_object_get_string(v));
    ck_assert_uint_le(url, 2000);
    catalog += strstr(path, "procurement/catalog") != NULL;
  }
  ck_assert_int_eq(catalog, 2); /* 40 x 60 characters: two URLs, no more */
  json_object_put(log);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(one_product_for_two_skus) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  const lpsa_product_ref both[] = {{LPSA_SKU_LASTPASS, "LASTPASS-BUS"},
                                   {LPSA_SKU_LASTPASS_MFA, "LASTPASS-BUS"}};
  lpsa_snapshot_request req = base_request();
  req.products = both;
  req.n_products = 2;
  lpsa_snapshot *s;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_str_eq(s->products[0].psa_id, "700");
  ck_assert_str_eq(s->products[1].psa_id, "700");
  long l = cwh_line(s, "9000");
  ck_assert_int_ge(l, 0);
  ck_assert_uint_eq(s->lines[l].product, 0); /* the first index */
  ck_assert_int_lt(cwh_line(s, "9001"), 0);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

START_TEST(no_mapped_products_no_additions_requests) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  const lpsa_product_ref none[] = {{LPSA_SKU_LASTPASS, "NOPE"}};
  lpsa_snapshot_request req = base_request();
  req.products = none;
  req.n_products = 1;
  lpsa_snapshot *s;
  ck_assert_msg(cwh_snapshot(&h, &req, &s) == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_agreements, 2);
  ck_assert_uint_eq(s->n_lines, 0);
  ck_assert_int_eq(cwh_count(&h, NULL, "/additions"), 0);
  snapshot_free(s);
  cwh_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_driver_snapshot");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, emits_the_billing_picture);
  tcase_add_test(tc, pages_of_one_record_give_the_same_picture);
  tcase_add_test(tc, configured_codebase_skips_discovery);
  tcase_add_test(tc, agreement_type_filter_and_pinned_agreements);
  tcase_add_test(tc, all_companies_only);
  tcase_add_test(tc, one_product_for_two_skus);
  tcase_add_test(tc, long_identifiers_fit_the_url_budget);
  tcase_add_test(tc, no_mapped_products_no_additions_requests);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
