/* SPDX-License-Identifier: MIT */
/*
 * test_hpdrv_json.c — HaloPSA records read defensively: ids as numbers or
 * digit strings (negative too), quantities, Halo's "no date", lines,
 * invoices and the list wrapper.
 */
#include <check.h>
#include <stdlib.h>

#include "hp_json.h"

static json_object *parse(const char *text) {
  json_object *o = json_tokener_parse(text);
  ck_assert_ptr_nonnull(o);
  return o;
}

START_TEST(ids) {
  long long id = 0;
  json_object *o = parse("{\"a\":7000001,\"b\":\"-94\",\"c\":\"12x\","
                         "\"d\":1.5,\"e\":null,\"f\":\"\",\"g\":true}");
  ck_assert_int_eq(hp_id(hp_member(o, "a"), &id), 0);
  ck_assert_int_eq(id, 7000001);
  ck_assert_int_eq(hp_id(hp_member(o, "b"), &id), 0);
  ck_assert_int_eq(id, -94);
  ck_assert_int_eq(hp_id(hp_member(o, "c"), &id), -1);
  ck_assert_int_eq(hp_id(hp_member(o, "d"), &id), -1);
  ck_assert_int_eq(hp_id(hp_member(o, "e"), &id), -1);
  ck_assert_int_eq(hp_id(hp_member(o, "f"), &id), -1);
  ck_assert_int_eq(hp_id(hp_member(o, "g"), &id), -1);
  ck_assert_int_eq(hp_id(hp_member(o, "absent"), &id), -1);
  ck_assert_int_eq(hp_id_text("-", &id), -1);
  ck_assert_int_eq(hp_id_text("1234567890123456789", &id), -1);
  ck_assert_int_eq(hp_id_text("501", &id), 0);
  ck_assert_int_eq(id, 501);
  json_object_put(o);
}
END_TEST

START_TEST(quantities) {
  double q = -1;
  long long w = -1;
  json_object *o = parse("{\"qty_order\":12.0}");
  ck_assert_int_eq(hp_qty(o, &q), HP_QTY_OK);
  ck_assert(q == 12.0);
  ck_assert(hp_qty_whole(q, &w));
  ck_assert_int_eq(w, 12);
  json_object_put(o);
  o = parse("{\"qty_order\":null}");
  ck_assert_int_eq(hp_qty(o, &q), HP_QTY_NULL);
  json_object_put(o);
  o = parse("{}");
  ck_assert_int_eq(hp_qty(o, &q), HP_QTY_NULL);
  json_object_put(o);
  o = parse("{\"qty_order\":\"12\"}");
  ck_assert_int_eq(hp_qty(o, &q), HP_QTY_NOT_NUMBER);
  json_object_put(o);
  ck_assert(!hp_qty_whole(2.5, &w));
  ck_assert(!hp_qty_whole(-1, &w));
  ck_assert(hp_qty_whole(0, &w));
  ck_assert_int_eq(w, 0);
}
END_TEST

START_TEST(dates) {
  char d[11];
  ck_assert(hp_date("2026-01-01T00:00:00", d));
  ck_assert_str_eq(d, "2026-01-01");
  ck_assert(!hp_date("1900-01-01T00:00:00", d)); /* Halo's "no date" */
  ck_assert_str_eq(d, "");
  ck_assert(!hp_date(NULL, d));
  ck_assert(!hp_date("soon", d));
  ck_assert(!hp_date("2026-13-01", d));
  ck_assert(hp_date("2026-11-30", d));
}
END_TEST

