/* SPDX-License-Identifier: MIT */
/*
 * test_at_driver_snapshot.c — autotask.so against autotask-sim on a small
 * fixture with odd names: services by name (any case), by id and not found;
 * a quarterly contract with a mid-month start; a contract starting on the
 * 31st; future and ended contracts (PERIOD_MISSING); an inactive company; a
 * mid-period adjustment (a current period and a MID_PERIOD note); an
 * unmapped company billing LastPass (orphan); dates with and without Z,
 * with milliseconds and with offsets east and west of UTC; the zone URL
 * with and without trailing slash; check().
 */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_harness.h"

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "lastpass business"}, /* case differs */
    {LPSA_SKU_LASTPASS_MFA, "LastPass \"Business\" + MFA & Co/Ünï\\x"},
    {LPSA_SKU_LASTPASS, "103"}, /* by id */
    {LPSA_SKU_LASTPASS_MFA, "No Such Service"},
};
static const char *const companies[] = {"1001", "1002", "1003", "1004", "1005",
                                        "1006", "1007", "1008", "99999"};

static lpsa_snapshot_request request(void) {
  lpsa_snapshot_request r = LPSA_INIT(lpsa_snapshot_request);
  r.products = products;
  r.n_products = 4;
  r.company_ids = companies;
  r.n_company_ids = sizeof companies / sizeof companies[0];
  r.as_of = "2026-11-15";
  return r;
}

static void expect_current(const lpsa_snapshot *s, const char *id,
                           const char *company, const char *start,
                           const char *end) {
  const snap_agreement *a = at_agreement(s, id);
  ck_assert_msg(a != NULL, "contract %s not emitted", id);
  ck_assert_str_eq(s->companies[a->company].id, company);
  ck_assert_msg(a->period == LPSA_PERIOD_CURRENT, "contract %s: %s", id,
                a->note ? a->note : "");
  ck_assert_str_eq(a->period_start, start);
  ck_assert_str_eq(a->period_end, end);
  ck_assert_int_eq(a->prorate, 0);
}

/* The one note of `kind` about line `line`, or NULL. */
static const snap_note *note_of(const lpsa_snapshot *s, lpsa_note_kind kind,
                                const char *line) {
  const snap_note *found = NULL;
  for (size_t i = 0; i < s->n_notes; i++)
    if (s->notes[i].kind == kind && s->notes[i].line_id &&
        strcmp(s->notes[i].line_id, line) == 0) {
      ck_assert_msg(!found, "two notes about line %s", line);
      found = &s->notes[i];
    }
  return found;
}

static void expect_line(const lpsa_snapshot *s, const char *id,
                        const char *contract, size_t product, long long qty) {
  const snap_line *l = at_line(s, id);
  ck_assert_msg(l != NULL, "line %s not emitted", id);
  ck_assert_str_eq(s->agreements[l->agreement].id, contract);
  ck_assert_uint_eq(l->product, product);
  ck_assert_int_eq(l->quantity, qty);
}

