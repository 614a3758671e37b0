/* SPDX-License-Identifier: MIT */
/*
 * test_faults_autotask.c — faults of the Autotask REST API end to end
 * through lpsa-host and autotask.so (issue 8, items 1 and 3).
 *
 * World: 20 generated companies, all mapped, 6 of them to change (three
 * contracts adjusted mid-period are NO_BILLING_PERIOD errors, so a normal
 * run exits 1). Autotask pages hold 500 records, so every query there is a
 * single page: its paging faults hit the first page (a POST query) and the
 * next-page URL it names; a second world of 600 companies (every 40th
 * mapped) gives the ContractServices query a second page for faults in
 * the middle of paging.
 *
 * The table of read faults states each expected outcome: RETRIED (as
 * without the fault, the log shows the retry: queries are reads, flagged
 * retry-safe), FOLLOWED, or ABORTED (exit 3, no adjustment posted, the
 * state unchanged); see rel_harness.h. Writes are deltas
 * (ContractServiceAdjustments) and are never resent by the transport, so
 * their faults have their own tests below: each proves that no delta is
 * applied twice, whatever happened to the POST.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rel_harness.h"

#define V1 "/atservicesrest/v1.0/"
#define ZONE V1 "zoneInformation"
#define SERVICES V1 "Services/query"
#define CONTRACTS V1 "Contracts/query"
#define CONTRACT_SERVICES V1 "ContractServices/query"
#define COMPANIES V1 "Companies/query"
#define UNITS V1 "ContractServiceUnits/query"
#define FIELDS V1 "Contracts/entityInformation/fields"
#define ADJUST                                                                 \
  "\"method\":\"POST\",\"path_prefix\":\"" V1 "ContractServiceAdjustments\""

#define RULE(body) "[{\"name\":\"f\"," body "}]"
#define AT_ERRORS(msg)                                                         \
  "\"content_type\":\"application/json\",\"body\":\"{\\\"errors\\\":[\\\"" msg \
  "\\\"]}\""
#define PATH(p) "\"path_prefix\":\"" p "\""

static const rel_fault_case cases[] = {
    /* ---- transient: retried, then as without the fault ---- */
    {"429 thread threshold (text/plain) on the contracts", REL_PSA,
     RULE(PATH(CONTRACTS) ",\"times\":1,\"status\":429,\"content_type\":"
                          "\"text/plain\",\"body\":\"Maximum thread threshold "
                          "of 3 threads has been exceeded\""),
     REL_RETRIED, "429 is transient; Autotask sends no Retry-After", NULL},
    {"429 with Retry-After on the units", REL_PSA,
     RULE(PATH(UNITS) ",\"times\":1,\"status\":429,\"headers\":{"
                      "\"Retry-After\":\"1\"}," AT_ERRORS("threshold")),
     REL_RETRIED, "Retry-After honoured", NULL},
    {"502 on the services", REL_PSA,
     RULE(PATH(SERVICES) ",\"times\":1,\"status\":502"), REL_RETRIED,
     "502 is transient", NULL},
    {"503 on the contract services", REL_PSA,
     RULE(PATH(CONTRACT_SERVICES) ",\"times\":1,\"status\":503"), REL_RETRIED,
     "503 is transient", NULL},
    {"connection reset on the zone lookup", REL_PSA,
     RULE(PATH(ZONE) ",\"times\":1,\"action\":\"reset\""), REL_RETRIED,
     "a GET is resent after a reset", NULL},
    {"timeout: the units query hangs once", REL_PSA,
     RULE(PATH(UNITS) ",\"times\":1,\"action\":\"hang\",\"delay_ms\":2500"),
     REL_RETRIED, "a query only reads: resent after the timeout", NULL},
    {"slow body beyond the timeout, once", REL_PSA,
     RULE(PATH(FIELDS) ",\"times\":1,\"action\":\"slow_body\","
                       "\"chunk_bytes\":64,\"delay_ms\":200"),
     REL_RETRIED, "the whole transfer is timed: resent", NULL},
    {"companies body cut short of its Content-Length, once", REL_PSA,
     RULE(PATH(COMPANIES) ",\"times\":1,\"action\":\"cut\""), REL_RETRIED,
     "a cut transfer is a transport error: resent", NULL},

    /* ---- legitimate ---- */
    {"slow body within the timeout", REL_PSA,
     RULE(PATH(ZONE) ",\"times\":1,\"action\":\"slow_body\","
                     "\"chunk_bytes\":32,\"delay_ms\":20"),
     REL_FOLLOWED, "a slow but complete answer is just read", NULL},
    {"empty page of contract services that names a next page", REL_PSA,
     RULE(PATH(CONTRACT_SERVICES) ",\"times\":1,\"action\":\"empty_page\""),
     REL_FOLLOWED,
     "an empty page whose nextPageUrl points on is legitimate: it is "
     "followed and no contract service goes missing",
     NULL},
    {"empty page of companies that names a next page", REL_PSA,
     RULE(PATH(COMPANIES) ",\"times\":1,\"action\":\"empty_page\""),
     REL_FOLLOWED, "followed; no company looks missing", NULL},

    /* ---- abort before any write ---- */
    {"500 with an errors body on the contracts", REL_PSA,
     RULE(PATH(CONTRACTS) ",\"times\":1,\"status\":500," AT_ERRORS(
         "Object reference not set to an instance of an object.")),
     REL_ABORTED, "500 is not retried: abort", "Object reference not set"},
    {"500 permissions on the units", REL_PSA,
     RULE(PATH(UNITS) ",\"status\":500," AT_ERRORS(
         "User does not have the adequate permissions to query "
         "ContractServiceUnits.")),
     REL_ABORTED, "a user without access: abort", "adequate permissions"},
    {"401 (plain text) on the services", REL_PSA,
     RULE(PATH(SERVICES) ",\"status\":401,\"content_type\":\"text/plain\","
                         "\"body\":\"Unauthorized\""),
     REL_ABORTED, "credentials refused: abort", "rejected the API user"},
    {"503 on every try of the companies", REL_PSA,
     RULE(PATH(COMPANIES) ",\"status\":503,\"headers\":{\"Retry-After\":"
                          "\"1\"}"),
     REL_ABORTED, "still 503 after the retries: abort", "answered HTTP 503"},
    {"connection reset on every try of the contracts", REL_PSA,
     RULE(PATH(CONTRACTS) ",\"action\":\"reset\""), REL_ABORTED,
     "unreachable after the retries: abort", "could not reach Autotask"},
    {"truncated JSON of the contract services", REL_PSA,
     RULE(PATH(CONTRACT_SERVICES) ",\"action\":\"truncate\""), REL_ABORTED,
     "half a page is never taken as the page", "incomplete or malformed JSON"},
    {"malformed units", REL_PSA, RULE(PATH(UNITS) ",\"action\":\"malformed\""),
     REL_ABORTED, "abort", "incomplete or malformed JSON"},
    {"malformed zone lookup", REL_PSA,
     RULE(PATH(ZONE) ",\"action\":\"malformed\""), REL_ABORTED,
     "no zone URL: abort", "looking up the Autotask zone"},
    {"wrong types in the contracts", REL_PSA,
     RULE(PATH(CONTRACTS) ",\"action\":\"wrong_types\""), REL_ABORTED, "abort",
     "wrong type"},
    {"wrong types in the units (numbers as strings)", REL_PSA,
     RULE(PATH(UNITS) ",\"action\":\"wrong_types\""), REL_ABORTED,
     "a unit count that is not a number: abort", "wrong type"},
    {"missing fields in the contract services", REL_PSA,
     RULE(PATH(CONTRACT_SERVICES) ",\"action\":\"missing_fields\""),
     REL_ABORTED, "abort", "missing"},
    {"missing fields in the units", REL_PSA,
     RULE(PATH(UNITS) ",\"action\":\"missing_fields\""), REL_ABORTED,
     "a row without its units must not read as zero: abort", "missing"},
    {"oversized services answer (70 MB, over the 64 MiB cap)", REL_PSA,
     RULE(PATH(SERVICES) ",\"action\":\"oversize\",\"size_mb\":70"),
     REL_ABORTED, "the transport refuses answers over its cap: abort",
     "67108864-byte limit"},
    {"paging loop: nextPageUrl back to the first page", REL_PSA,
     RULE(PATH(CONTRACT_SERVICES) ",\"action\":\"page_loop\""), REL_ABORTED,
     "the same records again: abort", "twice"},
    {"duplicate ids in the contracts", REL_PSA,
     RULE(PATH(CONTRACTS) ",\"action\":\"duplicate_ids\""), REL_ABORTED,
     "abort", "twice"},
};

