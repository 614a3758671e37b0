/* SPDX-License-Identifier: MIT */
/*
 * test_run_safety.c — a run that must not write, or must stop writing,
 * because something around it cannot be trusted, end to end through the
 * real lpsa-host:
 *   - a damaged journal (page 2 of journal.sqlite overwritten): every run
 *     refuses to write (exit 3) and says what to do; `check` reports it;
 *     moving the file aside starts a new journal;
 *   - a locked journal and a full disk: exit 3 (not 2, "configuration"),
 *     zero PSA writes, the error printed once;
 *   - run_timeout: requests of the driver stop at the deadline (exit 3
 *     before any write); a deadline reached while writing stops after the
 *     write in progress, never in its middle, every change closed in the
 *     journal;
 *   - a mapping row whose LastPass id is beyond int64 is refused, not
 *     clamped; a bad run_timeout is refused with its line;
 *   - `check` tells the admin that only one writer may change the PSA.
 */
#include <check.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostrun.h"
#include "jp_world.h"
#include "rel_harness.h"

static const rel_world_opts calm = {
    .psa = REL_AUTOTASK, .companies = 20, .seed = 4, .change_pct = 30};

static int count_of(const char *text, const char *part) {
  int n = 0;
  for (const char *p = text; p && (p = strstr(p, part)); p += strlen(part))
    n++;
  return n;
}

static void assert_contains(const char *text, const char *part) {
  ck_assert_msg(strstr(text, part) != NULL, "\"%s\" lacks \"%s\"", text, part);
}

/* A baseline dry run (it creates the journal), then the PSA's log cleared
 * and its state kept for comparison. */
static char *prepare(rel_world *w) {
  rel_run base;
  rel_host(w, &base, "--dry-run", NULL);
  ck_assert_int_gt(rel_count_status(base.report, "planned"), 0);
  rel_run_free(&base);
  ck_assert_int_eq(simproc_clear_log(&w->psa), 0);
  return rel_state_text(w, REL_PSA);
}

/* The run wrote nothing to the PSA. */
static void assert_no_write(rel_world *w, const char *state0) {
  rel_wait_idle(w, REL_PSA);
  json_object *log = rel_log(w, REL_PSA);
  ck_assert_int_eq(rel_count_writes(log), 0);
  json_object_put(log);
  char *state1 = rel_state_text(w, REL_PSA);
  ck_assert_str_eq(state0, state1);
  free(state1);
}

static char *journal_path(const char *dir, const char *suffix) {
  char *p = malloc(strlen(dir) + 64);
  ck_assert_ptr_nonnull(p);
  sprintf(p, "%s/state/journal.sqlite%s", dir, suffix);
  return p;
}

/* Overwrite page 2 of the journal (its page size read from the header). */
static void damage_page_2(const char *dir) {
  char *path = journal_path(dir, ""), *wal = journal_path(dir, "-wal");
  struct stat st;
  ck_assert_msg(stat(wal, &st) != 0 || st.st_size == 0,
                "the journal's WAL was not checkpointed: %s", wal);
  int fd = open(path, O_RDWR);
  ck_assert_int_ge(fd, 0);
  unsigned char header[100];
  ck_assert_int_eq(pread(fd, header, sizeof header, 0), (ssize_t)sizeof header);
  long page = header[16] << 8 | header[17];
  if (page == 1)
    page = 65536;
  ck_assert_int_ge(fstat(fd, &st), 0);
  ck_assert_msg(st.st_size >= 3 * page, "the journal has only %lld bytes",
                (long long)st.st_size);
  unsigned char *junk = malloc((size_t)page);
  ck_assert_ptr_nonnull(junk);
  memset(junk, 0xA5, (size_t)page);
  ck_assert_int_eq(pwrite(fd, junk, (size_t)page, page), page);
  ck_assert_int_eq(close(fd), 0);
  free(junk);
  free(wal);
  free(path);
}

/* The item of a `check --json` checklist whose "what" starts with `what`. */
static json_object *check_item(json_object *report, const char *what) {
  json_object *items = rel_get(report, "items");
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    json_object *it = json_object_array_get_idx(items, i);
    if (strncmp(rel_str(it, "what"), what, strlen(what)) == 0)
      return it;
  }
  ck_abort_msg("check lists no \"%s\": %s", what,
               json_object_to_json_string(items));
  return NULL;
}

