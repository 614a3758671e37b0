/* SPDX-License-Identifier: MIT */
/*
 * test_hp_reliability.c — faults of the HaloPSA API end to end through
 * lpsa-host and halopsa.so, as test_faults_connectwise and
 * test_faults_autotask do for the other PSAs (rel_harness.h).
 *
 * World: 20 generated companies, all mapped, 7 of them to change; the
 * driver asks 5 records a page (page_size = 5) so that clients (4 pages)
 * and recurring invoices (5 pages) have middle pages.
 *
 * The table states each fault's expected outcome: RETRIED (as without the
 * fault, the log shows the retry), FOLLOWED (read correctly), or ABORTED
 * (exit 3, no write, the PSA unchanged). Then: one write refused, one
 * re-read refused, a PSA that loses every write, and the guardrails.
 */
#include <check.h>
#include <stdlib.h>

#include "rel_harness.h"

#define CLIENTS "\"path_prefix\":\"/api/Client\""
#define ITEMS "\"path_prefix\":\"/api/Item\""
#define INVOICES                                                               \
  "\"path_prefix\":\"/api/RecurringInvoice\","                                 \
  "\"query_contains\":\"includelines=true\""
#define ONE_INVOICE                                                            \
  "\"method\":\"GET\",\"path_prefix\":\"/api/RecurringInvoice/\""
#define POST_INVOICE                                                           \
  "\"method\":\"POST\",\"path_prefix\":\"/api/RecurringInvoice\""
#define TOKEN "\"method\":\"POST\",\"path_prefix\":\"/auth/token\""
#define AUTHINFO "\"path_prefix\":\"/api/authinfo\""
#define PAGE(n) "\"query_contains\":\"page_no=" #n "&\""

#define RULE(body) "[{\"name\":\"f\"," body "}]"
#define HALO_ERROR(msg)                                                        \
  "\"content_type\":\"application/json\",\"body\":\"{\\\"ClassName\\\":"       \
  "\\\"HaloException\\\",\\\"Message\\\":\\\"" msg "\\\"}\""

static const rel_fault_case cases[] = {
    /* ---- transient: retried, then as without the fault ---- */
    {"429 without Retry-After on the second page of clients", REL_PSA,
     RULE(CLIENTS "," PAGE(2) ",\"times\":1,\"status\":429,"
                              "\"body\":\"Rate Limit Reached\""),
     REL_RETRIED, "a 429 holds the group, then the page is sent again", NULL},
    {"429 with Retry-After on the third page of invoices", REL_PSA,
     RULE(INVOICES "," PAGE(3) ",\"times\":1,\"status\":429,"
                               "\"headers\":{\"Retry-After\":\"1\"}"),
     REL_RETRIED, "Retry-After honoured", NULL},
    {"502 on the item search", REL_PSA,
     RULE(ITEMS ",\"times\":1,\"status\":502"), REL_RETRIED, "502 is transient",
     NULL},
    {"503 on the token endpoint", REL_PSA,
     RULE(TOKEN ",\"times\":1,\"status\":503"), REL_RETRIED,
     "asking for a token again is harmless", NULL},
    {"connection reset on /api/authinfo", REL_PSA,
     RULE(AUTHINFO ",\"times\":1,\"action\":\"reset\""), REL_RETRIED,
     "a GET is resent", NULL},
    {"token expired on a middle page of invoices", REL_PSA,
     RULE(INVOICES "," PAGE(2) ",\"times\":1,\"action\":\"expire_token\""),
     REL_RETRIED, "401: one fresh token, the page sent again", NULL},
    {"connection reset on the re-read of an invoice", REL_PSA,
     RULE(ONE_INVOICE ",\"times\":1,\"action\":\"reset\""), REL_RETRIED,
     "a GET is resent", NULL},
    {"503 on a POST of an invoice", REL_PSA,
     RULE(POST_INVOICE ",\"times\":1,\"status\":503"), REL_RETRIED,
     "posting the same absolute lines again is safe", NULL},
    {"a POST applied, its answer cut", REL_PSA,
     RULE(POST_INVOICE ",\"times\":1,\"action\":\"cut\""), REL_RETRIED,
     "resent: the second post changes nothing more", NULL},
    /* ---- legitimate answers, read correctly ---- */
    {"a page cap of 3 on the first page of clients", REL_PSA,
     RULE(CLIENTS "," PAGE(1) ",\"times\":1,\"action\":\"page_cap\","
                              "\"cap\":3"),
     REL_FOLLOWED, "the later pages are asked with page_size 3", NULL},
    {"no /api/authinfo (on-premises)", REL_PSA,
     RULE(AUTHINFO ",\"status\":404"), REL_FOLLOWED,
     "the authorisation server is then {url}/auth", NULL},
    {"the item search as a bare array", REL_PSA,
     RULE(ITEMS ",\"action\":\"bare_array\""), REL_FOLLOWED,
     "a list without the wrapper", NULL},
    {"no record_count on the first page of invoices", REL_PSA,
     RULE(INVOICES "," PAGE(1) ",\"times\":1,\"action\":\"no_record_count\""),
     REL_FOLLOWED, "paged to the first short page", NULL},
    {"a slow body on the invoices", REL_PSA,
     RULE(INVOICES ",\"times\":1,\"action\":\"slow_body\","
                   "\"chunk_bytes\":512,\"delay_ms\":5"),
     REL_FOLLOWED, "within the timeout", NULL},
    /* ---- a picture that cannot be trusted: no write at all ---- */
    {"page_no ignored on the clients", REL_PSA,
     RULE(CLIENTS ",\"action\":\"page_repeat\""), REL_ABORTED,
     "the same clients twice", "twice"},
    {"record_count moving between pages", REL_PSA,
     RULE(INVOICES "," PAGE(2) ",\"action\":\"record_count_inflated\""),
     REL_ABORTED, "the list changed under the read", "moved from"},
    {"an empty middle page of clients", REL_PSA,
     RULE(CLIENTS "," PAGE(3) ",\"action\":\"empty_page\""), REL_ABORTED,
     "rows missing", "0 clients on page 3"},
    {"a truncated page of invoices", REL_PSA,
     RULE(INVOICES "," PAGE(1) ",\"action\":\"truncate\""), REL_ABORTED,
     "not complete JSON", "not complete JSON"},
    {"malformed clients", REL_PSA, RULE(CLIENTS ",\"action\":\"malformed\""),
     REL_ABORTED, "not complete JSON", "not complete JSON"},
    {"an oversized answer", REL_PSA,
     RULE(CLIENTS ",\"action\":\"oversize\",\"size_mb\":70"), REL_ABORTED,
     "the host's size cap", "larger than"},
    {"credentials refused", REL_PSA,
     RULE(TOKEN ",\"status\":401," HALO_ERROR("invalid_client")), REL_ABORTED,
     "no token", "rejected the API application's credentials"},
    {"a token refused even fresh", REL_PSA, RULE(CLIENTS ",\"status\":401"),
     REL_ABORTED, "one refresh, then the error", "even a fresh one"},
    {"invoices denied", REL_PSA,
     RULE(INVOICES ",\"status\":403," HALO_ERROR("Not permitted")), REL_ABORTED,
     "a missing scope", "read:invoices"},
    {"a server error on the items", REL_PSA,
     RULE(ITEMS ",\"status\":500," HALO_ERROR("Object reference")), REL_ABORTED,
     "500 is not retried", "HaloPSA failed while"},
};

