/* SPDX-License-Identifier: MIT */
/*
 * test_cw_host_fidelity.c — what real ConnectWise tenants have, end to end
 * through lpsa-host, connectwise.so and connectwise-sim (and lastpass-sim):
 *
 *   - URLs: no request URL is longer than 2,000 characters (the simulator
 *     answers 414 past that, as real front ends do), with long id lists and
 *     an agreement type name of non-ASCII characters;
 *   - company status: inactive is the status's inactiveFlag (custom
 *     "Former Client" is inactive, "Onboarding" is not), an unknown status
 *     makes that company an error;
 *   - one bad record is one company's problem: a null quantity makes that
 *     company BAD_PSA_RECORD, the others are synced;
 *   - fractional quantities are never "unchanged" and never rounded;
 *   - set_quantity compares exactly on its re-read and verifies the PATCH
 *     answer; a lost PATCH answer is verified by reading the addition;
 *   - ids beyond int64 are refused, not clamped.
 *
 * The world is the simulators' generated one (rel_harness.h): LastPass
 * company 100000+i is ConnectWise company 1000+i, whose agreement is
 * 1000000+2i and whose LastPass addition is 2000000+4i.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"

#define API "/v4_6_release/apis/3.0/"
#define RULE(body) "[{\"name\":\"f\"," body "}]"

static long long company_id(int i) {
  return 1000 + i;
}
static long long agreement_id(int i) {
  return 1000000 + 2LL * i;
}
static long long addition_id(int i) {
  return 2000000 + 4LL * i;
}
static const char *lastpass_id(int i) {
  static char buf[8][24];
  static int k;
  char *b = buf[k++ % 8];
  snprintf(b, 24, "%d", 100000 + i);
  return b;
}

static json_object *by_id(json_object *state, const char *list, long long id) {
  json_object *arr = rel_get(state, list);
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *o = json_object_array_get_idx(arr, i);
    if (rel_int(o, "id") == id)
      return o;
  }
  ck_abort_msg("no %s record %lld in the ConnectWise state", list, id);
  return NULL;
}

/* Set member `key` of record `id` of `list` to `v` (taken) in the PSA. */
static void psa_set(rel_world *w, const char *list, long long id,
                    const char *key, json_object *v) {
  json_object *state = rel_state(w, REL_PSA);
  json_object_object_add(by_id(state, list, id), key, v);
  rel_put_state(w, REL_PSA, state);
  json_object_put(state);
}

static json_object *status_ref(long long id) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "id", json_object_new_int64(id));
  return o;
}

static json_object *company_row(json_object *report, int i) {
  json_object *c = rel_company(report, lastpass_id(i));
  ck_assert_msg(c != NULL, "no company %s in the report", lastpass_id(i));
  return c;
}

/* The text of the company's rule `code`, or NULL. */
static const char *rule_text(json_object *c, const char *code) {
  json_object *rules = rel_get(c, "rules");
  for (size_t k = 0; k < json_object_array_length(rules); k++) {
    json_object *r = json_object_array_get_idx(rules, k);
    if (!strcmp(rel_str(r, "code"), code))
      return rel_str(r, "message");
  }
  return NULL;
}

static void expect_rule(json_object *c, const char *code, const char *words) {
  const char *text = rule_text(c, code);
  ck_assert_msg(text != NULL, "company %s lacks %s: %s",
                rel_str(c, "lastpass_id"), code, json_object_to_json_string(c));
  ck_assert_msg(!words || strstr(text, words), "%s says \"%s\", not \"%s\"",
                code, text, words);
}

static void expect_status(json_object *c, const char *status) {
  ck_assert_msg(!strcmp(rel_str(c, "status"), status),
                "company %s is %s, not %s: %s", rel_str(c, "lastpass_id"),
                rel_str(c, "status"), status, json_object_to_json_string(c));
}

/* PATCHes the simulator saw for addition `add`. */
static int patches_of(rel_world *w, long long agreement, long long add) {
  char part[96];
  snprintf(part, sizeof part, "finance/agreements/%lld/additions/%lld",
           agreement, add);
  json_object *log = rel_log(w, REL_PSA);
  int n = rel_count_requests(log, "PATCH", part);
  json_object_put(log);
  return n;
}

