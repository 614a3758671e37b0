/* SPDX-License-Identifier: MIT */
/*
 * test_mapping.c — the mapping CSV: header by name, RFC 4180 quoting,
 * comments, BOM/CRLF, line numbers, errors, and duplicate detection.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mapping.h"

static char err[8192];

static int parse(const char *text, mapping *m) {
  return mapping_parse_buffer(text, strlen(text), "mapping.csv", m, err,
                              sizeof err);
}

static const char *parse_bad(const char *text) {
  mapping m;
  ck_assert_msg(parse(text, &m) == -1, "parsed: %s", text);
  ck_assert_ptr_null(m.rows);
  ck_assert_uint_eq(m.n_rows, 0);
  return err;
}

static void assert_row(const mapping *m, size_t i, const char *lp,
                       const char *psa, const char *agr, const char *note,
                       int line) {
  ck_assert_uint_lt(i, m->n_rows);
  const mapping_row *r = &m->rows[i];
  ck_assert_str_eq(r->lastpass_company_id, lp);
  ck_assert_str_eq(r->psa_company_id, psa);
  if (agr)
    ck_assert_str_eq(r->agreement_id, agr);
  else
    ck_assert_ptr_null(r->agreement_id);
  if (note)
    ck_assert_str_eq(r->note, note);
  else
    ck_assert_ptr_null(r->note);
  ck_assert_int_eq(r->line, line);
}

START_TEST(plain) {
  mapping m;
  int rc = parse("lastpass_company_id,psa_company_id,agreement_id,note\n"
                 "12345,250,1034,Acme\n"
                 "12346,251,,\n"
                 "12347,252\n",
                 &m);
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_str_eq(m.name, "mapping.csv");
  ck_assert_uint_eq(m.n_rows, 3);
  assert_row(&m, 0, "12345", "250", "1034", "Acme", 2);
  assert_row(&m, 1, "12346", "251", NULL, NULL, 3);
  assert_row(&m, 2, "12347", "252", NULL, NULL, 4); /* trailing optionals */
  mapping_free(&m);
  ck_assert_ptr_null(m.rows);
  mapping_free(&m);
}
END_TEST

START_TEST(quoting_comments_and_line_numbers) {
  mapping m;
  int rc = parse("\xEF\xBB\xBF"
                 "# exported 2026-05-01\r\n"                       /* 1 */
                 "  Note , PSA_Company_ID,LastPass_Company_ID\r\n" /* 2 */
                 "\r\n"                                            /* 3 */
                 "\"Acme, Inc.\",250, 12345 \r\n"                  /* 4 */
                 "   # a comment, with a comma\r\n"                /* 5 */
                 "\"He said \"\"hi\"\"\",\" 251 \",12346\r\n"      /* 6 */
                 "\"two\r\nlines\",252,12347\r\n"                  /* 7-8 */
                 "  \"quoted\"  , 253 ,\"#12348\"\r\n"             /* 9 */
                 ",254,12349",                                     /* 10 */
                 &m);
  ck_assert_msg(rc == 0, "%s", err);
  ck_assert_uint_eq(m.n_rows, 5);
  assert_row(&m, 0, "12345", "250", NULL, "Acme, Inc.", 4);
  assert_row(&m, 1, "12346", "251", NULL, "He said \"hi\"", 6);
  assert_row(&m, 2, "12347", "252", NULL, "two\nlines", 7);
  assert_row(&m, 3, "#12348", "253", NULL, "quoted", 9);
  assert_row(&m, 4, "12349", "254", NULL, NULL, 10);
  mapping_free(&m);
}
END_TEST

START_TEST(header_only_and_empty_quoted) {
  mapping m;
  ck_assert_int_eq(parse("lastpass_company_id,psa_company_id\n", &m), 0);
  ck_assert_uint_eq(m.n_rows, 0);
  mapping_free(&m);
  ck_assert_int_eq(parse("lastpass_company_id,psa_company_id,agreement_id\n"
                         "1,2,\"\"\n",
                         &m),
                   0);
  assert_row(&m, 0, "1", "2", NULL, NULL, 2);
  mapping_free(&m);
}
END_TEST

