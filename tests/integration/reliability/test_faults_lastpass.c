/* SPDX-License-Identifier: MIT */
/*
 * test_faults_lastpass.c — faults of the LastPass API, end to end through
 * lpsa-host (issue 8, item 1), with each PSA behind it.
 *
 * Every case runs in a fresh generated world of 120 companies (so the
 * billing report, 50 records a page, has three pages and a middle one),
 * every 6th of them mapped (the PSA work stays small; a mapped company is
 * on every page of the billing report): a
 * dry run without the fault is the baseline (exit 0, changes planned), then
 * an apply runs with the fault rule set on lastpass-sim. The expected
 * outcome is written in each row:
 *   RETRIED   the transport retried (429/502/503, reset, timeout, a cut
 *             body) and the run ended exactly as without the fault: same
 *             exit code, same report, the PSA holds the targets, and the
 *             simulator's log shows the retry;
 *   FOLLOWED  the answer was unusual but legitimate and was read right;
 *   ABORTED   exit 3 before any PSA write: the report says why, the PSA's
 *             log holds no write and its state is unchanged.
 * LastPass is read completely before the PSA is touched, so any LastPass
 * fault that is not retried away must abort: a partial read (a page cut,
 * a record missing a field, a page repeated) is never taken as complete.
 *
 * http_timeout is 1 s (its minimum) so that timeouts are quick; a hung
 * request is held 2.5 s by the simulator.
 */
#include <check.h>
#include <stdlib.h>

#include "rel_harness.h"

#define COMPANIES "/business/v1/managed-companies"
#define CYCLES "/business/v1/managed-companies-reports/billing-cycles"
#define BILLING "/business/v1/managed-companies-reports/billing-reports"
/* The companies list alone: its path is a prefix of the reports' paths,
 * and only it asks for 500 a page (the billing report asks for 50). */
#define ONLY_COMPANIES "\"query_contains\":\"max-results=500\""
/* A page after the first. */
#define LATER_PAGE "\"query_contains\":\"page-token=\""

#define RULE(body) "[{\"name\":\"f\"," body "}]"
#define CYCLE(start, end)                                                      \
  "{\"startDate\":\"" start "\",\"endDate\":\"" end "\"}"

