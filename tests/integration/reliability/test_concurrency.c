/* SPDX-License-Identifier: MIT */
/*
 * test_concurrency.c — how lpsa-host spends its time, end to end through
 * the real binary against the simulators, judged by what the simulators
 * saw (their logs), never by a stopwatch:
 *   - LastPass and the PSA are read at once: the PSA is answered while
 *     LastPass's chain of pages is still being read, and the report's
 *     request counts still equal the simulators' own;
 *   - when LastPass fails the PSA read is abandoned (no further request
 *     starts) and the run aborts with LastPass's words; when the PSA fails
 *     first, LastPass is abandoned and the PSA's words are reported;
 *   - the report says how much concurrency the run used (JSON and text);
 *   - a driver that allows it has its changes written in parallel
 *     (ConnectWise, Autotask within 3 requests per entity, HaloPSA), each
 *     written exactly once, never two of one company at once, with the
 *     same requests per change as one after the other.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"

static void set_latency(rel_world *w, rel_remote r, int ms) {
  char body[32];
  snprintf(body, sizeof body, "{\"ms\":%d}", ms);
  ck_assert_int_eq(
      simproc_send_json(rel_sim(w, r), "PUT", "/_sim/latency", body), 0);
}

static long long first_ts(json_object *log) {
  ck_assert_int_gt(json_object_array_length(log), 0);
  return tj_int(json_object_array_get_idx(log, 0), "ts_ms");
}

static long long last_ts(json_object *log) {
  size_t n = json_object_array_length(log);
  ck_assert_int_gt(n, 0);
  return tj_int(json_object_array_get_idx(log, n - 1), "ts_ms");
}

/* The report's requests labelled "lastpass ..." and the others. */
static void report_split(json_object *report, long long *lastpass,
                         long long *psa) {
  json_object *by = tj_get(tj_get(report, "requests"), "by_endpoint");
  *lastpass = *psa = 0;
  json_object_object_foreach(by, label, n) {
    if (strncmp(label, "lastpass", 8) == 0)
      *lastpass += json_object_get_int64(n);
    else
      *psa += json_object_get_int64(n);
  }
}

