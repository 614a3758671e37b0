/* SPDX-License-Identifier: MIT */
/*
 * test_at_driver_cost.c — the request cost of a snapshot of a generated
 * 1000-company instance against the formula in plugins/autotask/README.md,
 * and the thread limit: with 2000 companies (4 chunks per entity) and
 * latency, at most 3 requests of one entity are ever in flight, and the
 * chunks do overlap (exactly 3 at some point).
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

static void world_of(at_harness *h, world *w) {
  json_object *state = simproc_get_state(&h->sim), *companies;
  ck_assert(json_object_object_get_ex(state, "companies", &companies));
  size_t n = json_object_array_length(companies);
  w->ids = calloc(n, sizeof *w->ids);
  w->n = 0;
  for (size_t i = 0; i < n; i++) {
    json_object *id;
    ck_assert(json_object_object_get_ex(json_object_array_get_idx(companies, i),
                                        "id", &id));
    long long v = json_object_get_int64(id);
    if (v >= 50000) /* not in the world: not mapped */
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

static unsigned long label_count(at_harness *h, const char *label) {
  const http_count *c;
  size_t n = http_counts(h->http, &c);
  for (size_t i = 0; i < n; i++)
    if (strcmp(c[i].label, label) == 0)
      return c[i].requests;
  return 0;
}

static unsigned long ceil500(unsigned long n) {
  return (n + 499) / 500;
}

START_TEST(cost_of_1000_companies) {
  at_harness h;
  const char *args[] = {"--generate", "1000", "--now", "2026-11-15", NULL};
  at_start(&h, args, NULL);
  world w;
  world_of(&h, &w);
  ck_assert_uint_eq(w.n, 1000);
  lpsa_snapshot_request req = request(&w);
  lpsa_snapshot *s;
  char err[512];
  http_reset_counts(h.http);
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  unsigned long total = http_total_requests(h.http);
  const http_count *c;
  size_t nc = http_counts(h.http, &c);
  for (size_t i = 0; i < nc; i++)
    fprintf(stderr, "  %-48s %lu\n", c[i].label, c[i].requests);
  fprintf(stderr, "  total %lu for %zu companies, %zu contracts, %zu lines\n",
          total, s->n_companies, s->n_agreements, s->n_lines);
  ck_assert_uint_ge(s->n_lines, 1000);
  /* The formula, step by step (each page of <= 500 ids is one request). */
  ck_assert_uint_eq(label_count(&h, "autotask zoneInformation"), 1);
  ck_assert_uint_eq(
      label_count(&h, "autotask Services/entityInformation/fields"), 1);
  ck_assert_uint_eq(
      label_count(&h, "autotask Contracts/entityInformation/fields"), 1);
  ck_assert_uint_eq(label_count(&h, "autotask Services/query"), 1);
  /* Contracts: every contract that ever billed the services (the noise's
   * inactive ones too), one chunk of 500 ids each, one page per chunk. */
  ck_assert_uint_ge(label_count(&h, "autotask Contracts/query"),
                    ceil500(s->n_agreements));
  ck_assert_uint_eq(label_count(&h, "autotask Contracts/query/next"), 0);
  ck_assert_uint_eq(label_count(&h, "autotask Companies/query"),
                    ceil500(s->n_companies));
  ck_assert_uint_eq(label_count(&h, "autotask Companies/query/next"), 0);
  /* Units: chunks of 400 contract services, each within one page. */
  ck_assert_uint_eq(label_count(&h, "autotask ContractServiceUnits/query"),
                    (s->n_lines + 399) / 400);
  ck_assert_uint_eq(label_count(&h, "autotask ContractServiceUnits/query/next"),
                    0);
  /* README's lower bound for 1000 companies: 1 + 2 + 1 + 2 + 2 + 2 + 3. */
  ck_assert_uint_ge(total, 13);
  ck_assert_uint_le(total, 16);
  snapshot_free(s);
  world_free(&w);
  at_stop(&h);
}
END_TEST

START_TEST(three_threads_per_entity) {
  at_harness h;
  const char *args[] = {"--generate",   "2000", "--now", "2026-11-15",
                        "--latency-ms", "150",  NULL};
  at_start(&h, args, NULL);
  world w;
  world_of(&h, &w);
  lpsa_snapshot_request req = request(&w);
  lpsa_snapshot *s;
  char err[512];
  ck_assert_msg(at_snapshot_run(&h, &req, &s, err, sizeof err) == LPSA_OK, "%s",
                err);
  snapshot_free(s);
  int most = 0;
  static const char *const keys[] = {"democode|companies", "democode|contracts",
                                     "democode|contractserviceunits",
                                     "democode|contractservices"};
  for (size_t i = 0; i < 4; i++) {
    int m = at_stat_max_inflight(&h, keys[i]);
    ck_assert_msg(m >= 1 && m <= 3, "%s: %d in flight", keys[i], m);
    if (m > most)
      most = m;
  }
  /* Four chunks of Companies/units with 150 ms latency: they overlap. */
  ck_assert_int_eq(most, 3);
  ck_assert_int_eq(at_log_count(&h, "POST", "ContractServiceAdjustments"), 0);
  world_free(&w);
  at_stop(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("autotask driver cost");
  TCase *tc = tcase_create("sim");
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, cost_of_1000_companies);
  tcase_add_test(tc, three_threads_per_entity);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
