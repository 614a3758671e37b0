/* SPDX-License-Identifier: MIT */
/*
 * test_valgrind_e2e.c — one dry run and one apply of lpsa-host under
 * valgrind memcheck, end to end against the LastPass simulator and each
 * PSA (the JSON-file test PSA, connectwise-sim, autotask-sim), on a small
 * data set (issue 8, item 6).
 *
 * valgrind runs with --error-exitcode=99 --leak-check=full
 * --errors-for-leak-kinds=definite,indirect: any memory error, or any
 * definite or indirect leak, makes the run exit 99; "still reachable"
 * blocks (libltdl, libcurl and OpenSSL keep some until exit) do not count.
 * Each run must also end with its normal exit code, so a run that failed
 * early cannot pass for a clean one.
 *
 * The ConnectWise and Autotask cases are compiled in when CMake built those
 * drivers and simulators (LPSA_VG_CONNECTWISE, LPSA_VG_AUTOTASK).
 *
 * Not run (exit 77, which CTest reports as skipped) in a sanitizer build,
 * where valgrind cannot run the ASan-instrumented host, or without
 * valgrind.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostrun.h"
#include "simproc.h"
#include "wrapped_host.h"

#define SKIP 77
#define NOW_DATE "2026-11-15"

#if defined(__SANITIZE_ADDRESS__)
#define LPSA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LPSA_ASAN 1
#endif
#endif

static const char *const valgrind[] = {
    "valgrind",
    "-q",
    "--error-exitcode=99",
    "--leak-check=full",
    "--errors-for-leak-kinds=definite,indirect",
    "--track-fds=no",
    "--num-callers=30",
    NULL};

typedef struct vg_case {
  const char *driver; /* the [driver.NAME] section */
  const char *sim;    /* PSA simulator, or NULL */
  const char *lastpass_json;
  const char *mapping;
  const char *section; /* the section's keys; %s: the PSA simulator URL */
  const char *updated; /* the apply's summary count, as the report has it */
} vg_case;

static const char two_companies[] =
    "{\"companies\":[{\"id\":201,\"name\":\"O'Brien\",\"status\":\"active\","
    "\"type\":\"managed\",\"addons\":[],\"activeUsers\":14},{\"id\":202,"
    "\"name\":\"Blue Sky\",\"status\":\"active\",\"type\":\"managed\","
    "\"addons\":[\"mfa\"],\"activeUsers\":%d}],\"billingCycle\":{"
    "\"startDate\":\"2026-11-01\",\"endDate\":\"2026-11-30\"}}";

static const vg_case cases[] = {
    {"jsonpsa", NULL, "8",
     "lastpass_company_id,psa_company_id\n201,c1\n202,c2\n",
     "file = psa.json\nsku.lastpass = LP-BUS\nsku.lastpass_mfa = LP-MFA\n",
     "\"updated\":1,"},
#ifdef LPSA_VG_CONNECTWISE
    {"connectwise", "connectwise-sim", "8",
     "lastpass_company_id,psa_company_id\n201,1001\n202,1002\n",
     "site = %s\ncompany_id = lpsademo\npublic_key = env:VG_CW_PUB\n"
     "private_key = env:VG_CW_PRIV\nclient_id = env:VG_CW_CID\n"
     "sku.lastpass = LASTPASS-BUS\nsku.lastpass_mfa = LASTPASS-MFA\n",
     "\"updated\":2,"},
#endif
#ifdef LPSA_VG_AUTOTASK
    {"autotask", "autotask-sim", "26",
     "lastpass_company_id,psa_company_id\n201,1000\n202,1001\n",
     "zone_lookup_url = %s/atservicesrest\nusername = env:VG_AT_USER\n"
     "secret = env:VG_AT_SECRET\nintegration_code = env:VG_AT_CODE\n"
     "sku.lastpass = LastPass Business\n"
     "sku.lastpass_mfa = LastPass Business + MFA\n",
     "\"updated\":2,"},
#endif
};

static const char jsonpsa_data[] =
    "{\"companies\":[{\"id\":\"c1\",\"name\":\"O'Brien\",\"active\":true},"
    "{\"id\":\"c2\",\"name\":\"Blue Sky\",\"active\":true}],"
    "\"agreements\":[{\"id\":\"a1\",\"company_id\":\"c1\",\"name\":\"MS\","
    "\"type\":\"Managed\",\"active\":true},{\"id\":\"a2\",\"company_id\":"
    "\"c2\",\"name\":\"MS\",\"type\":\"Managed\",\"active\":true}],"
    "\"products\":[{\"id\":\"p1\",\"code\":\"LP-BUS\",\"name\":\"LastPass\"},"
    "{\"id\":\"p2\",\"code\":\"LP-MFA\",\"name\":\"LastPass + MFA\"}],"
    "\"lines\":[{\"id\":\"l1\",\"agreement_id\":\"a1\",\"product_id\":\"p1\","
    "\"quantity\":12},{\"id\":\"l2\",\"agreement_id\":\"a2\",\"product_id\":"
    "\"p2\",\"quantity\":8}]}";

static const char *const env[] = {"LPSA_NOW=" NOW_DATE "T12:00:00Z",
                                  "LPSA_VG_LP_KEY=lpkey-valgrind",
                                  "VG_CW_PUB=pubkey",
                                  "VG_CW_PRIV=privkey",
                                  "VG_CW_CID=vg-client",
                                  "VG_AT_USER=vg@msp.example",
                                  "VG_AT_SECRET=vg-secret",
                                  "VG_AT_CODE=vg-code",
                                  NULL};