START_TEST(snapshot_of_odd_fixture) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  char err[512];
  int rc = at_snapshot_run(&h, &req, &s, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "%s", err);

  /* Products. */
  ck_assert(s->products[0].found);
  ck_assert_str_eq(s->products[0].psa_id, "101");
  ck_assert(s->products[1].found);
  ck_assert_str_eq(s->products[1].psa_id, "102");
  ck_assert_str_eq(s->products[1].label,
                   "LastPass \"Business\" + MFA & Co/Ünï\\x");
  ck_assert(s->products[2].found);
  ck_assert_str_eq(s->products[2].psa_id, "103");
  ck_assert(!s->products[3].found);

  /* Companies: the mapped ones that exist, plus the orphan. */
  ck_assert_uint_eq(s->n_companies, 9);
  ck_assert_ptr_null(at_company(s, "99999"));
  ck_assert_str_eq(at_company(s, "1002")->name, "Ünïcode GmbH \"quoted\"");
  ck_assert_int_eq(at_company(s, "1007")->active, 0);
  ck_assert_int_eq(at_company(s, "1001")->active, 1);
  ck_assert_ptr_nonnull(at_company(s, "5000"));

  /* Contracts and their periods. */
  ck_assert_uint_eq(s->n_agreements, 9);
  expect_current(s, "2001", "1001", "2026-11-01", "2026-11-30");
  expect_current(s, "2002", "1002", "2026-11-10", "2026-12-09");
  expect_current(s, "2003", "1003", "2026-11-14", "2027-02-13");
  expect_current(s, "2004", "1004", "2026-10-31", "2026-11-29");
  expect_current(s, "2007", "1007", "2026-11-01", "2026-11-30");
  /* Adjusted on Nov 12, inside the period that began Nov 5: still that
   * period (an adjustment at its start reaches today's row), said in a
   * note. */
  expect_current(s, "2008", "1008", "2026-11-05", "2026-12-04");
  const snap_note *mid = note_of(s, LPSA_NOTE_MID_PERIOD, "3008");
  ck_assert_ptr_nonnull(mid);
  ck_assert_str_eq(s->companies[mid->company].id, "1008");
  ck_assert_str_eq(s->agreements[mid->agreement].id, "2008");
  ck_assert_str_eq(mid->message,
                   "contract 2008 was adjusted on 2026-11-12 within the "
                   "current billing period (2026-11-05 to 2026-12-04): the "
                   "change is posted effective 2026-11-05 and Autotask adds "
                   "it to every units row of contract service 3008 from then "
                   "on; the slice before 2026-11-12 keeps its own count");
  ck_assert_uint_eq(s->n_notes, 1);
  expect_current(s, "2009", "5000", "2026-11-01", "2026-11-30");
  ck_assert_str_eq(at_agreement(s, "2001")->type, "Recurring Service");
  ck_assert_str_eq(at_agreement(s, "2001")->name, "Acme recurring");
  const snap_agreement *future = at_agreement(s, "2005");
  ck_assert_int_eq(future->period, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(future->note, "starts on 2027-01-01"));
  const snap_agreement *ended = at_agreement(s, "2006");
  ck_assert_int_eq(ended->period, LPSA_PERIOD_MISSING);
  ck_assert_ptr_nonnull(strstr(ended->note, "ended on 2025-12-31"));
  ck_assert_ptr_null(at_agreement(s, "2010")); /* not recurring */
  ck_assert_ptr_null(at_agreement(s, "2011")); /* inactive */

  /* Lines: units of the row covering as_of. */
  ck_assert_uint_eq(s->n_lines, 9);
  expect_line(s, "3001", "2001", 0, 10);
  expect_line(s, "3002", "2002", 1, 7);
  expect_line(s, "3003", "2003", 2, 20);
  expect_line(s, "3004", "2004", 0, 4);
  expect_line(s, "3005", "2005", 0, 0);
  expect_line(s, "3007", "2007", 0, 1);
  expect_line(s, "3008", "2008", 0, 8);
  expect_line(s, "3009", "2009", 0, 6);
  ck_assert_ptr_null(at_line(s, "3012")); /* unmapped service */

  /* Every request carried the entity group: never more than 3 at once. */
  json_object *st = simproc_stats(&h.sim);
  ck_assert_ptr_nonnull(st);
  json_object *eps;
  ck_assert(json_object_object_get_ex(st, "endpoints", &eps));
  json_object_object_foreach(eps, key, val) {
    json_object *m;
    ck_assert(json_object_object_get_ex(val, "max_inflight", &m));
    ck_assert_msg(json_object_get_int(m) <= 3, "%s: %d in flight", key,
                  json_object_get_int(m));
  }
  json_object_put(st);
  /* Queries are POSTs; open() made no request; nothing was written. */
  ck_assert_int_eq(at_log_count(&h, "POST", "ContractServiceAdjustments"), 0);
  ck_assert_int_ge(at_log_count(&h, "POST", "/query"), 5);
  snapshot_free(s);
  at_stop(&h);
}
END_TEST

