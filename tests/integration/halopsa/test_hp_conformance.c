/* SPDX-License-Identifier: MIT */
/*
 * test_hp_conformance.c — halopsa.so passes the conformance suite (levels
 * 0 to 2; LPSA_CONFORMANCE_LEVEL lowers it, LPSA_CONFORMANCE_WRAPPER runs
 * it under valgrind) against halopsa-sim holding the demo's dataset, and
 * level 2's writes are exactly the set to N+1 and the restore, each
 * posting the invoice back with every line.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpsa/conformance.h"
#include "sdk_harness.h"
#include "simproc.h"

START_TEST(halopsa_passes) {
  setenv("LPSA_NOW", "2026-11-15T12:00:00Z", 1);
  char fixture[4200], err[512];
  snprintf(fixture, sizeof fixture, "%s/conf/demo/halopsa.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *sim_args[] = {"--fixture", fixture, NULL};
  simproc sp;
  ck_assert_msg(simproc_start(&sp, "halopsa-sim", sim_args, err, sizeof err) ==
                    0,
                "%s", err);
  char *dir = test_tmpdir("hp-conformance");
  ck_assert_ptr_nonnull(dir);
  /* Clients of every kind: plain, MFA, inactive, one with a pinned
   * invoice beside another, one whose quantity Halo computes. */
  ck_assert_int_eq(test_write_file(dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id,"
                                   "agreement_id,note\n"
                                   "1,1001,,\n2,1002,,\n3,1013,,\n"
                                   "4,1017,3017,\n5,1020,,\n"),
                   0);
  char conf[2048];
  snprintf(conf, sizeof conf,
           "[host]\nmapping_file = mapping.csv\n"
           "[lastpass]\napi_key = not-used-by-the-suite\n"
           "[driver.halopsa]\nurl = %s\nclient_id = lpsa-demo-client\n"
           "client_secret = demosecret\n"
           "sku.lastpass = LastPass Business\n"
           "sku.lastpass_mfa = LastPass Business + MFA\n",
           sp.base_url);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  int level = sdk_level(2);
  char lv[4];
  snprintf(lv, sizeof lv, "%d", level);
  const char *args[] = {"--driver",    "halopsa", "--config",  "lpsa.conf",
                        "--level",     lv,        "--tap",     "out.tap",
                        "--test-line", "40001",   "--timeout", "240",
                        NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 1, &r), 0);
  char *tap = test_read_file(dir, "out.tap");
  ck_assert_msg(r.status == 0, "lpsa-conformance exited %d:\n%s%s%s", r.status,
                r.out ? r.out : "", r.err ? r.err : "", tap ? tap : "");
  ck_assert_ptr_nonnull(tap);
  ck_assert_msg(!strstr(tap, "not ok") && !strstr(tap, "# SKIP"),
                "a test failed or did not run:\n%s", tap);
  lpsa_conformance_test_info info[128];
  size_t n = lpsa_conformance_tests(info, 128), want = 0;
  for (size_t i = 0; i < n; i++)
    if (info[i].level <= level) {
      want++;
      ck_assert_str_eq(sdk_tap_verdict(tap, info[i].name), "ok");
    }
  char plan[32];
  snprintf(plan, sizeof plan, "\n1..%zu\n", want);
  ck_assert_msg(strstr(tap, plan) != NULL, "expected plan %s in:\n%s", plan + 1,
                tap);
  /* On the simulator: the set to N+1 and the restore only, each with
   * every line of the invoice; the line is back at 12. */
  json_object *state = simproc_get_state(&sp);
  ck_assert_ptr_nonnull(state);
  json_object *writes = NULL, *dropped = NULL;
  ck_assert(json_object_object_get_ex(state, "writes", &writes));
  ck_assert(json_object_object_get_ex(state, "dropped_lines", &dropped));
  ck_assert_int_eq(json_object_array_length(writes), level == 2 ? 2 : 0);
  ck_assert_int_eq(json_object_array_length(dropped), 0);
  json_object *invoices = NULL;
  ck_assert(json_object_object_get_ex(state, "invoices", &invoices));
  long long qty = -1;
  for (size_t i = 0; i < json_object_array_length(invoices); i++) {
    json_object *lines = NULL;
    json_object_object_get_ex(json_object_array_get_idx(invoices, i), "lines",
                              &lines);
    for (size_t k = 0; lines && k < json_object_array_length(lines); k++) {
      json_object *l = json_object_array_get_idx(lines, k), *v = NULL;
      if (json_object_object_get_ex(l, "id", &v) &&
          json_object_get_int64(v) == 40001 &&
          json_object_object_get_ex(l, "qty_order", &v))
        qty = json_object_get_int64(v);
    }
  }
  ck_assert_int_eq(qty, 12);
  json_object_put(state);
  free(tap);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
  simproc_stop(&sp);
}
END_TEST

int main(void) {
  Suite *s = suite_create("halopsa_conformance");
  TCase *tc = tcase_create("conformance");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, halopsa_passes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
