/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_abi.c — independent releases meet the host: a driver built for
 * ABI 1.0 loads in this host, and drivers claiming a newer minor or another
 * major are refused with the documented messages, by the loader, by
 * `lpsa-host drivers`, by a sync, and by the conformance suite.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader.h"
#include "sdk_harness.h"

/* The documented refusals (sdk/template/README.md, "Versioning"). */
#define MAJOR2_REFUSED                                                         \
  "was built for driver ABI 2.1; this host speaks 1.1: install a driver "      \
  "release built for ABI 1.x"
#define MINOR99_REFUSED                                                        \
  "was built for driver ABI 1.99, newer than this host's 1.1: upgrade "        \
  "lpsa-host, or install a driver release built for ABI 1.1 or older"

/* dir/drivers/ with the fixture drivers, and dir/lpsa.conf pointing there. */
static char *abi_dir(const char *extra_conf) {
  char *dir = test_tmpdir("sdk-abi");
  ck_assert_ptr_nonnull(dir);
  char drivers[4200], src[4200];
  snprintf(drivers, sizeof drivers, "%s/drivers", dir);
  ck_assert_int_eq(mkdir(drivers, 0755), 0);
  const char *fixtures[] = {"good", "major2", "minor99"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(src, sizeof src, "%s/tests/fixtures/drivers/%s/%s.so",
             getenv("LPSA_BUILD_DIR"), fixtures[i], fixtures[i]);
    char name[64];
    snprintf(name, sizeof name, "%s.so", fixtures[i]);
    ck_assert_msg(sdk_copy_file(src, drivers, name) == 0, "copy %s", src);
  }
  snprintf(src, sizeof src, "%s/abi10.so", ABI10_DIR);
  ck_assert_int_eq(sdk_copy_file(src, drivers, "abi10.so"), 0);
  char conf[2048];
  snprintf(conf, sizeof conf,
           "[host]\ndriver_path = drivers\nstate_dir = state\n"
           "mapping_file = mapping.csv\n"
           "[lastpass]\napi_url = http://127.0.0.1:9/business\n"
           "api_key = not-used\n%s",
           extra_conf ? extra_conf : "");
  ck_assert_int_eq(sdk_write_private(dir, "lpsa.conf", conf), 0);
  ck_assert_int_eq(test_write_file(dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "1,c1\n"),
                   0);
  return dir;
}

static const char *str_member(json_object *o, const char *key) {
  json_object *v;
  return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

/* The entry of `list` ("drivers" or "refused") whose path ends in file. */
static json_object *entry(json_object *doc, const char *list,
                          const char *file) {
  json_object *arr;
  if (!json_object_object_get_ex(doc, list, &arr))
    return NULL;
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    json_object *e = json_object_array_get_idx(arr, i);
    const char *p = str_member(e, "path");
    size_t n = strlen(p), m = strlen(file);
    if (n >= m && strcmp(p + n - m, file) == 0)
      return e;
  }
  return NULL;
}

START_TEST(host_lists_abi10_and_refuses_others) {
  char *dir = abi_dir(NULL);
  const char *args[] = {"--config", "lpsa.conf", "--json", "drivers", NULL};
  hostrun r;
  ck_assert_int_eq(sdk_exec(dir, "lpsa-host", args, 0, &r), 0);
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  json_object *doc = json_tokener_parse(r.out);
  ck_assert_msg(doc != NULL, "%s", r.out);
  json_object *abi10 = entry(doc, "drivers", "/abi10.so");
  ck_assert_msg(abi10 != NULL, "abi10 not loaded: %s", r.out);
  ck_assert_str_eq(str_member(abi10, "abi"), "1.0");
  ck_assert_ptr_nonnull(entry(doc, "drivers", "/good.so"));
  json_object *major2 = entry(doc, "refused", "/major2.so");
  json_object *minor99 = entry(doc, "refused", "/minor99.so");
  ck_assert_ptr_nonnull(major2);
  ck_assert_ptr_nonnull(minor99);
  ck_assert_msg(strstr(str_member(major2, "reason"), MAJOR2_REFUSED), "%s",
                str_member(major2, "reason"));
  ck_assert_msg(strstr(str_member(minor99, "reason"), MINOR99_REFUSED), "%s",
                str_member(minor99, "reason"));
  json_object_put(doc);
  hostrun_free(&r);
  test_rmtree(dir);
  free(dir);
}
END_TEST

