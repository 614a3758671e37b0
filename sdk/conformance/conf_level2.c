/* SPDX-License-Identifier: MIT */
/*
 * conf_level2.c — level 2: writes to the one line the person designated.
 *
 * Each step is a test of its own, in a process of its own: the baseline
 * records the line and its quantity N in the run's directory, and the
 * restore test (the last) sets N back whatever happened to the steps
 * between (a failed assertion, a crash, a timeout), because it does not
 * share their process.
 * Whether a write happened is judged only from the driver's own `wrote`
 * and from fresh snapshots, so the suite works against any PSA.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conf_session.h"
#include "conf_state.h"
#include "conf_tests.h"

static void need_test_line(const conf_run *run) {
  ck_assert_msg(run->opt->test_line && *run->opt->test_line,
                "level 2 needs the id of a line it may change: give "
                "--test-line ID (a line of a mapped product on an active "
                "agreement of a requested company; it is restored)");
}

static void need_baseline(const conf_run *run, conf_line_state *st) {
  need_test_line(run);
  ck_assert_msg(conf_state_load(run->tmpdir, st) == 0,
                "no baseline: level2.baseline did not record the test line");
}

/* A fresh snapshot's quantity of the test line (it must be there). */
static long long reread(conf_session *s, const conf_line_state *st) {
  char err[1024];
  lpsa_snapshot *snap = NULL;
  int rc = conf_session_snapshot(s, 0, 0, 0, &snap, err, sizeof err);
  ck_assert_msg(snap != NULL, "out of memory");
  long long q = rc == LPSA_OK ? conf_state_quantity(snap, st->line_id) : -1;
  snapshot_free(snap);
  ck_assert_msg(rc == LPSA_OK, "re-reading with snapshot() failed (%s): %s",
                host_status_str(rc), err);
  ck_assert_msg(q >= 0, "line %s vanished from the snapshot", st->line_id);
  return q;
}

static int set(conf_session *s, const conf_line_state *st, long long target,
               lpsa_set_result *res, char *err, size_t errlen) {
  lpsa_line_ref ref = conf_state_ref(st, s->run->as_of);
  *res = LPSA_INIT(lpsa_set_result);
  err[0] = '\0';
  return s->drv.desc->set_quantity(s->ctx, &ref, target, res, err, errlen);
}

static void test_baseline(const conf_run *run) {
  need_test_line(run);
  conf_session s;
  conf_session_open(&s, run);
  char err[1024];
  lpsa_snapshot *snap = NULL;
  int rc = conf_session_snapshot(&s, 0, 0, 0, &snap, err, sizeof err);
  ck_assert_msg(snap != NULL, "out of memory");
  ck_assert_msg(rc == LPSA_OK, "snapshot() failed (%s): %s",
                host_status_str(rc), err);
  conf_line_state st;
  char why[512];
  rc =
      conf_state_from_snapshot(snap, run->opt->test_line, &st, why, sizeof why);
  snapshot_free(snap);
  ck_assert_msg(rc == 0, "%s", why);
  ck_assert_msg(conf_state_save(run->tmpdir, &st) == 0,
                "cannot save the baseline in %s", run->tmpdir);
  conf_session_end(&s, 1, "during snapshot()");
}

static void test_set_new(const conf_run *run) {
  conf_line_state st;
  need_baseline(run, &st);
  conf_session s;
  conf_session_open(&s, run);
  long long n = st.original, target = n + 1;
  lpsa_set_result res;
  char err[1024];
  int rc = set(&s, &st, target, &res, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "set_quantity(%s, %lld) failed (%s): %s",
                st.line_id, target, host_status_str(rc), err);
  ck_assert_msg(res.wrote == 1,
                "set_quantity(%s, %lld) from %lld returned wrote = %d; a "
                "changed quantity is a write (wrote = 1)",
                st.line_id, target, n, res.wrote);
  ck_assert_msg(res.before == n && res.after == target,
                "set_quantity(%s, %lld) reported before %lld, after %lld; "
                "expected before %lld, after %lld",
                st.line_id, target, res.before, res.after, n, target);
  long long now = reread(&s, &st);
  ck_assert_msg(now == target,
                "set_quantity(%s, %lld) succeeded but a new snapshot shows "
                "%lld",
                st.line_id, target, now);
  conf_session_end(&s, 1, "during set_quantity() and snapshot()");
}

