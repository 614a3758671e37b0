/* SPDX-License-Identifier: MIT */
/*
 * test_config_driver.c — a [driver.NAME] section checked against a driver's
 * declared keys: unknown, missing and empty keys, secrets, URLs, and the
 * values and products handed to the driver.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_driver.h"

static char dir[PATH_MAX];
static char err[8192];

/* Shaped like the ConnectWise driver's keys. */
static const lpsa_config_key cw_keys[] = {
    {"site", LPSA_KEY_REQUIRED | LPSA_KEY_URL,
     "the API host, e.g. https://api-na.myconnectwise.net"},
    {"company_id", LPSA_KEY_REQUIRED, "the company you log in with"},
    {"public_key", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET, "API member key"},
    {"private_key", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET, "API member key"},
    {"client_id", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET, "developer clientId"},
    {"page_size", 0, "records per page"},
    {"module", 0, "a driver must not list this; the host ignores it"},
    {NULL, 0, NULL}};

/* rm -rf without a shell (cheaper under valgrind --trace-children). */
static void remove_tree(const char *path) {
  struct stat st;
  ck_assert_int_eq(lstat(path, &st), 0);
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char child[PATH_MAX];
      snprintf(child, sizeof child, "%s/%s", path, e->d_name);
      remove_tree(child);
    }
    closedir(d);
  }
  ck_assert_int_eq(remove(path), 0);
}

static void setup(void) {
  const char *tmp = getenv("TMPDIR");
  char tmpl[PATH_MAX];
  snprintf(tmpl, sizeof tmpl, "%s/lpsa-cfgdrv-XXXXXX", tmp ? tmp : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(tmpl));
  ck_assert_ptr_nonnull(realpath(tmpl, dir));
  ck_assert_int_eq(chdir(dir), 0);
  ck_assert_int_eq(setenv("LPSA_TEST_LP", "lpkey_test", 1), 0);
  ck_assert_int_eq(setenv("LPSA_TEST_PUB", "pub-key-value", 1), 0);
  ck_assert_int_eq(unsetenv("LPSA_TEST_UNSET"), 0);
  err[0] = '\0';
}

static void teardown(void) {
  ck_assert_int_eq(chdir("/"), 0);
  remove_tree(dir);
}