START_TEST(damaged_journal_refuses_to_write) {
  rel_world w;
  rel_world_start(&w, &calm);
  char *state0 = prepare(&w);
  rel_run ok;
  rel_host(&w, &ok, "check", NULL);
  ck_assert_str_eq(rel_str(check_item(ok.report, "journal"), "status"), "ok");
  rel_run_free(&ok);
  damage_page_2(w.dir);

  rel_run r, dry, chk, fresh;
  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 3, "exit %d; stderr: %s", r.status, r.err);
  const char *aborted = rel_str(r.report, "aborted");
  assert_contains(aborted, "damaged");
  assert_contains(aborted, "quick_check");
  assert_contains(aborted, "restore journal.sqlite from a backup");
  assert_contains(aborted, "move it aside");
  assert_no_write(&w, state0);
  rel_host(&w, &dry, "--dry-run", NULL);
  ck_assert_int_eq(dry.status, 3);

  /* `check` says so, with what to do. */
  rel_host(&w, &chk, "check", NULL);
  ck_assert_int_eq(chk.status, 1);
  json_object *item = check_item(chk.report, "journal");
  ck_assert_str_eq(rel_str(item, "status"), "fail");
  assert_contains(rel_str(item, "detail"), "damaged");

  /* Moved aside, a new journal starts and the run writes again. */
  char *path = journal_path(w.dir, ""),
       *aside = journal_path(w.dir, ".damaged");
  ck_assert_int_eq(rename(path, aside), 0);
  rel_host(&w, &fresh, NULL);
  ck_assert_msg(fresh.status == 0 || fresh.status == 1, "exit %d: %s",
                fresh.status, fresh.err);
  ck_assert_int_gt(rel_count_status(fresh.report, "updated"), 0);
  free(aside);
  free(path);
  free(state0);
  rel_run_free(&fresh);
  rel_run_free(&chk);
  rel_run_free(&dry);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(locked_journal_exits_3_once) {
  rel_world w;
  rel_world_start(&w, &calm);
  char *state0 = prepare(&w);
  char *path = journal_path(w.dir, "");
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL),
                   SQLITE_OK);
  rel_run r;
  rel_host(&w, &r, NULL);
  sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close(db);
  ck_assert_msg(r.status == 3, "exit %d; stderr: %s", r.status, r.err);
  assert_contains(rel_str(r.report, "aborted"), "locked");
  ck_assert_msg(count_of(r.err, "database is locked") == 1,
                "the error must be printed once: %s", r.err);
  assert_no_write(&w, state0);
  free(path);
  free(state0);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

START_TEST(full_disk_exits_3_once) {
  rel_world w;
  rel_world_start(&w, &calm);
  char *state0 = prepare(&w);
  char preload[1200], asan[1200];
  snprintf(preload, sizeof preload, "LD_PRELOAD=%s", LPSA_DISK_FULL_SHIM);
  /* Under AddressSanitizer the preloaded module comes first; it only
   * replaces three write calls. */
  const char *old = getenv("ASAN_OPTIONS");
  snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
           old ? old : "", old && *old ? ":" : "");
  const char *env[] = {preload, asan, "LPSA_DISK_FULL_MATCH=journal.sqlite",
                       NULL};
  rel_run r;
  rel_host_env(&w, env, &r, NULL);
  ck_assert_msg(r.status == 3, "exit %d; stderr: %s", r.status, r.err);
  assert_contains(rel_str(r.report, "aborted"), "No space left on device");
  ck_assert_msg(count_of(r.err, "No space left on device") == 1,
                "the error must be printed once: %s", r.err);
  assert_no_write(&w, state0);
  free(state0);
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

/* The PSA answers slowly (400 ms a request) and the run may take 1 s: the
 * driver's requests stop at the deadline, well before its snapshot is
 * complete, and nothing is written. */
START_TEST(run_timeout_bounds_driver_requests) {
  rel_world w;
  rel_world_start(&w, &calm);
  char *state0 = prepare(&w);
  rel_run base, r;
  rel_host(&w, &base, "--dry-run", NULL);
  json_object *log = rel_log(&w, REL_PSA);
  size_t full = json_object_array_length(log);
  json_object_put(log);
  ck_assert_uint_gt(full, 4);
  ck_assert_int_eq(simproc_clear_log(&w.psa), 0);
  ck_assert_int_eq(
      simproc_send_json(&w.psa, "PUT", "/_sim/latency", "{\"ms\":400}"), 0);
  rel_write_config(&w, "run_timeout = 1s\n");
  rel_host(&w, &r, NULL);
  ck_assert_msg(r.status == 3, "exit %d; stderr: %s", r.status, r.err);
  const char *aborted = rel_str(r.report, "aborted");
  assert_contains(aborted, "run_timeout (1s");
  assert_contains(aborted, "nothing was written");
  rel_wait_idle(&w, REL_PSA);
  log = rel_log(&w, REL_PSA);
  ck_assert_msg(json_object_array_length(log) < full,
                "the driver went on past the deadline: %zu requests, a whole "
                "snapshot takes %zu",
                json_object_array_length(log), full);
  json_object_put(log);
  assert_no_write(&w, state0);
  free(state0);
  rel_run_free(&r);
  rel_run_free(&base);
  rel_world_stop(&w);
}
END_TEST