/* Faults on the second page of a query: in a world of 600 companies the
 * ContractServices query (every contract service of the LastPass
 * services, mapped or not) spans two pages, the second one a GET of the
 * first page's nextPageUrl. */
#define NEXT_PAGE PATH(V1 "ContractServices/query/next")
static const rel_fault_case paged_cases[] = {
    {"empty second page that names a next page", REL_PSA,
     RULE(NEXT_PAGE ",\"times\":1,\"action\":\"empty_page\""), REL_FOLLOWED,
     "an empty page whose nextPageUrl points on is legitimate: it is "
     "followed and the records after it are read",
     NULL},
    {"paging loop: the second page links back to the first", REL_PSA,
     RULE(NEXT_PAGE ",\"times\":1,\"action\":\"page_loop\""), REL_ABORTED,
     "the same records again: abort", "twice"},
    {"duplicate ids: the second page repeats a record", REL_PSA,
     RULE(NEXT_PAGE ",\"times\":1,\"action\":\"duplicate_ids\""), REL_ABORTED,
     "abort", "twice"},
    {"second page truncated", REL_PSA,
     RULE(NEXT_PAGE ",\"action\":\"truncate\""), REL_ABORTED,
     "half a page is never taken as the page", "incomplete or malformed JSON"},
    {"503 on the second page, once", REL_PSA,
     RULE(NEXT_PAGE ",\"times\":1,\"status\":503"), REL_RETRIED,
     "503 is transient", NULL},
};

