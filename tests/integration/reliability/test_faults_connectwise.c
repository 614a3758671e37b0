/* SPDX-License-Identifier: MIT */
/*
 * test_faults_connectwise.c — faults of the ConnectWise PSA API end to end
 * through lpsa-host and connectwise.so (issue 8, items 1 and 3).
 *
 * World: 20 generated companies, all mapped, 7 of them to change; the
 * driver reads 5 records a page (page_size = 5) so that companies and
 * agreements come in four pages and paging faults have a middle page.
 *
 * The table (read faults, and transient faults of the PATCH, which the
 * driver flags retry-safe since it sets an absolute value) states each
 * expected outcome: RETRIED (as without the fault, the log shows the
 * retry), FOLLOWED, or ABORTED (exit 3, no PSA write, PSA state
 * unchanged). See rel_harness.h. The other tests: a write refused for one
 * company, a PSA that fails every write, and the guardrails.
 */
#include <check.h>
#include <stdlib.h>

#include "rel_harness.h"

#define API "/v4_6_release/apis/3.0/"
#define DISCOVERY "/login/companyinfo/"
#define CATALOG API "procurement/catalog"
#define COMPANIES API "company/companies"
/* The agreements list and an agreement's additions share a path prefix;
 * their conditions tell them apart. */
#define AGREEMENTS                                                             \
  "\"path_prefix\":\"" API "finance/agreements\","                             \
  "\"query_contains\":\"conditions=company%2Fid\""
#define ADDITIONS                                                              \
  "\"path_prefix\":\"" API "finance/agreements/\","                            \
  "\"query_contains\":\"conditions=product%2Fid\""
#define PATCH_ADDITION                                                         \
  "\"method\":\"PATCH\",\"path_prefix\":\"" API "finance/agreements/\""

#define RULE(body) "[{\"name\":\"f\"," body "}]"
#define CW_ERROR(code, msg)                                                    \
  "\"content_type\":\"application/json\",\"body\":\"{\\\"code\\\":\\\"" code   \
  "\\\",\\\"message\\\":\\\"" msg "\\\"}\""