static const rel_world_opts small = {
    .psa = REL_CONNECTWISE, .companies = 12, .seed = 11, .change_pct = 0};

/* ---- URL length ---------------------------------------------------------
 */

/* A Japanese MSP's agreement type: 42 characters of three bytes each, 378
 * characters once percent-encoded. */
#define LONG_TYPE                                                                                                \
  "マネージドサービス契約・月額請求・ＬａｓｔＰａｓｓ　ビジネス・パスワード" \
  "管理サービス"

/* The whole URL of a log entry as the driver sent it. */
static size_t url_length(const rel_world *w, json_object *e) {
  size_t n = strlen(w->psa.base_url) + strlen(rel_str(e, "path"));
  const char *q = rel_str(e, "query");
  return n + (*q ? 1 + strlen(q) : 0);
}

START_TEST(urls_stay_under_2000_characters) {
  rel_world w;
  const rel_world_opts o = {.psa = REL_CONNECTWISE,
                            .companies = 230,
                            .seed = 3,
                            .change_pct = 10,
                            .driver_keys = "agreement_type = " LONG_TYPE "\n"};
  rel_world_start(&w, &o);
  /* every agreement of the world is of that type */
  json_object *state = rel_state(&w, REL_PSA);
  json_object *ags = rel_get(state, "agreements");
  for (size_t i = 0; i < json_object_array_length(ags); i++) {
    json_object *t = json_object_new_object();
    json_object_object_add(t, "id", json_object_new_int(1));
    json_object_object_add(t, "name", json_object_new_string(LONG_TYPE));
    json_object_object_add(json_object_array_get_idx(ags, i), "type", t);
  }
  rel_put_state(&w, REL_PSA, state);
  json_object_put(state);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  ck_assert_int_ge(rel_count_status(r.report, "planned"), 1);
  json_object *log = rel_log(&w, REL_PSA);
  size_t longest = 0;
  int refused = 0, agreement_reads = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i);
    size_t n = url_length(&w, e);
    longest = n > longest ? n : longest;
    refused += rel_int(e, "status") == 414;
    agreement_reads += !strcmp(rel_str(e, "path"), API "finance/agreements") &&
                       strstr(rel_str(e, "query"), "company%2Fid") != NULL;
  }
  ck_assert_int_eq(refused, 0);
  ck_assert_uint_le(longest, 2000);
  /* 230 ids do not fit one request with that type name, and fit two */
  ck_assert_int_eq(agreement_reads, 2);
  json_object_put(log);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- company status ------------------------------------------------------
 */

