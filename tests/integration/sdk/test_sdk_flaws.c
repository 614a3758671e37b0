/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_flaws.c — the conformance suite fails what it must: each flawed
 * variant of jsonpsa (flawed_driver.c) makes exactly the tests aimed at its
 * flaw fail, and leaves the tests that do not concern it passing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdk_harness.h"

#define MAX_NAMES 4

typedef struct flaw_case {
  const char *flaw;
  const char *must_fail[MAX_NAMES];
  const char *must_pass[MAX_NAMES];
  const char *message; /* a phrase the report must show */
} flaw_case;

static const flaw_case cases[] = {
    {"chatty",
     {"level0.quiet", "level1.snapshot"},
     {"level0.load", "level0.descriptor_abi"},
     "wrote 23 bytes to stdout/stderr"},
    {"touches_out",
     {"level0.open_other_major"},
     {"level0.open_missing_key", "level0.quiet", "level1.snapshot"},
     "leave it untouched on failure"},
    {"null_crash",
     {"level0.snapshot_null_request"},
     {"level0.set_null_line", "level1.shape"},
     "the test process died: Received signal"},
    {"bad_record",
     {"level1.snapshot", "level1.shape"},
     {"level0.quiet", "level2.baseline"},
     "although a builder call failed"},
    {"unstable",
     {"level1.repeatable"},
     {"level1.snapshot", "level1.shape"},
     "the first had 2 lines, the second 3"},
    {"lost_write",
     {"level2.set_new"},
     {"level2.baseline", "level1.repeatable"},
     "a new snapshot shows 12"},
    {"always_writes",
     {"level2.set_same"},
     {"level2.set_new", "level2.restore"},
     "write nothing when the line already holds the target"},
    {"bad_headers",
     {"level0.sensitive_headers", "level0.load"},
     {"level0.descriptor_abi", "level0.descriptor_text"},
     "sensitive header \"X Token\" is not an HTTP header name"},
};

static char *flaw_dir(void) {
  char *dir = test_tmpdir("sdk-flaw");
  ck_assert_ptr_nonnull(dir);
  ck_assert_int_eq(sdk_copy_example(dir, "psa.json"), 0);
  ck_assert_int_eq(sdk_copy_example(dir, "mapping.csv"), 0);
  return dir;
}

/* Run the suite at `level` on flawed_<flaw>.so in dir; the TAP text. */
static char *run_flawed(const char *dir, const char *flaw, const char *level,
                        hostrun *r) {
  char conf[1024], driver[4200];
  snprintf(conf, sizeof conf,
           "[host]\nmapping_file = mapping.csv\n"
           "[lastpass]\napi_key = not-used-by-the-suite\n"
           "[driver.flawed_%s]\nfile = psa.json\n"
           "sku.lastpass = LASTPASS-BUS\nsku.lastpass_mfa = LASTPASS-MFA\n",
           flaw);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  snprintf(driver, sizeof driver, "%s/flawed_%s.so", FLAWED_DIR, flaw);
  const char *args[] = {"--driver", driver,    "--config",    "lpsa.conf",
                        "--level",  level,     "--test-line", "l1",
                        "--tap",    "out.tap", "--timeout",   "120",
                        NULL};
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 1, r), 0);
  char *tap = test_read_file(dir, "out.tap");
  ck_assert_msg(tap != NULL, "no TAP:\n%s%s", r->out, r->err);
  return tap;
}

/* LPSA_SDK_ONLY_LEAK: the run under valgrind checks the leak alone (the
 * other flaws do not need a leak checker, and valgrind is slow). */
static int only_leak(void) {
  return getenv("LPSA_SDK_ONLY_LEAK") != NULL;
}

