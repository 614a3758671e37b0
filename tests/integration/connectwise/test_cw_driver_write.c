/* SPDX-License-Identifier: MIT */
/*
 * test_cw_driver_write.c — connectwise.so set_quantity() against
 * connectwise-sim: 2 requests per change, 1 when already equal, the PATCH
 * body, no other field touched, and every CONFLICT case.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_fixture.h"
#include "cw_harness.h"

static lpsa_line_ref ref(const char *agreement, const char *line,
                         const char *product) {
  lpsa_line_ref r = LPSA_INIT(lpsa_line_ref);
  r.company_id = "1000";
  r.agreement_id = agreement;
  r.line_id = line;
  r.product_id = product;
  r.as_of = "2026-11-15";
  return r;
}

static int set(cw_harness *h, const lpsa_line_ref *r, long long target,
               lpsa_set_result *out) {
  *out = LPSA_INIT(lpsa_set_result);
  h->err[0] = '\0';
  return h->drv.desc->set_quantity(h->ctx, r, target, out, h->err,
                                   sizeof h->err);
}

static const char *field(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) ? json_object_to_json_string(v)
                                               : "(absent)";
}

START_TEST(change_is_two_requests_and_touches_only_quantity) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  json_object *before = cwh_state_record(&h, "additions", 9000);
  ck_assert_ptr_nonnull(before);
  cwh_clear_log(&h);
  lpsa_line_ref r = ref("5000", "9000", "700");
  lpsa_set_result out;
  ck_assert_msg(set(&h, &r, 15, &out) == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(out.before, 12);
  ck_assert_int_eq(out.after, 15);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.verified, 1); /* the PATCH answer showed 15 */
  /* discovery (first call of this instance), GET, PATCH */
  ck_assert_int_eq(cwh_count(&h, "GET", "/additions/9000"), 1);
  ck_assert_int_eq(cwh_count(&h, "PATCH", "/additions/9000"), 1);
  ck_assert_int_eq(cwh_count(&h, NULL, "/apis/3.0/"), 2);
  json_object *log = cwh_log(&h);
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i), *m, *b;
    json_object_object_get_ex(e, "method", &m);
    if (strcmp(json_object_get_string(m), "PATCH"))
      continue;
    json_object_object_get_ex(e, "body", &b);
    ck_assert_str_eq(
        json_object_get_string(b),
        "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":15}]");
  }
  json_object_put(log);
  json_object *after = cwh_state_record(&h, "additions", 9000);
  ck_assert_str_eq(field(after, "quantity"), "15");
  const char *kept[] = {"effectiveDate", "cancelledDate", "unitPrice",
                        "unitCost",      "billCustomer",  "description",
                        "agreementId",   "product"};
  for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
    ck_assert_msg(!strcmp(field(before, kept[i]), field(after, kept[i])),
                  "%s changed: %s -> %s", kept[i], field(before, kept[i]),
                  field(after, kept[i]));
  json_object_put(before);
  json_object_put(after);

  /* Again to the same number: one read, no write. */
  cwh_clear_log(&h);
  ck_assert_msg(set(&h, &r, 15, &out) == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(out.before, 15);
  ck_assert_int_eq(out.after, 15);
  ck_assert_int_eq(out.verified, 0);
  ck_assert_int_eq(cwh_count(&h, NULL, NULL), 1);
  ck_assert_int_eq(cwh_count(&h, "PATCH", NULL), 0);
  cwh_stop(&h);
}
END_TEST

/* A fractional count read back is never "already equal" and never
 * rounded: not 3 (3.6 rounds to 4, truncates to 3), not 4; nothing is
 * written and the message says what to do. */
START_TEST(fraction_is_a_conflict) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_line_ref r = ref("5000", "9001", "701");
  lpsa_set_result out;
  for (long long target = 3; target <= 4; target++) {
    ck_assert_int_eq(set(&h, &r, target, &out), LPSA_ERR_CONFLICT);
    ck_assert_int_eq(out.wrote, 0);
    ck_assert_msg(strstr(h.err, "quantity 3.6") &&
                      strstr(h.err, "not a whole number"),
                  "%s", h.err);
  }
  ck_assert_int_eq(cwh_count(&h, "PATCH", NULL), 0);
  json_object *after = cwh_state_record(&h, "additions", 9001);
  ck_assert_str_eq(field(after, "quantity"), "3.6");
  json_object_put(after);
  cwh_stop(&h);
}
END_TEST

START_TEST(conflicts_write_nothing) {
  cw_harness h;
  cwh_start(&h, CW_FIXTURE, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_set_result out;
  /* Another product on the addition now. */
  lpsa_line_ref r = ref("5000", "9000", "701");
  ck_assert_int_eq(set(&h, &r, 20, &out), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(h.err, "carries product 700"));
  /* Cancelled (in the past). */
  r = ref("5000", "9002", "700");
  ck_assert_int_eq(set(&h, &r, 20, &out), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(h.err, "cancelled"));
  /* Gone, and an addition asked for under the wrong agreement. */
  r = ref("5000", "9999", "700");
  ck_assert_int_eq(set(&h, &r, 20, &out), LPSA_ERR_CONFLICT);
  ck_assert_ptr_nonnull(strstr(h.err, "no longer exists"));
  r = ref("5002", "9000", "700");
  ck_assert_int_eq(set(&h, &r, 20, &out), LPSA_ERR_CONFLICT);
  ck_assert_int_eq(out.wrote, 0);
  ck_assert_int_eq(cwh_count(&h, "PATCH", NULL), 0);
  /* Nonsense ids never reach the network. */
  cwh_clear_log(&h);
  r = ref("5000", "abc", "700");
  ck_assert_int_eq(set(&h, &r, 1, &out), LPSA_ERR_INVALID);
  r = ref("5000", "9000", "700");
  ck_assert_int_eq(set(&h, &r, -1, &out), LPSA_ERR_INVALID);
  ck_assert_int_eq(cwh_count(&h, NULL, NULL), 0);
  json_object *a = cwh_state_record(&h, "additions", 9000);
  ck_assert_str_eq(field(a, "quantity"), "12");
  json_object_put(a);
  cwh_stop(&h);
}
END_TEST

START_TEST(patch_refused_by_role) {
  cw_harness h;
  const char *fx =
      "{\"companies\":[{\"id\":1000,\"name\":\"A\"}],"
      "\"agreements\":[{\"id\":5000,\"company\":{\"id\":1000}}],"
      "\"additions\":[{\"id\":9000,\"agreementId\":5000,"
      "\"product\":{\"identifier\":\"LASTPASS-BUS\"},\"quantity\":12}],"
      "\"catalog\":[{\"id\":700,\"identifier\":\"LASTPASS-BUS\"}],"
      "\"denied\":[\"PATCH finance/agreements/additions\"]}";
  cwh_start(&h, fx, NULL);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  lpsa_line_ref r = ref("5000", "9000", "700");
  lpsa_set_result out;
  ck_assert_int_eq(set(&h, &r, 13, &out), LPSA_ERR_PERMISSION);
  ck_assert_ptr_nonnull(strstr(h.err, "Finance > Agreements"));
  ck_assert_int_eq(out.wrote, 0);
  cwh_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_driver_write");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, change_is_two_requests_and_touches_only_quantity);
  tcase_add_test(tc, fraction_is_a_conflict);
  tcase_add_test(tc, conflicts_write_nothing);
  tcase_add_test(tc, patch_refused_by_role);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
