/* SPDX-License-Identifier: MIT */
/*
 * test_journal_in_flight.c — the journal keeps until when a change's
 * delta write may be in flight (journal_write_sent), and a journal made
 * before that column (or billing_period) existed gets both on opening.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostrun.h"
#include "journal.h"
#include "lpsa/status.h"

static char *dir;

static void setup(void) {
  dir = test_tmpdir("jflight");
  ck_assert_ptr_nonnull(dir);
}

static void teardown(void) {
  test_rmtree(dir);
  free(dir);
}

/* A journal as lpsa made it before billing_period and in_flight_until. */
static void old_journal(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/journal.sqlite", dir);
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_exec(db,
                   "CREATE TABLE changes(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                   " run_id INTEGER NOT NULL, driver TEXT NOT NULL, ts TEXT "
                   "NOT NULL, lastpass_id TEXT, lastpass_name TEXT, "
                   "psa_company_id TEXT, agreement_id TEXT, line_id TEXT NOT "
                   "NULL, product TEXT, old_quantity INTEGER, new_quantity "
                   "INTEGER, effective_date TEXT, state TEXT NOT NULL DEFAULT "
                   "'intent', observed INTEGER, message TEXT, resolved_by "
                   "INTEGER);",
                   NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(db);
}

START_TEST(in_flight_until_kept_and_migrated) {
  old_journal();
  journal *j;
  char err[512];
  ck_assert_msg(journal_open(dir, JOURNAL_VERIFY, &j, err, sizeof err) ==
                    JOURNAL_OK,
                "%s", err);
  long long run = 0, sent = 0, quiet = 0;
  ck_assert_int_eq(journal_run_begin(j, "autotask", "1.0.0", "apply",
                                     "2026-11-15T12:00:00Z", &run),
                   LPSA_OK);
  outcome o = {.lastpass_id = "201",
               .lastpass_name = "A Co",
               .psa_company_id = "1000",
               .agreement_id = "7000",
               .line_id = "800036",
               .old_quantity = 36,
               .new_quantity = 39};
  ck_assert_int_eq(journal_intent(j, run, "autotask", &o, "2026-11-01", &sent),
                   LPSA_OK);
  o.line_id = "800037";
  ck_assert_int_eq(journal_intent(j, run, "autotask", &o, "2026-11-01", &quiet),
                   LPSA_OK);
  ck_assert_int_eq(journal_write_sent(j, sent, 1795608003000LL), LPSA_OK);
  journal_pending *p;
  size_t n;
  ck_assert_int_eq(journal_pending_list(j, "autotask", &p, &n), LPSA_OK);
  ck_assert_uint_eq(n, 2);
  ck_assert_str_eq(p[0].line_id, "800036");
  ck_assert_int_eq(p[0].in_flight_until, 1795608003000LL);
  ck_assert_int_eq(p[1].in_flight_until, 0); /* never sent */
  journal_pending_free(p, n);
  journal_close(j);
  /* Opening it again changes nothing. */
  ck_assert_int_eq(journal_open(dir, 0, &j, err, sizeof err), JOURNAL_OK);
  ck_assert_int_eq(journal_pending_list(j, "autotask", &p, &n), LPSA_OK);
  ck_assert_uint_eq(n, 2);
  journal_pending_free(p, n);
  journal_close(j);
}
END_TEST

int main(void) {
  Suite *s = suite_create("journal_in_flight");
  TCase *tc = tcase_create("journal_in_flight");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, in_flight_until_kept_and_migrated);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
