/* SPDX-License-Identifier: MIT */
/*
 * test_secret.c — env:, file: and literal credentials, their error messages,
 * and the list of values handed to the logger for redaction.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "secret.h"

static char dir[64];

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

static void make_dir(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/lpsa-secret-XXXXXX", tmp ? tmp : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void) {
  remove_tree(dir);
}

/* Write `len` bytes to dir/name with `mode`. */
static void put(const char *name, const char *data, size_t len, mode_t mode) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  ck_assert_int_eq(fclose(f), 0);
  ck_assert_int_eq(chmod(path, mode), 0);
}

static int resolve(const char *value, char **out, char *err, size_t errlen) {
  return secret_resolve(value, dir, "lpsa.conf", 9, "api_key", out, err,
                        errlen);
}

START_TEST(sources) {
  ck_assert_int_eq(secret_source_of("env:X"), SECRET_ENV);
  ck_assert_int_eq(secret_source_of("file:x"), SECRET_FILE);
  ck_assert_int_eq(secret_source_of("lpkey_abc"), SECRET_LITERAL);
  ck_assert_int_eq(secret_source_of("ENV:X"), SECRET_LITERAL);
  ck_assert_int_eq(secret_source_of(""), SECRET_LITERAL);
}
END_TEST

START_TEST(from_environment) {
  char *v = NULL;
  char err[512] = "";
  ck_assert_int_eq(setenv("LPSA_TEST_KEY", "lpkey_from_env", 1), 0);
  ck_assert_int_eq(resolve("env:LPSA_TEST_KEY", &v, err, sizeof err), 0);
  ck_assert_str_eq(v, "lpkey_from_env");
  free(v);

  ck_assert_int_eq(unsetenv("LPSA_TEST_KEY"), 0);
  ck_assert_int_eq(resolve("env:LPSA_TEST_KEY", &v, err, sizeof err), -1);
  ck_assert_ptr_null(v);
  ck_assert_str_eq(err,
                   "lpsa.conf:9: api_key = env:LPSA_TEST_KEY: the environment "
                   "variable LPSA_TEST_KEY is not set; set it in the "
                   "service's environment (or use file:PATH)");

  ck_assert_int_eq(setenv("LPSA_TEST_KEY", "", 1), 0);
  ck_assert_int_eq(resolve("env:LPSA_TEST_KEY", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "LPSA_TEST_KEY is empty"));

  ck_assert_int_eq(resolve("env:", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "is not a variable name"));
  ck_assert_int_eq(resolve("env:A-B", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "\"A-B\" is not a variable name"));
  ck_assert_int_eq(resolve("env:1A", &v, err, sizeof err), -1);
}
END_TEST