START_TEST(lines) {
  json_object *o = parse(
      "{\"id\":\"7000001\",\"_itemid\":501,\"qty_order\":3,"
      "\"isinactive\":false,\"recurring_invoice_quantity_type\":0,"
      "\"enddate\":\"1900-01-01T00:00:00\",\"item_shortdescription\":\"LP\"}");
  hp_line l;
  hp_line_read(o, &l);
  ck_assert(l.has_id && l.id == 7000001);
  ck_assert(l.has_item && l.item_id == 501);
  ck_assert_int_eq(l.qty_state, HP_QTY_OK);
  ck_assert(!l.qty_type_set);
  ck_assert_str_eq(l.end, "");
  ck_assert_str_eq(l.description, "LP");
  ck_assert(hp_line_live(&l, "2026-11-15"));
  json_object_put(o);
  o = parse("{\"id\":1,\"_itemid\":501,\"qty_order\":3,"
            "\"recurring_invoice_quantity_type\":2,\"isinactive\":true,"
            "\"enddate\":\"2026-10-31T00:00:00\"}");
  hp_line_read(o, &l);
  ck_assert(l.qty_type_set && l.qty_type == 2);
  ck_assert(!hp_line_live(&l, "2026-11-15"));
  json_object_object_add(o, "isinactive", json_object_new_boolean(0));
  hp_line_read(o, &l);
  ck_assert(!hp_line_live(&l, "2026-11-15")); /* ended */
  ck_assert(hp_line_live(&l, "2026-10-31"));  /* its last day */
  json_object_put(o);
  o = parse("{\"id\":1,\"recurring_invoice_quantity_type\":null}");
  hp_line_read(o, &l);
  ck_assert(!l.qty_type_set && !l.has_item);
  json_object_put(o);
}
END_TEST

START_TEST(invoices) {
  char err[256];
  hp_invoice inv;
  json_object *o = parse("{\"id\":-94,\"client_id\":1001,\"disabled\":false,"
                         "\"startdate\":\"2026-01-01T00:00:00\","
                         "\"enddate\":null,\"lines\":[]}");
  ck_assert_int_eq(hp_invoice_read(o, &inv, err, sizeof err), 0);
  ck_assert_int_eq(inv.id, -94);
  ck_assert_int_eq(inv.client_id, 1001);
  ck_assert_ptr_nonnull(inv.lines);
  ck_assert(hp_invoice_active(&inv, "2026-11-15"));
  json_object_object_add(o, "enddate",
                         json_object_new_string("2026-11-14T00:00:00"));
  hp_invoice_read(o, &inv, err, sizeof err);
  ck_assert(!hp_invoice_active(&inv, "2026-11-15"));
  json_object_object_add(o, "enddate", NULL);
  json_object_object_add(o, "disabled", json_object_new_boolean(1));
  hp_invoice_read(o, &inv, err, sizeof err);
  ck_assert(!hp_invoice_active(&inv, "2026-11-15"));
  json_object_object_del(o, "lines");
  hp_invoice_read(o, &inv, err, sizeof err);
  ck_assert_ptr_null(inv.lines);
  json_object_object_del(o, "client_id");
  ck_assert_int_eq(hp_invoice_read(o, &inv, err, sizeof err), -1);
  ck_assert_str_eq(err, "recurring invoice -94 has no readable client_id");
  json_object_put(o);
}
END_TEST

START_TEST(wrapper) {
  json_object *list = NULL;
  long long n = 0;
  json_object *o = parse("{\"record_count\":250,\"clients\":[{\"id\":1}]}");
  ck_assert_int_eq(hp_wrapped_list(o, "clients", &list, &n), 0);
  ck_assert_int_eq(n, 250);
  ck_assert_int_eq(json_object_array_length(list), 1);
  ck_assert_int_eq(hp_wrapped_list(o, "invoices", &list, &n), -1);
  json_object_put(o);
  o = parse("[{\"id\":1},{\"id\":2}]"); /* a bare array (some /Item) */
  ck_assert_int_eq(hp_wrapped_list(o, "items", &list, &n), 0);
  ck_assert_int_eq(n, -1);
  ck_assert_int_eq(json_object_array_length(list), 2);
  json_object_put(o);
  o = parse("{\"items\":[]}");
  ck_assert_int_eq(hp_wrapped_list(o, "items", &list, &n), 0);
  ck_assert_int_eq(n, -1);
  json_object_put(o);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hpdrv_json");
  TCase *tc = tcase_create("json");
  tcase_add_test(tc, ids);
  tcase_add_test(tc, quantities);
  tcase_add_test(tc, dates);
  tcase_add_test(tc, lines);
  tcase_add_test(tc, invoices);
  tcase_add_test(tc, wrapper);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