START_TEST(each_flaw_is_caught) {
  if (only_leak())
    return;
  const flaw_case *c = &cases[_i];
  char *dir = flaw_dir();
  hostrun r;
  char *tap = run_flawed(dir, c->flaw, "2", &r);
  ck_assert_msg(r.status == 1, "flawed_%s: exit %d, expected 1:\n%s%s", c->flaw,
                r.status, r.out, r.err);
  for (size_t i = 0; i < MAX_NAMES && c->must_fail[i]; i++) {
    const char *v = sdk_tap_verdict(tap, c->must_fail[i]);
    ck_assert_msg(v && strcmp(v, "not ok") == 0, "flawed_%s: %s is %s:\n%s",
                  c->flaw, c->must_fail[i], v ? v : "absent", tap);
  }
  for (size_t i = 0; i < MAX_NAMES && c->must_pass[i]; i++) {
    const char *v = sdk_tap_verdict(tap, c->must_pass[i]);
    ck_assert_msg(v && strcmp(v, "ok") == 0, "flawed_%s: %s is %s:\n%s",
                  c->flaw, c->must_pass[i], v ? v : "absent", tap);
  }
  ck_assert_msg(strstr(r.out, c->message) != NULL,
                "flawed_%s: the report lacks \"%s\":\n%s", c->flaw, c->message,
                r.out);
  free(tap);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* A leak shows only under valgrind (LPSA_CONFORMANCE_WRAPPER) or
 * LeakSanitizer: each test's process is checked as it exits. */
START_TEST(a_leak_is_caught_under_a_leak_checker) {
  const char *wrapper = getenv("LPSA_CONFORMANCE_WRAPPER");
  int checker = wrapper && strstr(wrapper, "valgrind");
#if defined(__SANITIZE_ADDRESS__)
  checker = 1;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  checker = 1;
#endif
#endif
  if (!checker)
    return; /* nothing can see it */
  char *dir = flaw_dir();
  hostrun r;
  char *tap = run_flawed(dir, "leak", "0", &r);
  ck_assert_msg(r.status == 1, "flawed_leak: exit %d:\n%s%s", r.status, r.out,
                r.err);
  const char *v = sdk_tap_verdict(tap, "level0.open_close_cycle");
  ck_assert_msg(v && strcmp(v, "not ok") == 0, "%s", tap);
  free(tap);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* --strict turns "not run" into a failure: the ABI 1.0 fixture has no
 * check() and no required key. */
START_TEST(strict_fails_what_does_not_apply) {
  if (only_leak())
    return;
  char *dir = flaw_dir();
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf",
                                     "[lastpass]\napi_key = unused\n"
                                     "[driver.abi10]\nsku.lastpass = X\n"),
                   0);
  char driver[4200];
  snprintf(driver, sizeof driver, "%s/abi10.so", ABI10_DIR);
  const char *args[] = {"--driver", driver,    "--config",  "lpsa.conf",
                        "--level",  "1",       "--company", "c1",
                        "--tap",    "out.tap", NULL,        NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 1, &r), 0);
  char *tap = test_read_file(dir, "out.tap");
  ck_assert_ptr_nonnull(tap);
  ck_assert_str_eq(sdk_tap_verdict(tap, "level0.open_missing_key"), "skip");
  /* A 1.0 descriptor has no sensitive_headers to check. */
  ck_assert_str_eq(sdk_tap_verdict(tap, "level0.sensitive_headers"), "skip");
  ck_assert_str_eq(sdk_tap_verdict(tap, "level1.check"), "skip");
  /* The empty PSA emits no company: the requested one is missing. */
  ck_assert_str_eq(sdk_tap_verdict(tap, "level1.requested_companies"),
                   "not ok");
  free(tap);
  hostrun_free(&r);

  args[10] = "--strict";
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 1, &r), 0);
  tap = test_read_file(dir, "out.tap");
  ck_assert_ptr_nonnull(tap);
  ck_assert_str_eq(sdk_tap_verdict(tap, "level1.check"), "not ok");
  ck_assert_msg(strstr(r.out, "--strict") != NULL, "%s", r.out);
  ck_assert_int_eq(r.status, 1);
  free(tap);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* Usage and configuration errors: exit 2 with one clear line. */
START_TEST(usage_errors_exit_2) {
  if (only_leak())
    return;
  char *dir = flaw_dir();
  const char *no_config[] = {"--driver", "jsonpsa", NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", no_config, 0, &r), 0);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "--driver and --config are required"), "%s",
                r.err);
  hostrun_free(&r);
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf",
                                     "[lastpass]\napi_key = unused\n"
                                     "[driver.other]\nsku.lastpass = X\n"),
                   0);
  const char *no_section[] = {"--driver", "jsonpsa", "--config", "lpsa.conf",
                              NULL};
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", no_section, 0, &r), 0);
  ck_assert_int_eq(r.status, 2);
  ck_assert_msg(strstr(r.err, "has no [driver.jsonpsa] section; it has: other"),
                "%s", r.err);
  hostrun_free(&r);
  const char *bad_level[] = {"--driver", "x", "--config", "y",
                             "--level",  "3", NULL};
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", bad_level, 0, &r), 0);
  ck_assert_int_eq(r.status, 2);
  hostrun_free(&r);
  const char *list[] = {"--list", NULL};
  ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", list, 0, &r), 0);
  ck_assert_int_eq(r.status, 0);
  ck_assert_msg(strstr(r.out, "level2.restore"), "%s", r.out);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sdk_flaws");
  TCase *tc = tcase_create("flaws");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, each_flaw_is_caught, 0,
                      (int)(sizeof cases / sizeof cases[0]));
  tcase_add_test(tc, a_leak_is_caught_under_a_leak_checker);
  tcase_add_test(tc, strict_fails_what_does_not_apply);
  tcase_add_test(tc, usage_errors_exit_2);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
