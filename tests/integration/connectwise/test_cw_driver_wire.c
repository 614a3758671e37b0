/* SPDX-License-Identifier: MIT */
/*
 * test_cw_driver_wire.c — connectwise.so against a scripted HTTP server
 * (tests/support/test_server.h), to see exactly what goes on the wire: the
 * unauthenticated discovery, the Authorization/clientId/Accept headers, the
 * percent-encoded conditions, next pages built on the driver's own query
 * (a next link naming another host is not followed there; page= and pageId=
 * links), and the PATCH of set_quantity with its Content-Type.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_harness.h"
#include "test_server.h"

#define ROOT "/v4_6_release/apis/3.0/"
#define AUTH                                                                   \
  "Basic bHBzYWRlbW8rcHVia2V5OnByaXZrZXk=" /* lpsademo+pubkey:privkey */
#define ACCEPT "application/vnd.connectwise.com+json; version=2025.1"
#define CATALOG                                                                \
  ROOT "procurement/catalog?conditions=identifier%20in%20%28%22LASTPASS-BUS%"  \
       "22%2C%22LASTPASS-MFA%22%29&fields=id%2Cidentifier%2Cdescription%"      \
       "2CinactiveFlag&pageSize=1"

static void push(test_server *s, const char *method, const char *prefix,
                 int status, const char *headers, const char *body) {
  ts_response r = {.status = status, .headers = headers, .body = body};
  ck_assert_int_eq(ts_push(s, method, prefix, &r), 0);
}

static void push_json(test_server *s, const char *prefix, const char *link,
                      const char *body) {
  char headers[1024];
  snprintf(headers, sizeof headers, "Content-Type: application/json%s%s",
           link ? "\nLink: " : "", link ? link : "");
  push(s, "GET", prefix, 200, headers, body);
}

static void open_against(cw_harness *h, test_server *s) {
  /* One record per page, so that the scripted pages below are full: only
   * the last page of a list may be short. */
  const char *kv[] = {"site", ts_url(s), "page_size", "1", NULL};
  ck_assert_msg(cwh_open(h, kv) == LPSA_OK, "%s", h->err);
}

START_TEST(snapshot_on_the_wire) {
  test_server *s = ts_start();
  ck_assert_ptr_nonnull(s);
  cw_harness h;
  cwh_start_bare(&h);
  open_against(&h, s);
  push_json(s, "/login/companyinfo/", NULL,
            "{\"CompanyName\":\"Demo\",\"Codebase\":\"v4_6_release/\"}");
  /* Page 1 of the catalog links page 2 on ANOTHER host and without our
   * conditions: the driver must ask us, with its own query. */
  push_json(s, ROOT "procurement/catalog",
            "<https://elsewhere.invalid/x/catalog?page=2>; rel=\"next\", "
            "<https://elsewhere.invalid/x/catalog?page=2>; rel=\"last\"",
            "[{\"id\":700,\"identifier\":\"LASTPASS-BUS\"}]");
  push_json(s, ROOT "procurement/catalog",
            "<https://elsewhere.invalid/x/catalog?page=1>; rel=\"first\"",
            "[{\"id\":701,\"identifier\":\"LASTPASS-MFA\"}]");
  /* Whether a status is inactive is the status list's inactiveFlag. */
  push_json(s, ROOT "company/companies/statuses", NULL,
            "[{\"id\":1,\"name\":\"Active\",\"inactiveFlag\":false}]");
  push_json(s, ROOT "company/companies", NULL,
            "[{\"id\":1000,\"name\":\"A & B\",\"status\":{\"id\":1}}]");
  push_json(s, ROOT "finance/agreements", NULL,
            "[{\"id\":5000,\"company\":{\"id\":1000},"
            "\"agreementStatus\":\"Active\",\"cancelledFlag\":false}]");
  /* Additions: a forward-only style pageId link. */
  push_json(s, ROOT "finance/agreements/5000/additions",
            "<http://127.0.0.1/x?pageId=9000>; rel=\"next\"",
            "[{\"id\":9000,\"product\":{\"id\":700},\"quantity\":3}]");
  push_json(s, ROOT "finance/agreements/5000/additions", NULL,
            "[{\"id\":9001,\"product\":{\"id\":701},\"quantity\":2,"
            "\"cancelledDate\":null}]");

  const lpsa_product_ref products[] = {{LPSA_SKU_LASTPASS, "LASTPASS-BUS"},
                                       {LPSA_SKU_LASTPASS_MFA, "LASTPASS-MFA"}};
  const char *const ids[] = {"1000"};
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  req.company_ids = ids;
  req.n_company_ids = 1;
  req.as_of = "2026-11-15";
  lpsa_snapshot *snap;
  int rc = cwh_snapshot(&h, &req, &snap);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(snap->n_lines, 2);
  ck_assert_int_eq(snap->lines[cwh_line(snap, "9001")].product, 1);
  ck_assert_str_eq(snap->companies[0].name, "A & B");
  snapshot_free(snap);

  ck_assert_uint_eq(ts_request_count(s), 8);
  const ts_request *r = ts_request_at(s, 0);
  ck_assert_str_eq(r->target, "/login/companyinfo/lpsademo");
  ck_assert_ptr_null(ts_request_header(r, "Authorization"));
  r = ts_request_at(s, 1);
  ck_assert_str_eq(r->target, CATALOG);
  ck_assert_str_eq(ts_request_header(r, "Authorization"), AUTH);
  ck_assert_str_eq(ts_request_header(r, "clientId"),
                   "3f1c2b9e-0000-4000-8000-00000000c11d");
  ck_assert_str_eq(ts_request_header(r, "Accept"), ACCEPT);
  ck_assert_str_eq(ts_request_at(s, 2)->target, CATALOG "&page=2");
  ck_assert_str_eq(ts_request_at(s, 3)->target,
                   ROOT "company/companies/statuses?fields=id%2Cname%2C"
                        "inactiveFlag&pageSize=1");
  ck_assert_str_eq(ts_request_at(s, 4)->target,
                   ROOT "company/companies?conditions=id%20in%20%281000%29"
                        "&fields=id%2Cidentifier%2Cname%2CdeletedFlag%2C"
                        "status%2Fid%2Cstatus%2Fname&pageSize=1");
  ck_assert_str_eq(
      ts_request_at(s, 5)->target,
      ROOT "finance/agreements?conditions=company%2Fid%20in%20%281000%29%20"
           "and%20agreementStatus%3D%22Active%22%20and%20cancelledFlag%3D"
           "false&fields=id%2Cname%2Ctype%2Fname%2Ccompany%2Fid%2C"
           "agreementStatus%2CcancelledFlag%2CprorateFlag&pageSize=1");
  const char *additions =
      ROOT "finance/agreements/5000/additions?conditions=product%2Fid%20in%20"
           "%28700%2C701%29%20and%20%28cancelledDate%3Dnull%20or%20"
           "cancelledDate%3E%5B2026-11-15T00%3A00%3A00Z%5D%29&fields=id%2C"
           "product%2Fid%2Cproduct%2Fidentifier%2Cquantity%2CcancelledDate%2C"
           "description&pageSize=1";
  ck_assert_str_eq(ts_request_at(s, 6)->target, additions);
  char page2[1024];
  snprintf(page2, sizeof page2, "%s&pageId=9000", additions);
  ck_assert_str_eq(ts_request_at(s, 7)->target, page2);
  cwh_stop(&h);
  ts_stop(s);
}
END_TEST

