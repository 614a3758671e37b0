/* SPDX-License-Identifier: MIT */
/*
 * test_at_driver_write.c — set_quantity() against autotask-sim: the delta is
 * posted at the billing period start (31st-start and mid-period-adjusted
 * contracts too) as that day's noon without a zone, the units equal the
 * target afterwards (verified), an equal count writes nothing, a vanished
 * or changed contract service or a moved period is a conflict with no
 * POST, a lost answer (reset before the sim applies the adjustment, or cut
 * after) never doubles a delta, and a verifying read showing neither the
 * old count nor the target names another writer.
 */
#include <check.h>
#include <string.h>

#include "at_harness.h"

static lpsa_line_ref ref(const char *contract, const char *line,
                         const char *service, const char *period_start) {
  lpsa_line_ref r = LPSA_INIT(lpsa_line_ref);
  r.company_id = "1001";
  r.agreement_id = contract;
  r.line_id = line;
  r.product_id = service;
  r.period_start = period_start;
  r.as_of = "2026-11-15";
  return r;
}

static int set(at_harness *h, const lpsa_line_ref *r, long long target,
               lpsa_set_result *out, char *err, size_t errlen) {
  *out = LPSA_INIT(lpsa_set_result);
  return h->drv.desc->set_quantity(h->ctx, r, target, out, err, errlen);
}

static int posts(at_harness *h) {
  return at_log_count(h, "POST", "ContractServiceAdjustments");
}

/* The units now, read through a fresh snapshot of the one line. */
static long long units_of(at_harness *h, const char *company,
                          const char *line) {
  static const lpsa_product_ref p[] = {{LPSA_SKU_LASTPASS, "101"}};
  const char *ids[] = {company};
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = p;
  req.n_products = 1;
  req.company_ids = ids;
  req.n_company_ids = 1;
  req.as_of = "2026-11-15";
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  const snap_line *l = at_line(s, line);
  ck_assert_ptr_nonnull(l);
  long long q = l->quantity;
  snapshot_free(s);
  return q;
}

static void expect_post(at_harness *h, const char *effective, long long delta,
                        long long contract, long long service, long long cs) {
  json_object *b = at_log_last_body(h, "POST", "ContractServiceAdjustments");
  ck_assert_ptr_nonnull(b);
  json_object *v;
  ck_assert(json_object_object_get_ex(b, "effectiveDate", &v));
  ck_assert_str_eq(json_object_get_string(v), effective);
  ck_assert(json_object_object_get_ex(b, "unitChange", &v));
  ck_assert_int_eq(json_object_get_int64(v), delta);
  ck_assert(json_object_object_get_ex(b, "contractID", &v));
  ck_assert_int_eq(json_object_get_int64(v), contract);
  ck_assert(json_object_object_get_ex(b, "serviceID", &v));
  ck_assert_int_eq(json_object_get_int64(v), service);
  ck_assert(json_object_object_get_ex(b, "contractServiceID", &v));
  ck_assert_int_eq(json_object_get_int64(v), cs);
  ck_assert(json_object_object_get_ex(b, "adjustedUnitPrice", &v));
  ck_assert_ptr_null(v);
  json_object_put(b);
}

START_TEST(delta_at_period_start) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  ck_assert_msg(set(&h, &r, 12, &out, err, sizeof err) == LPSA_OK, "%s", err);
  ck_assert_int_eq(out.before, 10);
  ck_assert_int_eq(out.after, 12);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(posts(&h), 1);
  expect_post(&h, "2026-11-01T12:00:00", 2, 2001, 101, 3001);
  ck_assert_int_eq(units_of(&h, "1001", "3001"), 12);
  /* Equal: nothing written, no POST. */
  simproc_clear_log(&h.sim);
  ck_assert_msg(set(&h, &r, 12, &out, err, sizeof err) == LPSA_OK, "%s", err);
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(out.verified, 0);
  ck_assert_int_eq(out.before, 12);
  ck_assert_int_eq(out.after, 12);
  ck_assert_int_eq(posts(&h), 0);
  /* Down to zero. */
  ck_assert_msg(set(&h, &r, 0, &out, err, sizeof err) == LPSA_OK, "%s", err);
  expect_post(&h, "2026-11-01T12:00:00", -12, 2001, 101, 3001);
  ck_assert_int_eq(out.after, 0);
  at_stop(&h);
}
END_TEST