START_TEST(from_file) {
  char *v = NULL;
  char err[512] = "";
  char abs[128];
  make_dir();
  put("k1", "s3cret-one\n", 11, 0600);
  put("k2", "s3cret-two\r\n", 12, 0640); /* group may read */
  put("k3", "no-newline", 10, 0400);
  ck_assert_int_eq(resolve("file:k1", &v, err, sizeof err), 0);
  ck_assert_str_eq(v, "s3cret-one");
  free(v);
  ck_assert_int_eq(resolve("file:k2", &v, err, sizeof err), 0);
  ck_assert_str_eq(v, "s3cret-two");
  free(v);
  snprintf(abs, sizeof abs, "file:%s/k3", dir);
  ck_assert_int_eq(resolve(abs, &v, err, sizeof err), 0);
  ck_assert_str_eq(v, "no-newline");
  free(v);
  /* Exactly one line end is taken off; any other control character is
   * refused, named by kind, never shown. */
  static const struct {
    const char *name, *text, *words;
  } bad[] = {{"k4", "line1\nline2\n", "holds a line feed;"},
             {"k5", "two\n\n", "holds a line feed at its end"},
             {"k6", "crlf\r\n\r\n", "holds a carriage return at its end"},
             {"k7", "lone-cr\r", "holds a carriage return at its end"},
             {"k8", "tab\there\n", "holds a tab"},
             {"k9", "esc\033[2J\n", "holds a control character"},
             {"k10", "inj\r\nX-Evil: 1\n", "holds a carriage return;"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    put(bad[i].name, bad[i].text, strlen(bad[i].text), 0600);
    char spec[32];
    snprintf(spec, sizeof spec, "file:%s", bad[i].name);
    ck_assert_int_eq(resolve(spec, &v, err, sizeof err), -1);
    ck_assert_msg(strstr(err, bad[i].words) != NULL, "%s: %s", bad[i].name,
                  err);
    ck_assert_ptr_nonnull(strstr(err, "api_key = file:"));
    ck_assert_ptr_null(strstr(err, "line1"));
    ck_assert_ptr_null(strstr(err, "Evil"));
  }
  /* relative to the config directory, not to the working directory */
  ck_assert_int_eq(secret_resolve("file:k1", "/nonexistent", "x.conf", 2, "k",
                                  &v, err, sizeof err),
                   -1);
  ck_assert_ptr_nonnull(strstr(err, "cannot open /nonexistent/k1"));
  remove_dir();
}
END_TEST

START_TEST(file_errors) {
  char *v = NULL;
  char err[1024] = "";
  char want[1024];
  make_dir();
  put("open", "s3cret\n", 7, 0644);
  put("empty", "\n", 1, 0600);
  put("nul", "ab\0cd", 5, 0600);
  ck_assert_int_eq(resolve("file:open", &v, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "lpsa.conf:9: api_key = file:open: %s/open is readable by others; "
           "run: chmod o-r %s/open (the service reads it through its group: "
           "root:lpsa, mode 640)",
           dir, dir);
  ck_assert_str_eq(err, want);
  ck_assert_int_eq(resolve("file:missing", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "missing: No such file or directory; "
                                    "create it or fix the path"));
  ck_assert_int_eq(resolve("file:empty", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "is empty"));
  ck_assert_int_eq(resolve("file:nul", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "NUL byte"));
  ck_assert_int_eq(resolve("file:.", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "is not a regular file"));
  ck_assert_int_eq(resolve("file:", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "file: needs a path"));
  char *big = malloc(70000);
  ck_assert_ptr_nonnull(big);
  memset(big, 'k', 70000);
  put("big", big, 70000, 0600);
  free(big);
  ck_assert_int_eq(resolve("file:big", &v, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "larger than 64 KiB"));
  ck_assert_ptr_null(v);
  remove_dir();
}
END_TEST

START_TEST(literal) {
  char *v = NULL;
  char err[512] = "";
  ck_assert_int_eq(resolve("lpkey_literal", &v, err, sizeof err), 0);
  ck_assert_str_eq(v, "lpkey_literal");
  free(v);
  ck_assert_int_eq(resolve("", &v, err, sizeof err), -1);
  ck_assert_str_eq(err, "lpsa.conf:9: api_key: is empty; set it to env:NAME, "
                        "file:PATH or the value");
  ck_assert_int_eq(resolve("lpkey\twith-tab", &v, err, sizeof err), -1);
  ck_assert_str_eq(err, "lpsa.conf:9: api_key: the value holds a tab; a "
                        "secret is one line of printable characters: remove "
                        "it");
}
END_TEST

/* A credential with a line break would inject a header: refused from the
 * environment too, naming the variable and never the value. */
START_TEST(environment_control_characters) {
  char *v = NULL;
  char err[512] = "";
  static const char *const bad[] = {"lpkey\r\nX-Evil: 1", "lpkey\n",
                                    "lp\x7fkey", "lp\x1b]0;tkey"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ck_assert_int_eq(setenv("LPSA_TEST_KEY", bad[i], 1), 0);
    ck_assert_int_eq(resolve("env:LPSA_TEST_KEY", &v, err, sizeof err), -1);
    ck_assert_ptr_null(v);
    ck_assert_ptr_nonnull(strstr(err, "lpsa.conf:9: api_key = "
                                      "env:LPSA_TEST_KEY: the environment "
                                      "variable LPSA_TEST_KEY holds "));
    ck_assert_ptr_null(strstr(err, "lpkey"));
    ck_assert_ptr_null(strstr(err, "Evil"));
  }
  unsetenv("LPSA_TEST_KEY");
}
END_TEST

START_TEST(messages_never_hold_the_secret) {
  char *v = NULL;
  char err[512] = "";
  make_dir();
  put("open", "hunter2-topsecret\n", 18, 0604);
  ck_assert_int_eq(resolve("file:open", &v, err, sizeof err), -1);
  ck_assert_ptr_null(strstr(err, "hunter2"));
  remove_dir();
}
END_TEST

START_TEST(small_error_buffer) {
  char *v = NULL;
  char err[10];
  ck_assert_int_eq(unsetenv("LPSA_NOPE"), 0);
  ck_assert_int_eq(resolve("env:LPSA_NOPE", &v, err, sizeof err), -1);
  ck_assert_uint_lt(strlen(err), sizeof err);
  ck_assert_int_eq(resolve("env:LPSA_NOPE", &v, NULL, 0), -1);
}
END_TEST

START_TEST(list_and_redaction) {
  secret_list list = {0};
  ck_assert_int_eq(secret_list_add(&list, "lpkey_aaaa"), 0);
  ck_assert_int_eq(secret_list_add(&list, "cw-private-bbbb"), 0);
  ck_assert_int_eq(secret_list_add(&list, "lpkey_aaaa"), 0);
  ck_assert_uint_eq(list.n, 2);
  lpsa_log *log = log_new(NULL, LPSA_LOG_ERROR);
  ck_assert_ptr_nonnull(log);
  ck_assert_int_eq(secret_list_register(&list, log), 0);
  char *red = log_redact(log, "key lpkey_aaaa and cw-private-bbbb end");
  ck_assert_str_eq(red, "key *** and *** end");
  free(red);
  log_free(log);
  secret_list_free(&list);
  ck_assert_uint_eq(list.n, 0);
  ck_assert_ptr_null(list.values);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("secret");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, sources);
  tcase_add_test(tc, from_environment);
  tcase_add_test(tc, from_file);
  tcase_add_test(tc, file_errors);
  tcase_add_test(tc, literal);
  tcase_add_test(tc, environment_control_characters);
  tcase_add_test(tc, messages_never_hold_the_secret);
  tcase_add_test(tc, small_error_buffer);
  tcase_add_test(tc, list_and_redaction);
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