START_TEST(lastpass_and_the_psa_are_read_at_once) {
  rel_world_opts o = {.psa = REL_CONNECTWISE,
                      .companies = 120,
                      .seed = 3,
                      .change_pct = 20,
                      .psa_latency_ms = 20};
  rel_world w;
  rel_world_start(&w, &o);
  /* LastPass's chain: 1 companies page, the cycles, 3 billing pages, each
   * 150 ms; the PSA's first answers come after 20 ms. */
  set_latency(&w, REL_LASTPASS, 150);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 0);
  json_object *lp = rel_log(&w, REL_LASTPASS), *psa = rel_log(&w, REL_PSA);
  ck_assert_int_eq(json_object_array_length(lp), 5);
  /* The PSA was answered before LastPass's last page: read side by side,
   * not one after the other. */
  ck_assert_msg(first_ts(psa) < last_ts(lp),
                "the PSA's first answer (%lld) came after LastPass's last "
                "(%lld)",
                first_ts(psa), last_ts(lp));
  /* Every request counted once, on the side that made it. */
  long long host_lp, host_psa;
  report_split(r.report, &host_lp, &host_psa);
  ck_assert_int_eq(host_lp, (long long)json_object_array_length(lp));
  ck_assert_int_eq(host_psa, (long long)json_object_array_length(psa));
  ck_assert_int_eq(tj_int(tj_get(r.report, "requests"), "total"),
                   host_lp + host_psa);
  json_object_put(lp);
  json_object_put(psa);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(a_lastpass_failure_abandons_the_psa_read) {
  rel_world_opts o = {.psa = REL_CONNECTWISE,
                      .companies = 120,
                      .seed = 3,
                      .change_pct = 20,
                      .psa_latency_ms = 300};
  rel_world w;
  rel_world_start(&w, &o);
  /* LastPass refuses the key at once; the PSA needs well over ten round
   * trips of 300 ms for its snapshot. */
  ck_assert_int_eq(
      simproc_set_faults(&w.world.lp,
                         "[{\"name\":\"f\",\"path_prefix\":\"/business/v1/"
                         "managed-companies\",\"status\":401,"
                         "\"content_type\":\"application/problem+json\","
                         "\"body\":\"{\\\"title\\\":\\\"Unauthorized\\\","
                         "\\\"status\\\":401}\"}]"),
      0);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  ck_assert_ptr_nonnull(strstr(tj_str(r.report, "aborted"), "LastPass"));
  ck_assert_ptr_nonnull(
      strstr(tj_str(r.report, "aborted"), "rejected the API key"));
  rel_wait_idle(&w, REL_PSA);
  json_object *psa = rel_log(&w, REL_PSA);
  /* What was in flight when LastPass failed, and nothing after it. */
  ck_assert_int_le(json_object_array_length(psa), 2);
  json_object_put(psa);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(a_psa_failure_abandons_lastpass_and_is_reported) {
  rel_world_opts o = {
      .psa = REL_CONNECTWISE, .companies = 120, .seed = 3, .change_pct = 20};
  rel_world w;
  rel_world_start(&w, &o);
  set_latency(&w, REL_LASTPASS, 300);
  ck_assert_int_eq(simproc_set_faults(&w.world.psa,
                                      "[{\"name\":\"f\",\"path_prefix\":\"/"
                                      "v4_6_release/apis/3.0/procurement/"
                                      "catalog\",\"status\":401}]"),
                   0);
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 3);
  const char *why = tj_str(r.report, "aborted");
  ck_assert_msg(strstr(why, "ConnectWise") && !strstr(why, "LastPass:"),
                "aborted: %s", why);
  rel_wait_idle(&w, REL_LASTPASS);
  json_object *lp = rel_log(&w, REL_LASTPASS);
  /* Its first page was in flight; the other four were never asked. */
  ck_assert_int_le(json_object_array_length(lp), 2);
  json_object_put(lp);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(the_report_says_the_concurrency_used) {
  rel_world_opts o = {.psa = REL_CONNECTWISE,
                      .companies = 120,
                      .seed = 3,
                      .change_pct = 20,
                      .psa_latency_ms = 20};
  rel_world w;
  rel_world_start(&w, &o);
  rel_write_config(&w, "max_concurrency = 6\n");
  rel_run r;
  rel_host(&w, &r, "--dry-run", NULL);
  ck_assert_int_eq(r.status, 0);
  json_object *c = tj_get(tj_get(r.report, "requests"), "concurrency");
  ck_assert_int_eq(tj_int(c, "max"), 6);
  /* 120 additions reads grow the window from 4 to its maximum. */
  ck_assert_int_eq(tj_int(c, "peak"), 6);
  ck_assert_int_eq(tj_int(c, "halved"), 0);
  json_object *stats = simproc_stats(&w.world.psa);
  ck_assert_int_eq(tj_int(stats, "max_inflight"), 6);
  json_object_put(stats);
  rel_run_free(&r);
  /* The table says it too. */
  const char *args[] = {"--driver", "connectwise", "--dry-run", NULL};
  hostrun h;
  rel_host_exec(&w, NULL, args, &h);
  ck_assert_ptr_nonnull(strstr(
      h.out, "Concurrency: at most 6 requests at once (max_concurrency 6)."));
  hostrun_free(&h);
  rel_world_stop(&w);
}
END_TEST

/* The most requests the PSA simulator had in flight at once on endpoints
 * whose key contains `part`. */
static int max_inflight(rel_world *w, const char *part) {
  json_object *stats = simproc_stats(&w->world.psa);
  int most = 0;
  json_object_object_foreach(tj_get(stats, "endpoints"), key, e) {
    if (strstr(key, part) && tj_int(e, "max_inflight") > most)
      most = (int)tj_int(e, "max_inflight");
  }
  json_object_put(stats);
  return most;
}

static long long psa_requests(json_object *report) {
  long long lp, psa;
  report_split(report, &lp, &psa);
  return psa;
}

/* A dry run, then the apply with `latency_ms` on the PSA; returns the
 * number of changes written. The writes reached the PSA exactly once each,
 * the apply cost `per_change` requests per change over the dry run, and
 * the host's counts are the simulator's. */
static int apply_in_parallel(rel_world *w, int latency_ms, int per_change) {
  rel_run dry, r;
  rel_host(w, &dry, "--dry-run", NULL);
  int planned = report_count_status(dry.report, "planned");
  ck_assert_int_ge(planned, 8);
  set_latency(w, REL_PSA, latency_ms);
  ck_assert_int_eq(
      simproc_send_json(&w->world.psa, "DELETE", "/_sim/stats", NULL), 0);
  ck_assert_int_eq(simproc_clear_log(&w->world.psa), 0);
  rel_host(w, &r, NULL);
  ck_assert_int_eq(r.status, dry.status);
  ck_assert_int_eq(report_count_status(r.report, "updated"), planned);
  ck_assert_int_gt(rel_assert_psa_matches(w, dry.report), 0);
  rel_assert_applied_once(w, dry.report);
  ck_assert_int_eq(psa_requests(r.report),
                   psa_requests(dry.report) + (long long)per_change * planned);
  json_object *stats = simproc_stats(&w->world.psa);
  ck_assert_int_eq(tj_int(stats, "total"), psa_requests(r.report));
  json_object_put(stats);
  rel_run_free(&dry);
  rel_run_free(&r);
  return planned;
}

START_TEST(connectwise_writes_in_parallel) {
  rel_world_opts o = {
      .psa = REL_CONNECTWISE, .companies = 40, .seed = 6, .change_pct = 60};
  rel_world w;
  rel_world_start(&w, &o);
  apply_in_parallel(&w, 40, 2);
  /* Several PATCHes at once, never more than max_concurrency (8). */
  int most = max_inflight(&w, "PATCH");
  ck_assert_int_ge(most, 2);
  ck_assert_int_le(most, 8);
  rel_world_stop(&w);
}
END_TEST

START_TEST(autotask_writes_in_parallel_within_3_per_entity) {
  rel_world_opts o = {
      .psa = REL_AUTOTASK, .companies = 40, .seed = 6, .change_pct = 60};
  rel_world w;
  rel_world_start(&w, &o);
  apply_in_parallel(&w, 40, 3);
  int adjust = max_inflight(&w, "contractserviceadjustments");
  ck_assert_int_ge(adjust, 2);
  ck_assert_int_le(adjust, 3);
  ck_assert_int_le(max_inflight(&w, "contractserviceunits"), 3);
  rel_world_stop(&w);
}
END_TEST

START_TEST(halopsa_writes_in_parallel) {
  rel_world_opts o = {
      .psa = REL_HALOPSA, .companies = 40, .seed = 6, .change_pct = 60};
  rel_world w;
  rel_world_start(&w, &o);
  apply_in_parallel(&w, 40, 2);
  ck_assert_int_ge(max_inflight(&w, "POST"), 2);
  rel_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("concurrency");
  TCase *tc = tcase_create("reads");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, lastpass_and_the_psa_are_read_at_once);
  tcase_add_test(tc, a_lastpass_failure_abandons_the_psa_read);
  tcase_add_test(tc, a_psa_failure_abandons_lastpass_and_is_reported);
  tcase_add_test(tc, the_report_says_the_concurrency_used);
  suite_add_tcase(s, tc);
  TCase *writes = tcase_create("writes");
  tcase_set_timeout(writes, 120);
  tcase_add_test(writes, connectwise_writes_in_parallel);
  tcase_add_test(writes, autotask_writes_in_parallel_within_3_per_entity);
  tcase_add_test(writes, halopsa_writes_in_parallel);
  suite_add_tcase(s, writes);
  char *tmp = test_private_tmpdir("concurrency");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  free(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