static void start_psa(const vg_case *c, simproc *sim) {
  char err[512], fixture[1024];
  if (strcmp(c->driver, "connectwise") == 0) {
    snprintf(fixture, sizeof fixture,
             "%s/tests/sim/connectwise/fixtures/small.json",
             getenv("LPSA_SOURCE_DIR"));
    const char *args[] = {"--fixture",   fixture,         "--public-key",
                          "pubkey",      "--private-key", "privkey",
                          "--client-id", "vg-client",     NULL};
    ck_assert_msg(simproc_start(sim, c->sim, args, err, sizeof err) == 0, "%s",
                  err);
  } else {
    snprintf(fixture, sizeof fixture,
             "%s/tests/sim/autotask/fixtures/small.json",
             getenv("LPSA_SOURCE_DIR"));
    const char *args[] = {"--fixture",          fixture,    "--user",
                          "vg@msp.example",     "--secret", "vg-secret",
                          "--integration-code", "vg-code",  NULL};
    ck_assert_msg(simproc_start(sim, c->sim, args, err, sizeof err) == 0, "%s",
                  err);
  }
}

static void run_under_valgrind(const char *dir, const char *what,
                               const char *const *args, int expect) {
  hostrun r;
  ck_assert_int_eq(wrapped_host_exec(valgrind, dir, args, env, &r), 0);
  ck_assert_msg(r.status != 99,
                "valgrind found memory errors or leaks in the %s:\n%s", what,
                r.err);
  ck_assert_msg(r.status == expect,
                "the %s under valgrind exited %d, expected %d\nstdout: "
                "%s\nstderr: %s",
                what, r.status, expect, r.out, r.err);
  hostrun_free(&r);
}

/* Loop index: one case of `cases`. */
START_TEST(sync_is_memcheck_clean) {
  const vg_case *c = &cases[_i];
  char *dir = test_tmpdir("valgrind");
  ck_assert_ptr_nonnull(dir);
  char text[4096], section[2048], err[512], path[1100];
  simproc lp, psa;
  int psa_up = 0;

  snprintf(text, sizeof text, two_companies, atoi(c->lastpass_json));
  ck_assert_int_eq(test_write_file(dir, "lp.json", text), 0);
  snprintf(path, sizeof path, "%s/lp.json", dir);
  const char *lp_args[] = {"--fixture", path,        "--now",
                           NOW_DATE,    "--api-key", "lpkey-valgrind",
                           NULL};
  ck_assert_msg(simproc_start(&lp, "lastpass-sim", lp_args, err, sizeof err) ==
                    0,
                "%s", err);
  if (c->sim) {
    start_psa(c, &psa);
    psa_up = 1;
  }
  ck_assert_int_eq(test_write_file(dir, "psa.json", jsonpsa_data), 0);
  ck_assert_int_eq(test_write_file(dir, "mapping.csv", c->mapping), 0);
  snprintf(section, sizeof section, c->section, psa_up ? psa.base_url : "");
  snprintf(text, sizeof text,
           "[host]\ndriver_path = %s\nstate_dir = state\n"
           "mapping_file = mapping.csv\n[lastpass]\napi_url = %s/business\n"
           "api_key = env:LPSA_VG_LP_KEY\n[driver.%s]\n%s",
           getenv("LPSA_DRIVER_DIR"), lp.base_url, c->driver, section);
  ck_assert_int_eq(test_write_file(dir, "lpsa.conf", text), 0);
  snprintf(path, sizeof path, "%s/lpsa.conf", dir);
  ck_assert_int_eq(chmod(path, 0600), 0);

  /* O'Brien goes from 12 to 14 (and Blue Sky / Cafe by one in the PSA
   * simulators): the dry run plans it, the apply makes it. */
  const char *dry[] = {"-c", "lpsa.conf", "-vv", "--dry-run", NULL};
  run_under_valgrind(dir, "dry run", dry, 0);
  const char *apply[] = {"-c",       "lpsa.conf",   "-vv",
                         "--report", "report.json", NULL};
  run_under_valgrind(dir, "apply", apply, 0);
  char *report = test_read_file(dir, "report.json");
  ck_assert_ptr_nonnull(report);
  ck_assert_msg(strstr(report, c->updated), "no %s in: %s", c->updated, report);
  free(report);

  if (psa_up)
    simproc_stop(&psa);
  simproc_stop(&lp);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* Why this program cannot run here, or NULL. */
static const char *not_run_reason(void) {
#ifdef LPSA_ASAN
  return "this is a sanitizer build, and valgrind cannot run an "
         "ASan-instrumented lpsa-host";
#else
  if (!wrapped_host_have("valgrind"))
    return "valgrind is not installed (tests/setup.sh installs it)";
  return NULL;
#endif
}

int main(void) {
  const char *why = not_run_reason();
  if (why) {
    fprintf(stderr, "test_valgrind_e2e: NOT RUN: %s\n", why);
    return SKIP;
  }
  size_t n = sizeof cases / sizeof *cases;
  Suite *s = suite_create("valgrind_e2e");
  TCase *tc = tcase_create("memcheck");
  tcase_set_timeout(tc, 240);
  tcase_add_loop_test(tc, sync_is_memcheck_clean, 0, (int)n);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
