/* SPDX-License-Identifier: MIT */
/*
 * test_cwdrv_records.c — the ConnectWise driver's record parsers: wrong types
 * and missing fields are refused, fractional quantities round, cancelled
 * dates in the past/future/null, companyinfo answers, error documents.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_base64.h"
#include "cw_error.h"
#include "cw_idset.h"
#include "cw_json.h"
#include "lpsa/status.h"

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_ptr_nonnull(o);
  return o;
}

START_TEST(company_ok_and_status) {
  char err[256];
  cw_company_rec r;
  json_object *o = parse("{\"id\":250,\"identifier\":\"Acme\",\"name\":"
                         "\"Acme & O'Brien \",\"deletedFlag\":false,"
                         "\"status\":{\"id\":6,\"name\":\"Former Client\"}}");
  ck_assert_int_eq(cw_company_from_json(o, &r, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(r.id, 250);
  ck_assert_str_eq(r.name, "Acme & O'Brien ");
  /* the status is a reference: its id decides, through the status list */
  ck_assert_int_eq(r.status_id, 6);
  ck_assert_str_eq(r.status, "Former Client");
  ck_assert_int_eq(r.deleted, 0);
  json_object_put(o);
  o = parse("{\"id\":1,\"status\":null,\"name\":null,\"deletedFlag\":true}");
  ck_assert_int_eq(cw_company_from_json(o, &r, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(r.status_id, 0);
  ck_assert_int_eq(r.deleted, 1);
  ck_assert_ptr_null(r.name);
  json_object_put(o);
  cw_status_rec st;
  o = parse("{\"id\":6,\"name\":\"Former Client\",\"inactiveFlag\":true}");
  ck_assert_int_eq(cw_status_from_json(o, &st, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(st.id, 6);
  ck_assert_int_eq(st.inactive, 1);
  json_object_put(o);
  o = parse("{\"id\":7,\"name\":\"Inactive-looking name\"}");
  ck_assert_int_eq(cw_status_from_json(o, &st, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(st.inactive, 0); /* the flag, never the name */
  json_object_put(o);
}
END_TEST

/* ids past int64 are refused, never clamped to 9223372036854775807 */
START_TEST(ids_beyond_int64) {
  char err[256];
  cw_company_rec r;
  json_object *o = parse("{\"id\":9223372036854775807}");
  ck_assert_int_eq(cw_company_from_json(o, &r, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(r.id, 9223372036854775807LL);
  json_object_put(o);
  const char *big[] = {"{\"id\":9223372036854775808}",
                       "{\"id\":18446744073709551616}",
                       "{\"id\":99999999999999999999999}",
                       "{\"id\":1,\"status\":{\"id\":9223372036854775808}}"};
  for (size_t i = 0; i < 4; i++) {
    o = parse(big[i]);
    ck_assert_int_eq(cw_company_from_json(o, &r, err, sizeof err),
                     LPSA_ERR_PROTOCOL);
    ck_assert_msg(strstr(err, "beyond the largest id"), "%s", err);
    json_object_put(o);
  }
  o = parse("{\"id\":5,\"company\":{\"id\":9223372036854775808}}");
  cw_agreement_rec a;
  ck_assert_int_eq(cw_agreement_from_json(o, &a, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  ck_assert_ptr_nonnull(strstr(err, "\"company/id\" as 9223372036854775808"));
  json_object_put(o);
  long long v;
  o = parse("9223372036854775808");
  ck_assert_int_eq(cw_json_int64(o, &v), -2);
  json_object_put(o);
  o = parse("-5");
  ck_assert_int_eq(cw_json_int64(o, &v), 0);
  ck_assert_int_eq(v, -5);
  json_object_put(o);
  o = parse("5.0");
  ck_assert_int_eq(cw_json_int64(o, &v), -1);
  json_object_put(o);
}
END_TEST

static void expect_refused(int (*fn)(json_object *, void *, char *, size_t),
                           const char *text, const char *word) {
  char err[256] = "";
  char rec[256];
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(fn(o, rec, err, sizeof err) == LPSA_ERR_PROTOCOL, "accepted %s",
                text);
  ck_assert_msg(strstr(err, word) != NULL, "message \"%s\" lacks \"%s\"", err,
                word);
  json_object_put(o);
}

static int company_fn(json_object *o, void *r, char *e, size_t n) {
  return cw_company_from_json(o, r, e, n);
}
static int agreement_fn(json_object *o, void *r, char *e, size_t n) {
  return cw_agreement_from_json(o, r, e, n);
}
static int addition_fn(json_object *o, void *r, char *e, size_t n) {
  return cw_addition_from_json(o, r, e, n);
}
static int catalog_fn(json_object *o, void *r, char *e, size_t n) {
  return cw_catalog_from_json(o, r, e, n);
}

START_TEST(wrong_types_and_missing_fields) {
  expect_refused(company_fn, "{\"name\":\"x\"}", "\"id\"");
  expect_refused(company_fn, "{\"id\":\"250\"}", "a string");
  expect_refused(company_fn, "{\"id\":2.5}", "fractional");
  expect_refused(company_fn, "{\"id\":0}", "positive");
  expect_refused(company_fn, "{\"id\":-4}", "positive");
  expect_refused(company_fn, "{\"id\":1,\"deletedFlag\":\"no\"}",
                 "deletedFlag");
  expect_refused(company_fn, "{\"id\":1,\"name\":12}", "name");
  expect_refused(company_fn, "[1]", "company");
  expect_refused(company_fn, "null", "company");
  expect_refused(agreement_fn, "{\"id\":5}", "company");
  expect_refused(agreement_fn, "{\"id\":5,\"company\":{\"id\":\"9\"}}",
                 "company/id");
  expect_refused(agreement_fn,
                 "{\"id\":5,\"company\":{\"id\":9},\"prorateFlag\":1}",
                 "prorateFlag");
  expect_refused(addition_fn, "{\"id\":5,\"product\":7,\"quantity\":3}",
                 "product");
  expect_refused(addition_fn,
                 "{\"id\":5,\"product\":{\"id\":7},\"quantity\":\"3\"}",
                 "quantity");
  expect_refused(addition_fn,
                 "{\"id\":5,\"product\":{\"id\":7},\"quantity\":true}",
                 "quantity");
  expect_refused(addition_fn,
                 "{\"id\":5,\"product\":{\"id\":7},\"quantity\":1,"
                 "\"cancelledDate\":5}",
                 "cancelledDate");
  expect_refused(addition_fn, "{\"product\":{\"id\":7},\"quantity\":1}",
                 "\"id\"");
  expect_refused(catalog_fn, "{\"id\":5}", "identifier");
  expect_refused(catalog_fn,
                 "{\"id\":5,\"identifier\":\"X\","
                 "\"inactiveFlag\":\"false\"}",
                 "inactiveFlag");
}
END_TEST

START_TEST(agreement_and_catalog_ok) {
  char err[256];
  cw_agreement_rec a;
  json_object *o = parse(
      "{\"id\":77,\"name\":\"Managed\",\"type\":{\"name\":\"MSP\"},"
      "\"company\":{\"id\":250},\"agreementStatus\":\"Active\","
      "\"cancelledFlag\":false,\"prorateFlag\":true,\"parentAgreement\":null}");
  ck_assert_int_eq(cw_agreement_from_json(o, &a, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(a.id, 77);
  ck_assert_int_eq(a.company_id, 250);
  ck_assert_str_eq(a.type, "MSP");
  ck_assert_str_eq(a.status, "Active");
  ck_assert_int_eq(a.prorate, 1);
  ck_assert_int_eq(a.cancelled, 0);
  json_object_put(o);
  cw_catalog_rec c;
  o = parse("{\"id\":3,\"identifier\":\"LP-BUS\",\"inactiveFlag\":true}");
  ck_assert_int_eq(cw_catalog_from_json(o, &c, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(c.identifier, "LP-BUS");
  ck_assert_ptr_null(c.description);
  ck_assert_int_eq(c.inactive, 1);
  json_object_put(o);
}
END_TEST

static cw_qty qty_of(const char *json) {
  cw_qty q;
  json_object *o = json_tokener_parse(json);
  ck_assert_int_eq(cw_qty_read(o, &q), LPSA_OK);
  json_object_put(o);
  return q;
}

START_TEST(addition_ok_and_exact_quantities) {
  char err[256];
  cw_addition_rec r;
  json_object *o =
      parse("{\"id\":9,\"product\":{\"id\":3,\"identifier\":\"LP-BUS\"},"
            "\"quantity\":12.5,\"cancelledDate\":null,\"agreementId\":77}");
  ck_assert_int_eq(cw_addition_from_json(o, &r, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(r.product_id, 3);
  ck_assert_int_eq(r.agreement_id, 77);
  ck_assert_ptr_null(r.cancelled_date);
  ck_assert_int_eq(r.quantity.kind, CW_QTY_FRACTION);
  ck_assert_str_eq(r.quantity.text, "12.5");
  json_object_put(o);
  /* null and absent quantities, and no product: the caller's problem */
  o = parse("{\"id\":9,\"quantity\":null}");
  ck_assert_int_eq(cw_addition_from_json(o, &r, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(r.quantity.kind, CW_QTY_NULL);
  ck_assert_int_eq(r.product_id, 0);
  json_object_put(o);
  /* exact: never rounded, whatever a double would make of it */
  struct {
    const char *json;
    cw_qty_kind kind;
    long long whole;
  } cases[] = {
      {"33", CW_QTY_WHOLE, 33},
      {"33.0", CW_QTY_WHOLE, 33},
      {"3.3e1", CW_QTY_WHOLE, 33},
      {"330e-1", CW_QTY_WHOLE, 33},
      {"0", CW_QTY_WHOLE, 0},
      {"-0", CW_QTY_WHOLE, 0},
      {"0.000", CW_QTY_WHOLE, 0},
      {"33.4", CW_QTY_FRACTION, 0},
      {"1.55", CW_QTY_FRACTION, 0},
      {"12.0000000000000001", CW_QTY_FRACTION, 0},
      {"3.34e1", CW_QTY_FRACTION, 0},
      {"1e-30", CW_QTY_FRACTION, 0},
      {"-1", CW_QTY_NEGATIVE, 0},
      {"-0.5", CW_QTY_NEGATIVE, 0},
      {"1e300", CW_QTY_TOO_LARGE, 0},
      {"1000000000000001", CW_QTY_TOO_LARGE, 0},
      {"1000000000000000", CW_QTY_WHOLE, 1000000000000000LL},
      {"99999999999999999999999", CW_QTY_TOO_LARGE, 0},
      {"null", CW_QTY_NULL, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    cw_qty q = qty_of(cases[i].json);
    ck_assert_msg(q.kind == cases[i].kind, "%s: kind %d, want %d",
                  cases[i].json, q.kind, cases[i].kind);
    if (q.kind == CW_QTY_WHOLE)
      ck_assert_int_eq(q.whole, cases[i].whole);
  }
  ck_assert_str_eq(qty_of("1.55").text, "1.55");
}
END_TEST

START_TEST(cancelled_dates) {
  const char *day = "2026-11-15";
  ck_assert_int_eq(cw_addition_cancelled(NULL, day), 0);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-01T00:00:00Z", day), 1);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-15T00:00:00Z", day), 1);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-15T00:00:01Z", day), 0);
  ck_assert_int_eq(cw_addition_cancelled("2026-12-01T00:00:00Z", day), 0);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-14T23:00:00-02:00", day), 0);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-14T23:59:59.9Z", day), 1);
  ck_assert_int_eq(cw_addition_cancelled("2026-11-14", day), 1);
  ck_assert_int_eq(cw_addition_cancelled("yesterday", day), -1);
  ck_assert_int_eq(cw_addition_cancelled("2026-13-01T00:00:00Z", day), -1);
  long long t;
  ck_assert_int_eq(cw_parse_timestamp("1970-01-02T00:00:00Z", &t), 0);
  ck_assert_int_eq(t, 86400);
  ck_assert_int_eq(cw_parse_timestamp("2000-03-01T00:00:00+01:00", &t), 0);
  ck_assert_int_eq(t, 951868800 - 3600);
}
END_TEST

START_TEST(bodies) {
  char err[256];
  json_object *o = NULL;
  ck_assert_int_eq(
      cw_json_list("[{\"id\":1}] \n", 12, "x", &o, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(json_object_array_length(o), 1);
  json_object_put(o);
  const char *trunc = "[{\"id\":1},{\"id\":";
  ck_assert_int_eq(cw_json_list(trunc, strlen(trunc), "the company list", &o,
                                err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  ck_assert_ptr_null(o);
  ck_assert_ptr_nonnull(strstr(err, "the company list"));
  ck_assert_int_eq(cw_json_list("{}", 2, "x", &o, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(cw_json_list("", 0, "x", &o, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(cw_json_list("[] []", 5, "x", &o, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(cw_json_object("[]", 2, "x", &o, err, sizeof err),
                   LPSA_ERR_PROTOCOL);
}
END_TEST

START_TEST(companyinfo) {
  char err[256], *cb = NULL;
  int unknown = 0;
  const char *ok = "{\"CompanyName\":\"x\",\"Codebase\":\"v2017_3/\","
                   "\"VersionCode\":\"v2017.3\",\"CompanyID\":\"CW\"}";
  ck_assert_int_eq(
      cw_companyinfo_parse(ok, strlen(ok), &cb, &unknown, err, sizeof err),
      LPSA_OK);
  ck_assert_str_eq(cb, "v2017_3/");
  ck_assert_int_eq(unknown, 0);
  free(cb);
  const char *bare = "{\"Codebase\":\"v4_6_release\"}";
  ck_assert_int_eq(
      cw_companyinfo_parse(bare, strlen(bare), &cb, &unknown, err, sizeof err),
      LPSA_OK);
  ck_assert_str_eq(cb, "v4_6_release/");
  free(cb);
  ck_assert_int_eq(
      cw_companyinfo_parse("null", 4, &cb, &unknown, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(unknown, 1);
  ck_assert_ptr_null(cb);
  const char *odd = "{\"Codebase\":\"../evil/\"}";
  ck_assert_int_eq(
      cw_companyinfo_parse(odd, strlen(odd), &cb, &unknown, err, sizeof err),
      LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(
      cw_companyinfo_parse("{}", 2, &cb, &unknown, err, sizeof err),
      LPSA_ERR_PROTOCOL);
  ck_assert_int_eq(
      cw_companyinfo_parse("<html>", 6, &cb, &unknown, err, sizeof err),
      LPSA_ERR_PROTOCOL);
}
END_TEST

START_TEST(error_documents) {
  char out[512];
  const char *body =
      "{\"code\":\"InvalidObject\",\"message\":\"Addition object is "
      "invalid\",\"errors\":[{\"code\":\"InvalidField\",\"message\":\"must "
      "be positive\",\"resource\":\"addition\",\"field\":\"quantity\"}]}";
  cw_error_message(400, body, strlen(body), "PATCH finance/agreements/5", out,
                   sizeof out);
  ck_assert_str_eq(out, "ConnectWise answered 400 Bad Request to PATCH "
                        "finance/agreements/5: Addition object is invalid "
                        "(quantity: must be positive)");
  cw_error_message(500, "<html><body>oops</body></html>", 30, "GET x", out,
                   sizeof out);
  ck_assert_str_eq(out, "ConnectWise answered 500 Internal Server Error to "
                        "GET x");
  cw_error_message(404, "{\"code\":\"NotFound\",\"message\":\"line\none\"}", 39,
                   "GET y", out, sizeof out);
  ck_assert_str_eq(out,
                   "ConnectWise answered 404 Not Found to GET y: line one");
  cw_error_message(418, "short text", 10, "GET z", out, sizeof out);
  ck_assert_str_eq(out, "ConnectWise answered 418 to GET z: short text");
  ck_assert_int_eq(cw_status_from_http(200), LPSA_OK);
  ck_assert_int_eq(cw_status_from_http(401), LPSA_ERR_AUTH);
  ck_assert_int_eq(cw_status_from_http(403), LPSA_ERR_PERMISSION);
  ck_assert_int_eq(cw_status_from_http(404), LPSA_ERR_NOT_FOUND);
  ck_assert_int_eq(cw_status_from_http(429), LPSA_ERR_RATE_LIMITED);
  ck_assert_int_eq(cw_status_from_http(500), LPSA_ERR_REMOTE);
  ck_assert_int_eq(cw_status_from_http(400), LPSA_ERR_REMOTE);
  ck_assert_int_eq(cw_status_from_http(0), LPSA_ERR_NETWORK);
}
END_TEST

START_TEST(base64_and_idset) {
  char *s = cw_base64((const unsigned char *)"CW+pub:priv", 11);
  ck_assert_str_eq(s, "Q1crcHViOnByaXY=");
  free(s);
  s = cw_base64((const unsigned char *)"ab", 2);
  ck_assert_str_eq(s, "YWI=");
  free(s);
  s = cw_base64((const unsigned char *)"", 0);
  ck_assert_str_eq(s, "");
  free(s);
  cw_idset set;
  cw_idset_init(&set);
  for (long long i = 1; i <= 5000; i++)
    ck_assert_int_eq(cw_idset_add(&set, i * 7919), 1);
  ck_assert_int_eq(cw_idset_add(&set, 7919), 0);
  ck_assert(cw_idset_has(&set, 5000 * 7919LL));
  ck_assert(!cw_idset_has(&set, 3));
  ck_assert_int_eq(cw_idset_add(&set, 0), -1);
  cw_idset_free(&set);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cwdrv_records");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, company_ok_and_status);
  tcase_add_test(tc, ids_beyond_int64);
  tcase_add_test(tc, wrong_types_and_missing_fields);
  tcase_add_test(tc, agreement_and_catalog_ok);
  tcase_add_test(tc, addition_ok_and_exact_quantities);
  tcase_add_test(tc, cancelled_dates);
  tcase_add_test(tc, bodies);
  tcase_add_test(tc, companyinfo);
  tcase_add_test(tc, error_documents);
  tcase_add_test(tc, base64_and_idset);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
