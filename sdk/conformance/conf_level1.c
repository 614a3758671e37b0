/* SPDX-License-Identifier: MIT */
/*
 * conf_level1.c — level 1: read-only calls against the configured PSA. The
 * snapshot's shape, that it can be repeated, the request flags, and check().
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conf_session.h"
#include "conf_shape.h"
#include "conf_tests.h"

/* A snapshot that must succeed, with a message naming `what` otherwise. */
static lpsa_snapshot *snapshot_ok(conf_session *s, unsigned flags,
                                  const char *what) {
  char err[1024];
  lpsa_snapshot *snap = NULL;
  int rc = conf_session_snapshot(s, flags, 0, 0, &snap, err, sizeof err);
  ck_assert_msg(snap != NULL, "out of memory");
  ck_assert_msg(rc == LPSA_OK, "%s failed (%s): %s", what, host_status_str(rc),
                err[0] ? err : "(no message)");
  ck_assert_msg(!snap->error[0],
                "%s returned LPSA_OK although a builder call failed (%s): "
                "check every builder's return code and fail the snapshot",
                what, snap->error);
  return snap;
}

static void test_snapshot(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_snapshot *snap = snapshot_ok(&s, 0, "snapshot()");
  snapshot_free(snap);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_shape(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_snapshot *snap = snapshot_ok(&s, 0, "snapshot()");
  char why[1024];
  int rc = conf_shape_check(snap, run->as_of, why, sizeof why);
  snapshot_free(snap);
  ck_assert_msg(rc == 0, "%s", why);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_requested_companies(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_snapshot *snap = snapshot_ok(&s, 0, "snapshot()");
  char why[1024];
  int rc = conf_shape_has_companies(snap, run->company_ids, run->n_company_ids,
                                    why, sizeof why);
  snapshot_free(snap);
  ck_assert_msg(rc == 0,
                "%s; emit every requested company that exists, inactive "
                "ones too (active = 0) (the suite assumes every company id "
                "it was given exists)",
                why);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_repeatable(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  lpsa_snapshot *a = snapshot_ok(&s, 0, "the first snapshot()");
  lpsa_snapshot *b = snapshot_ok(&s, 0, "the second snapshot()");
  char why[1024];
  int rc = conf_shape_agree(a, b, why, sizeof why);
  snapshot_free(a);
  snapshot_free(b);
  ck_assert_msg(rc == 0, "two snapshots of an unchanged PSA differ: %s", why);
  conf_session_end(&s, 1, "during snapshot()");
}

/* A flagged snapshot: NULL when the driver says it does not support it. */
static lpsa_snapshot *flagged(conf_session *s, unsigned flags,
                              const char *what) {
  char err[1024];
  lpsa_snapshot *snap = NULL;
  int rc = conf_session_snapshot(s, flags, 0, 0, &snap, err, sizeof err);
  ck_assert_msg(snap != NULL, "out of memory");
  if (rc == LPSA_ERR_UNSUPPORTED) {
    snapshot_free(snap);
    return NULL;
  }
  ck_assert_msg(rc == LPSA_OK, "%s failed (%s): %s", what, host_status_str(rc),
                err[0] ? err : "(no message)");
  ck_assert_msg(!snap->error[0], "%s: a builder call failed: %s", what,
                snap->error);
  return snap;
}

static void test_companies_only(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  const char *what = "snapshot() with LPSA_SNAPSHOT_COMPANIES_ONLY";
  lpsa_snapshot *snap = flagged(&s, LPSA_SNAPSHOT_COMPANIES_ONLY, what);
  if (!snap) {
    conf_session_end(&s, 1, "during snapshot()");
    conf_not_run(run, "the driver answers LPSA_ERR_UNSUPPORTED to %s", what);
  }
  char why[1024] = "";
  size_t n_agreements = snap->n_agreements, n_lines = snap->n_lines;
  int rc = conf_shape_has_companies(snap, run->company_ids, run->n_company_ids,
                                    why, sizeof why);
  snapshot_free(snap);
  ck_assert_msg(n_agreements == 0 && n_lines == 0,
                "%s emitted %zu agreements and %zu lines; emit companies only",
                what, n_agreements, n_lines);
  ck_assert_msg(rc == 0, "%s: %s", what, why);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_all_companies(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  const char *what = "snapshot() with LPSA_SNAPSHOT_ALL_COMPANIES";
  lpsa_snapshot *all = flagged(&s, LPSA_SNAPSHOT_ALL_COMPANIES, what);
  if (!all) {
    conf_session_end(&s, 1, "during snapshot()");
    conf_not_run(run, "the driver answers LPSA_ERR_UNSUPPORTED to %s", what);
  }
  lpsa_snapshot *normal = snapshot_ok(&s, 0, "snapshot()");
  char why[1024] = "";
  int rc = conf_shape_check(all, run->as_of, why, sizeof why);
  if (rc == 0 && conf_shape_companies_within(normal, all, why, sizeof why))
    rc = -1;
  snapshot_free(all);
  snapshot_free(normal);
  ck_assert_msg(rc == 0, "%s: %s", what, why);
  conf_session_end(&s, 1, "during snapshot()");
}

/* Asking for nothing may succeed or fail, but cleanly, and with no lines
 * (no product was asked for). */
static void degenerate(const conf_run *run, int no_companies,
                       const char *what) {
  conf_session s;
  conf_session_open(&s, run);
  char err[1024];
  lpsa_snapshot *snap = NULL;
  int rc =
      conf_session_snapshot(&s, 0, 1, no_companies, &snap, err, sizeof err);
  ck_assert_msg(snap != NULL, "out of memory");
  size_t n_lines = snap->n_lines;
  char builder[256];
  snprintf(builder, sizeof builder, "%s", snap->error);
  snapshot_free(snap);
  ck_assert_msg(rc != LPSA_OK || !builder[0],
                "%s returned LPSA_OK although a builder call failed: %s", what,
                builder);
  ck_assert_msg(rc != LPSA_OK || n_lines == 0,
                "%s emitted %zu lines, but no product was asked for", what,
                n_lines);
  ck_assert_msg(rc == LPSA_OK || err[0], "%s failed without a message in err",
                what);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_no_products(const conf_run *run) {
  degenerate(run, 0, "snapshot() of the companies without products");
}

static void test_empty_request(const conf_run *run) {
  degenerate(run, 1, "snapshot() of no company and no product");
}

static void test_check(const conf_run *run) {
  conf_session s;
  conf_session_open(&s, run);
  if (!s.drv.desc->check) {
    conf_session_end(&s, 1, "while opening and closing");
    conf_not_run(run, "the driver has no check() (optional)");
  }
  char err[1024] = "";
  int rc = s.drv.desc->check(s.ctx, err, sizeof err);
  unsigned items = s.items, failed = s.items_failed;
  char first[512];
  snprintf(first, sizeof first, "%s", s.first_failed_item);
  ck_assert_msg(rc == LPSA_OK, "check() failed (%s): %s%s%s",
                host_status_str(rc), err[0] ? err : "(no message)",
                failed ? "; first failed item: " : "", first);
  ck_assert_msg(items > 0, "check() reported no item: report each thing it "
                           "verified with api->check_item()");
  ck_assert_msg(failed == 0,
                "check() returned LPSA_OK but reported a failed item: %s",
                first);
  conf_session_end(&s, 1, "during check()");
}

static const conf_test tests[] = {
    {"level1.snapshot", 1,
     "a snapshot of the requested companies and products succeeds, every "
     "builder call accepted",
     test_snapshot},
    {"level1.shape", 1,
     "unique ids; agreements of emitted companies; lines of emitted "
     "agreements, quantity >= 0, of a requested product reported found; "
     "current periods cover the run's date",
     test_shape},
    {"level1.requested_companies", 1,
     "every requested company is emitted (inactive ones with active = 0)",
     test_requested_companies},
    {"level1.repeatable", 1,
     "two snapshots in a row agree: same ids, same lines and quantities",
     test_repeatable},
    {"level1.companies_only", 1,
     "LPSA_SNAPSHOT_COMPANIES_ONLY gives the requested companies and no "
     "agreements or lines",
     test_companies_only},
    {"level1.all_companies", 1,
     "LPSA_SNAPSHOT_ALL_COMPANIES gives a well-formed superset of the normal "
     "snapshot's companies",
     test_all_companies},
    {"level1.no_products", 1,
     "a snapshot asking for no product succeeds or fails cleanly and emits "
     "no line",
     test_no_products},
    {"level1.empty_request", 1,
     "a snapshot asking for no company and no product succeeds or fails "
     "cleanly and emits no line",
     test_empty_request},
    {"level1.check", 1,
     "check() succeeds and reports at least one item, all passed (optional "
     "operation)",
     test_check},
};

const conf_test *conf_level1_tests(size_t *n) {
  *n = sizeof tests / sizeof tests[0];
  return tests;
}