START_TEST(header_errors) {
  ck_assert_str_eq(parse_bad(""), "mapping.csv: has no header; the first line "
                                  "must name the columns: "
                                  "lastpass_company_id,psa_company_id,"
                                  "agreement_id,note");
  parse_bad("# only a comment\n\n");
  ck_assert_str_eq(
      parse_bad("lastpass_company_id,psa_compnay_id\n1,2\n"),
      "mapping.csv:1: unknown column \"psa_compnay_id\" in the header; did "
      "you mean \"psa_company_id\"?");
  /* Data where the header belongs: not ignored extra columns. */
  ck_assert_str_eq(parse_bad("12345,250\n12346,251\n"),
                   "mapping.csv:1: the header lacks the lastpass_company_id "
                   "column; the first line must name the columns: "
                   "lastpass_company_id,psa_company_id,agreement_id,note");
  ck_assert_str_eq(
      parse_bad("lastpass_company_id,psa_company_id,NOTE,note\n"),
      "mapping.csv:1: column note appears twice in the header; keep one");
  ck_assert_str_eq(parse_bad("lastpass_company_id,note\n1,x\n"),
                   "mapping.csv:1: the header lacks the psa_company_id "
                   "column; the first line must name the columns: "
                   "lastpass_company_id,psa_company_id,agreement_id,note");
  ck_assert_str_eq(parse_bad("lastpass_company_id,psa_company_id,\n"),
                   "mapping.csv:1: column 3 of the header is empty; the "
                   "header names the columns: lastpass_company_id,"
                   "psa_company_id,agreement_id,note");
}
END_TEST

START_TEST(row_errors_listed_together) {
  const char *e = parse_bad("lastpass_company_id,psa_company_id,agreement_id\n"
                            "1,2,3\n"            /* 2: fine */
                            "4,5,6,7\n"          /* 3: too many */
                            "8\n"                /* 4: lacks psa */
                            " ,9\n"              /* 5: empty lastpass */
                            "10,\"\"\n"          /* 6: empty psa */
                            "11,\"12\"x,13\n"    /* 7: text after quote */
                            "\"1\n4\",15\n"      /* 8-9: line break */
                            "16,17,\"unclosed\n" /* 10: never closed */
                            "18,19\n");
  ck_assert_str_eq(
      e, "mapping.csv:3: the row has 4 fields but the header has 3 columns; "
         "quote fields that contain commas (\"Acme, Inc.\")\n"
         "mapping.csv:4: the row has 1 field and lacks psa_company_id; add it "
         "(rows follow the header's columns)\n"
         "mapping.csv:5: lastpass_company_id is empty; fill it in, or delete "
         "the row (unmapped companies are not updated)\n"
         "mapping.csv:6: psa_company_id is empty; fill it in, or delete the "
         "row (unmapped companies are not updated)\n"
         "mapping.csv:7: text after a closing quote; quote the whole field "
         "(\"a \"\"b\"\" c\") or remove the quotes\n"
         "mapping.csv:8: lastpass_company_id holds a line break or control "
         "character; remove it\n"
         "mapping.csv:10: a quoted field is never closed; add the closing \" "
         "(write \"\" for a quote inside a field)");
}
END_TEST

