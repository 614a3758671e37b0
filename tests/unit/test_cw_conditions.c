/* SPDX-License-Identifier: MIT */
/*
 * test_cw_conditions.c — the ConnectWise simulator's conditions language
 * (tests/sim/connectwise/conditions.h) and the SQL-Server-like text and date
 * comparisons under it: table-driven matches over small record sets, and
 * every kind of syntax, field and type error.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conditions.h"
#include "dates.h"
#include "textcmp.h"

/* ---- records ----------------------------------------------------------- */

static const char COMPANIES[] =
    "["
    "{\"id\":1,\"identifier\":\"OBrien\",\"name\":\"O'Brien & Sons\","
    "\"status\":{\"id\":1,\"name\":\"Active\"},\"deletedFlag\":false,"
    "\"_info\":{\"lastUpdated\":\"2026-01-01T00:00:00Z\"}},"
    "{\"id\":2,\"identifier\":\"Cafe\",\"name\":\"Caf\xc3\xa9 M\xc3\xbcller\","
    "\"status\":{\"id\":1,\"name\":\"Active\"},\"deletedFlag\":false,"
    "\"_info\":{\"lastUpdated\":\"2026-02-01T00:00:00Z\"}},"
    "{\"id\":3,\"identifier\":\"Pure\",\"name\":\"100% Pure\","
    "\"status\":{\"id\":2,\"name\":\"Inactive\"},\"deletedFlag\":true,"
    "\"_info\":{\"lastUpdated\":\"2025-06-01T00:00:00Z\"}},"
    "{\"id\":4,\"identifier\":\"North\",\"name\":\"Northwind \","
    "\"status\":null,\"deletedFlag\":false},"
    "{\"id\":5,\"identifier\":\"Quote\",\"name\":\"\\\"Blue\\\" Sky \\\\ Co\","
    "\"status\":{\"id\":1,\"name\":\"Active\"},\"deletedFlag\":false}"
    "]";

static const char AGREEMENTS[] =
    "["
    "{\"id\":10,\"company\":{\"id\":250,\"name\":\"Acme\"},"
    "\"agreementStatus\":\"Active\",\"endDate\":null,"
    "\"parentAgreement\":null,\"cancelledFlag\":false,"
    "\"type\":{\"id\":1,\"name\":\"Managed Services\"}},"
    "{\"id\":11,\"company\":{\"id\":250,\"name\":\"Acme\"},"
    "\"agreementStatus\":\"Cancelled\",\"endDate\":\"2025-12-31T00:00:00Z\","
    "\"parentAgreement\":null,\"cancelledFlag\":true,"
    "\"type\":{\"id\":1,\"name\":\"Managed Services\"}},"
    "{\"id\":12,\"company\":{\"id\":251,\"name\":\"Other\"},"
    "\"agreementStatus\":\"Active\",\"endDate\":\"2027-06-30T00:00:00Z\","
    "\"parentAgreement\":{\"id\":10,\"name\":\"x\"},\"cancelledFlag\":false,"
    "\"type\":{\"id\":2,\"name\":\"Block Time\"}}"
    "]";

static const char ADDITIONS[] =
    "["
    "{\"id\":100,\"product\":{\"id\":700,\"identifier\":\"LASTPASS-BUS\"},"
    "\"quantity\":12,\"unitPrice\":6.5,\"cancelledDate\":null,"
    "\"agreementId\":10,\"billCustomer\":\"Billable\"},"
    "{\"id\":101,\"product\":{\"id\":701,\"identifier\":\"LASTPASS-MFA\"},"
    "\"quantity\":2.5,\"unitPrice\":8,"
    "\"cancelledDate\":\"2024-12-31T00:00:00Z\",\"agreementId\":10,"
    "\"billCustomer\":\"DoNotBill\"},"
    "{\"id\":102,\"product\":{\"id\":710,\"identifier\":\"M365_BUS\"},"
    "\"quantity\":0,\"unitPrice\":22,"
    "\"cancelledDate\":\"2027-06-30T00:00:00Z\",\"agreementId\":11,"
    "\"billCustomer\":\"Billable\"}"
    "]";

