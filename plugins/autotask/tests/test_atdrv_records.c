/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_records.c — strict record parsers: good records, missing and
 * null fields, wrong types, dates with and without Z, whole numbers only;
 * a record that cannot be placed (AT_REC_FATAL) against one that is placed
 * but cannot be billed from (AT_REC_BAD, one company's problem); numbers
 * beyond the 64-bit range are refused, never clamped; the JSON reader
 * refuses truncated answers.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "at_json.h"
#include "at_records.h"

static json_object *J(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_msg(o != NULL, "bad test JSON %s", text);
  return o;
}

START_TEST(contract_full_and_nulls) {
  char err[256];
  at_contract c;
  json_object *o = J("{\"id\":456,\"companyID\":174,\"contractName\":\"Acme "
                     "\\\"Recurring\\\"\",\"contractType\":7,\"status\":1,"
                     "\"startDate\":\"2026-01-31T00:00:00Z\",\"endDate\":"
                     "\"2027-01-30T00:00:00\",\"contractCategory\":null,"
                     "\"contractPeriodType\":3}");
  ck_assert_int_eq(at_parse_contract(o, &c, err, sizeof err), 0);
  ck_assert_int_eq(c.id, 456);
  ck_assert_int_eq(c.company_id, 174);
  ck_assert_str_eq(c.name, "Acme \"Recurring\"");
  ck_assert_int_eq(c.contract_type, 7);
  ck_assert_int_eq(c.has_start, 1);
  ck_assert_int_eq(c.start.d, 31);
  ck_assert_int_eq(c.has_end, 1);
  ck_assert_int_eq(c.end.y, 2027);
  ck_assert_int_eq(c.has_category, 0);
  ck_assert_int_eq(c.has_period_type, 1);
  ck_assert_int_eq(c.period_type, 3);
  at_contract_free(&c);
  json_object_put(o);
  /* Case-insensitive keys, null dates, no name. */
  o = J("{\"ID\":9,\"CompanyId\":1,\"ContractType\":7,\"Status\":1,"
        "\"startDate\":null}");
  ck_assert_int_eq(at_parse_contract(o, &c, err, sizeof err), 0);
  ck_assert_int_eq(c.id, 9);
  ck_assert_int_eq(c.has_start, 0);
  ck_assert_ptr_null(c.name);
  at_contract_free(&c);
  json_object_put(o);
}
END_TEST

START_TEST(contract_refusals) {
  /* Cannot be placed: the whole answer is in doubt. */
  static const char *const fatal[][2] = {
      {"{\"id\":1,\"contractType\":7,\"status\":1}", "companyID is missing"},
      {"{\"id\":1,\"companyID\":null,\"contractType\":7,\"status\":1}",
       "companyID is null"},
      {"{\"id\":1,\"companyID\":\"174\",\"contractType\":7,\"status\":1}",
       "companyID is of the wrong type"},
      {"{\"id\":1,\"companyID\":9223372036854775808,\"contractType\":7,"
       "\"status\":1}",
       "companyID is a number beyond the 64-bit integer range"},
      {"{\"companyID\":2,\"contractType\":7,\"status\":1}", "id is missing"},
      {"{\"id\":\"1\",\"companyID\":2,\"contractType\":7,\"status\":1}",
       "id is of the wrong type"},
      {"{\"id\":0,\"companyID\":2,\"contractType\":7,\"status\":1}",
       "id is of the wrong type"},
      {"{\"id\":99999999999999999999,\"companyID\":2,\"contractType\":7,"
       "\"status\":1}",
       "id is a number beyond the 64-bit integer range"},
      {"{\"id\":-9223372036854775809,\"companyID\":2,\"contractType\":7,"
       "\"status\":1}",
       "id is a number beyond the 64-bit integer range"},
  };
  for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
    char err[256] = "";
    at_contract c;
    json_object *o = J(fatal[i][0]);
    ck_assert_int_eq(at_parse_contract(o, &c, err, sizeof err), AT_REC_FATAL);
    ck_assert_msg(strstr(err, fatal[i][1]) != NULL, "case %zu: %s", i, err);
    ck_assert_ptr_nonnull(strstr(err, "Contracts"));
    json_object_put(o);
  }
  /* Placed (its company is known) but not billable: that company's
   * problem, said with the contract and the field. */
  static const char *const bad[][2] = {
      {"{\"id\":1,\"companyID\":2,\"contractType\":7.5,\"status\":1}",
       "contract 1 with contractType 7.5, not a whole number"},
      {"{\"id\":1,\"companyID\":2,\"contractType\":7,\"status\":true}",
       "contract 1 with status true, of the wrong type"},
      {"{\"id\":1,\"companyID\":2,\"contractType\":7,\"status\":null}",
       "contract 1 with status null"},
      {"{\"id\":1,\"companyID\":2,\"contractType\":7,\"status\":1,"
       "\"startDate\":\"31/01/2026\"}",
       "startDate \"31/01/2026\", of the wrong type"},
      {"{\"id\":1,\"companyID\":2,\"contractType\":7,\"status\":1,"
       "\"endDate\":20260131}",
       "endDate 20260131, of the wrong type"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char err[256] = "";
    at_contract c;
    json_object *o = J(bad[i][0]);
    ck_assert_int_eq(at_parse_contract(o, &c, err, sizeof err), AT_REC_BAD);
    ck_assert_msg(strstr(err, bad[i][1]) != NULL, "case %zu: %s", i, err);
    ck_assert_ptr_nonnull(strstr(err, "check the contract in Autotask"));
    ck_assert_int_eq(c.id, 1);
    ck_assert_int_eq(c.company_id, 2);
    at_contract_free(&c);
    json_object_put(o);
  }
  char err[256];
  at_contract c;
  json_object *arr = J("[1]");
  ck_assert_int_eq(at_parse_contract(arr, &c, err, sizeof err), -1);
  json_object_put(arr);
}
END_TEST

START_TEST(units_whole_numbers) {
  char err[256];
  at_unit u;
  const char *base = "{\"id\":5,\"contractServiceID\":789,\"contractID\":456,"
                     "\"serviceID\":123,\"startDate\":\"2026-11-01\","
                     "\"endDate\":\"2026-11-30T00:00:00Z\",\"units\":%s}";
  char text[400];
  snprintf(text, sizeof text, base, "12");
  json_object *o = J(text);
  ck_assert_int_eq(at_parse_unit(o, &u, err, sizeof err), 0);
  ck_assert_int_eq(u.units, 12);
  ck_assert_int_eq(u.contract_service_id, 789);
  ck_assert_int_eq(u.end.d, 30);
  json_object_put(o);
  snprintf(text, sizeof text, base, "12.0");
  o = J(text);
  ck_assert_int_eq(at_parse_unit(o, &u, err, sizeof err), 0);
  ck_assert_int_eq(u.units, 12);
  json_object_put(o);
  /* One row's units cannot be billed from: its contract service's
   * problem, named with the row and the value seen. */
  static const char *const bad[][2] = {
      {"12.5", "units 12.5, not a whole number"},
      {"\"12\"", "units \"12\", of the wrong type"},
      {"null", "units null"},
      {"-1", "units -1, below zero"},
      {"true", "units true, of the wrong type"},
      {"9223372036854775808", "units a number beyond the 64-bit"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    snprintf(text, sizeof text, base, bad[i][0]);
    o = J(text);
    ck_assert_msg(at_parse_unit(o, &u, err, sizeof err) == AT_REC_BAD,
                  "units %s", bad[i][0]);
    ck_assert_msg(strstr(err, bad[i][1]) != NULL, "%s: %s", bad[i][0], err);
    ck_assert_ptr_nonnull(
        strstr(err, "units row 5 of contract service 789 with"));
    ck_assert_int_eq(u.contract_service_id, 789);
    ck_assert_int_eq(u.dates_ok, 1);
    json_object_put(o);
  }
  o = J("{\"id\":5,\"contractServiceID\":789,\"contractID\":456,"
        "\"serviceID\":123,\"endDate\":\"2026-11-30\",\"units\":1}");
  ck_assert_int_eq(at_parse_unit(o, &u, err, sizeof err), AT_REC_BAD);
  ck_assert_ptr_nonnull(strstr(err, "startDate missing"));
  ck_assert_int_eq(u.dates_ok, 0);
  json_object_put(o);
  /* Without its contract service it belongs to nothing known. */
  o = J("{\"id\":5,\"contractServiceID\":null,\"contractID\":456,"
        "\"serviceID\":123,\"startDate\":\"2026-11-01\",\"endDate\":"
        "\"2026-11-30\",\"units\":1}");
  ck_assert_int_eq(at_parse_unit(o, &u, err, sizeof err), AT_REC_FATAL);
  ck_assert_ptr_nonnull(strstr(err, "contractServiceID is null"));
  json_object_put(o);
}
END_TEST

START_TEST(companies_services_lines) {
  char err[256];
  at_company c;
  json_object *o = J("{\"id\":174,\"companyName\":\"Ünïcode & Co\","
                     "\"isActive\":false}");
  ck_assert_int_eq(at_parse_company(o, &c, err, sizeof err), 0);
  ck_assert_int_eq(c.active, 0);
  ck_assert_str_eq(c.name, "Ünïcode & Co");
  at_company_free(&c);
  json_object_put(o);
  o = J("{\"id\":174,\"companyName\":\"X\",\"isActive\":1}");
  ck_assert_int_eq(at_parse_company(o, &c, err, sizeof err), AT_REC_BAD);
  ck_assert_ptr_nonnull(strstr(err, "company 174 with isActive 1"));
  ck_assert_str_eq(c.name, "X");
  at_company_free(&c);
  json_object_put(o);
  o = J("{\"id\":174,\"companyName\":\"X\"}");
  ck_assert_int_eq(at_parse_company(o, &c, err, sizeof err), AT_REC_BAD);
  ck_assert_ptr_nonnull(strstr(err, "isActive missing"));
  at_company_free(&c);
  json_object_put(o);
  o = J("{\"id\":9223372036854775807,\"isActive\":true}");
  ck_assert_int_eq(at_parse_company(o, &c, err, sizeof err), AT_REC_FATAL);
  ck_assert_ptr_nonnull(strstr(err, "beyond the 64-bit"));
  json_object_put(o);

  at_service s;
  o = J("{\"id\":123,\"name\":\"LastPass\",\"periodType\":1}");
  ck_assert_int_eq(at_parse_service(o, &s, err, sizeof err), 0);
  ck_assert_int_eq(s.active, 1);
  ck_assert_int_eq(s.has_period_type, 1);
  at_service_free(&s);
  json_object_put(o);
  o = J("{\"id\":123,\"name\":5}");
  ck_assert_int_eq(at_parse_service(o, &s, err, sizeof err), -1);
  json_object_put(o);

  at_contract_service cs;
  o = J("{\"id\":789,\"contractID\":456,\"serviceID\":123}");
  ck_assert_int_eq(at_parse_contract_service(o, &cs, err, sizeof err), 0);
  ck_assert_int_eq(cs.service_id, 123);
  json_object_put(o);
  o = J("{\"id\":789,\"contractID\":456}");
  ck_assert_int_eq(at_parse_contract_service(o, &cs, err, sizeof err),
                   AT_REC_BAD);
  ck_assert_ptr_nonnull(strstr(
      err, "contract service 789 of contract 456 with serviceID missing"));
  ck_assert_int_eq(cs.contract_id, 456);
  json_object_put(o);
  o = J("{\"id\":789,\"contractID\":456,\"serviceID\":null}");
  ck_assert_int_eq(at_parse_contract_service(o, &cs, err, sizeof err),
                   AT_REC_BAD);
  ck_assert_ptr_nonnull(strstr(err, "serviceID null"));
  json_object_put(o);
  o = J("{\"id\":789,\"serviceID\":123}");
  ck_assert_int_eq(at_parse_contract_service(o, &cs, err, sizeof err),
                   AT_REC_FATAL);
  ck_assert_ptr_nonnull(strstr(err, "contractID is missing"));
  json_object_put(o);
}
END_TEST

START_TEST(json_reader_is_strict) {
  json_object *o;
  const char *good = "{\"items\":[],\"pageDetails\":{}}  \n";
  ck_assert_int_eq(at_json_parse_object(good, strlen(good), &o), 0);
  json_object_put(o);
  static const char *const cut[] = {
      "{\"items\":[{\"id\":1},{\"id\":", "{\"items\":[]", "", "{\"a\":1} x",
      "not json"};
  for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
    ck_assert_int_eq(at_json_parse_object(cut[i], strlen(cut[i]), &o), -1);
  ck_assert_int_eq(at_json_parse_object("[1,2]", 5, &o), -2);
  /* A body whose length says more than the text: a cut-short answer. */
  ck_assert_int_eq(at_json_parse_object("{\"a\":1}", 4, &o), -1);
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_records");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, contract_full_and_nulls);
  tcase_add_test(tc, contract_refusals);
  tcase_add_test(tc, units_whole_numbers);
  tcase_add_test(tc, companies_services_lines);
  tcase_add_test(tc, json_reader_is_strict);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