/* Files as spreadsheets save them. */
START_TEST(semicolons_and_tabs) {
  mapping m;
  /* Excel where ',' is the decimal mark: ';', CRLF, a BOM, a comma inside
   * an unquoted note. */
  ck_assert_msg(parse("\xEF\xBB\xBFlastpass_company_id;psa_company_id;"
                      "agreement_id;note\r\n"
                      "12345;250;;Acme, Inc.\r\n"
                      "12346;251;1034;\"Beta; Ltd\"\r\n",
                      &m) == 0,
                "%s", err);
  ck_assert_uint_eq(m.n_rows, 2);
  assert_row(&m, 0, "12345", "250", NULL, "Acme, Inc.", 2);
  assert_row(&m, 1, "12346", "251", "1034", "Beta; Ltd", 3);
  ck_assert_ptr_null(m.warning);
  mapping_free(&m);
  /* Copied out of a sheet: tabs, empty cells kept apart. */
  ck_assert_msg(
      parse("lastpass_company_id\tpsa_company_id\tagreement_id\tnote\n"
            "12345\t250\t\tAcme Inc\n"
            "12346\t251\t1034\t\n",
            &m) == 0,
      "%s", err);
  assert_row(&m, 0, "12345", "250", NULL, "Acme Inc", 2);
  assert_row(&m, 1, "12346", "251", "1034", NULL, 3);
  mapping_free(&m);
  /* A row with another separator than the header's is named as such. */
  ck_assert_str_eq(parse_bad("lastpass_company_id,psa_company_id\n"
                             "1,2\n"
                             "3;4\n"),
                   "mapping.csv:3: this row uses ';' between columns, but "
                   "the header uses ','; use one separator in the whole file");
}
END_TEST

START_TEST(empty_rows_are_skipped) {
  mapping m;
  ck_assert_msg(parse("lastpass_company_id,psa_company_id,agreement_id,note\n"
                      "1,2,,\n"
                      ",,,\n"
                      " , ,\"\", \n"
                      "3,4,,\n"
                      ",,,\n",
                      &m) == 0,
                "%s", err);
  ck_assert_uint_eq(m.n_rows, 2);
  assert_row(&m, 0, "1", "2", NULL, NULL, 2);
  assert_row(&m, 1, "3", "4", NULL, NULL, 5);
  mapping_free(&m);
  ck_assert_msg(parse("lastpass_company_id;psa_company_id\n1;2\n;\n;\n", &m) ==
                    0,
                "%s", err);
  ck_assert_uint_eq(m.n_rows, 1);
  mapping_free(&m);
  /* A row with one id is still an error, with its line. */
  ck_assert_str_eq(parse_bad("lastpass_company_id,psa_company_id\n,,\n,5\n"),
                   "mapping.csv:3: lastpass_company_id is empty; fill it in, "
                   "or delete the row (unmapped companies are not updated)");
}
END_TEST

START_TEST(header_names_as_people_write_them) {
  mapping m;
  ck_assert_msg(parse("LastPass Company ID,PSA Company ID,Agreement ID,Note\n"
                      "1,2,3,x\n",
                      &m) == 0,
                "%s", err);
  assert_row(&m, 0, "1", "2", "3", "x", 2);
  ck_assert_ptr_null(m.warning);
  mapping_free(&m);
  ck_assert_msg(parse("lastpass company_id;PSA-company-id\n1;2\n", &m) == 0,
                "%s", err);
  assert_row(&m, 0, "1", "2", NULL, NULL, 2);
  mapping_free(&m);
  /* Names are still checked: a near miss of a missing column. */
  ck_assert_str_eq(
      parse_bad("LastPass Company ID,PSA Compnay ID\n1,2\n"),
      "mapping.csv:1: unknown column \"PSA Compnay ID\" in the header; did "
      "you mean \"psa_company_id\"?");
  ck_assert_str_eq(parse_bad("LastPass Company ID,psa_company_id,Note,NOTE\n"),
                   "mapping.csv:1: column note appears twice in the header; "
                   "keep one");
}
END_TEST