#define N_PAGED ((int)(sizeof paged_cases / sizeof *paged_cases))
#define N_CASES ((int)(sizeof cases / sizeof *cases))

static const rel_world_opts world = {.psa = REL_AUTOTASK,
                                     .companies = 20,
                                     .seed = 4,
                                     .change_pct = 30,
                                     .http_timeout = 1};

/* The same world with the default http_timeout, for the tests of writes
 * and guardrails: a write on a busy machine must not time out by luck. */
static const rel_world_opts calm = {
    .psa = REL_AUTOTASK,
    .companies = 20,
    .seed = 4,
    .change_pct = 30,
};

START_TEST(autotask_fault) {
  rel_fault_case_run(&world, &cases[_i]);
}
END_TEST

static const rel_world_opts paged_world = {.psa = REL_AUTOTASK,
                                           .companies = 600,
                                           .seed = 4,
                                           .change_pct = 30,
                                           .map_every = 40,
                                           .http_timeout = 1};

START_TEST(autotask_paged_fault) {
  rel_fault_case_run(&paged_world, &paged_cases[_i]);
}
END_TEST

/* Autotask refuses one adjustment (500): that company is WRITE_FAILED, the
 * others are updated, exit 1; the re-run posts it once. */
START_TEST(one_adjustment_refused) {
  rel_scenario_write_fails(&calm, "500 on one POST ContractServiceAdjustments",
                           RULE(ADJUST ",\"times\":1,\"status\":500," AT_ERRORS(
                               "Value must be a valid date.")),
                           1);
}
END_TEST

/* The connection resets on one adjustment before Autotask processed it:
 * the driver re-reads, sees the old count, reports WRITE_FAILED; the re-run
 * posts the delta once (not twice). */
START_TEST(one_adjustment_reset) {
  rel_scenario_write_fails(&calm,
                           "reset on one POST ContractServiceAdjustments",
                           RULE(ADJUST ",\"times\":1,\"action\":\"reset\""), 1);
}
END_TEST

/* 429 on an adjustment: a POST is never resent by the transport, so that
 * company is WRITE_FAILED and the next run posts it, once. */