/* The simulator's own fixture (tests/sim/autotask/fixtures/small.json), as
 * its README describes it: the driver and the simulator agree. */
START_TEST(simulator_small_fixture) {
  static const lpsa_product_ref p[] = {
      {LPSA_SKU_LASTPASS, "LastPass Business"},
      {LPSA_SKU_LASTPASS_MFA, "LastPass Business + MFA"},
      {LPSA_SKU_LASTPASS, "LastPass Business Quarterly"}};
  static const char *const ids[] = {"1000", "1001", "1002", "1003", "1004",
                                    "1005", "1006", "1007", "1008", "1009",
                                    "1010", "1011", "1012"};
  char path[1024];
  const char *src = getenv("LPSA_SOURCE_DIR");
  ck_assert_ptr_nonnull(src);
  snprintf(path, sizeof path, "%s/tests/sim/autotask/fixtures/small.json", src);
  at_harness h;
  const char *args[] = {"--fixture", path, NULL};
  at_start(&h, args, NULL);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = p;
  req.n_products = 3;
  req.company_ids = ids;
  req.n_company_ids = 13;
  req.as_of = "2026-11-15";
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_eq(s->n_companies, 13);
  ck_assert_int_eq(at_company(s, "1012")->active, 0);
  expect_current(s, "2001", "1000", "2026-11-01", "2026-11-30");
  expect_line(s, "5001", "2001", 0, 12);
  expect_current(s, "2002", "1001", "2026-10-31", "2026-11-29");
  expect_line(s, "5003", "2002", 1, 25);
  expect_line(s, "5004", "2003", 0, 5);
  expect_line(s, "5005", "2003", 1, 3);
  ck_assert_ptr_nonnull(at_agreement(s, "2004"));
  ck_assert_ptr_nonnull(at_agreement(s, "2005"));
  ck_assert_ptr_null(at_agreement(s, "2006")); /* inactive */
  ck_assert_int_eq(at_agreement(s, "2008")->period, LPSA_PERIOD_MISSING);
  ck_assert_int_eq(at_agreement(s, "2009")->period, LPSA_PERIOD_MISSING);
  expect_current(s, "2010", "1008", "2026-09-20", "2026-12-19");
  ck_assert_ptr_nonnull(at_line(s, "5011"));
  ck_assert_uint_eq(at_line(s, "5011")->product, 2);
  /* Adjusted on Nov 3, inside the period that began Nov 1: synced. */
  expect_current(s, "2012", "1010", "2026-11-01", "2026-11-30");
  expect_line(s, "5013", "2012", 0, 10);
  ck_assert_ptr_nonnull(note_of(s, LPSA_NOTE_MID_PERIOD, "5013"));
  ck_assert_uint_eq(s->n_notes, 1);
  ck_assert_ptr_null(at_line(s, "5012")); /* Managed Backup only */
  snapshot_free(s);
  at_stop(&h);
}
END_TEST

/* Dates without Z, with milliseconds and with offsets read the same: the
 * calendar day written (read as an instant, a midnight at +02:00 would be
 * the day before). */
START_TEST(date_styles) {
  static const char *const styles[] = {"plain", "millis", "east", "west"};
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), "--date-format",
                        styles[_i], NULL};
  at_start(&h, args, NULL);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  expect_current(s, "2001", "1001", "2026-11-01", "2026-11-30");
  expect_current(s, "2004", "1004", "2026-10-31", "2026-11-29");
  expect_current(s, "2003", "1003", "2026-11-14", "2027-02-13");
  expect_current(s, "2008", "1008", "2026-11-05", "2026-12-04");
  ck_assert_ptr_nonnull(note_of(s, LPSA_NOTE_MID_PERIOD, "3008"));
  ck_assert_int_eq(at_agreement(s, "2005")->period, LPSA_PERIOD_MISSING);
  ck_assert_int_eq(at_agreement(s, "2006")->period, LPSA_PERIOD_MISSING);
  expect_line(s, "3008", "2008", 0, 8);
  expect_line(s, "3001", "2001", 0, 10);
  snapshot_free(s);
  at_stop(&h);
}
END_TEST

