/* SPDX-License-Identifier: MIT */
/*
 * test_web_mapping_edit.c — one mapping row edited as a careful person
 * would: the rest of the file byte for byte (comments, quoting, CRLF, a
 * note spanning lines), the header's column order, a missing optional
 * column appended, the CLI's parser and duplicate rules as the judge, the
 * version check, the timestamped backup, the file's mode, a symlink
 * followed to the real file, a missing file created.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostrun.h"
#include "mapping.h"
#include "web_mapping_edit.h"

static char dir[PATH_MAX], path[PATH_MAX + 32];
static const time_t NOW = 1795000000; /* 2026-11-18T11:06:40Z */

static void setup(void) {
  char *d = test_tmpdir("webmap");
  ck_assert_ptr_nonnull(d);
  ck_assert_ptr_nonnull(realpath(d, dir));
  free(d);
  snprintf(path, sizeof path, "%s/mapping.csv", dir);
}

static void teardown(void) {
  test_rmtree(dir);
}

static void put(const char *text) {
  ck_assert_int_eq(test_write_file(dir, "mapping.csv", text), 0);
  chmod(path, 0640);
}

static const char *version(void) {
  static char v[WEB_MAP_VERSION_LEN + 1];
  char *text;
  size_t len;
  char err[256];
  ck_assert_int_eq(web_mapping_read(path, &text, &len, v, err, sizeof err), 0);
  free(text);
  return v;
}

static char *now_text(void) {
  return test_read_file(NULL, path);
}

static web_map_result r;

static int edit(web_map_op op, const char *target, const char *lp,
                const char *psa, const char *agr, const char *note) {
  web_map_row row = {lp, psa, agr, note};
  return web_mapping_edit(path, op, target, &row, version(), NOW, &r);
}

START_TEST(change_touches_one_row) {
  static const char before[] =
      "# Acme moved to the new agreement in May\n"
      "lastpass_company_id,psa_company_id,agreement_id,note\n"
      "12345,250,1034,\"Acme, Inc.\"\n"
      "\n"
      "# keep\n"
      "12346,251,,\n"
      "12347,  252 ,,\"two\nlines\"\n"
      "12348,253,,last\n";
  put(before);
  ck_assert_int_eq(edit(WEB_MAP_CHANGE, "12347", "12347", "260", "", "one"), 0);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(r.line, 7);
  ck_assert_str_eq(r.before[1], "252");
  ck_assert_str_eq(r.before[3], "two\nlines");
  ck_assert_str_eq(r.after[1], "260");
  char *now = now_text();
  ck_assert_str_eq(now, "# Acme moved to the new agreement in May\n"
                        "lastpass_company_id,psa_company_id,agreement_id,note\n"
                        "12345,250,1034,\"Acme, Inc.\"\n"
                        "\n"
                        "# keep\n"
                        "12346,251,,\n"
                        "12347,260,,one\n"
                        "12348,253,,last\n");
  free(now);
  /* the backup is the file as it was, named by the UTC time, same mode */
  char want[PATH_MAX + 64];
  snprintf(want, sizeof want, "%s.20261118-110640Z.bak", path);
  ck_assert_str_eq(r.backup, want);
  char *bak = test_read_file(NULL, want);
  ck_assert_str_eq(bak, before);
  free(bak);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0640);
  ck_assert_int_eq(stat(want, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0640);
  /* a second edit in the same second gets its own backup */
  ck_assert_int_eq(edit(WEB_MAP_REMOVE, "12348", NULL, NULL, NULL, NULL), 0);
  ck_assert_ptr_nonnull(strstr(r.backup, ".20261118-110640Z-2.bak"));
  ck_assert_int_eq(r.line, 0);
  now = now_text();
  ck_assert_ptr_null(strstr(now, "12348"));
  ck_assert_ptr_nonnull(strstr(now, "12347,260,,one\n"));
  free(now);
}
END_TEST

START_TEST(add_follows_the_header) {
  put("psa_company_id, lastpass_company_id\r\n"
      "250,12345\r\n");
  /* a note needs the note column: appended to the header */
  ck_assert_int_eq(edit(WEB_MAP_ADD, NULL, "12346", "251", NULL, "Beta, Ltd"),
                   0);
  ck_assert_int_eq(r.status, 201);
  ck_assert_int_eq(r.line, 3);
  char *now = now_text();
  ck_assert_str_eq(now, "psa_company_id, lastpass_company_id,note\r\n"
                        "250,12345\r\n"
                        "251,12346,\"Beta, Ltd\"\r\n");
  free(now);
  mapping m;
  char err[1024];
  ck_assert_int_eq(mapping_load(path, &m, err, sizeof err), 0);
  ck_assert_uint_eq(m.n_rows, 2);
  ck_assert_str_eq(m.rows[1].note, "Beta, Ltd");
  ck_assert_ptr_null(m.rows[0].note);
  mapping_free(&m);
}
END_TEST