/* Each write of the JSON-file PSA takes 400 ms and the run may take 1 s:
 * writing stops between two writes, each change is closed in the journal,
 * and every line holds its old count or its new one. */
START_TEST(run_timeout_stops_writes_cleanly) {
  jp_world w;
  jp_world_start(&w, "{}", "run_timeout = 1s\n", "write_delay_ms = 400\n");
  json_object *r = jp_run(&w, 3, NULL, NULL);
  long long writes = jp_writes(&w);
  ck_assert_int_lt(writes, 5);
  const char *text = json_object_to_json_string(r);
  assert_contains(text, "run_timeout (1s");
  int changed = 0;
  for (int i = 1; i <= 5; i++) {
    char id[8];
    snprintf(id, sizeof id, "l%d", i);
    long long q = jp_quantity(&w, id);
    ck_assert_msg(q == i * 10 - 1 || q == i * 10, "line %s holds %lld", id, q);
    changed += q == i * 10;
  }
  ck_assert_int_eq(changed, writes);
  ck_assert_int_eq(rel_int(rel_get(r, "summary"), "updated"), writes);
  /* No change left open: every intent has its result. */
  json_object *h = jp_run(&w, 0, NULL, "history", "--run", "1", NULL);
  json_object *changes = rel_get(h, "changes");
  ck_assert_int_eq(json_object_array_length(changes), writes);
  for (size_t i = 0; i < json_object_array_length(changes); i++)
    ck_assert_str_eq(rel_str(json_object_array_get_idx(changes, i), "state"),
                     "applied");
  json_object_put(h);
  json_object_put(r);
  jp_world_stop(&w);
}
END_TEST

START_TEST(mapping_id_beyond_int64_refused) {
  jp_world w;
  jp_world_start(&w, "{}", NULL, NULL);
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "201,c1\n9223372036854775808,c2\n"),
                   0);
  hostrun h;
  jp_exec(&w, &h, NULL);
  ck_assert_msg(h.status == 2, "exit %d: %s", h.status, h.err);
  assert_contains(h.err, "mapping.csv:3");
  assert_contains(h.err, "beyond the largest LastPass id");
  ck_assert_int_eq(jp_writes(&w), 0);
  hostrun_free(&h);
  jp_world_stop(&w);
}
END_TEST

START_TEST(bad_run_timeout_refused) {
  jp_world w;
  jp_world_start(&w, "{}", "run_timeout = 2 hours\n", NULL);
  hostrun h;
  jp_exec(&w, &h, NULL);
  ck_assert_msg(h.status == 2, "exit %d: %s", h.status, h.err);
  assert_contains(h.err, "lpsa.conf:5: run_timeout must be a duration");
  hostrun_free(&h);
  jp_world_stop(&w);
}
END_TEST

START_TEST(check_names_one_writer_per_psa) {
  rel_world w;
  rel_world_start(&w, &calm);
  rel_run r;
  rel_host(&w, &r, "check", NULL);
  json_object *item = check_item(r.report, "one writer per PSA");
  ck_assert_str_eq(rel_str(item, "status"), "info");
  assert_contains(rel_str(item, "detail"), "only one lpsa host may change "
                                           "these counts in Autotask");
  rel_run_free(&r);
  rel_world_stop(&w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("run_safety");
  TCase *j = tcase_create("journal");
  tcase_set_timeout(j, 60);
  tcase_add_test(j, damaged_journal_refuses_to_write);
  tcase_add_test(j, locked_journal_exits_3_once);
  tcase_add_test(j, full_disk_exits_3_once);
  suite_add_tcase(s, j);
  TCase *t = tcase_create("run_timeout");
  tcase_set_timeout(t, 60);
  tcase_add_test(t, run_timeout_bounds_driver_requests);
  tcase_add_test(t, run_timeout_stops_writes_cleanly);
  suite_add_tcase(s, t);
  TCase *c = tcase_create("configuration");
  tcase_set_timeout(c, 60);
  tcase_add_test(c, mapping_id_beyond_int64_refused);
  tcase_add_test(c, bad_run_timeout_refused);
  tcase_add_test(c, check_names_one_writer_per_psa);
  suite_add_tcase(s, c);
  char *tmp = rel_private_tmpdir_begin("run-safety");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