START_TEST(pinned_and_companies_only) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  /* open() touched nothing. */
  ck_assert_int_eq(at_log_count(&h, "GET", "zoneInformation"), 0);
  lpsa_snapshot_request req = request();
  const char *pinned[] = {"2010"}; /* a T&M contract, pinned */
  req.agreement_ids = pinned;
  req.n_agreement_ids = 1;
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_ptr_nonnull(at_agreement(s, "2010"));
  ck_assert_ptr_nonnull(at_line(s, "3010"));
  snapshot_free(s);
  /* The zone is looked up once per instance. */
  ck_assert_int_eq(at_log_count(&h, "GET", "zoneInformation"), 1);

  req.flags = LPSA_SNAPSHOT_COMPANIES_ONLY | LPSA_SNAPSHOT_ALL_COMPANIES;
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_eq(s->n_companies, 9);
  ck_assert_uint_eq(s->n_agreements, 0);
  snapshot_free(s);
  at_stop(&h);
}
END_TEST

START_TEST(zone_without_slash_and_configured) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"),
                        "--zone-url-no-slash", NULL};
  at_start(&h, args, NULL);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_eq(s->n_lines, 9);
  snapshot_free(s);
  /* zone_url configured, with a trailing slash: no lookup at all. */
  char zone[160];
  snprintf(zone, sizeof zone, "%s/atservicesrest/", h.sim.base_url);
  const char *kv[] = {"zone_url", zone,      "username",         AT_USER,
                      "secret",   AT_SECRET, "integration_code", AT_CODE,
                      NULL};
  ck_assert_msg(at_reopen(&h, kv, err, sizeof err) == LPSA_OK, "%s", err);
  simproc_clear_log(&h.sim);
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_eq(s->n_lines, 9);
  snapshot_free(s);
  ck_assert_int_eq(at_log_count(&h, "GET", "zoneInformation"), 0);
  at_stop(&h);
}
END_TEST

START_TEST(bad_credentials_and_unknown_user) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  char err[512], url[160];
  snprintf(url, sizeof url, "%s/atservicesrest", h.sim.base_url);
  const char *wrong[] = {
      "zone_lookup_url",  url,     "username", AT_USER, "secret", "nope",
      "integration_code", AT_CODE, NULL};
  ck_assert_int_eq(at_reopen(&h, wrong, err, sizeof err), LPSA_OK);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  ck_assert_int_eq(at_snapshot_run(&h, &req, &s, err, sizeof err),
                   LPSA_ERR_AUTH);
  ck_assert_ptr_nonnull(strstr(err, "Autotask rejected the API user: check "
                                    "username, secret and integration_code"));
  snapshot_free(s);
  const char *nouser[] = {"zone_lookup_url",     url,      "username",
                          "nobody@else.example", "secret", AT_SECRET,
                          "integration_code",    AT_CODE,  NULL};
  ck_assert_int_eq(at_reopen(&h, nouser, err, sizeof err), LPSA_OK);
  ck_assert_int_eq(at_snapshot_run(&h, &req, &s, err, sizeof err),
                   LPSA_ERR_AUTH);
  ck_assert_ptr_nonnull(strstr(err, "zone lookup does not know"));
  snapshot_free(s);
  at_stop(&h);
}
END_TEST

