/* SPDX-License-Identifier: MIT */
/*
 * test_at_host_fidelity.c — what a real Autotask tenant does, end to end
 * through lpsa-host and autotask.so against autotask-sim (with
 * lastpass-sim's generated world, through the reliability suites'
 * harness):
 *   - contracts already adjusted within the current period are synced: the
 *     delta is posted at the period start (Autotask adds it to every units
 *     row from then on), reported as MID_PERIOD_ADJUSTED information;
 *   - effectiveDate is the period start's noon without a zone;
 *   - a wrong integration code (Autotask: HTTP 500 "IntegrationCode is
 *     invalid.") is said as such by `check` and by a run;
 *   - the next page of a query is POSTed with its body (no GET, no 405);
 *   - one record that cannot be billed from (units null or fractional, a
 *     contract service without serviceID, a contract without a status)
 *     makes that company an error (BAD_PSA_RECORD); the others are synced;
 *   - ids beyond the 64-bit range are refused, not clamped;
 *   - a verifying read showing neither the old count nor the target names
 *     another writer and every value seen.
 * Expectations come from the simulators' state and log, never from lpsa.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "rel_harness.h"

#define V1 "/atservicesrest/v1.0/"

static const rel_world_opts world = {
    .psa = REL_AUTOTASK, .companies = 20, .seed = 4, .change_pct = 30};

/* Every company row of a report whose rules hold `code`. */
static int companies_with(json_object *report, const char *code) {
  json_object *list = rel_get(report, "companies");
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++)
    n += rel_has_rule(rel_get(json_object_array_get_idx(list, i), "rules"),
                      code);
  return n;
}

/* The message of the first rule `code` of company row `c`, or "". */
static const char *rule_message(json_object *c, const char *code) {
  json_object *rules = rel_get(c, "rules");
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *r = json_object_array_get_idx(rules, i);
    if (strcmp(rel_str(r, "code"), code) == 0)
      return rel_str(r, "message");
  }
  return "";
}