START_TEST(one_adjustment_rate_limited) {
  rel_scenario_write_fails(
      &calm, "429 on one POST ContractServiceAdjustments",
      RULE(ADJUST ",\"times\":1,\"status\":429,\"content_type\":"
                  "\"text/plain\",\"body\":\"Maximum thread threshold of 3 "
                  "threads has been exceeded\""),
      1);
}
END_TEST

/* Every adjustment resets: apply stops after three in a row, exit 3. */
START_TEST(psa_down_while_writing) {
  rel_scenario_psa_down(&calm, RULE(ADJUST ",\"action\":\"reset\""));
}
END_TEST

/* The adjustment is applied but its answer is cut: the driver's re-read
 * proves it applied, so the run ends as without the fault; the re-run
 * posts nothing. */
START_TEST(adjustment_applied_answer_lost) {
  rel_world w;
  rel_world_start(&w, &calm);
  rel_run base, r, again;
  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_gt(rel_count_status(base.report, "planned"), 0);
  char *want = rel_digest(base.report, 1);
  ck_assert_int_eq(simproc_set_faults(
                       &w.psa, RULE(ADJUST ",\"times\":1,\"action\":\"cut\"")),
                   0);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);
  ck_assert_int_eq(r.status, base.status);
  char *got = rel_digest(r.report, 0);
  ck_assert_str_eq(want, got);
  rel_assert_psa_matches(&w, base.report);
  rel_assert_applied_once(&w, base.report);

  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_int_eq(again.status, base.status);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  rel_assert_applied_once(&w, base.report);
  free(got);
  free(want);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* The verifying re-read after an accepted adjustment fails (500): the
 * change may have applied, so the run says so (WRITE_FAILED, "may have
 * been applied") and leaves it open; the re-run finds it applied and posts
 * nothing: exactly one adjustment. */
START_TEST(adjustment_accepted_verify_fails) {
  rel_world w;
  rel_world_start(&w, &calm);
  rel_run base, r, again;
  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_gt(rel_count_status(base.report, "planned"), 1);
  /* Units queries: the snapshot's, then per change a re-read before the
   * POST and one after it: the third is the first change's verification. */
  ck_assert_int_eq(
      simproc_set_faults(&w.psa, RULE(PATH(UNITS) ",\"after\":2,\"times\":1,"
                                                  "\"status\":500," AT_ERRORS(
                                                      "Internal error"))),
      0);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(rel_fault_fired(&w, REL_PSA, "f"), 1);
  ck_assert_int_eq(r.status, 1);
  json_object *list = rel_get(r.report, "companies"), *failed = NULL;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(rel_str(c, "status"), "error") == 0 &&
        rel_has_rule(rel_get(c, "rules"), "WRITE_FAILED")) {
      ck_assert_ptr_null(failed);
      failed = c;
    }
  }
  ck_assert_ptr_nonnull(failed);
  ck_assert_msg(strstr(json_object_to_json_string(failed), "may have been"),
                "an accepted but unverified adjustment must not read as "
                "failed: %s",
                json_object_to_json_string(failed));
  rel_assert_psa_matches(&w, base.report);
  rel_assert_applied_once(&w, base.report);

  ck_assert_int_eq(simproc_clear_faults(&w.psa), 0);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_int_eq(again.status, base.status);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  ck_assert(
      rel_has_rule(rel_get(again.report, "findings"), "INTERRUPTED_CHANGE"));
  rel_assert_applied_once(&w, base.report);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* An adjustment that Autotask applies only after lpsa gave up waiting
 * (held 1.5 s, http_timeout 1 s): the driver's re-read still shows the old
 * count, so the run reports WRITE_FAILED; the late adjustment then lands.
 * The re-run must post nothing for that line: one adjustment in all. */
