/* SPDX-License-Identifier: MIT */
/*
 * test_atdrv_picklist.c — entityInformation/fields picklists: string and
 * number values, labels matched ignoring case, absent fields, bad shapes.
 */
#include <check.h>
#include <string.h>

#include "at_picklist.h"

static const char *fields_json =
    "{\"fields\":["
    "{\"name\":\"id\",\"dataType\":\"long\",\"isPickList\":false},"
    "{\"name\":\"periodType\",\"dataType\":\"integer\",\"isPickList\":true,"
    "\"picklistValues\":[{\"value\":\"11\",\"label\":\"Monthly\","
    "\"isActive\":true},{\"value\":12,\"label\":\"Quarterly\"},"
    "{\"value\":\"13\",\"label\":\" semi-annual \",\"isActive\":false},"
    "{\"value\":\"14\",\"label\":\"Yearly\"}]},"
    "{\"name\":\"Status\",\"isPickList\":true,\"picklistValues\":["
    "{\"value\":\"0\",\"label\":\"Inactive\"},{\"value\":\"1\",\"label\":"
    "\"Active\"},{\"value\":\"2\",\"label\":\"ACTIVE\"}]}]}";

START_TEST(reads_values_and_labels) {
  char err[256];
  at_picklist p;
  json_object *root = json_tokener_parse(fields_json);
  ck_assert_int_eq(at_picklist_parse(root, "periodtype", &p, err, sizeof err),
                   0);
  ck_assert_int_eq(p.found, 1);
  ck_assert_uint_eq(p.n, 4);
  ck_assert_str_eq(at_picklist_label(&p, 12), "Quarterly");
  ck_assert_ptr_null(at_picklist_label(&p, 99));
  long long v = 0;
  ck_assert_int_eq(at_picklist_value(&p, "MONTHLY", &v), 1);
  ck_assert_int_eq(v, 11);
  ck_assert_int_eq(at_picklist_value(&p, "Semi-Annual", &v), 1);
  ck_assert_int_eq(v, 13);
  ck_assert_int_eq(p.items[2].active, 0);
  ck_assert_int_eq(at_picklist_value(&p, "Weekly", &v), 0);
  at_picklist_free(&p);
  ck_assert_int_eq(at_picklist_parse(root, "status", &p, err, sizeof err), 0);
  ck_assert_int_eq(at_picklist_value(&p, "Active", &v), -1); /* ambiguous */
  at_picklist_free(&p);
  ck_assert_int_eq(at_picklist_parse(root, "nothere", &p, err, sizeof err), 0);
  ck_assert_int_eq(p.found, 0);
  ck_assert_int_eq(at_picklist_parse(root, "id", &p, err, sizeof err), 0);
  ck_assert_int_eq(p.found, 0);
  json_object_put(root);
}
END_TEST

START_TEST(refuses_bad_shapes) {
  static const char *const bad[] = {
      "{}",
      "{\"fields\":{}}",
      "{\"fields\":[{\"dataType\":\"x\"}]}",
      "{\"fields\":[{\"name\":\"status\",\"picklistValues\":{}}]}",
      "{\"fields\":[{\"name\":\"status\",\"picklistValues\":[{\"value\":"
      "\"one\",\"label\":\"Active\"}]}]}",
      "{\"fields\":[{\"name\":\"status\",\"picklistValues\":[{\"value\":"
      "\"1\"}]}]}",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char err[256] = "";
    at_picklist p;
    json_object *root = json_tokener_parse(bad[i]);
    ck_assert_int_eq(at_picklist_parse(root, "status", &p, err, sizeof err),
                     -1);
    ck_assert_ptr_nonnull(strstr(err, "status"));
    json_object_put(root);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("at_picklist");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, reads_values_and_labels);
  tcase_add_test(tc, refuses_bad_shapes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