static void test_set_same(const conf_run *run) {
  conf_line_state st;
  need_baseline(run, &st);
  conf_session s;
  conf_session_open(&s, run);
  long long target = st.original + 1;
  lpsa_set_result res;
  char err[1024];
  int rc = set(&s, &st, target, &res, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK, "set_quantity(%s, %lld) again failed (%s): %s",
                st.line_id, target, host_status_str(rc), err);
  ck_assert_msg(res.wrote == 0,
                "set_quantity(%s, %lld) on a line already at %lld returned "
                "wrote = %d: re-read first and write nothing when the line "
                "already holds the target",
                st.line_id, target, res.before, res.wrote);
  ck_assert_msg(res.before == target && res.after == target,
                "set_quantity(%s, %lld) with nothing to do reported before "
                "%lld, after %lld",
                st.line_id, target, res.before, res.after);
  long long now = reread(&s, &st);
  ck_assert_msg(now == target,
                "after a set with nothing to do, a new "
                "snapshot shows %lld instead of %lld",
                now, target);
  conf_session_end(&s, 1, "during set_quantity() and snapshot()");
}

static void test_restore(const conf_run *run) {
  conf_line_state st;
  need_test_line(run);
  if (conf_state_load(run->tmpdir, &st) != 0)
    conf_not_run(run, "no baseline was recorded, so nothing was changed");
  conf_session s;
  conf_session_open(&s, run);
  lpsa_set_result res;
  char err[1024];
  int rc = set(&s, &st, st.original, &res, err, sizeof err);
  ck_assert_msg(rc == LPSA_OK,
                "restoring line %s to %lld failed (%s): %s; restore it by "
                "hand",
                st.line_id, st.original, host_status_str(rc), err);
  ck_assert_msg(res.after == st.original,
                "restoring line %s to %lld reported after = %lld", st.line_id,
                st.original, res.after);
  long long now = reread(&s, &st);
  ck_assert_msg(now == st.original,
                "line %s was restored to %lld but a new snapshot shows %lld",
                st.line_id, st.original, now);
  conf_session_end(&s, 1, "during set_quantity() and snapshot()");
}

static void test_missing_line(const conf_run *run) {
  conf_line_state st;
  need_baseline(run, &st);
  conf_line_state ghost = st;
  /* An id no PSA hands out for a live line: numeric (most PSAs use integer
   * ids, and a malformed one could be refused for the wrong reason) and
   * far beyond any real id. */
  snprintf(ghost.line_id, sizeof ghost.line_id, "%s", "2147480001");
  ck_assert_msg(strcmp(ghost.line_id, st.line_id) != 0,
                "the test line has the suite's made-up id; pick another");
  conf_session s;
  conf_session_open(&s, run);
  long long before = reread(&s, &st);
  lpsa_set_result res;
  char err[1024];
  int rc = set(&s, &ghost, before + 1, &res, err, sizeof err);
  ck_assert_msg(rc != LPSA_OK,
                "set_quantity() of line %s, which does not exist, "
                "succeeded; return LPSA_ERR_CONFLICT (or NOT_FOUND)",
                ghost.line_id);
  ck_assert_msg(res.wrote == 0, "set_quantity() of a missing line failed but "
                                "says it wrote");
  ck_assert_msg(err[0], "set_quantity() of a missing line failed without a "
                        "message in err");
  long long now = reread(&s, &st);
  ck_assert_msg(now == before,
                "after a set on a missing line, the test line %s shows %lld "
                "instead of %lld",
                st.line_id, now, before);
  conf_session_end(&s, 1, "during set_quantity() and snapshot()");
}

static const conf_test tests[] = {
    {"level2.baseline", 2,
     "the test line is in the snapshot; its quantity N is recorded for the "
     "restore",
     test_baseline},
    {"level2.set_new", 2,
     "set N+1: wrote = 1, before N, after N+1, and a new snapshot shows N+1",
     test_set_new},
    {"level2.set_same", 2,
     "set N+1 again: wrote = 0 (nothing written), before = after = N+1",
     test_set_same},
    {"level2.missing_line", 2,
     "set on a line that does not exist fails with a message and changes "
     "nothing",
     test_missing_line},
    {"level2.restore", 2,
     "set N: the line is back to N (runs even after a failure or crash)",
     test_restore},
};

const conf_test *conf_level2_tests(size_t *n) {
  *n = sizeof tests / sizeof tests[0];
  return tests;
}