START_TEST(odd_periods) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  char err[512];
  lpsa_set_result out;
  /* The contract that started on Jan 31: the period began Oct 31. */
  lpsa_line_ref r = ref("2004", "3004", "101", "2026-10-31");
  ck_assert_msg(set(&h, &r, 2, &out, err, sizeof err) == LPSA_OK, "%s", err);
  expect_post(&h, "2026-10-31T12:00:00", -2, 2004, 101, 3004);
  ck_assert_int_eq(out.after, 2);
  ck_assert_int_eq(units_of(&h, "1004", "3004"), 2);
  /* Mid-period adjustment on Nov 12 (8 units since): the delta is posted
   * at the period start (Nov 5) all the same, and Autotask adds it to every
   * row from then on, today's included. */
  r = ref("2008", "3008", "101", "2026-11-05");
  ck_assert_msg(set(&h, &r, 10, &out, err, sizeof err) == LPSA_OK, "%s", err);
  expect_post(&h, "2026-11-05T12:00:00", 2, 2008, 101, 3008);
  ck_assert_int_eq(out.before, 8);
  ck_assert_int_eq(out.after, 10);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(units_of(&h, "1008", "3008"), 10);
  /* A row starting before the period start: the period moved, nothing is
   * written. */
  int before_posts = posts(&h);
  r = ref("2008", "3008", "101", "2026-11-13");
  ck_assert_int_eq(set(&h, &r, 12, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(err, "before the billing period start"));
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(posts(&h), before_posts);
  ck_assert_int_eq(units_of(&h, "1008", "3008"), 10);
  /* Quarterly, mid-month start. */
  r = ref("2003", "3003", "103", "2026-11-14");
  ck_assert_msg(set(&h, &r, 25, &out, err, sizeof err) == LPSA_OK, "%s", err);
  expect_post(&h, "2026-11-14T12:00:00", 5, 2003, 103, 3003);
  at_stop(&h);
}
END_TEST

START_TEST(conflicts_write_nothing) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  char err[512];
  lpsa_set_result out;
  /* The line carries another service now. */
  lpsa_line_ref r = ref("2001", "3001", "104", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 3, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  ck_assert_int_eq(out.wrote, 0);
  /* The contract service is gone (never let Autotask create it). */
  r = ref("2001", "3999", "101", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 3, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(err, "no longer exists"));
  /* On another contract. */
  r = ref("2002", "3001", "101", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 3, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  /* An ended contract: no units row covers as_of. */
  r = ref("2006", "3006", "101", "2025-12-01");
  ck_assert_int_eq(set(&h, &r, 3, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  /* No period: refused before any request. */
  r = ref("2001", "3001", "101", NULL);
  ck_assert_int_eq(set(&h, &r, 3, &out, err, sizeof err), LPSA_ERR_INVALID);
  ck_assert_int_eq(posts(&h), 0);
  ck_assert_int_eq(units_of(&h, "1001", "3001"), 10);
  at_stop(&h);
}
END_TEST

START_TEST(answer_lost_before_apply) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  /* The connection drops before the sim runs the handler: not applied. */
  at_faults(&h, "[{\"name\":\"drop\",\"method\":\"POST\",\"path_prefix\":"
                "\"/atservicesrest/v1.0/ContractServiceAdjustments\","
                "\"action\":\"reset\",\"times\":1}]");
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  int rc = set(&h, &r, 15, &out, err, sizeof err);
  ck_assert_int_eq(rc, LPSA_ERR_NETWORK);
  /* Unanswered: from outside it may still be applied later, so the host is
   * told to re-check the line rather than "nothing changed", and that
   * `after` was read after the write (the host never posts it again this
   * period). */
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.after, 10);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_ptr_nonnull(strstr(err, "may still apply it"));
  ck_assert_ptr_nonnull(strstr(err, "check contract 2001"));
  ck_assert_int_eq(posts(&h), 1); /* sent once, never repeated */
  /* The re-run converges with one more delta. */
  ck_assert_msg(set(&h, &r, 15, &out, err, sizeof err) == LPSA_OK, "%s", err);
  ck_assert_int_eq(out.before, 10);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(posts(&h), 2);
  ck_assert_int_eq(units_of(&h, "1001", "3001"), 15);
  at_stop(&h);
}
END_TEST

START_TEST(answer_lost_after_apply) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  /* The sim applies the adjustment, then cuts the answer short. */
  at_faults(&h, "[{\"name\":\"cut\",\"method\":\"POST\",\"path_prefix\":"
                "\"/atservicesrest/v1.0/ContractServiceAdjustments\","
                "\"action\":\"cut\",\"times\":1}]");
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  ck_assert_msg(set(&h, &r, 15, &out, err, sizeof err) == LPSA_OK, "%s", err);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.after, 15);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(posts(&h), 1);
  /* A second run (as after a crash) finds it done. */
  ck_assert_msg(set(&h, &r, 15, &out, err, sizeof err) == LPSA_OK, "%s", err);
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(posts(&h), 1);
  json_object *state = simproc_get_state(&h.sim), *adj;
  ck_assert(json_object_object_get_ex(state, "adjustments", &adj));
  ck_assert_int_eq(json_object_array_length(adj), 1);
  json_object_put(state);
  ck_assert_int_eq(units_of(&h, "1001", "3001"), 15);
  at_stop(&h);
}
END_TEST

