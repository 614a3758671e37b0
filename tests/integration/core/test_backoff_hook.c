/* SPDX-License-Identifier: MIT */
/*
 * test_backoff_hook.c — LPSA_TEST_BACKOFF_MS, the back-off the fault tests
 * inject into lpsa-host (core/cli/test_backoff.h), through the real binary:
 * it caps the wait before a retry (the host says how long it waits: a
 * decision, not a measured time), Retry-After included, and says so on
 * every run; a value that is not a number of milliseconds is ignored with
 * a warning, and the Retry-After is honoured as without it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

#define DATA "tests/integration/core/data/"
/* The first companies page answers 503 once, asking for a wait. */
#define FAULT(seconds)                                                         \
  "[{\"name\":\"f\",\"path_prefix\":\"/business/v1/managed-companies\","       \
  "\"query_contains\":\"max-results=500\",\"times\":1,\"status\":503,"         \
  "\"headers\":{\"Retry-After\":\"" seconds "\"}}]"

static world w;

static void setup(void) {
  world_begin(&w, "backoff");
  world_lastpass(&w, DATA "lastpass.json", "2026-11-25", NULL);
  world_copy(&w, DATA "psa.json", "psa.json");
  world_copy(&w, DATA "mapping.csv", "mapping.csv");
  world_config(&w, NULL,
               WORLD_JSONPSA "sku.lastpass = LP-BUS, LP-LEGACY, LP-BUNDLE\n"
                             "sku.lastpass_mfa = LP-MFA, LP-BUNDLE\n");
}

static void teardown(void) {
  world_end(&w);
}

/* A dry run with the fault set: exit 1 as without it (the data set has
 * companies a person must see to), the retry in the log. */
static void dry_run(hostrun *h) {
  ck_assert_int_eq(simproc_set_faults(&w.lp, FAULT("30")), 0);
  world_run(&w, (const char *const[]){"--dry-run", NULL}, h);
  ck_assert_msg(h->status == 1, "exit %d: %s", h->status, h->err);
  json_object *log = world_sim_log(&w.lp);
  int retried = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++)
    retried +=
        strcmp(tj_text(json_object_array_get_idx(log, i), "fault"), "f") == 0;
  json_object_put(log);
  ck_assert_int_eq(retried, 1);
}

START_TEST(caps_the_wait_and_says_so) {
  world_setenv(&w, "LPSA_TEST_BACKOFF_MS=0");
  hostrun h;
  dry_run(&h);
  /* Retry-After: 30 asked for 30 s; the test build waits none of it. */
  ck_assert_msg(strstr(h.err, "retrying in 0.0 s"), "%s", h.err);
  ck_assert_msg(strstr(h.err, "LPSA_TEST_BACKOFF_MS=0 cuts every wait before "
                              "a retry to at most 0 ms"),
                "%s", h.err);
  ck_assert_msg(strstr(h.err, "unset it in production"), "%s", h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(a_bad_value_is_ignored_loudly) {
  world_setenv(&w, "LPSA_TEST_BACKOFF_MS=soon");
  ck_assert_int_eq(simproc_set_faults(&w.lp, FAULT("1")), 0);
  hostrun h;
  world_run(&w, (const char *const[]){"--dry-run", NULL}, &h);
  ck_assert_msg(h.status == 1, "exit %d: %s", h.status, h.err);
  ck_assert_msg(strstr(h.err, "LPSA_TEST_BACKOFF_MS=soon is ignored"), "%s",
                h.err);
  /* The server's Retry-After, as without the setting. */
  ck_assert_msg(strstr(h.err, "retrying in 1.0 s"), "%s", h.err);
  hostrun_free(&h);
}
END_TEST

int main(void) {
  Suite *s = suite_create("backoff_hook");
  TCase *tc = tcase_create("hook");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, caps_the_wait_and_says_so);
  tcase_add_test(tc, a_bad_value_is_ignored_loudly);
  suite_add_tcase(s, tc);
  char *tmp = test_private_tmpdir("backoff");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_rmtree(tmp);
  free(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
