/* SPDX-License-Identifier: MIT */
/*
 * test_at_driver_faults.c — every broken answer fails the whole snapshot
 * (truncated or malformed JSON, paging loops, duplicate ids, empty pages
 * that point at themselves, wrong types, missing fields), and the
 * thread-limit 429 is survived when the host's retries outlast it.
 * A generated dataset (600 companies) makes the queries page.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_harness.h"

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "LastPass Business"},
    {LPSA_SKU_LASTPASS_MFA, "LastPass Business + MFA"}};

typedef struct world {
  char **ids;
  size_t n;
} world;

/* The mapped companies: the generated world's (ids below 50000). */
static void world_of(at_harness *h, world *w) {
  json_object *state = simproc_get_state(&h->sim), *companies;
  ck_assert(json_object_object_get_ex(state, "companies", &companies));
  size_t n = json_object_array_length(companies);
  w->ids = calloc(n, sizeof *w->ids);
  w->n = 0;
  for (size_t i = 0; i < n; i++) {
    json_object *c = json_object_array_get_idx(companies, i), *id;
    ck_assert(json_object_object_get_ex(c, "id", &id));
    long long v = json_object_get_int64(id);
    if (v >= 50000)
      continue;
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", v);
    w->ids[w->n++] = strdup(buf);
  }
  json_object_put(state);
}

static void world_free(world *w) {
  for (size_t i = 0; i < w->n; i++)
    free(w->ids[i]);
  free(w->ids);
}

static lpsa_snapshot_request request(const world *w) {
  lpsa_snapshot_request r = LPSA_INIT(lpsa_snapshot_request);
  r.products = products;
  r.n_products = 2;
  r.company_ids = (const char *const *)w->ids;
  r.n_company_ids = w->n;
  r.as_of = "2026-11-15";
  return r;
}

static const char *const gen_args[] = {"--generate", "600", "--now",
                                       "2026-11-15", NULL};

/* One fault on one entity's queries must fail the snapshot with `want`. */
static void expect_failure(at_harness *h, const world *w, const char *rule,
                           int want, const char *text) {
  at_faults(h, rule);
  lpsa_snapshot_request req = request(w);
  lpsa_snapshot *s;
  char err[512];
  int rc = at_snapshot_run(h, &req, &s, err, sizeof err);
  ck_assert_msg(rc == want, "rule %s: got %d (%s)", rule, rc, err);
  if (text)
    ck_assert_msg(strstr(err, text) != NULL, "rule %s: %s", rule, err);
  snapshot_free(s);
  ck_assert_int_eq(simproc_clear_faults(&h->sim), 0);
}

START_TEST(broken_answers_fail_the_snapshot) {
  at_harness h;
  at_start(&h, gen_args, NULL);
  world w;
  world_of(&h, &w);
  ck_assert_uint_ge(w.n, 500);
  /* Sanity: without faults it works and pages. */
  lpsa_snapshot_request req = request(&w);
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_ge(s->n_lines, 500);
  snapshot_free(s);
  /* Next pages are POSTed with the query's body, from the first one. */
  ck_assert_int_ge(at_log_count(&h, "POST", "/query/next"), 1);
  ck_assert_int_eq(at_log_count(&h, "GET", "/query/next"), 0);

  const char *P = "/atservicesrest/v1.0/";
  char rule[512];
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContracts/query\",\"action\":\"truncate\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "cut short");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sCompanies/query\",\"action\":\"malformed\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "Companies");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContractServices/query\",\"action\":"
           "\"page_loop\"}",
           P);
  /* The loop comes back to the first page: its ids repeat before its URL
   * does, so either guard may stop it. */
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "ContractServices query");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContractServiceUnits/query\",\"action\":"
           "\"duplicate_ids\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "same record twice");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContractServices/query\",\"action\":"
           "\"empty_page\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "paging loop");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContracts/query\",\"action\":\"wrong_types\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "wrong type");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContractServiceUnits/query\",\"action\":"
           "\"missing_fields\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "missing");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sServices/query\",\"status\":503}", P);
  expect_failure(&h, &w, rule, LPSA_ERR_REMOTE, "HTTP 503");
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sCompanies/query\",\"action\":\"reset\"}", P);
  expect_failure(&h, &w, rule, LPSA_ERR_NETWORK, "could not reach");
  /* A fault on a next page only (after the first page of the query). */
  snprintf(rule, sizeof rule,
           "{\"path_prefix\":\"%sContractServices/query/next\",\"action\":"
           "\"truncate\"}",
           P);
  expect_failure(&h, &w, rule, LPSA_ERR_PROTOCOL, "next page");
  world_free(&w);
  at_stop(&h);
}
END_TEST

START_TEST(thread_limit_429) {
  at_harness h;
  at_start(&h, gen_args, NULL);
  world w;
  world_of(&h, &w);
  /* Twice refused, then served: the host's retries (the query POST is
   * flagged retry-safe) carry the snapshot through. */
  at_faults(&h, "{\"path_prefix\":\"/atservicesrest/v1.0/ContractServiceUnits"
                "/query\",\"status\":429,\"content_type\":\"text/plain\","
                "\"body\":\"thread threshold of 3 threads has been exceeded\","
                "\"times\":2}");
  lpsa_snapshot_request req = request(&w);
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_ge(s->n_lines, 500);
  snapshot_free(s);
  /* Refused for ever: RATE_LIMITED, said plainly. */
  at_faults(&h, "{\"path_prefix\":\"/atservicesrest/v1.0/Contracts/query\","
                "\"status\":429,\"content_type\":\"text/plain\",\"body\":"
                "\"thread threshold of 3 threads has been exceeded\"}");
  ck_assert_int_eq(at_snapshot_run(&h, &req, &s, err, sizeof err),
                   LPSA_ERR_RATE_LIMITED);
  ck_assert_ptr_nonnull(strstr(err, "thread threshold"));
  snapshot_free(s);
  world_free(&w);
  at_stop(&h);
}
END_TEST

/* The simulator answers a GET of a POST query's next page with 405, as
 * Autotask does; the driver never sends one, so no page costs a refusal. */
START_TEST(next_page_posted_from_the_start) {
  at_harness h;
  at_start(&h, gen_args, NULL);
  world w;
  world_of(&h, &w);
  lpsa_snapshot_request req = request(&w);
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  ck_assert_uint_ge(s->n_lines, 500);
  snapshot_free(s);
  ck_assert_int_ge(at_log_count(&h, "POST", "/query/next"), 1);
  ck_assert_int_eq(at_log_count(&h, "GET", "/query/next"), 0);
  json_object *log = simproc_log(&h.sim);
  ck_assert_ptr_nonnull(log);
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i), *st;
    ck_assert(json_object_object_get_ex(e, "status", &st));
    ck_assert_int_ne(json_object_get_int(st), 405);
  }
  json_object_put(log);
  world_free(&w);
  at_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("autotask driver faults");
  TCase *tc = tcase_create("sim");
  tcase_set_timeout(tc, 180);
  tcase_add_test(tc, broken_answers_fail_the_snapshot);
  tcase_add_test(tc, thread_limit_429);
  tcase_add_test(tc, next_page_posted_from_the_start);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
