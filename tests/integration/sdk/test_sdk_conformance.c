/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_conformance.c — our drivers pass the conformance suite: jsonpsa
 * against a copy of the template's example PSA, connectwise.so and
 * autotask.so against their simulators with the bundled fixtures, each at
 * level 2 (LPSA_CONFORMANCE_LEVEL lowers it; LPSA_CONFORMANCE_WRAPPER runs
 * lpsa-conformance under valgrind). Also the library API, called from this
 * test program as a driver's own test would.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lpsa/conformance.h"
#include "sdk_harness.h"
#include "simproc.h"

#define NOW "2026-11-15T12:00:00Z"

/* Run lpsa-conformance in dir and assert that every test of the level ran
 * and passed (none failed, none "not run"), per the TAP file. */
static void run_suite(const char *dir, const char *driver, const char *config,
                      const char *test_line) {
  int level = sdk_level(2);
  char lv[4];
  snprintf(lv, sizeof lv, "%d", level);
  const char *args[] = {"--driver",  driver, "--config",    config,
                        "--level",   lv,     "--tap",       "out.tap",
                        "--timeout", "240",  "--test-line", test_line,
                        NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 1, &r), 0);
  char *tap = test_read_file(dir, "out.tap");
  ck_assert_msg(r.status == 0, "lpsa-conformance exited %d for %s:\n%s%s",
                r.status, driver, r.out ? r.out : "", r.err ? r.err : "");
  ck_assert_msg(tap != NULL, "no TAP file written");
  ck_assert_msg(strstr(tap, "TAP version 13\n") == tap, "%s", tap);
  ck_assert_msg(!strstr(tap, "not ok") && !strstr(tap, "# SKIP"),
                "a test failed or did not run:\n%s", tap);
  lpsa_conformance_test_info info[128];
  size_t n = lpsa_conformance_tests(info, 128), want = 0;
  for (size_t i = 0; i < n; i++) {
    want += info[i].level <= level;
    if (info[i].level <= level)
      ck_assert_str_eq(sdk_tap_verdict(tap, info[i].name), "ok");
  }
  char plan[32];
  snprintf(plan, sizeof plan, "\n1..%zu\n", want);
  ck_assert_msg(strstr(tap, plan) != NULL, "expected plan %s in:\n%s", plan + 1,
                tap);
  free(tap);
  hostrun_free(&r);
}

static int count_log(const simproc *sp, const char *method, const char *part) {
  json_object *log = simproc_log(sp);
  ck_assert_ptr_nonnull(log);
  int n = 0;
  for (size_t i = 0; i < json_object_array_length(log); i++) {
    json_object *e = json_object_array_get_idx(log, i), *m, *p;
    if (json_object_object_get_ex(e, "method", &m) &&
        json_object_object_get_ex(e, "path", &p) &&
        strcmp(json_object_get_string(m), method) == 0 &&
        strstr(json_object_get_string(p), part))
      n++;
  }
  json_object_put(log);
  return n;
}

/* ---- jsonpsa ------------------------------------------------------------ */

static char *jsonpsa_dir(void) {
  char *dir = test_tmpdir("sdk-jsonpsa");
  ck_assert_ptr_nonnull(dir);
  ck_assert_int_eq(sdk_copy_example(dir, "psa.json"), 0);
  ck_assert_int_eq(sdk_copy_example(dir, "mapping.csv"), 0);
  ck_assert_int_eq(sdk_copy_example(dir, "lpsa.conf"), 0);
  return dir;
}

/* The quantity of line `id` and the write counter in the PSA file. */
static void jsonpsa_state(const char *dir, const char *id, long long *qty,
                          long long *writes) {
  char path[4200];
  snprintf(path, sizeof path, "%s/psa.json", dir);
  json_object *doc = json_object_from_file(path), *lines, *w;
  ck_assert_ptr_nonnull(doc);
  *qty = -1;
  ck_assert(json_object_object_get_ex(doc, "lines", &lines));
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i), *v;
    if (json_object_object_get_ex(l, "id", &v) &&
        strcmp(json_object_get_string(v), id) == 0 &&
        json_object_object_get_ex(l, "quantity", &v))
      *qty = json_object_get_int64(v);
  }
  *writes = json_object_object_get_ex(doc, "writes", &w)
                ? json_object_get_int64(w)
                : 0;
  json_object_put(doc);
}