static void write_file(const char *name, const char *text, mode_t mode) {
  FILE *f = fopen(name, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(chmod(name, mode), 0);
}

#define HEAD "[lastpass]\napi_key = env:LPSA_TEST_LP\n" /* lines 1-2 */

static void load(const char *text, mode_t mode, lpsa_config *cfg) {
  write_file("lpsa.conf", text, mode);
  ck_assert_msg(config_load("lpsa.conf", NULL, cfg, err, sizeof err) == 0, "%s",
                err);
}

static int resolve(const lpsa_config *cfg, const char *name,
                   driver_config *dc) {
  return config_driver_resolve(cfg, config_driver(cfg, name), "connectwise",
                               cw_keys, dc, err, sizeof err);
}

static const char *value_of(const driver_config *dc, const char *key,
                            int *line) {
  for (size_t i = 0; i < dc->n_values; i++)
    if (strcmp(dc->values[i].key, key) == 0) {
      if (line)
        *line = dc->values[i].line;
      return dc->values[i].value;
    }
  return NULL;
}

START_TEST(good_section) {
  write_file("cw.key", "priv-key-value\n", 0600);
  lpsa_config cfg;
  load(HEAD "[driver.connectwise]\n"            /* 3 */
            "module = connectwise\n"            /* 4 */
            "Site = http://127.0.0.1:9000\n"    /* 5 */
            "company_id = mymsp\n"              /* 6 */
            "public_key = env:LPSA_TEST_PUB\n"  /* 7 */
            "private_key = file:cw.key\n"       /* 8 */
            "client_id = 0000-literal-client\n" /* 9 */
            "sku.lastpass = LP-BUS, LP-OLD\n"   /* 10 */
            "sku.lastpass_mfa = LP-MFA\n",      /* 11 */
       0600, &cfg);
  driver_config dc;
  ck_assert_msg(resolve(&cfg, "connectwise", &dc) == 0, "%s", err);
  ck_assert_uint_eq(dc.n_values, 5); /* not module, not sku.* */
  int line = 0;
  ck_assert_str_eq(value_of(&dc, "site", &line), "http://127.0.0.1:9000");
  ck_assert_int_eq(line, 5); /* the driver's spelling, the file's line */
  ck_assert_str_eq(value_of(&dc, "company_id", NULL), "mymsp");
  ck_assert_str_eq(value_of(&dc, "public_key", &line), "pub-key-value");
  ck_assert_int_eq(line, 7);
  ck_assert_str_eq(value_of(&dc, "private_key", NULL), "priv-key-value");
  ck_assert_str_eq(value_of(&dc, "client_id", NULL), "0000-literal-client");
  ck_assert_ptr_null(value_of(&dc, "page_size", NULL));
  ck_assert_ptr_null(value_of(&dc, "module", NULL));
  ck_assert_uint_eq(dc.secrets.n, 3);
  ck_assert_str_eq(dc.secrets.values[0], "pub-key-value");
  ck_assert_str_eq(dc.secrets.values[1], "priv-key-value");
  ck_assert_str_eq(dc.secrets.values[2], "0000-literal-client");

  lpsa_product_ref *refs;
  size_t n;
  ck_assert_int_eq(
      config_driver_products(config_driver(&cfg, "connectwise"), &refs, &n), 0);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(refs[0].sku, LPSA_SKU_LASTPASS);
  ck_assert_str_eq(refs[0].ref, "LP-BUS");
  ck_assert_str_eq(refs[1].ref, "LP-OLD");
  ck_assert_str_eq(refs[2].sku, LPSA_SKU_LASTPASS_MFA);
  ck_assert_str_eq(refs[2].ref, "LP-MFA");
  free(refs);
  driver_config_free(&dc);
  ck_assert_uint_eq(dc.n_values, 0);
  config_free(&cfg);
}
END_TEST

START_TEST(problems_listed_together) {
  lpsa_config cfg;
  load(HEAD "[driver.cw]\n"                      /* 3 */
            "module = connectwise\n"             /* 4 */
            "sit = https://x.example.com\n"      /* 5 */
            "zone = na\n"                        /* 6 */
            "company_id =\n"                     /* 7 */
            "public_key = env:LPSA_TEST_UNSET\n" /* 8 */
            "private_key = file:nope.key\n"      /* 9 */
            "page_size =\n",                     /* 10: optional, empty ok */
       0600, &cfg);
  driver_config dc;
  ck_assert_int_eq(resolve(&cfg, "cw", &dc), -1);
  ck_assert_ptr_null(dc.values);
  char want[PATH_MAX + 2048];
  snprintf(
      want, sizeof want,
      "lpsa.conf:5: unknown key \"sit\" in [driver.cw]; did you mean "
      "\"site\"?\n"
      "lpsa.conf:6: unknown key \"zone\" in [driver.cw]; connectwise "
      "accepts: site, company_id, public_key, private_key, client_id, "
      "page_size\n"
      "lpsa.conf:7: company_id is empty in [driver.cw]; give it a value (the "
      "company you log in with)\n"
      "lpsa.conf:8: public_key = env:LPSA_TEST_UNSET: the environment "
      "variable LPSA_TEST_UNSET is not set; set it in the service's "
      "environment (or use file:PATH)\n"
      "lpsa.conf:9: private_key = file:nope.key: cannot open %s/nope.key: No "
      "such file or directory; create it or fix the path\n"
      "lpsa.conf:3: [driver.cw] lacks \"site\" (the API host, e.g. "
      "https://api-na.myconnectwise.net); add site = ... to the section\n"
      "lpsa.conf:3: [driver.cw] lacks \"client_id\" (developer clientId); "
      "add client_id = ... to the section",
      dir);
  ck_assert_str_eq(err, want);
  config_free(&cfg);
}
END_TEST

START_TEST(url_policy) {
  lpsa_config cfg;
  load(HEAD "[driver.connectwise]\n"
            "site = http://api-na.myconnectwise.net\n" /* 4 */
            "company_id = x\npublic_key = env:LPSA_TEST_PUB\n"
            "private_key = env:LPSA_TEST_PUB\nclient_id = env:LPSA_TEST_PUB\n",
       0600, &cfg);
  driver_config dc;
  ck_assert_int_eq(resolve(&cfg, "connectwise", &dc), -1);
  ck_assert_str_eq(err, "lpsa.conf:4: site: URL "
                        "\"http://api-na.myconnectwise.net\" uses http:// to "
                        "another machine, which would send credentials in "
                        "clear; use https://");
  config_free(&cfg);
}
END_TEST

START_TEST(literal_secret_in_open_file) {
  lpsa_config cfg;
  load(HEAD "[driver.connectwise]\n"           /* 3 */
            "site = https://cw.example.com\n"  /* 4 */
            "company_id = x\n"                 /* 5 */
            "public_key = literal-public\n"    /* 6 */
            "private_key = literal-private\n"  /* 7 */
            "client_id = env:LPSA_TEST_PUB\n", /* 8 */
       0644, &cfg);                            /* loads: [lastpass] uses env: */
  ck_assert_int_eq(cfg.insecure_perms, 1);
  driver_config dc;
  ck_assert_int_eq(resolve(&cfg, "connectwise", &dc), -1);
  char want[PATH_MAX + 1024];
  snprintf(want, sizeof want,
           "lpsa.conf holds a literal secret (line 6, public_key) and is "
           "readable by its group and by others, which the service needs; "
           "move the secret to the environment file the systemd units load: "
           "add the line LPSA_CONNECTWISE_PUBLIC_KEY=<the secret> to "
           "/etc/lpsa/lpsa.env (root:lpsa, mode 640) and write public_key = "
           "env:LPSA_CONNECTWISE_PUBLIC_KEY in [driver.connectwise] (or "
           "file:PATH); and run: chmod o-r %s/lpsa.conf",
           dir);
  ck_assert_str_eq(err, want); /* reported once, not per key */
  ck_assert_ptr_null(strstr(err, "literal-p"));
  config_free(&cfg);
  /* the same section in a private file is accepted */
  ck_assert_int_eq(chmod("lpsa.conf", 0600), 0);
  ck_assert_int_eq(config_load("lpsa.conf", NULL, &cfg, err, sizeof err), 0);
  ck_assert_int_eq(resolve(&cfg, "connectwise", &dc), 0);
  ck_assert_str_eq(value_of(&dc, "public_key", NULL), "literal-public");
  driver_config_free(&dc);
  config_free(&cfg);
}
END_TEST

START_TEST(no_section) {
  lpsa_config cfg;
  load(HEAD, 0600, &cfg);
  driver_config dc;
  ck_assert_int_eq(resolve(&cfg, "connectwise", &dc), -1);
  ck_assert_str_eq(err, "lpsa.conf: has no [driver.connectwise] section; add "
                        "one (connectwise accepts: site, company_id, "
                        "public_key, private_key, client_id, page_size)");
  config_free(&cfg);
}
END_TEST

START_TEST(driver_without_keys) {
  static const lpsa_config_key none[] = {{NULL, 0, NULL}};
  lpsa_config cfg;
  load(HEAD "[driver.mock]\nsku.lastpass = X\n", 0600, &cfg);
  driver_config dc;
  ck_assert_int_eq(config_driver_resolve(&cfg, config_driver(&cfg, "mock"),
                                         NULL, none, &dc, err, sizeof err),
                   0);
  ck_assert_uint_eq(dc.n_values, 0);
  driver_config_free(&dc);
  config_free(&cfg);
  load(HEAD "[driver.mock]\nfoo = 1\n", 0600, &cfg);
  ck_assert_int_eq(config_driver_resolve(&cfg, config_driver(&cfg, "mock"),
                                         NULL, none, &dc, err, sizeof err),
                   -1);
  ck_assert_str_eq(err, "lpsa.conf:4: unknown key \"foo\" in [driver.mock]; "
                        "mock accepts: (no keys)");
  config_free(&cfg);
}
END_TEST

START_TEST(no_products) {
  lpsa_config cfg;
  load(HEAD "[driver.mock]\n", 0600, &cfg);
  lpsa_product_ref *refs = (lpsa_product_ref *)1;
  size_t n = 9;
  ck_assert_int_eq(
      config_driver_products(config_driver(&cfg, "mock"), &refs, &n), 0);
  ck_assert_ptr_null(refs);
  ck_assert_uint_eq(n, 0);
  config_free(&cfg);
}
END_TEST

START_TEST(many_unknown_keys_capped) {
  char text[8192] = HEAD "[driver.connectwise]\n";
  for (int i = 0; i < 30; i++) {
    char line[64];
    snprintf(line, sizeof line, "unknown_key_%02d = x\n", i);
    strcat(text, line);
  }
  lpsa_config cfg;
  load(text, 0600, &cfg);
  driver_config dc;
  ck_assert_int_eq(resolve(&cfg, "connectwise", &dc), -1);
  ck_assert_ptr_nonnull(strstr(err, "\nlpsa.conf: 15 more problems not shown"));
  config_free(&cfg);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("config_driver");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, good_section);
  tcase_add_test(tc, problems_listed_together);
  tcase_add_test(tc, url_policy);
  tcase_add_test(tc, literal_secret_in_open_file);
  tcase_add_test(tc, no_section);
  tcase_add_test(tc, driver_without_keys);
  tcase_add_test(tc, no_products);
  tcase_add_test(tc, many_unknown_keys_capped);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
