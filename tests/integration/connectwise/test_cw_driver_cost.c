/* SPDX-License-Identifier: MIT */
/*
 * test_cw_driver_cost.c — the request cost of a snapshot of a generated
 * ConnectWise with 500 mapped companies (connectwise-sim --generate 500):
 * it must follow the formula in plugins/connectwise/README.md,
 *   discovery 1 + catalog 1 + statuses 1 + company chunks + agreement chunks
 *   + one additions request per emitted agreement,
 * i.e. at most one request per agreement plus a small constant.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_harness.h"

#define N_COMPANIES 500

static const lpsa_product_ref products[] = {
    {LPSA_SKU_LASTPASS, "LASTPASS-BUS"},
    {LPSA_SKU_LASTPASS_MFA, "LASTPASS-MFA"}};

/* The ids of the generated companies that LastPass maps (ids below 5000000;
 * the generator's unmapped companies start there). */
static size_t mapped_ids(cw_harness *h, char ***out) {
  json_object *state = simproc_get_state(&h->sim), *companies = NULL;
  ck_assert_ptr_nonnull(state);
  ck_assert(json_object_object_get_ex(state, "companies", &companies));
  size_t n = json_object_array_length(companies), k = 0;
  char **ids = calloc(n, sizeof *ids);
  ck_assert_ptr_nonnull(ids);
  for (size_t i = 0; i < n; i++) {
    json_object *id = NULL;
    json_object_object_get_ex(json_object_array_get_idx(companies, i), "id",
                              &id);
    long long v = json_object_get_int64(id);
    if (v >= 5000000)
      continue;
    ids[k] = malloc(24);
    ck_assert_ptr_nonnull(ids[k]);
    snprintf(ids[k++], 24, "%lld", v);
  }
  json_object_put(state);
  *out = ids;
  return k;
}

START_TEST(one_request_per_agreement_plus_a_constant) {
  cw_harness h;
  /* 10 ms per request, so that concurrent requests really overlap. */
  const char *args[] = {"--generate",   "500", "--seed", "7",
                        "--latency-ms", "10",  NULL};
  cwh_start(&h, NULL, args);
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  char **ids;
  size_t n = mapped_ids(&h, &ids);
  ck_assert_uint_eq(n, N_COMPANIES);
  cwh_clear_log(&h);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  req.company_ids = (const char *const *)ids;
  req.n_company_ids = n;
  req.as_of = "2026-11-15";
  lpsa_snapshot *s;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  ck_assert_uint_eq(s->n_companies, N_COMPANIES);
  /* Every generated company bills LastPass on one live agreement. */
  ck_assert_uint_ge(s->n_agreements, N_COMPANIES);
  ck_assert_uint_ge(s->n_lines, N_COMPANIES);

  /* 500 ids of 4 digits would take 200 per chunk -> 3 requests per list;
   * the whole list (a count, then one page of under 1000 records) costs 2,
   * so each list is read whole: discovery + catalog + company statuses +
   * 2 + 2 + additions. */
  int chunks = (N_COMPANIES + 199) / 200;
  int per_list = chunks <= 2 ? chunks : 2; /* min(chunks, count + 1 page) */
  int expected = 1 + 1 + 1 + per_list + per_list + (int)s->n_agreements;
  int total = cwh_count(&h, NULL, NULL);
  ck_assert_int_eq(total, expected);
  ck_assert_int_le(total, (int)s->n_agreements + 8);
  ck_assert_int_eq(cwh_count(&h, "GET", "/additions"), (int)s->n_agreements);
  ck_assert_int_eq(cwh_count(&h, "GET", "/count"), 2);
  ck_assert_int_eq((long)http_total_requests(h.http), total);

  /* The additions were read concurrently (the host bounds how many). */
  json_object *stats = simproc_stats(&h.sim);
  json_object *inflight = NULL;
  ck_assert(json_object_object_get_ex(stats, "max_inflight", &inflight));
  ck_assert_int_ge(json_object_get_int(inflight), 2);
  json_object_put(stats);

  snapshot_free(s);
  for (size_t i = 0; i < n; i++)
    free(ids[i]);
  free(ids);
  cwh_stop(&h);
}
END_TEST