START_TEST(adjustment_applied_after_timeout) {
  rel_world w;
  rel_world_start(&w, &world);
  rel_run base, r, again;
  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_gt(rel_count_status(base.report, "planned"), 1);
  ck_assert_int_eq(simproc_set_faults(
                       &w.psa, RULE(ADJUST ",\"times\":1,\"action\":\"delay\","
                                           "\"delay_ms\":1500")),
                   0);
  rel_host(&w, &r, NULL);
  ck_assert_int_eq(r.status, 1);
  rel_wait_idle(&w, REL_PSA); /* the late adjustment has landed */
  rel_assert_psa_matches(&w, base.report);
  rel_assert_applied_once(&w, base.report);

  ck_assert_int_eq(simproc_clear_faults(&w.psa), 0);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  rel_host(&w, &again, NULL);
  ck_assert_int_eq(again.status, base.status);
  json_object *log = rel_log(&w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  rel_assert_applied_once(&w, base.report);
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* An unanswered adjustment POST that Autotask applies after the client gave
 * up: its fate was unknown, so the run reports "may have been applied" and
 * leaves the change open; the next run resolves it from the PSA
 * (INTERRUPTED_CHANGE), never blaming a person (CHANGED_IN_PSA) for lpsa's
 * own write, and never posting the delta twice. (Regression test: it was
 * reported as "nothing was changed".) */
START_TEST(late_adjustment_left_for_next_run) {
  rel_world w;
  rel_world_start(&w, &world);
  rel_run base, r, again;
  rel_host(&w, &base, "--dry-run", NULL);
  ck_assert_int_eq(simproc_set_faults(
                       &w.psa, RULE(ADJUST ",\"times\":1,\"action\":\"delay\","
                                           "\"delay_ms\":1500")),
                   0);
  rel_host(&w, &r, NULL);
  rel_wait_idle(&w, REL_PSA);
  json_object *list = rel_get(r.report, "companies"), *failed = NULL;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (rel_has_rule(rel_get(c, "rules"), "WRITE_FAILED"))
      failed = c;
  }
  ck_assert_ptr_nonnull(failed);
  char id[32];
  snprintf(id, sizeof id, "%s", rel_str(failed, "lastpass_id"));
  const char *text = json_object_to_json_string(rel_get(failed, "rules"));
  ck_assert_msg(strstr(text, "may have been applied") != NULL,
                "an unanswered adjustment that Autotask applied is reported "
                "as not applied: %s",
                text);
  rel_host(&w, &again, NULL);
  json_object *c = rel_company(again.report, id);
  ck_assert_msg(!rel_has_rule(rel_get(c, "rules"), "CHANGED_IN_PSA"),
                "lpsa's own late adjustment is blamed on a person: %s",
                json_object_to_json_string(c));
  rel_run_free(&again);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

START_TEST(guardrail_lastpass_empty) {
  rel_guardrail_lastpass_empty(&calm);
}
END_TEST

START_TEST(guardrail_large_decrease) {
  rel_guardrail_large_decrease(&calm);
}
END_TEST

START_TEST(guardrail_changed_in_psa) {
  rel_guardrail_changed_in_psa(&calm);
}
END_TEST

int main(void) {
  Suite *s = suite_create("faults_autotask");
  TCase *faults = tcase_create("faults");
  tcase_set_timeout(faults, 60);
  tcase_add_loop_test(faults, autotask_fault, 0, N_CASES);
  tcase_add_loop_test(faults, autotask_paged_fault, 0, N_PAGED);
  suite_add_tcase(s, faults);
  TCase *writes = tcase_create("writes");
  tcase_set_timeout(writes, 60);
  tcase_add_test(writes, one_adjustment_refused);
  tcase_add_test(writes, one_adjustment_reset);
  tcase_add_test(writes, one_adjustment_rate_limited);
  tcase_add_test(writes, psa_down_while_writing);
  tcase_add_test(writes, adjustment_applied_answer_lost);
  tcase_add_test(writes, adjustment_accepted_verify_fails);
  tcase_add_test(writes, adjustment_applied_after_timeout);
  tcase_add_test(writes, late_adjustment_left_for_next_run);
  suite_add_tcase(s, writes);
  TCase *guard = tcase_create("guardrails");
  tcase_set_timeout(guard, 60);
  tcase_add_test(guard, guardrail_lastpass_empty);
  tcase_add_test(guard, guardrail_large_decrease);
  tcase_add_test(guard, guardrail_changed_in_psa);
  suite_add_tcase(s, guard);
  char *tmp = rel_private_tmpdir_begin("faults-at");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
