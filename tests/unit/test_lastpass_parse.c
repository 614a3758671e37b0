/* SPDX-License-Identifier: MIT */
/*
 * test_lastpass_parse.c — the LastPass page parsers refuse anything that is
 * not a complete, well-formed page, and read the documented shapes.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "decimal_id.h"
#include "lastpass.h"
#include "lpsa/model.h"
#include "lpsa/status.h"

static int companies(lp_data *d, const char *body, char *next) {
  char err[256];
  return lastpass_parse_companies(body, strlen(body), d, next, 128, err,
                                  sizeof err);
}

static int billing(lp_data *d, const char *body, char *next) {
  char err[256];
  return lastpass_parse_billing(body, strlen(body), d, next, 128, err,
                                sizeof err);
}

START_TEST(reads_companies_and_skus) {
  lp_data d = {0};
  char next[128];
  ck_assert_int_eq(
      companies(&d,
                "{\"items\":[{\"id\":123,\"name\":\"Acme\",\"status\":"
                "\"active\",\"type\":\"managed\",\"licenseLimit\":50,"
                "\"addons\":[\"mfa\"]},{\"id\":\"124\",\"name\":\"O'Brien & "
                "Söhne \",\"status\":\"suspended\",\"addons\":[]}],"
                "\"nextPageToken\":\"abc\"}",
                next),
      LPSA_OK);
  ck_assert_str_eq(next, "abc");
  ck_assert_int_eq(d.n, 2);
  ck_assert_str_eq(d.companies[0].id, "123");
  ck_assert_str_eq(d.companies[0].sku, LPSA_SKU_LASTPASS_MFA);
  ck_assert_str_eq(d.companies[1].sku, LPSA_SKU_LASTPASS);
  ck_assert(d.companies[1].suspended);
  ck_assert_str_eq(d.companies[1].name, "O'Brien & Söhne ");
  ck_assert_int_eq(companies(&d, "{\"items\":[],\"nextPageToken\":null}", next),
                   LPSA_OK);
  ck_assert_str_eq(next, "");
  ck_assert_int_eq(billing(&d,
                           "{\"items\":[{\"companyId\":123,\"companyName\":"
                           "\"Acme\",\"licenseType\":\"msp-managed-company\","
                           "\"activeUsers\":12},{\"companyId\":999,"
                           "\"activeUsers\":3}]}",
                           next),
                   LPSA_OK);
  ck_assert_int_eq(d.companies[0].seats, 12);
  ck_assert(d.companies[0].has_record);
  ck_assert(!d.companies[1].has_record);
  lp_data_free(&d);
}
END_TEST

START_TEST(refuses_bad_pages) {
  static const char *const bad_company_pages[] = {
      "{\"items\":[{\"id\":",                          /* truncated */
      "{\"items\":{}}",                                /* items not a list */
      "{\"nextPageToken\":\"x\"}",                     /* no items */
      "[]",                                            /* not an object */
      "{\"items\":[{\"name\":\"x\"}]}",                /* no id */
      "{\"items\":[{\"id\":{},\"name\":\"x\"}]}",      /* id of a wrong type */
      "{\"items\":[{\"id\":-4,\"name\":\"x\"}]}",      /* negative id */
      "{\"items\":[{\"id\":\"12a\",\"name\":\"x\"}]}", /* not digits */
      "{\"items\":[{\"id\":1}]}",                      /* no name */
      "{\"items\":[{\"id\":1,\"name\":\"x\",\"status\":\"gone\"}]}",
      "{\"items\":[{\"id\":1,\"name\":\"x\",\"addons\":\"mfa\"}]}",
      "{\"items\":[],\"nextPageToken\":7}",
      "{\"items\":[]} trailing",
  };
  for (size_t i = 0; i < sizeof bad_company_pages / sizeof *bad_company_pages;
       i++) {
    lp_data d = {0};
    char next[128];
    ck_assert_msg(companies(&d, bad_company_pages[i], next) ==
                      LPSA_ERR_PROTOCOL,
                  "accepted: %s", bad_company_pages[i]);
    lp_data_free(&d);
  }
}
END_TEST

