/* SPDX-License-Identifier: MIT */
/*
 * test_cw_driver_errors.c — connectwise.so against a misbehaving
 * connectwise-sim: a moved codebase, rejected keys, a security role without
 * a right, throttling, server errors, lost connections, and answers that
 * break ConnectWise's own contract (cut JSON, wrong types, missing ids,
 * paging loops, duplicate records). Every failure fails the snapshot.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_fixture.h"
#include "cw_harness.h"

#define ROOT "/v4_6_release/apis/3.0/"

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "LASTPASS-BUS"},
    {LPSA_SKU_LASTPASS_MFA, "LASTPASS-MFA"}};
static const char *const mapped[] = {"1000", "1001", "1002"};

static lpsa_snapshot_request request(void) {
  lpsa_snapshot_request r = LPSA_INIT(lpsa_snapshot_request);
  r.products = products;
  r.n_products = 2;
  r.company_ids = mapped;
  r.n_company_ids = 3;
  r.as_of = "2026-11-15";
  return r;
}

/* Snapshot with the fixture and `faults` (JSON or NULL) and optional
 * config; returns the status, message in h->err. */
static int snap_with(cw_harness *h, const char *faults, const char *const *kv) {
  if (faults)
    ck_assert_int_eq(simproc_set_faults(&h->sim, faults), 0);
  ck_assert_int_eq(cwh_open(h, kv), LPSA_OK);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  int rc = cwh_snapshot(h, &req, &s);
  snapshot_free(s);
  return rc;
}

static void expect_fail(const char *faults, const char *const *kv, int status,
                        const char *word) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  int rc = snap_with(&h, faults, kv);
  ck_assert_msg(rc == status, "status %d (want %d): %s", rc, status, h.err);
  ck_assert_msg(strstr(h.err, word) != NULL, "\"%s\" lacks \"%s\"", h.err,
                word);
  cwh_stop(&h);
}

START_TEST(codebase_move_is_followed) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(snap_with(&h, NULL, NULL), LPSA_OK);
  ck_assert_int_eq(
      simproc_send_json(&h.sim, "POST", "/_sim/codebase/move", "{}"), 0);
  cwh_clear_log(&h);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_lines, 2); /* 9001 (3.6) is a note */
  snapshot_free(s);
  /* One 404 under the old codebase, one discovery, then the new root. */
  ck_assert_int_eq(cwh_count(&h, NULL, "/login/companyinfo/"), 1);
  ck_assert_int_eq(cwh_count(&h, NULL, "/v4_6_release/"), 1);
  ck_assert_int_ge(cwh_count(&h, NULL, "/v2025_1/apis/3.0/"), 5);
  cwh_stop(&h);
}
END_TEST

START_TEST(codebase_move_mid_snapshot) {
  cw_harness h;
  const char *args[] = {"--move-codebase-after", "3", NULL};
  cwh_start(&h, CW_FIXTURE, args);
  int rc = snap_with(&h, NULL, NULL);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(cwh_count(&h, NULL, "/login/companyinfo/"), 2);
  cwh_stop(&h);
}
END_TEST

START_TEST(unknown_company_id) {
  const char *kv[] = {"company_id", "nosuchco", NULL};
  expect_fail(NULL, kv, LPSA_ERR_INVALID,
              "ConnectWise does not know company id nosuchco: check "
              "company_id");
}
END_TEST

START_TEST(rejected_keys) {
  const char *kv[] = {"private_key", "wrong", NULL};
  expect_fail(NULL, kv, LPSA_ERR_AUTH,
              "ConnectWise rejected the API keys: check company_id, "
              "public_key, private_key");
}
END_TEST

START_TEST(role_without_agreements) {
  cw_harness h;
  char fx[sizeof CW_FIXTURE + 64];
  snprintf(fx, sizeof fx, "%.*s,\"denied\":[\"finance/agreements\"]}",
           (int)strlen(CW_FIXTURE) - 1, CW_FIXTURE);
  cwh_start(&h, fx, NULL);
  int rc = snap_with(&h, NULL, NULL);
  ck_assert_int_eq(rc, LPSA_ERR_PERMISSION);
  ck_assert_msg(strstr(h.err, "the API member's security role lacks Finance "
                              "> Agreements: grant Inquire and Edit"),
                "%s", h.err);
  cwh_stop(&h);
}
END_TEST

START_TEST(throttled) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  int rc = snap_with(&h,
                     "[{\"path_prefix\":\"" ROOT "company\",\"status\":429,"
                     "\"headers\":{\"Retry-After\":\"0\"},\"body\":"
                     "\"{\\\"code\\\":\\\"TooManyRequests\\\",\\\"message\\\":"
                     "\\\"slow down\\\"}\"}]",
                     NULL);
  ck_assert_int_eq(rc, LPSA_ERR_RATE_LIMITED);
  ck_assert_ptr_nonnull(strstr(h.err, "429"));
  ck_assert_ptr_nonnull(strstr(h.err, "try again later"));
  /* the host retried (max_retries = 2 in the harness) */
  ck_assert_int_eq(cwh_count(&h, "GET", "/company/companies"), 3);
  cwh_stop(&h);
}
END_TEST

START_TEST(server_error) {
  expect_fail("[{\"path_prefix\":\"" ROOT "finance\",\"status\":500,"
              "\"body\":\"{\\\"code\\\":\\\"ConnectWiseApi\\\",\\\"message\\\":"
              "\\\"The database is resting\\\"}\"}]",
              NULL, LPSA_ERR_REMOTE,
              "500 Internal Server Error to GET finance/agreements: The "
              "database is resting");
}
END_TEST