START_TEST(status_inactive_flag_decides) {
  rel_world w;
  rel_world_start(&w, &small);
  psa_set(&w, "companies", company_id(1), "status", status_ref(6));
  psa_set(&w, "companies", company_id(2), "status", status_ref(7));
  psa_set(&w, "companies", company_id(4), "status", status_ref(99));
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
  /* Former Client: inactive by its flag, whatever its name says */
  json_object *c = company_row(r.report, 1);
  expect_status(c, "error");
  expect_rule(c, "PSA_COMPANY_NOT_FOUND", "inactive");
  /* Onboarding: an active custom status */
  c = company_row(r.report, 2);
  ck_assert_ptr_null(rule_text(c, "PSA_COMPANY_NOT_FOUND"));
  ck_assert_ptr_null(rule_text(c, "BAD_PSA_RECORD"));
  /* a status id ConnectWise no longer lists: an error, not active */
  c = company_row(r.report, 4);
  expect_status(c, "error");
  expect_rule(c, "BAD_PSA_RECORD", "status 99");
  /* the others are read as before */
  expect_status(company_row(r.report, 3), "unchanged");
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(
      rel_count_requests(log, "GET", API "company/companies/statuses"), 1);
  json_object_put(log);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- bad records ---------------------------------------------------------
 */

START_TEST(null_quantity_is_one_companys_error) {
  rel_world w;
  rel_world_start(&w, &small);
  psa_set(&w, "additions", addition_id(3), "quantity", NULL);
  /* One seat more than company 5 is billed: a change, and one no
   * guardrail holds. */
  json_object *state = rel_state(&w, REL_PSA);
  long long q5 = rel_int(by_id(state, "additions", addition_id(5)), "quantity");
  json_object_put(state);
  rel_lp_set_seats(&w, lastpass_id(5), q5 + 1);
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
  json_object *c = company_row(r.report, 3);
  expect_status(c, "error");
  char words[96];
  snprintf(words, sizeof words, "addition %lld on agreement %lld",
           addition_id(3), agreement_id(3));
  expect_rule(c, "BAD_PSA_RECORD", words);
  expect_rule(c, "BAD_PSA_RECORD", "no quantity");
  /* the rest of the run goes on: company 5 was written */
  expect_status(company_row(r.report, 5), "updated");
  ck_assert_int_eq(patches_of(&w, agreement_id(3), addition_id(3)), 0);
  ck_assert_int_eq(patches_of(&w, agreement_id(5), addition_id(5)), 1);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(fractional_quantities_are_never_unchanged) {
  rel_world w;
  rel_world_start(&w, &small);
  rel_lp_set_seats(&w, lastpass_id(2), 33);
  psa_set(&w, "additions", addition_id(2), "quantity",
          json_object_new_double_s(33.4, "33.4"));
  rel_lp_set_seats(&w, lastpass_id(6), 2);
  psa_set(&w, "additions", addition_id(6), "quantity",
          json_object_new_double_s(1.55, "1.55"));
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
  json_object *c = company_row(r.report, 2);
  expect_status(c, "error");
  char words[160];
  snprintf(words, sizeof words,
           "addition %lld on agreement %lld has quantity 33.4, not a whole "
           "number of seats",
           addition_id(2), agreement_id(2));
  expect_rule(c, "BAD_PSA_RECORD", words);
  expect_rule(c, "BAD_PSA_RECORD", "never rounds");
  c = company_row(r.report, 6);
  expect_status(c, "error");
  expect_rule(c, "BAD_PSA_RECORD", "quantity 1.55");
  ck_assert_int_eq(patches_of(&w, agreement_id(2), addition_id(2)), 0);
  ck_assert_int_eq(patches_of(&w, agreement_id(6), addition_id(6)), 0);
  /* the PSA keeps what it had: nothing was written for them */
  json_object *state = rel_state(&w, REL_PSA);
  ck_assert_str_eq(json_object_get_string(rel_get(
                       by_id(state, "additions", addition_id(2)), "quantity")),
                   "33.4");
  json_object_put(state);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- set_quantity ------------------------------------------------------- */

/* The catalog id of the product of world addition `i`. */
static long long product_of(rel_world *w, int i) {
  json_object *state = rel_state(w, REL_PSA);
  json_object *p =
      rel_get(by_id(state, "additions", addition_id(i)), "product");
  long long id = rel_int(p, "id");
  json_object_put(state);
  return id;
}

/* The GET of addition `i` right before its PATCH answers `quantity`. */
static void reread_answers(rel_world *w, int i, const char *quantity) {
  char rules[1024];
  snprintf(rules, sizeof rules,
           RULE("\"method\":\"GET\",\"path_prefix\":\"" API
                "finance/agreements/%lld/additions/%lld\","
                "\"status\":200,\"content_type\":\"application/json\","
                "\"body\":\"{\\\"id\\\":%lld,\\\"agreementId\\\":%lld,"
                "\\\"product\\\":{\\\"id\\\":%lld},\\\"quantity\\\":%s}\""),
           agreement_id(i), addition_id(i), addition_id(i), agreement_id(i),
           product_of(w, i), quantity);
  ck_assert_int_eq(simproc_set_faults(rel_sim(w, REL_PSA), rules), 0);
}

START_TEST(fractional_reread_is_a_conflict) {
  rel_world w;
  rel_world_start(&w, &small);
  int i = 2;
  rel_lp_set_seats(&w, lastpass_id(i), 33);
  reread_answers(&w, i, "33.4");
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_int_ne(r.status, 0);
  json_object *c = company_row(r.report, i);
  expect_status(c, "error");
  expect_rule(c, "WRITE_FAILED", "33.4");
  ck_assert_int_eq(patches_of(&w, agreement_id(i), addition_id(i)), 0);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(patch_answer_from_another_writer) {
  rel_world w;
  rel_world_start(&w, &small);
  rel_lp_set_seats(&w, lastpass_id(3), 41);
  char rules[1024];
  snprintf(rules, sizeof rules,
           RULE("\"method\":\"PATCH\",\"path_prefix\":\"" API
                "finance/agreements/%lld/additions/%lld\","
                "\"status\":200,\"content_type\":\"application/json\","
                "\"body\":\"{\\\"id\\\":%lld,\\\"agreementId\\\":%lld,"
                "\\\"product\\\":{\\\"id\\\":%lld},\\\"quantity\\\":77}\""),
           agreement_id(3), addition_id(3), addition_id(3), agreement_id(3),
           product_of(&w, 3));
  ck_assert_int_eq(simproc_set_faults(rel_sim(&w, REL_PSA), rules), 0);
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_int_ne(r.status, 0);
  const char *all = json_object_to_json_string(r.report);
  char words[64];
  snprintf(words, sizeof words, "addition %lld", addition_id(3));
  ck_assert_msg(strstr(all, words) && strstr(all, "77") &&
                    strstr(all, "another writer"),
                "the report does not name the addition, the value seen and "
                "another writer: %s",
                all);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(lost_patch_answer_is_verified_by_a_read) {
  rel_world w;
  rel_world_start(&w, &small);
  rel_lp_set_seats(&w, lastpass_id(3), 41);
  char rules[512];
  /* every PATCH is applied, but its answer never arrives whole */
  snprintf(rules, sizeof rules,
           RULE("\"method\":\"PATCH\",\"path_prefix\":\"" API
                "finance/agreements/%lld/additions/%lld\","
                "\"action\":\"cut\""),
           agreement_id(3), addition_id(3));
  ck_assert_int_eq(simproc_set_faults(rel_sim(&w, REL_PSA), rules), 0);
  rel_run r;
  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 0, "exit %d: %s %s", r.status, r.err,
                json_object_to_json_string(r.report));
  json_object *c = company_row(r.report, 3);
  expect_status(c, "updated");
  ck_assert_int_eq(rel_int(c, "new_quantity"), 41);
  json_object *state = rel_state(&w, REL_PSA);
  ck_assert_int_eq(rel_psa_quantity(&w, state, "2000012"), 41);
  json_object_put(state);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* ---- ids beyond int64 ----------------------------------------------------
 */

START_TEST(ids_beyond_int64_are_refused) {
  rel_world w;
  rel_world_start(&w, &small);
  ck_assert_int_eq(
      simproc_set_faults(
          rel_sim(&w, REL_PSA),
          RULE("\"path_prefix\":\"" API "company/companies\","
               "\"query_contains\":\"conditions=id\","
               "\"status\":200,\"content_type\":\"application/json\","
               "\"body\":\"[{\\\"id\\\":1000,\\\"name\\\":\\\"A\\\","
               "\\\"status\\\":{\\\"id\\\":1}},"
               "{\\\"id\\\":9223372036854775808,\\\"name\\\":\\\"B\\\","
               "\\\"status\\\":{\\\"id\\\":1}}]\"")),
      0);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  const char *all = json_object_to_json_string(r.report);
  ck_assert_msg(strstr(all, "9223372036854775808") && strstr(all, "\\\"id\\\""),
                "the abort does not name the field and the value: %s", all);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_host_fidelity");
  TCase *t = tcase_create("fidelity");
  tcase_set_timeout(t, 120);
  tcase_add_test(t, urls_stay_under_2000_characters);
  tcase_add_test(t, status_inactive_flag_decides);
  tcase_add_test(t, null_quantity_is_one_companys_error);
  tcase_add_test(t, fractional_quantities_are_never_unchanged);
  tcase_add_test(t, fractional_reread_is_a_conflict);
  tcase_add_test(t, patch_answer_from_another_writer);
  tcase_add_test(t, lost_patch_answer_is_verified_by_a_read);
  tcase_add_test(t, ids_beyond_int64_are_refused);
  suite_add_tcase(s, t);
  char *tmp = rel_private_tmpdir_begin("cw-fidelity");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
