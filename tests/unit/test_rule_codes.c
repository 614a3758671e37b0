/* SPDX-License-Identifier: MIT */
/*
 * test_rule_codes.c — the rule-code catalogue (rule_codes.h) and the two
 * documents that list the codes for people: README.md's rule table and
 * lpsa-host(1)'s RULES section must name exactly the catalogue's codes,
 * with the severities it documents (", held" for a code that holds a
 * change), so neither can drift from the code.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "hostrun.h"
#include "rule_codes.h"

/* "warning, held" for a holding code, else its documented severity. */
static void documented(const rule_info *ri, char *out, size_t cap) {
  snprintf(out, cap, "%s%s", ri->doc_severity, ri->holds ? ", held" : "");
}

static char *source_file(const char *name) {
  const char *src = getenv("LPSA_SOURCE_DIR");
  ck_assert_msg(src != NULL, "LPSA_SOURCE_DIR is not set");
  char *text = test_read_file(src, name);
  ck_assert_msg(text != NULL, "cannot read %s/%s", src, name);
  return text;
}

START_TEST(catalogue_is_consistent) {
  for (int r = 0; r < RULE_COUNT_; r++) {
    const rule_info *ri = rule_info_of((rule_code)r);
    ck_assert_ptr_nonnull(ri);
    ck_assert_ptr_eq(rule_info_find(ri->code), ri);
    ck_assert_int_eq(approval_is_hold(ri->code), ri->holds);
    ck_assert(ri->meaning[0] && ri->doc_severity[0]);
    /* A holding code holds with its warning. */
    if (ri->holds)
      ck_assert_int_eq(ri->sev, SEV_WARNING);
  }
  ck_assert_ptr_null(rule_info_of(RULE_COUNT_));
  ck_assert_ptr_null(rule_info_find("NOT_A_RULE"));
  finding_list l = {0};
  ck_assert_int_eq(finding_rule(&l, RULE_NO_AGREEMENT, "x %d", 1), 0);
  ck_assert_int_eq(
      finding_rule_sev(&l, RULE_CHANGED_IN_PSA, SEV_INFO, "%s", "y"), 0);
  ck_assert_str_eq(l.items[0].code, "NO_AGREEMENT");
  ck_assert_int_eq(l.items[0].sev, SEV_ERROR);
  ck_assert_str_eq(l.items[0].message, "x 1");
  ck_assert_str_eq(l.items[1].code, "CHANGED_IN_PSA");
  ck_assert_int_eq(l.items[1].sev, SEV_INFO);
  ck_assert_int_eq(findings_has_rule(&l, RULE_CHANGED_IN_PSA), 1);
  ck_assert_int_eq(findings_has_rule(&l, RULE_WRITE_FAILED), 0);
  findings_free(&l);
}
END_TEST

/* The README's "## Rules" table: | `CODE` | severity | when |. */
START_TEST(readme_table_matches) {
  char *text = source_file("README.md");
  char *p = strstr(text, "\n## Rules\n");
  ck_assert_msg(p != NULL, "README.md has no \"## Rules\" section");
  char *end = strstr(p + 1, "\n## ");
  if (end)
    *end = '\0';
  int seen[RULE_COUNT_] = {0};
  for (char *line = strstr(p, "\n| `"); line; line = strstr(line, "\n| `")) {
    line += 4;
    char code[64], sev[128];
    ck_assert_msg(sscanf(line, "%63[A-Z0-9_]` | %127[^|]", code, sev) == 2,
                  "README.md: a rule row that does not parse: %.60s", line);
    size_t n = strlen(sev);
    while (n && sev[n - 1] == ' ')
      sev[--n] = '\0';
    const rule_info *ri = rule_info_find(code);
    ck_assert_msg(ri != NULL,
                  "README.md lists %s, which rule_codes.h does not have", code);
    char want[160];
    documented(ri, want, sizeof want);
    ck_assert_msg(strcmp(sev, want) == 0,
                  "README.md says %s is \"%s\"; rule_codes.h says \"%s\"", code,
                  sev, want);
    seen[ri - rule_info_of(0)]++;
  }
  for (int r = 0; r < RULE_COUNT_; r++)
    ck_assert_msg(seen[r] == 1, "README.md lists %s %d times, not once",
                  rule_info_of((rule_code)r)->code, seen[r]);
  free(text);
}
END_TEST

/* lpsa-host(1)'s RULES section: each item (.TP then .BR CODE[", " CODE...]
 * [" (severity)"]) names codes; each code once, in the catalogue, with its
 * documented severity when the item says one. */
START_TEST(man_page_matches) {
  char *text = source_file("conf/lpsa-host.1");
  char *p = strstr(text, "\n.SH RULES\n");
  ck_assert_msg(p != NULL, "lpsa-host.1 has no RULES section");
  char *end = strstr(p + 1, "\n.SH ");
  if (end)
    *end = '\0';
  int seen[RULE_COUNT_] = {0};
  for (char *tp = strstr(p, "\n.TP\n.BR "); tp;
       tp = strstr(tp, "\n.TP\n.BR ")) {
    tp += 9;
    size_t len = strcspn(tp, "\n");
    char item[512];
    snprintf(item, sizeof item, "%.*s", (int)len, tp);
    /* The severity, when the item ends with " (...)" in quotes. */
    char sev[128] = "";
    char *open = strstr(item, "\" (");
    if (open)
      sscanf(open + 3, "%127[^)]", sev);
    /* The codes: the words outside quotes. */
    int quoted = 0;
    for (char *w = item; *w;) {
      if (*w == '"') {
        quoted = !quoted;
        w++;
        continue;
      }
      if (quoted || !isupper((unsigned char)*w)) {
        w++;
        continue;
      }
      char code[64];
      size_t n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
      snprintf(code, sizeof code, "%.*s", (int)n, w);
      w += n;
      const rule_info *ri = rule_info_find(code);
      ck_assert_msg(ri != NULL,
                    "lpsa-host.1 lists %s, which rule_codes.h does not have",
                    code);
      seen[ri - rule_info_of(0)]++;
      if (sev[0]) {
        char want[160];
        documented(ri, want, sizeof want);
        ck_assert_msg(strcmp(sev, want) == 0,
                      "lpsa-host.1 says %s is \"%s\"; rule_codes.h says "
                      "\"%s\"",
                      code, sev, want);
      }
    }
  }
  for (int r = 0; r < RULE_COUNT_; r++)
    ck_assert_msg(seen[r] == 1, "lpsa-host.1 lists %s %d times, not once",
                  rule_info_of((rule_code)r)->code, seen[r]);
  free(text);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("rule_codes");
  TCase *tc = tcase_create("rule_codes");
  tcase_add_test(tc, catalogue_is_consistent);
  tcase_add_test(tc, readme_table_matches);
  tcase_add_test(tc, man_page_matches);
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