static const rel_fault_case cases[] = {
    /* ---- transient: retried, then as without the fault ---- */
    {"429 with Retry-After on the second page of companies", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"query_contains\":\"page=2\","
          "\"times\":1,\"status\":429,\"headers\":{\"Retry-After\":\"1\"}"),
     REL_RETRIED, "429 is transient; Retry-After honoured", NULL},
    {"429 without Retry-After on the catalog", REL_PSA,
     RULE("\"path_prefix\":\"" CATALOG "\",\"times\":1,\"status\":429"),
     REL_RETRIED, "back-off, then resent", NULL},
    {"502 on the agreements", REL_PSA,
     RULE(AGREEMENTS ",\"times\":1,\"status\":502"), REL_RETRIED,
     "502 is transient", NULL},
    {"503 on an agreement's additions", REL_PSA,
     RULE(ADDITIONS ",\"times\":1,\"status\":503"), REL_RETRIED,
     "503 is transient", NULL},
    {"504 on the codebase discovery", REL_PSA,
     RULE("\"path_prefix\":\"" DISCOVERY "\",\"times\":1,\"status\":504"),
     REL_RETRIED, "504 is transient", NULL},
    {"connection reset on the companies", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"times\":1,\"action\":\"reset\""),
     REL_RETRIED, "a GET is resent after a reset", NULL},
    {"timeout: the third page of agreements hangs once", REL_PSA,
     RULE(AGREEMENTS ",\"query_contains\":\"page=3\",\"times\":1,"
                     "\"action\":\"hang\",\"delay_ms\":2500"),
     REL_RETRIED, "timed out after http_timeout, then resent", NULL},
    {"slow body beyond the timeout, once", REL_PSA,
     RULE(ADDITIONS ",\"times\":1,\"action\":\"slow_body\","
                    "\"chunk_bytes\":16,\"delay_ms\":200"),
     REL_RETRIED, "the whole transfer is timed: resent", NULL},
    {"companies body cut short of its Content-Length, once", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"times\":1,\"action\":\"cut\""),
     REL_RETRIED, "a cut transfer is a transport error: resent", NULL},
    {"503 on a PATCH", REL_PSA,
     RULE(PATCH_ADDITION ",\"times\":1,\"status\":503"), REL_RETRIED,
     "the PATCH sets an absolute quantity: safe to resend", NULL},
    {"connection reset on a PATCH", REL_PSA,
     RULE(PATCH_ADDITION ",\"times\":1,\"action\":\"reset\""), REL_RETRIED,
     "resent; the quantity is absolute", NULL},
    {"PATCH applied but its answer cut", REL_PSA,
     RULE(PATCH_ADDITION ",\"times\":1,\"action\":\"cut\""), REL_RETRIED,
     "resent: the same absolute value again changes nothing more", NULL},

    /* ---- legitimate ---- */
    {"slow body within the timeout", REL_PSA,
     RULE("\"path_prefix\":\"" CATALOG "\",\"times\":1,"
          "\"action\":\"slow_body\",\"chunk_bytes\":64,\"delay_ms\":20"),
     REL_FOLLOWED, "a slow but complete answer is just read", NULL},

    /* ---- abort before any write ---- */
    {"500 on the agreements", REL_PSA,
     RULE(AGREEMENTS ",\"times\":1,\"status\":500," CW_ERROR(
         "InternalServerError", "boom")),
     REL_ABORTED, "500 is not retried: abort", "answered 500"},
    {"503 on every try of the catalog", REL_PSA,
     RULE("\"path_prefix\":\"" CATALOG "\",\"status\":503,"
          "\"headers\":{\"Retry-After\":\"1\"}"),
     REL_ABORTED, "still 503 after the retries: abort", "answered 503"},
    {"connection reset on every try of an agreement's additions", REL_PSA,
     RULE(ADDITIONS ",\"action\":\"reset\""), REL_ABORTED,
     "unreachable after the retries: abort", "no answer from ConnectWise"},
    {"401 on the companies", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"status\":401," CW_ERROR(
         "Unauthorized", "Authentication failed")),
     REL_ABORTED, "keys refused: abort", "rejected the API keys"},
    {"403 on the agreements", REL_PSA,
     RULE(AGREEMENTS ",\"status\":403," CW_ERROR("Unauthorized", "no access")),
     REL_ABORTED, "a security role without agreements: abort",
     "security role lacks Finance > Agreements"},
    {"truncated JSON of the companies", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"query_contains\":\"page=2\","
          "\"action\":\"truncate\""),
     REL_ABORTED, "half a page is never taken as the page", "not valid JSON"},
    {"malformed additions", REL_PSA,
     RULE(ADDITIONS ",\"times\":1,\"action\":\"malformed\""), REL_ABORTED,
     "abort", "not valid JSON"},
    {"malformed codebase discovery", REL_PSA,
     RULE("\"path_prefix\":\"" DISCOVERY "\",\"action\":\"malformed\""),
     REL_ABORTED, "no API root can be known: abort", "no Codebase"},
    {"wrong type: an addition's quantity as a string", REL_PSA,
     RULE(ADDITIONS ",\"action\":\"wrong_types\""), REL_ABORTED,
     "a quantity that is not a number: abort", "\"quantity\" as a string"},
    {"wrong type: a company id as a string", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"action\":\"wrong_types\""),
     REL_ABORTED, "abort", "\"id\" as a string"},
    {"missing field: agreements without id", REL_PSA,
     RULE(AGREEMENTS ",\"query_contains\":\"page=2\","
                     "\"action\":\"missing_fields\""),
     REL_ABORTED, "abort", "record (agreement) with \"id\""},
    {"oversized agreements (70 MB, over the 64 MiB cap)", REL_PSA,
     RULE(AGREEMENTS ",\"action\":\"oversize\",\"size_mb\":70"), REL_ABORTED,
     "the transport refuses answers over its cap: abort",
     "67108864-byte limit"},
    {"paging loop: the third page of companies links back to page 1", REL_PSA,
     RULE("\"path_prefix\":\"" COMPANIES "\",\"query_contains\":\"page=3\","
          "\"action\":\"page_loop\""),
     REL_ABORTED, "a loop never ends a list: abort", "paging loop"},
    {"duplicate ids across pages of agreements", REL_PSA,
     RULE(AGREEMENTS ",\"query_contains\":\"page=2\","
                     "\"action\":\"duplicate_ids\""),
     REL_ABORTED, "a record on two pages means shifted paging: abort", "twice"},
};