static long long id_of(json_object *o, const char *key) {
  json_object *v = NULL;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

/* The PSA state's units row of contract service `cs` covering REL_TODAY. */
static json_object *row_today(json_object *state, long long cs) {
  json_object *rows = rel_get(state, "contractServiceUnits");
  for (size_t i = 0; i < json_object_array_length(rows); i++) {
    json_object *r = json_object_array_get_idx(rows, i);
    if (id_of(r, "contractServiceID") != cs)
      continue;
    const char *s = rel_str(r, "startDate"), *e = rel_str(r, "endDate");
    if (strncmp(s, REL_TODAY, 10) <= 0 && strncmp(REL_TODAY, e, 10) <= 0)
      return r;
  }
  return NULL;
}

/* The stored item of `key` (companies, contracts, ...) with that id. */
static json_object *item(json_object *state, const char *key, long long id) {
  json_object *list = rel_get(state, key);
  for (size_t i = 0; i < json_object_array_length(list); i++)
    if (id_of(json_object_array_get_idx(list, i), "id") == id)
      return json_object_array_get_idx(list, i);
  return NULL;
}

/* Gives `o` a "wire" member sending `field` as the JSON `value`. */
static void send_broken(json_object *o, const char *field, const char *value) {
  json_object *wire = NULL;
  if (!json_object_object_get_ex(o, "wire", &wire)) {
    wire = json_object_new_object();
    json_object_object_add(o, "wire", wire);
  }
  json_object_object_add(wire, field, json_tokener_parse(value));
}

/* ---- mid-period contracts and the effective date ---------------------- */

START_TEST(mid_period_contracts_are_synced) {
  rel_world w;
  rel_world_start(&w, &world);
  rel_run first, base, r, again;
  rel_host(&w, &first, "--dry-run", NULL);
  /* Nothing is refused for having been adjusted mid-period. */
  ck_assert_msg(companies_with(first.report, "NO_BILLING_PERIOD") == 0,
                "mid-period contracts are still refused: %s", first.out);
  int mid = companies_with(first.report, "MID_PERIOD_ADJUSTED");
  ck_assert_msg(mid >= 2, "the world has %d mid-period contracts", mid);
  /* Give every mid-period company a new seat count, so each one is
   * written. */
  json_object *list = rel_get(first.report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (!rel_has_rule(rel_get(c, "rules"), "MID_PERIOD_ADJUSTED"))
      continue;
    const char *msg = rule_message(c, "MID_PERIOD_ADJUSTED");
    ck_assert_ptr_nonnull(strstr(msg, "within the current billing period"));
    ck_assert_ptr_nonnull(strstr(msg, "Autotask adds it to every units row"));
    ck_assert_ptr_nonnull(strstr(msg, "keeps its own count"));
    ck_assert_str_eq(
        rel_str(json_object_array_get_idx(rel_get(c, "rules"), 0), "severity"),
        "info");
    rel_lp_set_seats(&w, rel_str(c, "lastpass_id"),
                     rel_int(c, "old_quantity") + 3);
  }
  rel_run_free(&first);

  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_eq(base.status, 0);
  int planned_mid = 0;
  list = rel_get(base.report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    planned_mid += rel_has_rule(rel_get(c, "rules"), "MID_PERIOD_ADJUSTED") &&
                   strcmp(rel_str(c, "status"), "planned") == 0;
  }
  ck_assert_int_eq(planned_mid, mid);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);

  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 0, "apply exited %d: %s", r.status, r.err);
  ck_assert_int_eq(rel_count_status(r.report, "updated"),
                   rel_count_status(base.report, "planned"));
  /* Today's units are the targets, each by exactly one adjustment. */
  ck_assert_int_gt(rel_assert_psa_matches(&w, base.report), mid - 1);
  rel_assert_applied_once(&w, base.report);
  /* Every adjustment is effective at its contract's period start, sent as
   * that day's noon without a zone. */
  json_object *state = rel_state(&w, REL_PSA);
  json_object *adj = rel_get(state, "adjustments");
  json_object *log = rel_log(&w, REL_PSA);
  int posted = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    if (strcmp(rel_str(e, "method"), "POST") != 0 ||
        !strstr(rel_str(e, "path"), "ContractServiceAdjustments"))
      continue;
    json_object *body = json_tokener_parse(rel_str(e, "body"));
    ck_assert_ptr_nonnull(body);
    const char *when = rel_str(body, "effectiveDate");
    ck_assert_msg(strlen(when) == 19 && strcmp(when + 10, "T12:00:00") == 0,
                  "effectiveDate %s", when);
    json_object *c = rel_company_by_line(
        base.report,
        json_object_get_string(rel_get(body, "contractServiceID")));
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(strncmp(when, rel_str(c, "effective_date"), 10), 0);
    json_object_put(body);
    posted++;
  }
  ck_assert_int_eq(posted, (int)json_object_array_length(adj));
  json_object_put(log);
  json_object_put(state);

  /* Converged: the next apply writes nothing. */
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_int_eq(again.status, 0);
  log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* ---- credentials and paging ------------------------------------------ */

START_TEST(wrong_integration_code) {
  rel_world w;
  rel_world_start(&w, &world);
  /* The API user's e-mail as the code: a wrong one, from the environment
   * like the real one. */
  char *conf = test_read_file(w.dir, "lpsa.conf");
  ck_assert_ptr_nonnull(conf);
  char *at = strstr(conf, "integration_code = env:REL_AT_CODE");
  ck_assert_ptr_nonnull(at);
  memcpy(at + strlen("integration_code = env:REL_AT_"), "USER", 4);
  ck_assert_int_eq(test_write_file(w.dir, "lpsa.conf", conf), 0);
  free(conf);

  rel_run c;
  rel_host(&w, &c, "check", NULL);
  ck_assert_int_ne(c.status, 0);
  const char *text = json_object_to_json_string(c.report);
  ck_assert_msg(strstr(text, "integration code rejected") != NULL,
                "check does not say the integration code was rejected: %s",
                text);
  ck_assert_msg(strstr(text, "API Tracking Identifier") != NULL,
                "check does not say what to do: %s", text);
  json_object *items = rel_get(c.report, "items");
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i);
    if (strstr(rel_str(it, "what"), "Autotask API user"))
      ck_assert_msg(strcmp(rel_str(it, "status"), "ok") != 0,
                    "the API user reads as accepted: %s",
                    json_object_to_json_string(it));
  }
  rel_run_free(&c);

  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  ck_assert_msg(
      strstr(rel_str(r.report, "aborted"), "integration code rejected") != NULL,
      "the run does not say why: %s", rel_str(r.report, "aborted"));
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* 600 companies, every 40th mapped: the ContractServices query spans two
 * pages. autotask-sim answers a GET of a POST query's next page with 405,
 * as Autotask does: lpsa POSTs it with the query's body from the start. */