START_TEST(refuses_duplicates_and_bad_seats) {
  lp_data d = {0};
  char next[128];
  ck_assert_int_eq(
      companies(&d, "{\"items\":[{\"id\":1,\"name\":\"a\"}]}", next), LPSA_OK);
  ck_assert_int_eq(
      companies(&d, "{\"items\":[{\"id\":1,\"name\":\"a\"}]}", next),
      LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(
      billing(&d, "{\"items\":[{\"companyId\":1,\"activeUsers\":\"3\"}]}",
              next),
      LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(
      billing(&d, "{\"items\":[{\"companyId\":1,\"activeUsers\":-1}]}", next),
      LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(billing(&d, "{\"items\":[{\"companyId\":1}]}", next),
                   LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(
      billing(&d, "{\"items\":[{\"companyId\":1,\"activeUsers\":3}]}", next),
      LPSA_OK);
  ck_assert_int_eq(
      billing(&d, "{\"items\":[{\"companyId\":1,\"activeUsers\":3}]}", next),
      LPSA_ERR_PROTOCOL); /* the same record twice */
  lp_data_free(&d);
}
END_TEST

START_TEST(cycles_and_problems) {
  lp_data d = {0};
  char err[256];
  const char *body =
      "[{\"startDate\":\"2026-10-01\",\"endDate\":\"2026-10-31\"},"
      "{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}]";
  ck_assert_int_eq(lastpass_parse_cycles(body, strlen(body), "2026-11-25", &d,
                                         err, sizeof err),
                   LPSA_OK);
  ck_assert_str_eq(d.cycle_start, "2026-11-01");
  ck_assert_str_eq(d.cycle_end, "2026-11-30");
  ck_assert_int_eq(
      lastpass_parse_cycles("[]", 2, "2026-11-25", &d, err, sizeof err),
      LPSA_ERR_PROTOCOL);
  const char *pb = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":"
                   "\"max-results out of range\",\"errors\":[{\"detail\":"
                   "\"must be <= 500\",\"pointer\":\"max-results\"}]}";
  char *text = lastpass_problem_text(pb, strlen(pb));
  ck_assert_ptr_nonnull(text);
  ck_assert_ptr_nonnull(strstr(text, "Bad Request: max-results out of range"));
  ck_assert_ptr_nonnull(strstr(text, "max-results: must be <= 500"));
  free(text);
  ck_assert_ptr_null(lastpass_problem_text("<html>", 6));
  lp_data_free(&d);
}
END_TEST

static int cycles(lp_data *d, const char *body, char *err, size_t cap) {
  return lastpass_parse_cycles(body, strlen(body), "2026-11-15", d, err, cap);
}

/* Only the cycle covering today, wherever it is listed; none: an error
 * naming every cycle listed; two different ones: ambiguous, refused. */
START_TEST(only_the_cycle_covering_today) {
  lp_data d = {0};
  char err[512];
  ck_assert_int_eq(
      cycles(&d,
             "[{\"startDate\":\"2026-09-01\",\"endDate\":\"2026-09-30\"},"
             "{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"},"
             "{\"startDate\":\"2026-10-01\",\"endDate\":\"2026-10-31\"}]",
             err, sizeof err),
      LPSA_OK);
  ck_assert_str_eq(d.cycle_start, "2026-11-01");
  ck_assert_str_eq(d.cycle_end, "2026-11-30");
  ck_assert_int_eq(
      cycles(&d,
             "[{\"startDate\":\"2026-10-01\",\"endDate\":\"2026-10-31\"},"
             "{\"startDate\":\"2026-12-01\",\"endDate\":\"2026-12-31\"}]",
             err, sizeof err),
      LPSA_ERR_PROTOCOL);
  ck_assert_ptr_nonnull(strstr(err, "no billing cycle covers 2026-11-15"));
  ck_assert_ptr_nonnull(
      strstr(err, "2026-10-01..2026-10-31, 2026-12-01..2026-12-31"));
  ck_assert_str_eq(d.cycle_start, "");
  ck_assert_int_eq(
      cycles(&d,
             "[{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"},"
             "{\"startDate\":\"2026-11-10\",\"endDate\":\"2026-12-09\"}]",
             err, sizeof err),
      LPSA_ERR_PROTOCOL);
  ck_assert_ptr_nonnull(strstr(err, "two different billing cycles"));
  /* The same cycle listed twice is no ambiguity. */
  ck_assert_int_eq(
      cycles(&d,
             "[{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"},"
             "{\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}]",
             err, sizeof err),
      LPSA_OK);
  lp_data_free(&d);
}
END_TEST

/* Ids from 0 to INT64_MAX, as numbers or digit strings; anything larger is
 * refused, never clamped to INT64_MAX. */
START_TEST(ids_beyond_int64_refused) {
  lp_data d = {0};
  char next[128];
  ck_assert_int_eq(
      companies(&d,
                "{\"items\":[{\"id\":9223372036854775807,\"name\":\"Max\"},"
                "{\"id\":\"9223372036854775806\",\"name\":\"Near\"}]}",
                next),
      LPSA_OK);
  ck_assert_str_eq(d.companies[0].id, "9223372036854775807");
  static const char *const too_big[] = {
      "{\"items\":[{\"id\":9223372036854775808,\"name\":\"X\"}]}",
      "{\"items\":[{\"id\":18446744073709551615,\"name\":\"X\"}]}",
      "{\"items\":[{\"id\":99999999999999999999,\"name\":\"X\"}]}",
      "{\"items\":[{\"id\":\"9223372036854775808\",\"name\":\"X\"}]}",
      "{\"items\":[{\"id\":\"99999999999999999999\",\"name\":\"X\"}]}"};
  for (size_t i = 0; i < sizeof too_big / sizeof *too_big; i++)
    ck_assert_msg(companies(&d, too_big[i], next) == LPSA_ERR_PROTOCOL,
                  "accepted %s", too_big[i]);
  ck_assert_int_eq(billing(&d,
                           "{\"items\":[{\"companyId\":9223372036854775808,"
                           "\"activeUsers\":1}]}",
                           next),
                   LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(d.n, 2);
  ck_assert(decimal_id_fits_int64("0009223372036854775807"));
  ck_assert(!decimal_id_fits_int64("9223372036854775808"));
  ck_assert(decimal_id_fits_int64("0"));
  lp_data_free(&d);
}
END_TEST

int main(void) {
  Suite *s = suite_create("lastpass_parse");
  TCase *tc = tcase_create("parse");
  tcase_add_test(tc, reads_companies_and_skus);
  tcase_add_test(tc, refuses_bad_pages);
  tcase_add_test(tc, refuses_duplicates_and_bad_seats);
  tcase_add_test(tc, cycles_and_problems);
  tcase_add_test(tc, only_the_cycle_covering_today);
  tcase_add_test(tc, ids_beyond_int64_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