typedef struct match_case {
  const cw_schema *schema;
  const char *conditions;
  const char *ids; /* matching ids, comma-separated, "" for none */
} match_case;

static const match_case MATCHES[] = {
    /* operators on numbers */
    {&cw_schema_company, "id=1", "1"},
    {&cw_schema_company, "ID = 1", "1"},
    {&cw_schema_company, "  id   =   1  ", "1"},
    {&cw_schema_company, "id != 1", "2,3,4,5"},
    {&cw_schema_company, "id<3", "1,2"},
    {&cw_schema_company, "id<=3", "1,2,3"},
    {&cw_schema_company, "id>3", "4,5"},
    {&cw_schema_company, "id>=3", "3,4,5"},
    {&cw_schema_company, "id=1.0", "1"},
    {&cw_schema_company, "id=-1", ""},
    {&cw_schema_company, "id=\"2\"", "2"},
    {&cw_schema_company, "id in (1,3,5)", "1,3,5"},
    {&cw_schema_company, "id IN ( 1 , 3 )", "1,3"},
    {&cw_schema_company, "id not in (1,3,5)", "2,4"},
    {&cw_schema_company, "id NOT IN (2)", "1,3,4,5"},
    /* strings: case-insensitive, trailing spaces, quotes and escapes */
    {&cw_schema_company, "name=\"o'brien & sons\"", "1"},
    {&cw_schema_company, "name='O\\'Brien & Sons'", "1"},
    {&cw_schema_company, "name=\"\\\"Blue\\\" Sky \\\\ Co\"", "5"},
    {&cw_schema_company, "name='\"Blue\" Sky \\ Co'", "5"},
    {&cw_schema_company, "name=\"Northwind\"", "4"},
    {&cw_schema_company, "name=\"Northwind   \"", "4"},
    {&cw_schema_company, "name=\"CAF\xc3\x89 M\xc3\x9cLLER\"", "2"},
    {&cw_schema_company, "name=\"Cafe Muller\"", ""},
    {&cw_schema_company, "name != \"100% pure\"", "1,2,4,5"},
    /* punctuation sorts before letters: "Blue" starts with a quote */
    {&cw_schema_company, "name < \"b\"", "3,5"},
    {&cw_schema_company, "name >= \"n\"", "1,4"},
    {&cw_schema_company, "identifier in (\"obrien\",\"PURE\")", "1,3"},
    {&cw_schema_company, "identifier not in ('obrien')", "2,3,4,5"},
    /* like and contains */
    {&cw_schema_company, "name like \"caf%\"", "2"},
    {&cw_schema_company, "name LIKE '%sons'", "1"},
    {&cw_schema_company, "name like \"100%\"", "3"},
    {&cw_schema_company, "name like \"_af\xc3\xa9%\"", "2"},
    {&cw_schema_company, "name like \"%\"", "1,2,3,4,5"},
    {&cw_schema_company, "name like \"o%n%s\"", "1"},
    {&cw_schema_company, "name like \"o'brien\"", ""},
    {&cw_schema_company, "name not like \"%o%\"", "2,3"},
    {&cw_schema_company, "name contains \"&\"", "1"},
    {&cw_schema_company, "name contains \"%\"", "3"},
    {&cw_schema_company, "name contains \"M\xc3\x9cL\"", "2"},
    {&cw_schema_company, "name not contains \"&\"", "2,3,4,5"},
    {&cw_schema_company, "name contains \"\"", "1,2,3,4,5"},
    /* booleans */
    {&cw_schema_company, "deletedFlag=true", "3"},
    {&cw_schema_company, "deletedFlag = False", "1,2,4,5"},
    {&cw_schema_company, "deletedFlag != true", "1,2,4,5"},
    {&cw_schema_company, "deletedFlag=\"true\"", "3"},
    /* nested fields and nulls */
    {&cw_schema_company, "status/name=\"active\"", "1,2,5"},
    {&cw_schema_company, "Status/ID=2", "3"},
    {&cw_schema_company, "status/id=null", "4"},
    {&cw_schema_company, "status/id != null", "1,2,3,5"},
    {&cw_schema_company, "status/name != \"Active\"", "3,4"},
    {&cw_schema_company, "status/id < 5", "1,2,3,5"},
    {&cw_schema_company, "status/name like \"%\"", "1,2,3,5"},
    {&cw_schema_company, "status/name not like \"A%\"", "3,4"},
    {&cw_schema_company, "status = null", "4"},
    /* and / or / parentheses */
    {&cw_schema_company, "id=1 or id=2 and deletedFlag=true", "1"},
    {&cw_schema_company, "(id=1 or id=2) and deletedFlag=false", "1,2"},
    {&cw_schema_company, "id=1 OR id=2", "1,2"},
    {&cw_schema_company, "id>1 And id<4 aNd deletedFlag=false", "2"},
    {&cw_schema_company, "((id=1))", "1"},
    {&cw_schema_company, "(id=1 or (id=3 and deletedFlag=true)) or id=5",
     "1,3,5"},
    {&cw_schema_company, "not_a_keyword_free_text=1 or id=1", NULL},
    /* dates */
    {&cw_schema_company, "lastUpdated > [2026-01-15T00:00:00Z]", "2"},
    {&cw_schema_company, "_info/lastUpdated < [2026-01-01T00:00:00Z]", "3"},
    {&cw_schema_company, "lastUpdated >= [2026-01-01]", "1,2"},
    {&cw_schema_company, "lastUpdated = [2026-01-01T00:00:00.000Z]", "1"},
    {&cw_schema_company, "lastUpdated = null", "4,5"},
    {&cw_schema_company,
     "lastUpdated in ([2026-01-01T00:00:00Z],"
     "[2025-06-01T00:00:00Z])",
     "1,3"},
    /* blank */
    {&cw_schema_company, "", "1,2,3,4,5"},
    {&cw_schema_company, "   ", "1,2,3,4,5"},
    /* agreements */
    {&cw_schema_agreement, "company/id=250 and agreementStatus=\"Active\"",
     "10"},
    {&cw_schema_agreement, "company/id=250", "10,11"},
    {&cw_schema_agreement, "agreementStatus!=\"cancelled\"", "10,12"},
    {&cw_schema_agreement,
     "cancelledFlag=false and type/name=\"Managed "
     "Services\"",
     "10"},
    {&cw_schema_agreement, "parentAgreement/id=10", "12"},
    {&cw_schema_agreement, "parentAgreement=null", "10,11"},
    {&cw_schema_agreement, "parentAgreement != null", "12"},
    {&cw_schema_agreement, "endDate=null", "10"},
    {&cw_schema_agreement, "endDate=null or endDate>[2026-11-01T00:00:00Z]",
     "10,12"},
    {&cw_schema_agreement, "company/id in (251, 999)", "12"},
    /* additions */
    {&cw_schema_addition, "quantity > 10", "100"},
    {&cw_schema_addition, "quantity = 2.5", "101"},
    {&cw_schema_addition, "quantity >= 0 and quantity < 3", "101,102"},
    {&cw_schema_addition, "unitPrice=6.50", "100"},
    {&cw_schema_addition,
     "product/identifier in (\"LASTPASS-BUS\",\"lastpass-mfa\") and "
     "cancelledDate = null",
     "100"},
    {&cw_schema_addition,
     "cancelledDate=null or cancelledDate>[2026-11-01T00:00:00Z]", "100,102"},
    {&cw_schema_addition, "product/identifier like \"M365_BUS\"", "102"},
    {&cw_schema_addition, "product/identifier like \"M365%BUS\"", "102"},
    {&cw_schema_addition, "product/identifier like \"LASTPASS_BUS\"", "100"},
    {&cw_schema_addition, "billCustomer=\"billable\" and agreementId=10",
     "100"},
};