START_TEST(set_quantity_on_the_wire) {
  test_server *s = ts_start();
  ck_assert_ptr_nonnull(s);
  cw_harness h;
  cwh_start_bare(&h);
  open_against(&h, s);
  push_json(s, "/login/companyinfo/", NULL, "{\"Codebase\":\"v4_6_release\"}");
  const char *add = ROOT "finance/agreements/5000/additions/9000";
  push_json(s, add, NULL,
            "{\"id\":9000,\"agreementId\":5000,\"product\":{\"id\":700},"
            "\"quantity\":3,\"effectiveDate\":\"2026-01-01T00:00:00Z\"}");
  push(s, "PATCH", add, 200, "Content-Type: application/json",
       "{\"id\":9000,\"agreementId\":5000,\"product\":{\"id\":700},"
       "\"quantity\":5}");
  lpsa_line_ref line = LPSA_INIT(lpsa_line_ref);
  line.agreement_id = "5000";
  line.line_id = "9000";
  line.product_id = "700";
  line.as_of = "2026-11-15";
  lpsa_set_result out = LPSA_INIT(lpsa_set_result);
  int rc = h.drv.desc->set_quantity(h.ctx, &line, 5, &out, h.err, sizeof h.err);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_int_eq(out.before, 3);
  ck_assert_int_eq(out.after, 5);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.verified, 1); /* read back from the PATCH answer */
  ck_assert_uint_eq(ts_request_count(s), 3);
  const ts_request *get = ts_request_at(s, 1);
  ck_assert_str_eq(get->method, "GET");
  ck_assert_str_eq(get->target, add);
  ck_assert_ptr_null(ts_request_header(get, "Content-Type"));
  const ts_request *patch = ts_request_at(s, 2);
  ck_assert_str_eq(patch->method, "PATCH");
  ck_assert_str_eq(patch->target, add);
  ck_assert_str_eq(patch->body,
                   "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":5}]");
  ck_assert_str_eq(ts_request_header(patch, "Content-Type"),
                   "application/json");
  ck_assert_str_eq(ts_request_header(patch, "Authorization"), AUTH);

  /* The server accepts but its answer still shows the old quantity: it
   * did not apply the change (verified: the host never retries it blindly).
   */
  push_json(s, add, NULL,
            "{\"id\":9000,\"product\":{\"id\":700},\"quantity\":3}");
  push(s, "PATCH", add, 200, "Content-Type: application/json",
       "{\"id\":9000,\"product\":{\"id\":700},\"quantity\":3}");
  out = LPSA_INIT(lpsa_set_result);
  rc = h.drv.desc->set_quantity(h.ctx, &line, 6, &out, h.err, sizeof h.err);
  ck_assert_int_eq(rc, LPSA_ERR_REMOTE);
  ck_assert_int_eq(out.wrote, 1);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(out.after, 3);
  ck_assert_msg(strstr(h.err, "still shows 3") &&
                    strstr(h.err, "did not apply"),
                "%s", h.err);

  /* Neither the old count nor the target: another writer. */
  push_json(s, add, NULL,
            "{\"id\":9000,\"product\":{\"id\":700},\"quantity\":3}");
  push(s, "PATCH", add, 200, "Content-Type: application/json",
       "{\"id\":9000,\"product\":{\"id\":700},\"quantity\":11}");
  out = LPSA_INIT(lpsa_set_result);
  rc = h.drv.desc->set_quantity(h.ctx, &line, 6, &out, h.err, sizeof h.err);
  ck_assert_int_eq(rc, LPSA_ERR_CONFLICT);
  ck_assert_int_eq(out.verified, 1);
  ck_assert_int_eq(out.after, 11);
  ck_assert_msg(strstr(h.err, "quantity 11 on addition 9000") &&
                    strstr(h.err, "from 3 to 6") &&
                    strstr(h.err, "another writer appears active"),
                "%s", h.err);
  cwh_stop(&h);
  ts_stop(s);
}
END_TEST