START_TEST(refused_post_reports_error) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  at_faults(&h, "[{\"name\":\"no\",\"method\":\"POST\",\"path_prefix\":"
                "\"/atservicesrest/v1.0/ContractServiceAdjustments\","
                "\"status\":500,\"content_type\":\"application/json\","
                "\"body\":\"{\\\"errors\\\":[\\\"Adjustment refused\\\"]}\"}]");
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 15, &out, err, sizeof err), LPSA_ERR_REMOTE);
  ck_assert_ptr_nonnull(strstr(err, "Adjustment refused"));
  ck_assert_ptr_nonnull(strstr(err, "HTTP 500"));
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(out.verified, 0); /* refused: nothing to verify */
  ck_assert_int_eq(posts(&h), 1);
  /* The thread limit on the POST: refused, not retried by the transport. */
  at_faults(&h, "[{\"name\":\"busy\",\"method\":\"POST\",\"path_prefix\":"
                "\"/atservicesrest/v1.0/ContractServiceAdjustments\","
                "\"status\":429,\"content_type\":\"text/plain\","
                "\"body\":\"thread threshold of 3 threads has been "
                "exceeded\"}]");
  ck_assert_int_eq(set(&h, &r, 15, &out, err, sizeof err),
                   LPSA_ERR_RATE_LIMITED);
  ck_assert_int_eq(posts(&h), 2);
  ck_assert_int_eq(units_of(&h, "1001", "3001"), 10);
  at_stop(&h);
}
END_TEST

/* Autotask accepts the adjustment (200 with an itemId) but today's units
 * do not move: it did not apply it as documented. Said so, verified, and
 * never posted again in the call. */
START_TEST(accepted_but_not_applied) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  at_faults(&h, "[{\"name\":\"swallow\",\"method\":\"POST\",\"path_prefix\":"
                "\"/atservicesrest/v1.0/ContractServiceAdjustments\","
                "\"status\":200,\"content_type\":\"application/json\","
                "\"body\":\"{\\\"itemId\\\":77}\",\"times\":1}]");
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 15, &out, err, sizeof err), LPSA_ERR_REMOTE);
  ck_assert_ptr_nonnull(
      strstr(err, "Autotask did not apply the adjustment as documented"));
  ck_assert_ptr_nonnull(strstr(err, "adjustment 77 (+5 units"));
  ck_assert_ptr_nonnull(strstr(err, "check contract 2001"));
  ck_assert_int_eq(out.before, 10);
  ck_assert_int_eq(out.after, 10);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(posts(&h), 1);
  at_stop(&h);
}
END_TEST

/* The verifying read shows neither the old count nor the target: another
 * writer changed the contract service. The error names it and every value
 * seen; `after` is what Autotask holds, verified. */
START_TEST(another_writer_named) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  /* The first units read is the one before the POST; the second, the
   * verification, sees 21 units (someone added 6 meanwhile). */
  at_faults(
      &h, "[{\"name\":\"other\",\"path_prefix\":\"/atservicesrest/v1.0/"
          "ContractServiceUnits/query\",\"after\":1,\"times\":1,\"status\":"
          "200,\"content_type\":\"application/json\",\"body\":\"{\\\"items"
          "\\\":[{\\\"id\\\":9,\\\"contractServiceID\\\":3001,\\\"contractID"
          "\\\":2001,\\\"serviceID\\\":101,\\\"startDate\\\":\\\"2026-11-01T00:"
          "00:00\\\",\\\"endDate\\\":\\\"2026-11-30T00:00:00\\\",\\\"units\\\":"
          "21}],\\\"pageDetails\\\":{\\\"count\\\":1,\\\"requestCount\\\":500,"
          "\\\"prevPageUrl\\\":null,\\\"nextPageUrl\\\":null}}\"}]");
  char err[512];
  lpsa_set_result out;
  lpsa_line_ref r = ref("2001", "3001", "101", "2026-11-01");
  ck_assert_int_eq(set(&h, &r, 15, &out, err, sizeof err), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(err, "another writer appears active"));
  ck_assert_ptr_nonnull(strstr(err, "contract service 3001 of contract 2001"));
  ck_assert_ptr_nonnull(strstr(err, "had 10 units"));
  ck_assert_ptr_nonnull(strstr(err, "posted +5"));
  ck_assert_ptr_nonnull(strstr(err, "expecting 15"));
  ck_assert_ptr_nonnull(strstr(err, "now shows 21"));
  ck_assert_int_eq(out.before, 10);
  ck_assert_int_eq(out.after, 21);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(posts(&h), 1);
  at_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("autotask driver set_quantity");
  TCase *tc = tcase_create("sim");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, delta_at_period_start);
  tcase_add_test(tc, odd_periods);
  tcase_add_test(tc, conflicts_write_nothing);
  tcase_add_test(tc, answer_lost_before_apply);
  tcase_add_test(tc, answer_lost_after_apply);
  tcase_add_test(tc, refused_post_reports_error);
  tcase_add_test(tc, accepted_but_not_applied);
  tcase_add_test(tc, another_writer_named);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
