/* SPDX-License-Identifier: MIT */
/*
 * test_snapshot.c — the builders copy records and refuse bad references.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

static const lpsa_product_ref products[] = {{LPSA_SKU_LASTPASS, "LP-BUS"},
                                            {LPSA_SKU_LASTPASS_MFA, "LP-MFA"}};

static lpsa_snapshot *fresh(void) {
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = products;
  req.n_products = 2;
  lpsa_snapshot *snap = snapshot_new(&req);
  ck_assert_ptr_nonnull(snap);
  return snap;
}

START_TEST(copies_and_links) {
  lpsa_snapshot *snap = fresh();
  char id[8] = "c1";
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = id;
  c.name = "Acme & Sons";
  c.active = 1;
  ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_OK);
  strcpy(id, "XX"); /* the host must have copied it */
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = "a1";
  a.company_id = "c1";
  ck_assert_int_eq(snapshot_add_agreement(snap, &a), LPSA_OK);
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = "l1";
  l.agreement_id = "a1";
  l.product = 1;
  l.quantity = 7;
  ck_assert_int_eq(snapshot_add_line(snap, &l), LPSA_OK);
  ck_assert_str_eq(snap->companies[0].id, "c1");
  ck_assert_int_eq(snapshot_find_company(snap, "c1"), 0);
  ck_assert_int_eq(snapshot_find_company(snap, "XX"), -1);
  ck_assert_int_eq(snap->lines[0].agreement, 0);
  ck_assert_int_eq(snap->lines[0].quantity, 7);
  ck_assert_int_eq(snapshot_product_found(snap, 1, "42", "LastPass MFA"),
                   LPSA_OK);
  ck_assert(snap->products[1].found);
  ck_assert(!snap->products[0].found);
  snapshot_free(snap);
}
END_TEST

START_TEST(refuses_bad_records) {
  lpsa_snapshot *snap = fresh();
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = "a1";
  a.company_id = "nope";
  ck_assert_int_eq(snapshot_add_agreement(snap, &a), LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(snap->error, "company nope"));
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = "c1";
  ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_OK);
  ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_ERR_INVALID);
  a.company_id = "c1";
  a.period = LPSA_PERIOD_CURRENT; /* without a start date */
  ck_assert_int_eq(snapshot_add_agreement(snap, &a), LPSA_ERR_INVALID);
  a.period = LPSA_PERIOD_NONE;
  ck_assert_int_eq(snapshot_add_agreement(snap, &a), LPSA_OK);
  lpsa_line l = LPSA_INIT(lpsa_line);
  l.id = "l1";
  l.agreement_id = "a1";
  l.product = 2; /* out of range */
  ck_assert_int_eq(snapshot_add_line(snap, &l), LPSA_ERR_INVALID);
  l.product = 0;
  l.quantity = -1;
  ck_assert_int_eq(snapshot_add_line(snap, &l), LPSA_ERR_INVALID);
  ck_assert_int_eq(snapshot_product_found(snap, 5, "1", NULL),
                   LPSA_ERR_INVALID);
  snapshot_free(snap);
}
END_TEST

START_TEST(older_smaller_records_read_as_zero) {
  lpsa_snapshot *snap = fresh();
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = "c1";
  c.name = "ignored";
  c.active = 1;
  c.size = offsetof(lpsa_company, name); /* a driver that knew only `id` */
  ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_OK);
  ck_assert_ptr_null(snap->companies[0].name);
  ck_assert_int_eq(snap->companies[0].active, 0);
  snapshot_free(snap);
}
END_TEST

START_TEST(notes_copied_and_checked) {
  lpsa_snapshot *snap = fresh();
  lpsa_company c = LPSA_INIT(lpsa_company);
  c.id = "c1";
  ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_OK);
  lpsa_agreement a = LPSA_INIT(lpsa_agreement);
  a.id = "a1";
  a.company_id = "c1";
  ck_assert_int_eq(snapshot_add_agreement(snap, &a), LPSA_OK);
  char msg[32] = "addition 9: null quantity";
  lpsa_note n = LPSA_INIT(lpsa_note);
  n.kind = LPSA_NOTE_BAD_RECORD;
  n.company_id = "c1";
  n.agreement_id = "a1";
  n.line_id = "9";
  n.message = msg;
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_OK);
  strcpy(msg, "XX"); /* copied */
  ck_assert_int_eq(snap->n_notes, 1);
  ck_assert_str_eq(snap->notes[0].message, "addition 9: null quantity");
  ck_assert_str_eq(snap->notes[0].line_id, "9");
  ck_assert_int_eq(snap->notes[0].agreement, 0);
  n.kind = (lpsa_note_kind)42; /* a kind from a newer ABI: the safe reading */
  n.agreement_id = NULL;
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_OK);
  ck_assert_int_eq(snap->notes[1].kind, LPSA_NOTE_BAD_RECORD);
  ck_assert_int_eq(snap->notes[1].agreement, -1);
  n.kind = 0;
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_ERR_INVALID);
  n.kind = LPSA_NOTE_MID_PERIOD;
  n.company_id = "c2"; /* not emitted */
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_ERR_INVALID);
  n.company_id = "c1";
  n.agreement_id = "a2"; /* not emitted */
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_ERR_INVALID);
  n.agreement_id = NULL;
  n.message = "";
  ck_assert_int_eq(snapshot_add_note(snap, &n), LPSA_ERR_INVALID);
  ck_assert_int_eq(snap->n_notes, 2);
  snapshot_free(snap);
}
END_TEST

START_TEST(many_companies_indexed) {
  lpsa_snapshot *snap = fresh();
  char id[16];
  for (int i = 0; i < 5000; i++) {
    snprintf(id, sizeof id, "%d", i);
    lpsa_company c = LPSA_INIT(lpsa_company);
    c.id = id;
    ck_assert_int_eq(snapshot_add_company(snap, &c), LPSA_OK);
  }
  ck_assert_int_eq(snapshot_find_company(snap, "4321"), 4321);
  snapshot_free(snap);
}
END_TEST

int main(void) {
  Suite *s = suite_create("snapshot");
  TCase *tc = tcase_create("builders");
  tcase_add_test(tc, copies_and_links);
  tcase_add_test(tc, refuses_bad_records);
  tcase_add_test(tc, older_smaller_records_read_as_zero);
  tcase_add_test(tc, many_companies_indexed);
  tcase_add_test(tc, notes_copied_and_checked);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