START_TEST(extra_columns_are_ignored_with_one_warning) {
  mapping m;
  ck_assert_msg(parse("# exported from the billing sheet\n"
                      "Customer Name,lastpass_company_id,psa_company_id,Seats,"
                      "note,Notes\n"
                      "Acme,1,2,40,x,y\n"
                      "Beta,3,4,12,,\n",
                      &m) == 0,
                "%s", err);
  ck_assert_uint_eq(m.n_rows, 2);
  assert_row(&m, 0, "1", "2", NULL, "x", 3);
  assert_row(&m, 1, "3", "4", NULL, NULL, 4);
  ck_assert_str_eq(m.warning,
                   "mapping.csv:2: ignoring the columns \"Customer Name\", "
                   "\"Seats\", \"Notes\" (lpsa reads only "
                   "lastpass_company_id, psa_company_id, agreement_id and "
                   "note)");
  mapping_free(&m);
  ck_assert_msg(
      parse("lastpass_company_id,psa_company_id,Seats\n1,2,3\n", &m) == 0, "%s",
      err);
  ck_assert_str_eq(m.warning, "mapping.csv:1: ignoring the column \"Seats\" "
                              "(lpsa reads only lastpass_company_id, "
                              "psa_company_id, agreement_id and note)");
  mapping_free(&m);
  /* Everything else stays strict: a row wider than the header, a bad id. */
  ck_assert_str_eq(
      parse_bad("lastpass_company_id,psa_company_id,Seats\n1,2,3,4\n"),
      "mapping.csv:2: the row has 4 fields but the header has 3 columns; "
      "quote fields that contain commas (\"Acme, Inc.\")");
}
END_TEST

START_TEST(nul_and_cap) {
  mapping m;
  static const char nul[] = "lastpass_company_id,psa_company_id\n1,2\n3\0,4\n";
  ck_assert_int_eq(
      mapping_parse_buffer(nul, sizeof nul - 1, "m.csv", &m, err, sizeof err),
      -1);
  ck_assert_str_eq(err, "m.csv:3: holds a NUL byte; is this a CSV file?");
  char text[4096] = "lastpass_company_id,psa_company_id\n";
  for (int i = 0; i < 30; i++)
    strcat(text, ",1\n");
  const char *e = parse_bad(text);
  ck_assert_ptr_nonnull(strstr(e, "mapping.csv:21: lastpass_company_id"));
  ck_assert_ptr_null(strstr(e, "mapping.csv:22:"));
  ck_assert_ptr_nonnull(
      strstr(e, "\nmapping.csv: 10 more problems not shown; fix these and "
                "run again"));
  char small[16];
  ck_assert_int_eq(mapping_parse_buffer(text, strlen(text), "mapping.csv", &m,
                                        small, sizeof small),
                   -1);
  ck_assert_uint_lt(strlen(small), sizeof small);
  ck_assert_int_eq(
      mapping_parse_buffer(text, strlen(text), "mapping.csv", &m, NULL, 0), -1);
}
END_TEST

START_TEST(duplicates) {
  mapping m;
  int rc = parse("lastpass_company_id,psa_company_id\n"
                 "1,A\n"  /* row 0 */
                 "2,B\n"  /* row 1 */
                 "1,C\n"  /* row 2: LastPass 1 again */
                 "3,B\n"  /* row 3: PSA B again */
                 "4,D\n"  /* row 4 */
                 "1,B\n", /* row 5: both */
                 &m);
  ck_assert_msg(rc == 0, "%s", err);
  mapping_dups d;
  ck_assert_int_eq(mapping_find_duplicates(&m, &d), 0);
  ck_assert_uint_eq(d.n, 2);
  ck_assert_int_eq(d.items[0].kind, MAPPING_DUP_LASTPASS);
  ck_assert_str_eq(d.items[0].id, "1");
  ck_assert_uint_eq(d.items[0].n_rows, 3);
  ck_assert_uint_eq(d.items[0].rows[0], 0);
  ck_assert_uint_eq(d.items[0].rows[1], 2);
  ck_assert_uint_eq(d.items[0].rows[2], 5);
  ck_assert_int_eq(d.items[1].kind, MAPPING_DUP_PSA);
  ck_assert_str_eq(d.items[1].id, "B");
  ck_assert_uint_eq(d.items[1].n_rows, 3);
  ck_assert_uint_eq(d.items[1].rows[0], 1);
  ck_assert_uint_eq(d.items[1].rows[1], 3);
  ck_assert_uint_eq(d.items[1].rows[2], 5);
  ck_assert_int_eq(m.rows[d.items[1].rows[1]].line, 5);
  mapping_dups_free(&d);
  ck_assert_uint_eq(d.n, 0);
  mapping_free(&m);

  ck_assert_int_eq(parse("lastpass_company_id,psa_company_id\n1,a\n2,A\n", &m),
                   0);
  ck_assert_int_eq(mapping_find_duplicates(&m, &d), 0);
  ck_assert_uint_eq(d.n, 0); /* ids compare exactly */
  mapping_dups_free(&d);
  mapping_free(&m);
}
END_TEST