START_TEST(quotes_what_must_be) {
  put("lastpass_company_id,psa_company_id,agreement_id,note\n");
  ck_assert_int_eq(edit(WEB_MAP_ADD, NULL, "9", "psa\"9", "a,1", "say \"hi\""),
                   0);
  char *now = now_text();
  ck_assert_str_eq(now, "lastpass_company_id,psa_company_id,agreement_id,note\n"
                        "9,\"psa\"\"9\",\"a,1\",\"say \"\"hi\"\"\"\n");
  free(now);
  ck_assert_str_eq(r.after[1], "psa\"9");
}
END_TEST

START_TEST(refusals_leave_the_file) {
  static const char before[] = "lastpass_company_id,psa_company_id\n"
                               "1,100\n"
                               "2,200\n"
                               "3,300\n"
                               "3,301\n";
  put(before);
  static const struct {
    web_map_op op;
    const char *target, *lp, *psa, *says;
    int status;
  } cases[] = {
      {WEB_MAP_CHANGE, "1", "1", "200",
       "already mapped to LastPass company 2 "
       "(line 3)",
       409},
      {WEB_MAP_ADD, NULL, "2", "900", "already mapped (line 3)", 409},
      {WEB_MAP_ADD, NULL, "4", "100", "MAPPING_DUPLICATE", 409},
      {WEB_MAP_CHANGE, "3", "3", "999", "mapped on several lines", 409},
      {WEB_MAP_REMOVE, "9", NULL, NULL, "has no row", 404},
      {WEB_MAP_CHANGE, "1", "5", "100", "keeps the LastPass company", 400},
      {WEB_MAP_ADD, NULL, "", "1", "lastpass_company_id is empty", 400},
      {WEB_MAP_ADD, NULL, " 6", "1", "starts or ends with a space", 400},
      {WEB_MAP_ADD, NULL, "#6", "1", "may not start with '#'", 400},
      {WEB_MAP_ADD, NULL, "6", "1\t", "control character", 400},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ck_assert_int_eq(edit(cases[i].op, cases[i].target, cases[i].lp,
                          cases[i].psa, NULL, NULL),
                     -1);
    ck_assert_msg(r.status == cases[i].status &&
                      strstr(r.message, cases[i].says),
                  "case %zu: %d %s", i, r.status, r.message);
    ck_assert_str_eq(r.backup, "");
  }
  /* the version must be today's */
  web_map_row row = {"7", "700", NULL, NULL};
  ck_assert_int_eq(
      web_mapping_edit(path, WEB_MAP_ADD, NULL, &row, "stale", NOW, &r), -1);
  ck_assert_int_eq(r.status, 409);
  ck_assert_str_eq(r.version, version()); /* the current one, to reload */
  ck_assert_int_eq(
      web_mapping_edit(path, WEB_MAP_ADD, NULL, &row, NULL, NOW, &r), -1);
  char *now = now_text();
  ck_assert_str_eq(now, before);
  free(now);
  /* a file with errors is not edited from the console */
  put("lastpass_company_id,psa_company_id\n1,\n");
  ck_assert_int_eq(edit(WEB_MAP_ADD, NULL, "7", "700", NULL, NULL), -1);
  ck_assert_int_eq(r.status, 409);
  ck_assert_ptr_nonnull(strstr(r.message, "mapping.csv:2: psa_company_id is "
                                          "empty"));
}
END_TEST

START_TEST(symlink_and_missing_file) {
  /* a missing file is created with the canonical header, no backup */
  ck_assert_int_eq(edit(WEB_MAP_ADD, NULL, "1", "100", NULL, NULL), 0);
  ck_assert_str_eq(r.backup, "");
  char *now = now_text();
  ck_assert_str_eq(now, "lastpass_company_id,psa_company_id,agreement_id,note\n"
                        "1,100,,\n");
  free(now);
  /* a link is followed: the real file changes, the link stays */
  char real[PATH_MAX + 32];
  snprintf(real, sizeof real, "%s/real.csv", dir);
  ck_assert_int_eq(rename(path, real), 0);
  ck_assert_int_eq(symlink(real, path), 0);
  ck_assert_int_eq(edit(WEB_MAP_CHANGE, "1", "1", "101", NULL, NULL), 0);
  struct stat st;
  ck_assert_int_eq(lstat(path, &st), 0);
  ck_assert(S_ISLNK(st.st_mode));
  char *text = test_read_file(NULL, real);
  ck_assert_ptr_nonnull(strstr(text, "1,101,,\n"));
  free(text);
  ck_assert_ptr_nonnull(strstr(r.backup, "/real.csv."));
}
END_TEST

int main(void) {
  Suite *s = suite_create("web_mapping_edit");
  TCase *tc = tcase_create("edit");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, change_touches_one_row);
  tcase_add_test(tc, add_follows_the_header);
  tcase_add_test(tc, quotes_what_must_be);
  tcase_add_test(tc, refusals_leave_the_file);
  tcase_add_test(tc, symlink_and_missing_file);
  suite_add_tcase(s, tc);
  char *tmp = test_private_tmpdir("web-tests");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  test_rmtree(tmp);
  free(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