/* The host table with http_many() counted: calls and the largest. */
static lpsa_host_api counted;
static int many_calls;
static size_t many_largest;

static int counting_many(lpsa_host *host, const lpsa_http_request *reqs,
                         lpsa_http_response *resps, size_t n) {
  many_calls++;
  if (n > many_largest)
    many_largest = n;
  return host_api()->http_many(host, reqs, resps, n);
}

START_TEST(additions_read_in_one_call) {
  cw_harness h;
  const char *args[] = {"--generate", "500", "--seed", "7", NULL};
  cwh_start(&h, NULL, args);
  counted = *host_api();
  counted.http_many = counting_many;
  h.api = &counted;
  ck_assert_int_eq(cwh_open(&h, NULL), LPSA_OK);
  char **ids;
  size_t n = mapped_ids(&h, &ids);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  req.company_ids = (const char *const *)ids;
  req.n_company_ids = n;
  req.as_of = "2026-11-15";
  lpsa_snapshot *s;
  many_calls = 0;
  many_largest = 0;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  /* No batches that each wait for their slowest answer: every agreement's
   * additions go to the host at once, and the host keeps them flowing. */
  ck_assert_int_eq(many_calls, 1);
  ck_assert_uint_eq(many_largest, s->n_agreements);
  ck_assert_int_eq(cwh_count(&h, "GET", "/additions"), (int)s->n_agreements);
  snapshot_free(s);
  for (size_t i = 0; i < n; i++)
    free(ids[i]);
  free(ids);
  cwh_stop(&h);
}
END_TEST

START_TEST(counted_pages_read_at_once) {
  cw_harness h;
  /* 2,000 companies, 500 a page: the whole lists (a count and their
   * pages) are cheaper than ten chunks of ids. */
  const char *args[] = {"--generate", "2000", "--seed", "7", NULL};
  cwh_start(&h, NULL, args);
  counted = *host_api();
  counted.http_many = counting_many;
  h.api = &counted;
  const char *kv[] = {"page_size", "500", NULL};
  ck_assert_int_eq(cwh_open(&h, kv), LPSA_OK);
  char **ids;
  size_t n = mapped_ids(&h, &ids);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  req.company_ids = (const char *const *)ids;
  req.n_company_ids = n;
  req.as_of = "2026-11-15";
  lpsa_snapshot *s;
  cwh_clear_log(&h);
  many_calls = 0;
  int rc = cwh_snapshot(&h, &req, &s);
  ck_assert_msg(rc == LPSA_OK, "%s", h.err);
  /* Counted lists: their pages, known to exist, go out in one call each
   * (companies, agreements), then the additions: three calls. */
  ck_assert_int_eq(many_calls, 3);
  /* No more requests than page by page: a count and ceil(T/500) pages. */
  json_object *state = simproc_get_state(&h.sim), *companies = NULL;
  ck_assert(json_object_object_get_ex(state, "companies", &companies));
  int pages = ((int)json_object_array_length(companies) + 499) / 500;
  json_object_put(state);
  int lists = cwh_count(&h, "GET", "company/companies") -
              cwh_count(&h, "GET", "company/companies/statuses");
  ck_assert_int_eq(cwh_count(&h, "GET", "company/companies/count"), 1);
  ck_assert_int_eq(lists, 1 + pages);
  snapshot_free(s);
  for (size_t i = 0; i < n; i++)
    free(ids[i]);
  free(ids);
  cwh_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cw_driver_cost");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, one_request_per_agreement_plus_a_constant);
  tcase_add_test(tc, additions_read_in_one_call);
  tcase_add_test(tc, counted_pages_read_at_once);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