START_TEST(jsonpsa_passes) {
  setenv("LPSA_LASTPASS_API_KEY", "not-used-by-the-suite", 1);
  char *dir = jsonpsa_dir();
  char driver[4200];
  snprintf(driver, sizeof driver, "%s/jsonpsa.so", getenv("LPSA_DRIVER_DIR"));
  run_suite(dir, driver, "lpsa.conf", "l1");
  long long qty, writes;
  jsonpsa_state(dir, "l1", &qty, &writes);
  ck_assert_int_eq(qty, 12); /* restored */
  /* Level 2 writes exactly twice (N+1, restore): the second N+1 and the
   * missing line wrote nothing. */
  ck_assert_int_eq(writes, sdk_level(2) == 2 ? 2 : 0);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* The library, as a driver's own test program calls it. */
START_TEST(library_api) {
  setenv("LPSA_LASTPASS_API_KEY", "not-used-by-the-suite", 1);
  char *dir = jsonpsa_dir();
  char driver[4200], config[4200];
  snprintf(driver, sizeof driver, "%s/jsonpsa.so", getenv("LPSA_DRIVER_DIR"));
  snprintf(config, sizeof config, "%s/lpsa.conf", dir);
  ck_assert_int_eq(chdir(dir), 0); /* jsonpsa's `file` is relative */
  lpsa_conformance_options opt = LPSA_CONFORMANCE_OPTIONS_INIT;
  opt.driver = driver;
  opt.config = config;
  opt.level = 2;
  opt.test_line = "l1";
  opt.only = "level2.";
  lpsa_conformance_report rep;
  int rc = lpsa_conformance_run(&opt, &rep);
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ck_assert_ptr_nonnull(mem);
  ck_assert_int_eq(lpsa_conformance_write_tap(&rep, mem), 0);
  fclose(mem);
  ck_assert_msg(rc == 0, "rc %d: %s\n%s", rc, rep.error, text);
  ck_assert_uint_eq(rep.n, 5);
  ck_assert_uint_eq(rep.passed, 5);
  ck_assert_str_eq(rep.results[0].name, "level2.baseline");
  ck_assert_str_eq(sdk_tap_verdict(text, "level2.restore"), "ok");
  free(text);
  lpsa_conformance_report_free(&rep);

  /* A configuration that does not load: status 2 and the host's words. */
  opt.config = "no-such.conf";
  rc = lpsa_conformance_run(&opt, &rep);
  ck_assert_int_eq(rc, 2);
  ck_assert_msg(strstr(rep.error, "cannot open") != NULL, "%s", rep.error);
  ck_assert_uint_eq(rep.n, 0);
  lpsa_conformance_report_free(&rep);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- connectwise -------------------------------------------------------- */

START_TEST(connectwise_passes) {
  setenv("LPSA_NOW", NOW, 1);
  char fixture[4200], err[512];
  snprintf(fixture, sizeof fixture,
           "%s/tests/sim/connectwise/fixtures/small.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *sim_args[] = {"--fixture", fixture, NULL};
  simproc sp;
  ck_assert_msg(
      simproc_start(&sp, "connectwise-sim", sim_args, err, sizeof err) == 0,
      "%s", err);
  char *dir = test_tmpdir("sdk-cw");
  ck_assert_ptr_nonnull(dir);
  /* Companies of every kind in the fixture: plain, MFA, two products, a
   * deleted one, a prorated agreement, a pinned child agreement. */
  ck_assert_int_eq(test_write_file(dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id,"
                                   "agreement_id,note\n"
                                   "1,1001,,\n2,1002,,\n3,1004,,\n4,1008,,\n"
                                   "5,1013,,\n6,1014,5016,\n"),
                   0);
  char conf[2048];
  snprintf(conf, sizeof conf,
           "[host]\nmapping_file = mapping.csv\n"
           "[lastpass]\napi_key = not-used-by-the-suite\n"
           "[driver.connectwise]\nsite = %s\ncompany_id = lpsademo\n"
           "public_key = pubkey\nprivate_key = privkey\n"
           "client_id = 3f1c2b9e-0000-4000-8000-00000000c11d\n"
           "sku.lastpass = LASTPASS-BUS\nsku.lastpass_mfa = LASTPASS-MFA\n",
           sp.base_url);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  run_suite(dir, "connectwise", "lpsa.conf", "9001");
  /* On the wire: the set to N+1 and the restore, nothing for the set with
   * nothing to do or for the missing line. */
  ck_assert_int_eq(count_log(&sp, "PATCH", "/additions/"),
                   sdk_level(2) == 2 ? 2 : 0);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- autotask ----------------------------------------------------------- */

START_TEST(autotask_passes) {
  setenv("LPSA_NOW", NOW, 1);
  char fixture[4200], err[512];
  snprintf(fixture, sizeof fixture, "%s/tests/sim/autotask/fixtures/small.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *sim_args[] = {"--fixture", fixture, "--now", "2026-11-15", NULL};
  simproc sp;
  ck_assert_msg(simproc_start(&sp, "autotask-sim", sim_args, err, sizeof err) ==
                    0,
                "%s", err);
  char *dir = test_tmpdir("sdk-at");
  ck_assert_ptr_nonnull(dir);
  /* A normal contract, a 31st start, two services, two contracts (one
   * pinned), an inactive contract, an inactive company. */
  ck_assert_int_eq(test_write_file(dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id,"
                                   "agreement_id,note\n"
                                   "1,1000,,\n2,1001,,\n3,1002,,\n"
                                   "4,1003,2004,\n5,1004,,\n6,1012,,\n"),
                   0);
  char conf[2048];
  snprintf(conf, sizeof conf,
           "[host]\nmapping_file = mapping.csv\n"
           "[lastpass]\napi_key = not-used-by-the-suite\n"
           "[driver.autotask]\nzone_lookup_url = %s/atservicesrest\n"
           "username = api@demo.example\nsecret = demosecret\n"
           "integration_code = DEMOCODE\n"
           "sku.lastpass = LastPass Business\n"
           "sku.lastpass_mfa = LastPass Business + MFA\n",
           sp.base_url);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  run_suite(dir, "autotask", "lpsa.conf", "5001");
  ck_assert_int_eq(count_log(&sp, "POST", "/ContractServiceAdjustments"),
                   sdk_level(2) == 2 ? 2 : 0);
  ck_assert_int_eq(simproc_stop(&sp), 0);
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sdk_conformance");
  TCase *tc = tcase_create("drivers");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, jsonpsa_passes);
  tcase_add_test(tc, library_api);
  tcase_add_test(tc, connectwise_passes);
  tcase_add_test(tc, autotask_passes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