/* The ids of `records` matching `c`, as "1,2,3". */
static void matching(json_object *records, const cw_cond *c, char *out,
                     size_t cap) {
  out[0] = '\0';
  for (size_t i = 0; i < json_object_array_length(records); i++) {
    json_object *r = json_object_array_get_idx(records, i), *id = NULL;
    if (!cw_cond_match(c, r))
      continue;
    json_object_object_get_ex(r, "id", &id);
    snprintf(out + strlen(out), cap - strlen(out), "%s%d", out[0] ? "," : "",
             json_object_get_int(id));
  }
}

static json_object *records_for(const cw_schema *s) {
  const char *text = s == &cw_schema_company     ? COMPANIES
                     : s == &cw_schema_agreement ? AGREEMENTS
                                                 : ADDITIONS;
  json_object *r = json_tokener_parse(text);
  ck_assert_ptr_nonnull(r);
  return r;
}

START_TEST(conditions_match) {
  const match_case *mc = &MATCHES[_i];
  json_object *records = records_for(mc->schema);
  cw_cond *c = NULL;
  char err[1024], got[256];
  int rc = cw_cond_parse(mc->conditions, mc->schema, &c, err, sizeof(err));
  if (!mc->ids) { /* a case that must be refused */
    ck_assert_int_eq(rc, -1);
  } else {
    ck_assert_msg(rc == 0, "%s: %s", mc->conditions, err);
    matching(records, c, got, sizeof(got));
    ck_assert_msg(strcmp(got, mc->ids) == 0, "%s: got [%s], want [%s]",
                  mc->conditions, got, mc->ids);
  }
  cw_cond_free(c);
  json_object_put(records);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

typedef struct error_case {
  const char *conditions;
  const char *expect; /* a piece of the message */
} error_case;

static const error_case ERRORS[] = {
    {"id=", "expected a value"},
    {"id", "expected an operator after id"},
    {"foo=1", "unknown field 'foo' for a company"},
    {"company/id=1", "unknown field 'company/id'"},
    {"name=abc", "quote strings"},
    {"name=5", "put the value in quotes"},
    {"name=true", "put the value in quotes"},
    {"id=\"abc\"", "\"abc\" is not a number"},
    {"id=true", "cannot be compared"},
    {"id contains \"1\"", "contains applies to strings"},
    {"id like \"1%\"", "like applies to strings"},
    {"name=\"abc", "unterminated string"},
    {"name='abc\\'", "unterminated string"},
    {"(id=1", "missing ) for the ( at position 1"},
    {"id=1)", "expected and, or or the end"},
    {"id=1 and", "expected a field name or ("},
    {"and id=1", "expected a field name or ("},
    {"id=1 xor id=2", "expected and, or or the end but found 'xor'"},
    {"id=1 id=2", "expected and, or or the end"},
    {"lastUpdated > \"2026-01-01\"", "square brackets"},
    {"lastUpdated > 20260101", "square brackets"},
    {"lastUpdated > [2026-13-01]", "is not a date"},
    {"lastUpdated > [2026-02-30T00:00:00Z]", "is not a date"},
    {"lastUpdated > [yesterday]", "is not a date"},
    {"lastUpdated > [2026-01-01", "missing ]"},
    {"lastUpdated contains \"2026\"", "contains applies to strings"},
    {"name = [2026-01-01]", "put the value in quotes"},
    {"deletedFlag > true", "use = or !="},
    {"deletedFlag = 1", "compare it with true or false"},
    {"deletedFlag like \"t%\"", "use = or !="},
    {"id in 1,2", "in needs a list"},
    {"id in (1,2", "expected , or ) in the in list"},
    {"id in ()", "expected a value"},
    {"id in (1,,2)", "expected a value"},
    {"id not = 1", "not must be followed by contains, like or in"},
    {"id not", "not must be followed by"},
    {"id <> 1", "unknown operator"},
    {"id == 1", "expected a value but found '='"},
    {"id ! 1", "unknown operator"},
    {"status = 1", "status is an object"},
    {"types = 1", "types is an array"},
    {"name like 5", "put the value in quotes"},
    {"id > null", "null can only be compared with = or !="},
    {"name like null", "null can only be compared"},
    {"id in (1, null)", "null cannot appear in an in list"},
    {"id = 1 @", "unexpected character '@'"},
    {"12abc=1", "malformed number"},
    {"id=1.2.3", "malformed number"},
    {"id=-", "malformed number"},
    {"id=1 and (", "expected a field name or ( but found 'end of conditions'"},
    {"()", "expected a field name or ( but found ')'"},
    {"like=1", "expected a field name"},
    {"id=1 and foo=2", "at position 10"},
};

START_TEST(conditions_errors) {
  const error_case *ec = &ERRORS[_i];
  cw_cond *c = (cw_cond *)&c; /* must be reset to NULL */
  char err[1024];
  int rc =
      cw_cond_parse(ec->conditions, &cw_schema_company, &c, err, sizeof(err));
  ck_assert_msg(rc == -1, "%s: accepted", ec->conditions);
  ck_assert_ptr_null(c);
  ck_assert_msg(strstr(err, ec->expect) != NULL, "%s: message [%s] lacks [%s]",
                ec->conditions, err, ec->expect);
  /* Every message shows where and how to write conditions. */
  ck_assert_ptr_nonnull(strstr(err, "at position "));
  ck_assert_ptr_nonnull(strstr(err, "Syntax:"));
  ck_assert_ptr_nonnull(strstr(err, "conditions: "));
}
END_TEST

START_TEST(deep_nesting_refused) {
  char text[256] = "";
  for (int i = 0; i < 40; i++)
    strcat(text, "(");
  strcat(text, "id=1");
  for (int i = 0; i < 40; i++)
    strcat(text, ")");
  cw_cond *c = NULL;
  char err[1024];
  ck_assert_int_eq(
      cw_cond_parse(text, &cw_schema_company, &c, err, sizeof(err)), -1);
  ck_assert_ptr_nonnull(strstr(err, "nested more than"));
  /* 30 levels are fine */
  strcpy(text, "");
  for (int i = 0; i < 30; i++)
    strcat(text, "(");
  strcat(text, "id=1");
  for (int i = 0; i < 30; i++)
    strcat(text, ")");
  ck_assert_int_eq(
      cw_cond_parse(text, &cw_schema_company, &c, err, sizeof(err)), 0);
  cw_cond_free(c);
}
END_TEST

START_TEST(null_and_blank_mean_everything) {
  cw_cond *c = (cw_cond *)&c;
  char err[64];
  ck_assert_int_eq(
      cw_cond_parse(NULL, &cw_schema_company, &c, err, sizeof(err)), 0);
  ck_assert_ptr_null(c);
  ck_assert_int_eq(cw_cond_match(NULL, NULL), 1);
}
END_TEST

START_TEST(long_lists_and_chains) {
  /* 500 values in a list and 200 or-ed comparisons parse and match. */
  size_t cap = 16384;
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  strcpy(text, "id in (");
  for (int i = 1; i <= 500; i++)
    snprintf(text + strlen(text), cap - strlen(text), "%s%d", i > 1 ? "," : "",
             i * 2);
  strcat(text, ")");
  json_object *records = records_for(&cw_schema_company);
  cw_cond *c = NULL;
  char err[1024], got[64];
  ck_assert_int_eq(
      cw_cond_parse(text, &cw_schema_company, &c, err, sizeof(err)), 0);
  matching(records, c, got, sizeof(got));
  ck_assert_str_eq(got, "2,4");
  cw_cond_free(c);
  text[0] = '\0';
  for (int i = 1; i <= 200; i++)
    snprintf(text + strlen(text), cap - strlen(text), "%sid=%d",
             i > 1 ? " or " : "", i + 2);
  ck_assert_int_eq(
      cw_cond_parse(text, &cw_schema_company, &c, err, sizeof(err)), 0);
  matching(records, c, got, sizeof(got));
  ck_assert_str_eq(got, "3,4,5");
  cw_cond_free(c);
  json_object_put(records);
  free(text);
}
END_TEST

START_TEST(random_text_never_crashes) {
  /* Deterministic pseudo-random strings built from the language's pieces
   * (and some junk): every one is either parsed or refused with a message,
   * never a crash, a leak or a hang (ASan/valgrind runs check the rest). */
  static const char *const pieces[] = {
      "id",          "name",  "company/id",   "status/name",
      "lastUpdated", "=",     "!=",           "<",
      ">=",          " and ", " or ",         " not ",
      "in",          "like",  "contains",     "(",
      ")",           ",",     "\"a%\"",       "'b\\'c'",
      "12",          "-3.5",  "[2026-01-01]", "true",
      "null",        " ",     "\\",           "\"",
      "[",           "@",     "\xc3\xa9",     "\xff"};
  json_object *records = records_for(&cw_schema_company);
  unsigned long x = 12345;
  int parsed = 0;
  for (int round = 0; round < 4000; round++) {
    char text[256] = "";
    int n = 1 + (int)(round % 12);
    for (int i = 0; i < n; i++) {
      x = x * 6364136223846793005UL + 1442695040888963407UL;
      const char *p = pieces[(x >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
      if (strlen(text) + strlen(p) < sizeof(text))
        strcat(text, p);
    }
    cw_cond *c = NULL;
    char err[1024] = "";
    int rc = cw_cond_parse(text, &cw_schema_company, &c, err, sizeof(err));
    ck_assert_msg(rc == 0 || rc == -1, "%s: rc %d", text, rc);
    if (rc == 0) {
      parsed++;
      for (size_t i = 0; i < json_object_array_length(records); i++)
        (void)cw_cond_match(c, json_object_array_get_idx(records, i));
    } else {
      ck_assert_msg(strstr(err, "Syntax:") != NULL, "%s: [%s]", text, err);
    }
    cw_cond_free(c);
  }
  ck_assert_int_gt(parsed, 0); /* some were valid */
  json_object_put(records);
}
END_TEST

/* ---- text comparison and dates ------------------------------------------ */

START_TEST(text_compare) {
  ck_assert_int_eq(cw_text_cmp("abc", "ABC"), 0);
  ck_assert_int_eq(cw_text_cmp("abc ", "abc"), 0);
  ck_assert_int_eq(cw_text_cmp("abc", "abc   "), 0);
  ck_assert_int_ne(cw_text_cmp(" abc", "abc"), 0); /* leading spaces count */
  ck_assert_int_lt(cw_text_cmp("abc", "abd"), 0);
  ck_assert_int_gt(cw_text_cmp("b", "A"), 0);
  ck_assert_int_lt(cw_text_cmp("ab", "abc"), 0);
  ck_assert_int_eq(cw_text_cmp("\xc3\x89T\xc3\x89", "\xc3\xa9t\xc3\xa9"), 0);
  ck_assert_int_ne(cw_text_cmp("\xc3\xa9", "e"), 0); /* accent-sensitive */
  ck_assert_int_eq(cw_text_cmp("\xc5\x81\xc3\xb3"
                               "d\xc5\xba",
                               "\xc5\x82\xc3\x93"
                               "D\xc5\xb9"),
                   0); /* Łódź = ŁÓDŹ */
  ck_assert_int_eq(cw_text_cmp("", "   "), 0);
  /* invalid UTF-8 does not crash and compares bytewise */
  ck_assert_int_ne(cw_text_cmp("\xff", "\xfe"), 0);
  ck_assert_int_eq(cw_text_cmp("\xc3", "\xc3"), 0);
}
END_TEST

START_TEST(text_like_and_contains) {
  ck_assert(cw_text_like("O'Brien & Sons", "o'brien%"));
  ck_assert(cw_text_like("O'Brien & Sons", "%&%"));
  ck_assert(cw_text_like("abc", "a_c"));
  ck_assert(!cw_text_like("abc", "a_"));
  ck_assert(cw_text_like("", "%"));
  ck_assert(!cw_text_like("", "_"));
  ck_assert(cw_text_like("aaa", "%a%a%a%"));
  ck_assert(!cw_text_like("aa", "%a%a%a%"));
  ck_assert(cw_text_like("Caf\xc3\xa9", "caf_")); /* _ is one character */
  ck_assert(cw_text_like("mississippi", "m%iss%ppi"));
  ck_assert(!cw_text_like("mississippi", "m%iss%ppx"));
  ck_assert(cw_text_like("100% Pure", "100%"));
  ck_assert(cw_text_contains("O'Brien & Sons", "BRIEN"));
  ck_assert(!cw_text_contains("abc", "abcd"));
  ck_assert(cw_text_contains("abc", ""));
  ck_assert(cw_text_contains("M\xc3\xbcller", "\xc3\x9cL"));
  /* a hostile pattern stays fast (no exponential backtracking) */
  char text[4001], pattern[64];
  memset(text, 'a', 4000);
  text[4000] = '\0';
  strcpy(pattern, "%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b");
  ck_assert(!cw_text_like(text, pattern));
}
END_TEST

START_TEST(dates_parse) {
  char out[CW_DATE_LEN];
  ck_assert_int_eq(cw_date_parse("2026-11-01T00:00:00Z", out), 0);
  ck_assert_str_eq(out, "2026-11-01T00:00:00Z");
  ck_assert_int_eq(cw_date_parse("2026-11-01", out), 0);
  ck_assert_str_eq(out, "2026-11-01T00:00:00Z");
  ck_assert_int_eq(cw_date_parse("2026-11-01T13:45", out), 0);
  ck_assert_str_eq(out, "2026-11-01T13:45:00Z");
  ck_assert_int_eq(cw_date_parse("2026-11-01T13:45:59.123Z", out), 0);
  ck_assert_str_eq(out, "2026-11-01T13:45:59Z");
  ck_assert_int_eq(cw_date_parse("2026-11-01T13:45:59+00:00", out), 0);
  ck_assert_int_eq(cw_date_parse("2024-02-29", out), 0);
  ck_assert_int_eq(cw_date_parse("2025-02-29", out), -1);
  ck_assert_int_eq(cw_date_parse("2026-11-01T24:00:00Z", out), -1);
  ck_assert_int_eq(cw_date_parse("2026-11-01T10:00:00+02:00", out), -1);
  ck_assert_int_eq(cw_date_parse("2026-1-01", out), -1);
  ck_assert_int_eq(cw_date_parse("", out), -1);
  ck_assert_int_eq(cw_date_parse("2026-11-01Tx", out), -1);
  cw_date_format(0, out);
  ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("cw_conditions");
  TCase *tc = tcase_create("all");
  tcase_add_loop_test(tc, conditions_match, 0,
                      (int)(sizeof(MATCHES) / sizeof(MATCHES[0])));
  tcase_add_loop_test(tc, conditions_errors, 0,
                      (int)(sizeof(ERRORS) / sizeof(ERRORS[0])));
  tcase_add_test(tc, deep_nesting_refused);
  tcase_add_test(tc, null_and_blank_mean_everything);
  tcase_add_test(tc, long_lists_and_chains);
  tcase_add_test(tc, random_text_never_crashes);
  tcase_add_test(tc, text_compare);
  tcase_add_test(tc, text_like_and_contains);
  tcase_add_test(tc, dates_parse);
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