/* A sync with a refused driver stops before anything else: exit 2 and the
 * same sentence. */
START_TEST(sync_refuses_with_the_message) {
  char *dir = abi_dir("[driver.minor99]\nsku.lastpass = X\n"
                      "[driver.major2]\nsku.lastpass = X\n");
  const char *drivers[] = {"minor99", "major2"};
  const char *messages[] = {MINOR99_REFUSED, MAJOR2_REFUSED};
  for (size_t i = 0; i < 2; i++) {
    const char *args[] = {"--config", "lpsa.conf", "--driver",
                          drivers[i], "--dry-run", NULL};
    hostrun r;
    ck_assert_int_eq(sdk_exec(dir, "lpsa-host", args, 0, &r), 0);
    ck_assert_msg(r.status == 2, "%s: exit %d: %s", drivers[i], r.status,
                  r.err);
    ck_assert_msg(strstr(r.err, messages[i]), "%s", r.err);
    hostrun_free(&r);
  }
  test_rmtree(dir);
  free(dir);
}
END_TEST

START_TEST(loader_accepts_abi10) {
  char path[4200], err[1024] = "";
  snprintf(path, sizeof path, "%s/abi10.so", ABI10_DIR);
  loaded_driver d;
  ck_assert_msg(loader_load_file(path, "abi10", &d, err, sizeof err) == LPSA_OK,
                "%s", err);
  ck_assert_uint_eq(d.desc->abi_minor, 0);
  ck_assert_uint_eq(d.desc->struct_size, driver_struct_size_for_minor(0));
  loader_unload(&d);
}
END_TEST

/* The conformance suite says the same, test by test. */
START_TEST(conformance_refuses_other_abis) {
  char *dir = abi_dir("[driver.major2]\nsku.lastpass = X\n"
                      "[driver.minor99]\nsku.lastpass = X\n");
  const char *files[] = {"drivers/major2.so", "drivers/minor99.so"};
  const char *why[] = {"abi_major is 2", "abi_minor is 99, newer than"};
  const char *loader_why[] = {MAJOR2_REFUSED, MINOR99_REFUSED};
  for (size_t i = 0; i < 2; i++) {
    const char *args[] = {"--driver", files[i],  "--config", "lpsa.conf",
                          "--tap",    "out.tap", NULL};
    hostrun r;
    ck_assert_int_eq(sdk_exec(dir, "lpsa-conformance", args, 0, &r), 0);
    ck_assert_msg(r.status == 1, "exit %d: %s%s", r.status, r.out, r.err);
    char *tap = test_read_file(dir, "out.tap");
    ck_assert_ptr_nonnull(tap);
    ck_assert_str_eq(sdk_tap_verdict(tap, "level0.load"), "not ok");
    ck_assert_str_eq(sdk_tap_verdict(tap, "level0.descriptor_abi"), "not ok");
    ck_assert_str_eq(sdk_tap_verdict(tap, "level0.descriptor_text"), "ok");
    ck_assert_msg(strstr(r.out, why[i]) && strstr(r.out, loader_why[i]), "%s",
                  r.out);
    free(tap);
    hostrun_free(&r);
  }
  test_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sdk_abi");
  TCase *tc = tcase_create("abi");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, host_lists_abi10_and_refuses_others);
  tcase_add_test(tc, sync_refuses_with_the_message);
  tcase_add_test(tc, loader_accepts_abi10);
  tcase_add_test(tc, conformance_refuses_other_abis);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
