/* SPDX-License-Identifier: MIT */
/*
 * test_hpdrv_invoice.c — the body that sets one line: every line posted
 * back as read, only that line's qty_order changed; never a line without
 * an id (it would be created); and the verification of Halo's answer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hp_invoice.h"
#include "hp_json.h"

static const char INVOICE[] =
    "{\"id\":5000001,\"client_id\":1001,\"disabled\":false,"
    "\"lines\":[{\"id\":7000004,\"ihid\":5000001,\"_itemid\":501,"
    "\"qty_order\":18.0,\"unit_price\":3.0,\"item_shortdescription\":"
    "\"LastPass Business\"},"
    "{\"id\":7000005,\"ihid\":5000001,\"_itemid\":510,\"qty_order\":2.0,"
    "\"unit_price\":12.0,\"nominal_code\":\"4000\"},"
    "{\"id\":7000006,\"ihid\":5000001,\"_itemid\":511,\"qty_order\":5.0}]}";

START_TEST(every_line_posted_back) {
  json_object *inv = json_tokener_parse(INVOICE);
  char err[256];
  char *body = hp_invoice_update_body(inv, 7000004, 21, err, sizeof err);
  ck_assert_msg(body != NULL, "%s", err);
  json_object *doc = json_tokener_parse(body);
  ck_assert(json_object_is_type(doc, json_type_array));
  ck_assert_int_eq(json_object_array_length(doc), 1);
  json_object *el = json_object_array_get_idx(doc, 0);
  long long id;
  ck_assert_int_eq(hp_id(hp_member(el, "id"), &id), 0);
  ck_assert_int_eq(id, 5000001);
  /* Only id and lines: no header member is posted. */
  ck_assert_int_eq(json_object_object_length(el), 2);
  json_object *lines = hp_member(el, "lines");
  json_object *before = hp_member(inv, "lines");
  ck_assert_int_eq(json_object_array_length(lines), 3);
  for (size_t i = 0; i < 3; i++) {
    json_object *a = json_object_array_get_idx(before, i);
    json_object *b = json_object_array_get_idx(lines, i);
    if (i == 0) {
      double q;
      ck_assert_int_eq(hp_qty(b, &q), HP_QTY_OK);
      ck_assert(q == 21.0);
      /* Everything else on the line is as read. */
      json_object_object_add(b, "qty_order", json_object_new_double(18.0));
    }
    ck_assert_msg(json_object_equal(a, b), "line %zu changed: %s", i,
                  json_object_to_json_string(b));
  }
  json_object_put(doc);
  free(body);
  json_object_put(inv);
}
END_TEST

START_TEST(refuses_what_would_create_or_lose_lines) {
  char err[256];
  json_object *inv = json_tokener_parse(INVOICE);
  ck_assert_ptr_null(hp_invoice_update_body(inv, 999, 3, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "line 999 is not on recurring invoice"));
  json_object *lines = hp_member(inv, "lines");
  json_object_object_del(json_object_array_get_idx(lines, 2), "id");
  ck_assert_ptr_null(hp_invoice_update_body(inv, 7000004, 3, err, sizeof err));
  ck_assert_ptr_nonnull(strstr(err, "would create a new line"));
  json_object_object_del(inv, "lines");
  ck_assert_ptr_null(hp_invoice_update_body(inv, 7000004, 3, err, sizeof err));
  json_object_put(inv);
}
END_TEST

START_TEST(verification) {
  json_object *posted = json_tokener_parse(INVOICE);
  json_object *saved = json_tokener_parse(INVOICE);
  double after = 0;
  char missing[128];
  json_object *l0 = json_object_array_get_idx(hp_member(saved, "lines"), 0);
  json_object_object_add(l0, "qty_order", json_object_new_double(21));
  ck_assert_int_eq(hp_invoice_verify(saved, posted, 7000004, &after, missing,
                                     sizeof missing),
                   HP_VERIFY_OK);
  ck_assert(after == 21.0);
  /* Halo dropped two lines. */
  json_object_array_del_idx(hp_member(saved, "lines"), 1, 2);
  ck_assert_int_eq(hp_invoice_verify(saved, posted, 7000004, &after, missing,
                                     sizeof missing),
                   HP_VERIFY_DROPPED);
  ck_assert_str_eq(missing, "7000005, 7000006");
  /* An answer without lines must be read back. */
  json_object_object_del(saved, "lines");
  ck_assert_int_eq(hp_invoice_verify(saved, posted, 7000004, &after, missing,
                                     sizeof missing),
                   HP_VERIFY_NO_LINES);
  json_object_put(saved);
  json_object_put(posted);
}
END_TEST

START_TEST(answer_shapes) {
  json_object *o = json_tokener_parse("{\"id\":1}");
  ck_assert_ptr_eq(hp_invoice_in_answer(o), o);
  json_object_put(o);
  o = json_tokener_parse("[{\"id\":1}]");
  ck_assert_ptr_eq(hp_invoice_in_answer(o), json_object_array_get_idx(o, 0));
  json_object_put(o);
  o = json_tokener_parse("[{\"id\":1},{\"id\":2}]");
  ck_assert_ptr_null(hp_invoice_in_answer(o));
  json_object_put(o);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hpdrv_invoice");
  TCase *tc = tcase_create("invoice");
  tcase_add_test(tc, every_line_posted_back);
  tcase_add_test(tc, refuses_what_would_create_or_lose_lines);
  tcase_add_test(tc, verification);
  tcase_add_test(tc, answer_shapes);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