START_TEST(next_pages_are_posted) {
  static const rel_world_opts paged = {.psa = REL_AUTOTASK,
                                       .companies = 600,
                                       .seed = 4,
                                       .change_pct = 30,
                                       .map_every = 40};
  rel_world w;
  rel_world_start(&w, &paged);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_msg(r.status == 0 || r.status == 1, "exit %d: %s", r.status,
                rel_str(r.report, "aborted"));
  ck_assert_int_gt(rel_count_status(r.report, "planned"), 0);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_ge(rel_count_requests(log, "POST", "/query/next"), 1);
  ck_assert_int_eq(rel_count_requests(log, "GET", "/query/next"), 0);
  for (size_t i = 0; i < json_object_array_length(log); i++)
    ck_assert_int_ne(rel_int(json_object_array_get_idx(log, i), "status"), 405);
  json_object_put(log);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- records that cannot be billed from ------------------------------ */

/* Company i of the generated world: PSA company 1000+i, contract
 * 700000+4i, its LastPass contract service 800000+4i; LastPass company
 * 100000+i. */
#define CONTRACT(i) (700000LL + 4 * (i))
#define LINE(i) (800000LL + 4 * (i))

START_TEST(bad_records_are_one_company_each) {
  rel_world w;
  rel_world_start(&w, &world);
  rel_run base, r;
  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_eq(base.status, 0);
  /* Four companies, each with one record Autotask sends broken. */
  json_object *state = rel_state(&w, REL_PSA);
  send_broken(row_today(state, LINE(2)), "units", "null");
  send_broken(row_today(state, LINE(5)), "units", "2.5");
  send_broken(item(state, "contractServices", LINE(8)), "serviceID", "null");
  send_broken(item(state, "contracts", CONTRACT(11)), "status", "null");
  rel_put_state(&w, REL_PSA, state);
  json_object_put(state);

  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 1, "apply exited %d: %s", r.status,
                rel_str(r.report, "aborted"));
  static const struct {
    const char *lastpass_id, *words;
  } bad[] = {
      {"100002", "units row"},
      {"100005", "units 2.5, not a whole number"},
      {"100008", "contract service 800032 of contract 700032 with serviceID "
                 "null"},
      {"100011", "contract 700044 with status null"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    json_object *c = rel_company(r.report, bad[i].lastpass_id);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(rel_str(c, "status"), "error");
    const char *msg = rule_message(c, "BAD_PSA_RECORD");
    ck_assert_msg(strstr(msg, bad[i].words) != NULL, "%s: %s",
                  bad[i].lastpass_id, json_object_to_json_string(c));
    ck_assert_ptr_nonnull(strstr(msg, "in Autotask"));
  }
  ck_assert_ptr_nonnull(
      strstr(rule_message(rel_company(r.report, "100002"), "BAD_PSA_RECORD"),
             "contract service 800008 with units null"));
  ck_assert_int_eq(companies_with(r.report, "BAD_PSA_RECORD"), 4);
  /* Everyone else is synced as planned; the four keep their counts. */
  json_object *list = rel_get(base.report, "companies");
  json_object *now = rel_state(&w, REL_PSA);
  int others = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *b = json_object_array_get_idx(list, i);
    const char *id = rel_str(b, "lastpass_id");
    json_object *c = rel_company(r.report, id);
    int is_bad = 0;
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
      is_bad |= strcmp(id, bad[k].lastpass_id) == 0;
    long long have = rel_psa_quantity(&w, now, rel_str(b, "line_id"));
    if (is_bad) {
      ck_assert_int_eq(have, rel_int(b, "old_quantity"));
      continue;
    }
    if (strcmp(rel_str(b, "status"), "planned") == 0) {
      ck_assert_str_eq(rel_str(c, "status"), "updated");
      ck_assert_int_eq(have, rel_int(b, "new_quantity"));
      others++;
    } else {
      ck_assert_str_eq(rel_str(c, "status"), rel_str(b, "status"));
    }
  }
  ck_assert_int_gt(others, 0);
  json_object_put(now);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* An id beyond the 64-bit range: json-c would clamp it to INT64_MAX, a
 * number naming another record. The run refuses the answer instead. */
START_TEST(ids_beyond_int64_are_refused) {
  rel_world w;
  rel_world_start(&w, &world);
  json_object *state = rel_state(&w, REL_PSA);
  send_broken(item(state, "contracts", CONTRACT(3)), "companyID",
              "9223372036854775808");
  rel_put_state(&w, REL_PSA, state);
  json_object_put(state);
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, 3);
  const char *why = rel_str(r.report, "aborted");
  ck_assert_msg(strstr(why, "companyID is a number beyond the 64-bit integer "
                            "range") != NULL,
                "%s", why);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- another writer ------------------------------------------------- */

/* One mapped company (the world's first), given a new seat count: the
 * apply reads its units for the snapshot, again before the POST, and once
 * more to verify. That third read shows what another writer left. */
START_TEST(another_writer_is_named) {
  static const rel_world_opts one = {.psa = REL_AUTOTASK,
                                     .companies = 20,
                                     .seed = 4,
                                     .change_pct = 30,
                                     .map_every = 20};
  rel_world w;
  rel_world_start(&w, &one);
  json_object *state = rel_state(&w, REL_PSA);
  json_object *row = row_today(state, LINE(0));
  ck_assert_ptr_nonnull(row);
  long long old = id_of(row, "units");
  rel_lp_set_seats(&w, "100000", old + 4);
  char body[1024], rules[2048];
  snprintf(body, sizeof body,
           "{\"items\":[{\"id\":%lld,\"contractServiceID\":%lld,"
           "\"contractID\":%lld,\"serviceID\":%lld,\"startDate\":\"%s\","
           "\"endDate\":\"%s\",\"units\":%lld}],\"pageDetails\":{\"count\":1,"
           "\"requestCount\":500,\"prevPageUrl\":null,\"nextPageUrl\":null}}",
           id_of(row, "id"), LINE(0), CONTRACT(0), id_of(row, "serviceID"),
           rel_str(row, "startDate"), rel_str(row, "endDate"), old + 9);
  json_object_put(state);
  json_object *rule = json_tokener_parse(
      "[{\"name\":\"f\",\"path_prefix\":\"" V1 "ContractServiceUnits/query\","
      "\"after\":2,\"times\":1,\"status\":200,"
      "\"content_type\":\"application/json\"}]");
  json_object_object_add(json_object_array_get_idx(rule, 0), "body",
                         json_object_new_string(body));
  snprintf(rules, sizeof rules, "%s", json_object_to_json_string(rule));
  json_object_put(rule);
  ck_assert_int_eq(simproc_set_faults(&w.psa, rules), 0);

  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);
  ck_assert_int_ne(r.status, 0);
  json_object *c = rel_company(r.report, "100000");
  ck_assert_ptr_nonnull(c);
  const char *text = json_object_to_json_string(rel_get(c, "rules"));
  char want[256];
  snprintf(want, sizeof want,
           "another writer appears active on contract service %lld of "
           "contract %lld: it had %lld units, lpsa posted +4 (expecting "
           "%lld) and Autotask now shows %lld",
           LINE(0), CONTRACT(0), old, old + 4, old + 9);
  ck_assert_msg(strstr(text, want) != NULL, "%s", text);
  /* One adjustment, never a correction. */
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 1);
  json_object_put(log);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("autotask host fidelity");
  TCase *tc = tcase_create("host");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, mid_period_contracts_are_synced);
  tcase_add_test(tc, wrong_integration_code);
  tcase_add_test(tc, next_pages_are_posted);
  tcase_add_test(tc, bad_records_are_one_company_each);
  tcase_add_test(tc, ids_beyond_int64_are_refused);
  tcase_add_test(tc, another_writer_is_named);
  suite_add_tcase(s, tc);
  char *tmp = rel_private_tmpdir_begin("at-host");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