START_TEST(error_body_becomes_one_line) {
  test_server *s = ts_start();
  ck_assert_ptr_nonnull(s);
  cw_harness h;
  cwh_start_bare(&h);
  const char *kv[] = {"site", ts_url(s), "codebase", "v4_6_release", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  const char *add = ROOT "finance/agreements/5000/additions/9000";
  push_json(s, add, NULL,
            "{\"id\":9000,\"product\":{\"id\":700},\"quantity\":3}");
  push(s, "PATCH", add, 400, "Content-Type: application/json",
       "{\"code\":\"InvalidObject\",\"message\":\"Addition object is "
       "invalid\",\"errors\":[{\"code\":\"InvalidField\",\"message\":"
       "\"Quantity is locked\nby billing\",\"resource\":\"addition\","
       "\"field\":\"quantity\"}]}");
  lpsa_line_ref line = LPSA_INIT(lpsa_line_ref);
  line.agreement_id = "5000";
  line.line_id = "9000";
  line.product_id = "700";
  line.as_of = "2026-11-15";
  lpsa_set_result out = LPSA_INIT(lpsa_set_result);
  int rc = h.drv.desc->set_quantity(h.ctx, &line, 4, &out, h.err, sizeof h.err);
  ck_assert_int_eq(rc, LPSA_ERR_REMOTE);
  ck_assert_str_eq(h.err, "ConnectWise answered 400 Bad Request to PATCH "
                          "finance/agreements/5000/additions/9000: Addition "
                          "object is invalid (quantity: Quantity is locked by "
                          "billing)");
  ck_assert_int_eq(out.wrote, 0);
  /* A configured codebase: no discovery at all. */
  ck_assert_uint_eq(ts_count(s, "/login/"), 0);
  cwh_stop(&h);
  ts_stop(s);
}
END_TEST

START_TEST(open_checks_values_and_stays_offline) {
  test_server *s = ts_start();
  ck_assert_ptr_nonnull(s);
  cw_harness h;
  cwh_start_bare(&h);
  /* ConnectWise's own rules; an empty required key and a site that is not
   * https:// are the host's to refuse (config_keys' flags), before open(). */
  const char *const bad[][2] = {
      {"page_size", "0"},
      {"page_size", "1001"},
      {"page_size", "ten"},
      {"codebase", "../etc/"},
      {"agreement_type", "a\nb"},
      {"api_version", "2025.1; x"},
      {"site", "https://x.invalid/?q"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    const char *kv[] = {"site", ts_url(s), bad[i][0], bad[i][1], NULL};
    ck_assert_msg(cwh_open(&h, kv) == LPSA_ERR_INVALID, "accepted %s=%s",
                  bad[i][0], bad[i][1]);
    ck_assert_ptr_null(h.ctx);
    ck_assert_msg(strstr(h.err, bad[i][0]) != NULL, "\"%s\" does not name %s",
                  h.err, bad[i][0]);
  }
  const char *good[] = {"site",           ts_url(s),          "page_size",
                        "1000",           "codebase",         "/v4_6_release",
                        "agreement_type", "Managed Services", NULL};
  ck_assert_msg(cwh_open(&h, good) == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(ts_request_count(s), 0);
  cwh_stop(&h);
  ts_stop(s);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_driver_wire");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, snapshot_on_the_wire);
  tcase_add_test(tc, set_quantity_on_the_wire);
  tcase_add_test(tc, error_body_becomes_one_line);
  tcase_add_test(tc, open_checks_values_and_stays_offline);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