START_TEST(from_file) {
  const char *tmp = getenv("TMPDIR");
  char dir[PATH_MAX], path[PATH_MAX + 32];
  snprintf(dir, sizeof dir, "%s/lpsa-mapping-XXXXXX", tmp ? tmp : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/m.csv", dir);
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("lastpass_company_id,psa_company_id\n7,8\n", f);
  ck_assert_int_eq(fclose(f), 0);
  mapping m;
  ck_assert_int_eq(mapping_load(path, &m, err, sizeof err), 0);
  ck_assert_str_eq(m.name, path);
  assert_row(&m, 0, "7", "8", NULL, NULL, 2);
  mapping_free(&m);
  char want[PATH_MAX + 256];
  ck_assert_int_eq(mapping_load(dir, &m, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "%s: is not a regular file; point mapping_file at the CSV file",
           dir);
  ck_assert_str_eq(err, want);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(mapping_load(path, &m, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "%s: cannot open: No such file or directory; check mapping_file "
           "in the configuration",
           path);
  ck_assert_str_eq(err, want);
  ck_assert_int_eq(mapping_load(path, &m, NULL, 0), -1);
  ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Random text from CSV's own alphabet: never crashes, and whatever parses
 * satisfies the documented guarantees. */
START_TEST(random_input) {
  static const char alphabet[] = "ab1,,\"\"\n\r# \t;x";
  uint32_t state = 12345;
  char text[96];
  for (int iter = 0; iter < 20000; iter++) {
    size_t n = 0;
    strcpy(text, iter % 2 ? "lastpass_company_id,psa_company_id,note\n" : "");
    n = strlen(text);
    size_t extra = (state >> 8) % 48;
    for (size_t i = 0; i < extra; i++) {
      state = state * 1103515245u + 12345u;
      text[n++] = alphabet[(state >> 16) % (sizeof alphabet - 1)];
    }
    mapping m;
    int rc = mapping_parse_buffer(text, n, "r.csv", &m, err, sizeof err);
    if (rc == 0) {
      for (size_t i = 0; i < m.n_rows; i++) {
        ck_assert(m.rows[i].lastpass_company_id &&
                  *m.rows[i].lastpass_company_id);
        ck_assert(m.rows[i].psa_company_id && *m.rows[i].psa_company_id);
        ck_assert_int_ge(m.rows[i].line, 1);
      }
      mapping_dups d;
      ck_assert_int_eq(mapping_find_duplicates(&m, &d), 0);
      mapping_dups_free(&d);
      mapping_free(&m);
    } else {
      ck_assert_int_eq(rc, -1);
      ck_assert_msg(strncmp(err, "r.csv", 5) == 0, "%s", err);
      ck_assert_ptr_null(m.rows);
    }
  }
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("mapping");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, plain);
  tcase_add_test(tc, quoting_comments_and_line_numbers);
  tcase_add_test(tc, header_only_and_empty_quoted);
  tcase_add_test(tc, header_errors);
  tcase_add_test(tc, row_errors_listed_together);
  tcase_add_test(tc, semicolons_and_tabs);
  tcase_add_test(tc, empty_rows_are_skipped);
  tcase_add_test(tc, header_names_as_people_write_them);
  tcase_add_test(tc, extra_columns_are_ignored_with_one_warning);
  tcase_add_test(tc, nul_and_cap);
  tcase_add_test(tc, duplicates);
  tcase_add_test(tc, from_file);
  tcase_add_test(tc, random_input);
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