static const rel_fault_case cases[] = {
    /* ---- transient: retried, then as without the fault ---- */
    {"429 with Retry-After on the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"times\":1,\"status\":429,\"headers\":{\"Retry-After\":\"1\"},"
          "\"content_type\":\"application/problem+json\",\"body\":"
          "\"{\\\"title\\\":\\\"Too Many Requests\\\",\\\"status\\\":429}\""),
     REL_RETRIED, "429 is transient; Retry-After: 1 is honoured", NULL},
    {"429 without Retry-After on the billing report's middle page",
     REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"times\":1,\"status\":429"),
     REL_RETRIED, "429 is transient; exponential back-off", NULL},
    {"502 on the billing cycles", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"times\":1,\"status\":502"),
     REL_RETRIED, "502 is transient", NULL},
    {"503 with Retry-After on the billing report", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"times\":1,\"status\":503,"
          "\"headers\":{\"Retry-After\":\"1\"}"),
     REL_RETRIED, "503 is transient", NULL},
    {"connection reset on the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"times\":1,\"action\":\"reset\""),
     REL_RETRIED, "a GET is safe to resend after a reset", NULL},
    {"timeout: the billing report hangs once", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"times\":1,\"action\":\"hang\","
          "\"delay_ms\":2500"),
     REL_RETRIED, "timed out after http_timeout, then resent", NULL},
    {"slow body beyond the timeout, once", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"times\":1,"
          "\"action\":\"slow_body\",\"chunk_bytes\":64,\"delay_ms\":200"),
     REL_RETRIED, "the whole transfer is timed: resent", NULL},
    {"body cut short of its Content-Length, once", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"times\":1,\"action\":\"cut\""),
     REL_RETRIED, "a cut transfer is a transport error: resent", NULL},

    /* ---- unusual but legitimate: read correctly ---- */
    {"slow body within the timeout", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"times\":1,"
          "\"action\":\"slow_body\",\"chunk_bytes\":32,\"delay_ms\":20"),
     REL_FOLLOWED, "a slow but complete answer is just read", NULL},
    {"empty page in the middle of the billing report, with a next token",
     REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"times\":1,\"action\":\"empty_page\""),
     REL_FOLLOWED,
     "an empty page that names a next page is legitimate: paging continues "
     "and no company loses its seats",
     NULL},
    {"empty first page of the companies list, with a next token", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"times\":1,\"action\":\"empty_page\""),
     REL_FOLLOWED, "paging continues to the real page", NULL},
    {"last page says nextPageToken \"\"", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"action\":\"empty_token\""),
     REL_FOLLOWED, "an empty token means no more pages, like null", NULL},

    /* ---- not transient, or not usable: abort before any write ---- */
    {"500 on the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"times\":1,\"status\":500,\"content_type\":"
          "\"application/problem+json\",\"body\":\"{\\\"title\\\":\\\"Internal "
          "Server Error\\\",\\\"status\\\":500}\""),
     REL_ABORTED, "500 is not retried (http.h): abort", "HTTP 500"},
    {"503 on every try of the billing report", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"status\":503,"
          "\"headers\":{\"Retry-After\":\"1\"}"),
     REL_ABORTED, "still 503 after the retries: abort", "HTTP 503"},
    {"connection reset on every try of the billing cycles", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"action\":\"reset\""), REL_ABORTED,
     "unreachable after the retries: abort", "cannot reach LastPass"},
    {"401: the API key is refused", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"status\":401,"
          "\"content_type\":\"application/problem+json\",\"body\":"
          "\"{\\\"title\\\":\\\"Unauthorized\\\",\\\"status\\\":401}\""),
     REL_ABORTED, "credentials refused: abort", "rejected the API key"},
    {"truncated JSON of the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"truncate\""),
     REL_ABORTED, "a complete HTTP answer holding half a document: abort",
     "malformed or truncated"},
    {"truncated JSON of the billing report's middle page", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"times\":1,\"action\":\"truncate\""),
     REL_ABORTED, "half a page is never taken as the page",
     "malformed or truncated"},
    {"malformed billing cycles", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"action\":\"malformed\""),
     REL_ABORTED, "no usable billing cycle: abort", "billing cycle"},
    {"wrong type: a company id as an object", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"wrong_types\""),
     REL_ABORTED, "a record that does not match the API: abort",
     "usable \"id\""},
    {"wrong type: activeUsers as a string", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"action\":\"wrong_types\""),
     REL_ABORTED, "a seat count that is not a number: abort", "activeUsers"},
    {"wrong type: a company status as a number", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"wrong_types\",\"field\":\"status\""),
     REL_ABORTED, "suspended or not cannot be told: abort", "status"},
    {"missing field: a company without id", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"missing_fields\""),
     REL_ABORTED, "abort", "usable \"id\""},
    {"missing field: a company without name", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"missing_fields\",\"field\":\"name\""),
     REL_ABORTED, "abort", "\"name\""},
    {"missing field: a billing record without activeUsers", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"action\":\"missing_fields\""),
     REL_ABORTED, "a company must not look like it has no users: abort",
     "activeUsers"},
    {"missing field: a billing record without companyId", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"action\":\"missing_fields\",\"field\":\"companyId\""),
     REL_ABORTED, "seats that belong to nobody: abort", "companyId"},
    {"oversized companies list (70 MB, over the 64 MiB cap)", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"oversize\",\"size_mb\":70"),
     REL_ABORTED, "the transport refuses answers over its cap: abort",
     "67108864-byte limit"},
    {"paging loop in the billing report (next token back to page 1)",
     REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"times\":1,\"action\":\"page_loop\""),
     REL_ABORTED, "page 1 comes again: its records twice: abort",
     "two billing records"},
    {"paging loop in the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"page_loop\""),
     REL_ABORTED, "a loop never ends a list: abort", "twice"},
    {"duplicate ids across billing report pages", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"times\":1,\"action\":\"duplicate_ids\""),
     REL_ABORTED, "a record on two pages means shifted paging: abort",
     "two billing records"},
    {"duplicate company in the companies list", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"duplicate_ids\""),
     REL_ABORTED, "abort", "twice"},

    /* ---- billing cycles: only the one covering today is billed ---- */
    {"several billing cycles, the current one last", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"action\":\"cycles\","
          "\"cycles\":[" CYCLE("2026-09-01", "2026-09-30") "," CYCLE(
              "2026-10-01", "2026-10-31") "," CYCLE("2026-11-01",
                                                    "2026-11-30") "]"),
     REL_FOLLOWED, "the cycle covering today is found wherever it is listed",
     NULL},
    {"billing cycles in no order", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"action\":\"cycles\","
          "\"cycles\":[" CYCLE("2026-10-01", "2026-10-31") "," CYCLE(
              "2026-11-01", "2026-11-30") "," CYCLE("2026-09-01",
                                                    "2026-09-30") "]"),
     REL_FOLLOWED, "the order of the cycles is not documented", NULL},
    {"no billing cycle covers today", REL_LASTPASS,
     RULE("\"path_prefix\":\"" CYCLES "\",\"action\":\"cycles\","
          "\"cycles\":[" CYCLE("2026-10-01", "2026-10-31") "," CYCLE(
              "2026-09-01", "2026-09-30") "]"),
     REL_ABORTED,
     "last month's counts must never be billed as this month's: abort, "
     "naming the cycles LastPass returned",
     "2026-10-01..2026-10-31, 2026-09-01..2026-09-30"},

    /* ---- endless paging: a fresh page token forever ---- */
    {"endless companies list: new companies on every page, forever",
     REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"action\":\"endless\""),
     REL_ABORTED, "more companies than any LastPass account has: abort",
     "kept paging"},
    {"endless billing report: new records on every page, forever", REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\",\"action\":\"endless\""),
     REL_ABORTED, "more billing records than any account has: abort",
     "kept paging"},
    {"empty pages of the billing report with a fresh token, forever",
     REL_LASTPASS,
     RULE("\"path_prefix\":\"" BILLING "\"," LATER_PAGE
          ",\"action\":\"empty_page\""),
     REL_ABORTED, "paging that brings nothing, forever: abort", "kept paging"},

    /* ---- ids: refused, never clamped ---- */
    {"a company id beyond the 64-bit range (a JSON number)", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"status\":200,\"content_type\":\"application/json\","
          "\"body\":\"{\\\"items\\\":[{\\\"id\\\":"
          "9223372036854775808,\\\"name\\\":\\\"Big\\\"}]}\""),
     REL_ABORTED, "an id that does not fit is never rounded to one that does",
     "usable \"id\""},
    {"a company id beyond the 64-bit range (digits in a string)", REL_LASTPASS,
     RULE("\"path_prefix\":\"" COMPANIES "\"," ONLY_COMPANIES
          ",\"status\":200,\"content_type\":\"application/json\","
          "\"body\":\"{\\\"items\\\":[{\\\"id\\\":"
          "\\\"9223372036854775808\\\",\\\"name\\\":\\\"Big\\\"}]}\""),
     REL_ABORTED, "an id past int64 is refused", "usable \"id\""},
};

#define N_CASES ((int)(sizeof cases / sizeof *cases))

static void run(rel_psa psa, int i) {
  rel_world_opts o = {.psa = psa,
                      .companies = 120,
                      .seed = 1,
                      .change_pct = 30,
                      .map_every = 6,
                      .http_timeout = 1};
  rel_fault_case_run(&o, &cases[i]);
}

START_TEST(lastpass_fault_with_connectwise) {
  run(REL_CONNECTWISE, _i);
}
END_TEST

START_TEST(lastpass_fault_with_autotask) {
  run(REL_AUTOTASK, _i);
}
END_TEST

int main(void) {
  Suite *s = suite_create("faults_lastpass");
  TCase *cw = tcase_create("connectwise");
  tcase_set_timeout(cw, 60);
  tcase_add_loop_test(cw, lastpass_fault_with_connectwise, 0, N_CASES);
  suite_add_tcase(s, cw);
  TCase *at = tcase_create("autotask");
  tcase_set_timeout(at, 60);
  tcase_add_loop_test(at, lastpass_fault_with_autotask, 0, N_CASES);
  suite_add_tcase(s, at);
  char *tmp = rel_private_tmpdir_begin("faults-lp");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