START_TEST(connection_reset) {
  expect_fail("[{\"path_prefix\":\"" ROOT
              "procurement\",\"action\":\"reset\"}]",
              NULL, LPSA_ERR_NETWORK, "no answer from ConnectWise");
}
END_TEST

START_TEST(truncated_json) {
  expect_fail("[{\"path_prefix\":\"" ROOT "finance/agreements/5000/additions\","
              "\"action\":\"truncate\"}]",
              NULL, LPSA_ERR_PROTOCOL, "not valid JSON");
}
END_TEST

START_TEST(malformed_json) {
  expect_fail("[{\"path_prefix\":\"" ROOT "procurement\","
              "\"action\":\"malformed\"}]",
              NULL, LPSA_ERR_PROTOCOL, "not valid JSON");
}
END_TEST

START_TEST(quantity_as_string) {
  expect_fail("[{\"path_prefix\":\"" ROOT "finance/agreements/5000/additions\","
              "\"action\":\"wrong_types\"}]",
              NULL, LPSA_ERR_PROTOCOL, "\"quantity\" as a string");
}
END_TEST

START_TEST(missing_ids) {
  expect_fail("[{\"path_prefix\":\"" ROOT "finance/agreements\","
              "\"action\":\"missing_fields\"}]",
              NULL, LPSA_ERR_PROTOCOL, "\"id\" as missing");
}
END_TEST

/* Paging faults need several pages: pageSize 1. */
static void paging_fault(const char *action, const char *word) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  int whole = cwh_sim_links_whole(&h);
  char faults[256];
  snprintf(faults, sizeof faults,
           "[{\"path_prefix\":\"" ROOT
           "company/companies\",\"action\":\"%s\"}]",
           action);
  const char *kv[] = {"page_size", "1", NULL};
  int rc = snap_with(&h, faults, kv);
  if (whole) {
    ck_assert_msg(rc == LPSA_ERR_PROTOCOL, "status %d: %s", rc, h.err);
    ck_assert_msg(strstr(h.err, word), "\"%s\" lacks \"%s\"", h.err, word);
  } else {
    /* A simulator that cannot send long Link headers whole (cuts them or
     * answers 500): still a refusal, never a partial list. */
    ck_assert_msg(rc != LPSA_OK, "a partial list was accepted");
  }
  /* Never a runaway: a handful of company pages at most. */
  ck_assert_int_le(cwh_count(&h, NULL, "/company/companies"), 4);
  cwh_stop(&h);
}

START_TEST(page_loop) {
  paging_fault("page_loop", "loop");
}
END_TEST

START_TEST(duplicate_ids) {
  paging_fault("duplicate_ids", "twice");
}
END_TEST

START_TEST(check_passes) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  int rc = h.drv.desc->check(h.ctx, h.err, sizeof h.err);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(h.n_checks, 7);
  ck_assert_int_eq(cwh_count(&h, "GET", "/company/companies/statuses"), 1);
  for (int i = 0; i < h.n_checks; i++)
    ck_assert_msg(h.check_ok[i], "%s: %s", h.check_what[i], h.check_detail[i]);
  ck_assert_ptr_nonnull(strstr(h.check_detail[0], "v4_6_release/"));
  ck_assert_int_eq(cwh_count(&h, "GET", "/system/info"), 1);
  ck_assert_int_eq(cwh_count(&h, "GET", "/additions"), 1);
  cwh_stop(&h);
}
END_TEST

START_TEST(check_names_missing_right) {
  cw_harness h;
  char fx[sizeof CW_FIXTURE + 64];
  snprintf(fx, sizeof fx, "%.*s,\"denied\":[\"procurement/catalog\"]}",
           (int)strlen(CW_FIXTURE) - 1, CW_FIXTURE);
  cwh_start(&h, fx, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  int rc = h.drv.desc->check(h.ctx, h.err, sizeof h.err);
  ck_assert_int_eq(rc, LPSA_ERR_PERMISSION);
  int failed = 0;
  for (int i = 0; i < h.n_checks; i++)
    if (!h.check_ok[i]) {
      failed++;
      ck_assert_ptr_nonnull(
          strstr(h.check_detail[i], "lacks Procurement > Product Catalog"));
    }
  ck_assert_int_eq(failed, 1);
  cwh_stop(&h);
}
END_TEST

START_TEST(check_bad_keys_stops_early) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  const char *kv[] = {"public_key", "nope", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  int rc = h.drv.desc->check(h.ctx, h.err, sizeof h.err);
  ck_assert_int_eq(rc, LPSA_ERR_AUTH);
  ck_assert_int_eq(h.n_checks, 2);
  ck_assert(h.check_ok[0]);
  ck_assert(!h.check_ok[1]);
  ck_assert_ptr_nonnull(strstr(h.check_detail[1], "check company_id"));
  cwh_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_driver_errors");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, codebase_move_is_followed);
  tcase_add_test(tc, codebase_move_mid_snapshot);
  tcase_add_test(tc, unknown_company_id);
  tcase_add_test(tc, rejected_keys);
  tcase_add_test(tc, role_without_agreements);
  tcase_add_test(tc, throttled);
  tcase_add_test(tc, server_error);
  tcase_add_test(tc, connection_reset);
  tcase_add_test(tc, truncated_json);
  tcase_add_test(tc, malformed_json);
  tcase_add_test(tc, quantity_as_string);
  tcase_add_test(tc, missing_ids);
  tcase_add_test(tc, page_loop);
  tcase_add_test(tc, duplicate_ids);
  tcase_add_test(tc, check_passes);
  tcase_add_test(tc, check_names_missing_right);
  tcase_add_test(tc, check_bad_keys_stops_early);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