#define N_CASES ((int)(sizeof cases / sizeof *cases))

static const rel_world_opts world = {.psa = REL_CONNECTWISE,
                                     .companies = 20,
                                     .seed = 4,
                                     .change_pct = 30,
                                     .http_timeout = 1,
                                     .driver_keys = "page_size = 5\n"};

/* The same world with the default http_timeout, for the tests of writes
 * and guardrails: a write on a busy machine must not time out by luck. */
static const rel_world_opts calm = {.psa = REL_CONNECTWISE,
                                    .companies = 20,
                                    .seed = 4,
                                    .change_pct = 30,
                                    .driver_keys = "page_size = 5\n"};

START_TEST(connectwise_fault) {
  rel_fault_case_run(&world, &cases[_i]);
}
END_TEST

/* With page-number paging, a page before the last holding fewer than
 * pageSize records means records were skipped: the snapshot must fail, not
 * report the companies on it as missing. (Regression test: such a page was
 * followed.) */
static const rel_fault_case empty_middle_page = {
    "empty second page of companies that links to page 3",
    REL_PSA,
    RULE("\"path_prefix\":\"" COMPANIES "\",\"query_contains\":\"page=2\","
         "\"times\":1,\"action\":\"empty_page\""),
    REL_ABORTED,
    "page-number paging: an empty page before the last means its records "
    "were skipped; the companies on it must not look missing: abort",
    "company/companies"};

START_TEST(empty_middle_page_aborts) {
  rel_fault_case_run(&world, &empty_middle_page);
}
END_TEST

/* A 500 on the first PATCH: that company is WRITE_FAILED, the others are
 * updated, exit 1; the re-run updates it once. */
START_TEST(one_patch_refused) {
  rel_scenario_write_fails(
      &calm, "500 on one PATCH",
      RULE(PATCH_ADDITION ",\"times\":1,\"status\":500," CW_ERROR(
          "InvalidObject", "Addition object is invalid")),
      1);
}
END_TEST

/* The re-read before one company's write fails (500): nothing is written
 * for that company. */
START_TEST(one_reread_refused) {
  rel_scenario_write_fails(
      &calm, "500 on the GET before a PATCH",
      RULE("\"method\":\"GET\",\"path_prefix\":\"" API
           "finance/agreements/{agreement}/additions/{line}\","
           "\"status\":500," CW_ERROR("InternalServerError", "boom")),
      1);
}
END_TEST

/* Every PATCH rate-limited (Retry-After: 0 keeps it quick): apply stops
 * after three in a row, exit 3. */
START_TEST(psa_down_while_writing) {
  rel_scenario_psa_down(&calm, RULE(PATCH_ADDITION ",\"status\":429,"
                                                   "\"headers\":{\"Retry-"
                                                   "After\":\"0\"}"));
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
  Suite *s = suite_create("faults_connectwise");
  TCase *faults = tcase_create("faults");
  tcase_set_timeout(faults, 60);
  tcase_add_loop_test(faults, connectwise_fault, 0, N_CASES);
  suite_add_tcase(s, faults);
  TCase *writes = tcase_create("writes");
  tcase_set_timeout(writes, 90);
  tcase_add_test(writes, one_patch_refused);
  tcase_add_test(writes, one_reread_refused);
  tcase_add_test(writes, psa_down_while_writing);
  tcase_add_test(writes, empty_middle_page_aborts);
  suite_add_tcase(s, writes);
  TCase *guard = tcase_create("guardrails");
  tcase_set_timeout(guard, 60);
  tcase_add_test(guard, guardrail_lastpass_empty);
  tcase_add_test(guard, guardrail_large_decrease);
  tcase_add_test(guard, guardrail_changed_in_psa);
  suite_add_tcase(s, guard);
  char *tmp = rel_private_tmpdir_begin("faults-cw");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