static const rel_world_opts calm = {.psa = REL_HALOPSA,
                                    .companies = 20,
                                    .seed = 3,
                                    .change_pct = 35,
                                    .driver_keys = "page_size = 5\n"};

START_TEST(halopsa_fault) {
  rel_fault_case_run(&calm, &cases[_i]);
}
END_TEST

START_TEST(one_post_refused) {
  rel_scenario_write_fails(
      &calm, "400 on one POST RecurringInvoice",
      RULE(POST_INVOICE
           ",\"times\":1,\"status\":400," HALO_ERROR("Validation failed")),
      1);
}
END_TEST

START_TEST(one_reread_refused) {
  rel_scenario_write_fails(
      &calm, "500 on the re-read of one invoice",
      "[{\"name\":\"f\",\"method\":\"GET\",\"path_prefix\":"
      "\"/api/RecurringInvoice/{agreement}\",\"status\":500}]",
      1);
}
END_TEST

START_TEST(psa_loses_every_write) {
  rel_scenario_psa_down(&calm, RULE(POST_INVOICE ",\"action\":\"reset\""));
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
  Suite *s = suite_create("halopsa_reliability");
  TCase *faults = tcase_create("faults");
  tcase_set_timeout(faults, 120);
  tcase_add_loop_test(faults, halopsa_fault, 0,
                      (int)(sizeof cases / sizeof cases[0]));
  suite_add_tcase(s, faults);
  TCase *writes = tcase_create("writes");
  tcase_set_timeout(writes, 120);
  tcase_add_test(writes, one_post_refused);
  tcase_add_test(writes, one_reread_refused);
  tcase_add_test(writes, psa_loses_every_write);
  suite_add_tcase(s, writes);
  TCase *guard = tcase_create("guardrails");
  tcase_set_timeout(guard, 120);
  tcase_add_test(guard, guardrail_lastpass_empty);
  tcase_add_test(guard, guardrail_large_decrease);
  tcase_add_test(guard, guardrail_changed_in_psa);
  suite_add_tcase(s, guard);
  char *tmp = rel_private_tmpdir_begin("halopsa-rel");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