START_TEST(check_lists_every_item) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  const char *extra[] = {"contract_category", "Managed Services", NULL};
  at_start(&h, args, extra);
  char err[512];
  ck_assert_msg(h.drv.desc->check(h.ctx, err, sizeof err) == LPSA_OK, "%s",
                err);
  int budget = 0, reads = 0;
  for (int i = 0; i < h.n_checks; i++) {
    ck_assert_msg(h.checks[i].ok, "%s: %s", h.checks[i].what,
                  h.checks[i].detail);
    if (strstr(h.checks[i].detail, "API budget: ") &&
        strstr(h.checks[i].detail, "of 10000 requests used in the current "
                                   "60-minute window"))
      budget++;
    if (strncmp(h.checks[i].what, "read ", 5) == 0)
      reads++;
  }
  ck_assert_int_eq(budget, 1);
  ck_assert_int_eq(reads, 5);
  at_stop(&h);
}
END_TEST

START_TEST(permission_denied_is_named) {
  at_harness h;
  /* The fixture plus a denial, through the sim's state API. */
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  json_object *state = simproc_get_state(&h.sim);
  ck_assert_ptr_nonnull(state);
  json_object *denied = json_object_new_array();
  json_object_array_add(denied, json_object_new_string("ContractServiceUnits"));
  json_object_object_add(state, "denied", denied);
  ck_assert_int_eq(simproc_put_state(&h.sim, json_object_to_json_string(state)),
                   0);
  json_object_put(state);
  lpsa_snapshot_request req = request();
  lpsa_snapshot *s;
  char err[512];
  ck_assert_int_eq(at_snapshot_run(&h, &req, &s, err, sizeof err),
                   LPSA_ERR_PERMISSION);
  ck_assert_ptr_nonnull(strstr(err, "adequate permissions"));
  ck_assert_ptr_nonnull(strstr(err, "ContractServiceUnits"));
  snapshot_free(s);
  h.n_checks = 0;
  ck_assert_int_eq(h.drv.desc->check(h.ctx, err, sizeof err),
                   LPSA_ERR_PERMISSION);
  int failed = 0;
  for (int i = 0; i < h.n_checks; i++)
    if (!h.checks[i].ok) {
      failed++;
      ck_assert_str_eq(h.checks[i].what, "read ContractServiceUnits");
    }
  ck_assert_int_eq(failed, 1);
  at_stop(&h);
}
END_TEST

/* The driver tells the host about single bad records through add_note
 * (ABI 1.1): a 1.0 host, without it, is refused at open(), plainly. */
START_TEST(abi_10_host_refused) {
  at_harness h;
  const char *args[] = {"--fixture", at_fixture("odd.json"), NULL};
  at_start(&h, args, NULL);
  lpsa_host_api old = *host_api();
  old.abi_minor = 0;
  old.struct_size = offsetof(lpsa_host_api, add_note);
  lpsa_config_value cfg[] = {{"zone_lookup_url", h.lookup_url, 0},
                             {"username", AT_USER, 0},
                             {"secret", AT_SECRET, 0},
                             {"integration_code", AT_CODE, 0}};
  lpsa_driver_ctx *ctx = NULL;
  char err[512];
  ck_assert_int_eq(
      h.drv.desc->open(&old, &h.host, cfg, 4, &ctx, err, sizeof err),
      LPSA_ERR_UNSUPPORTED);
  ck_assert_ptr_null(ctx);
  ck_assert_ptr_nonnull(strstr(err, "ABI 1.0"));
  ck_assert_ptr_nonnull(strstr(err, "add_note"));
  at_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("autotask driver snapshot");
  TCase *tc = tcase_create("sim");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, snapshot_of_odd_fixture);
  tcase_add_test(tc, simulator_small_fixture);
  tcase_add_loop_test(tc, date_styles, 0, 4);
  tcase_add_test(tc, pinned_and_companies_only);
  tcase_add_test(tc, zone_without_slash_and_configured);
  tcase_add_test(tc, bad_credentials_and_unknown_user);
  tcase_add_test(tc, check_lists_every_item);
  tcase_add_test(tc, permission_denied_is_named);
  tcase_add_test(tc, abi_10_host_refused);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
