/* SPDX-License-Identifier: MIT */
/*
 * test_ops_daemon.c — lpsa-host --daemon as a process: it needs a schedule;
 * SIGTERM stops it while it waits and, mid-apply, after the write in
 * progress (exit 0, nothing half done, the rest planned for later); SIGHUP
 * reloads a good configuration and keeps the old one on a broken one; every
 * run reads the mapping file again (no SIGHUP needed) and says when it or
 * the configuration file changed; one
 * daemon per state_dir; one-off runs are refused while it syncs, allowed
 * while it waits, and a scheduled run waits for a one-off run to finish.
 *
 * Nothing waits on luck: every step waits (with a deadline) for a log line
 * or a PSA write that proves the daemon reached the state the test needs,
 * and the test PSA's write delays hold the daemon inside a write.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops_harness.h"

static ops_env e;

static void setup(void) {
  ops_setup(&e, "daemon", "lastpass.json", "psa.json");
}

static void teardown(void) {
  ops_teardown(&e);
}

static void expect_log(const char *needle) {
  ck_assert_msg(ops_wait_for_text(&e, "host.err", needle, OPS_WAIT_MS),
                "no \"%s\" in the daemon's log:\n%s", needle,
                ops_read(&e, "host.err"));
}

static json_object *history_run(long long run) {
  char id[32];
  snprintf(id, sizeof id, "%lld", run);
  const char *args[] = {"--json", "history", "--run", id, NULL};
  hostrun h;
  ops_run(&e, &h, args);
  ck_assert_msg(h.status == 0, "history: %s", h.err);
  json_object *doc = json_tokener_parse(h.out);
  ck_assert_msg(doc != NULL, "history is not JSON: %s", h.out);
  hostrun_free(&h);
  return doc;
}

START_TEST(needs_a_schedule) {
  ops_write_config(&e, NULL, NULL, NULL);
  const char *args[] = {"--daemon", NULL};
  hostrun h;
  ops_run(&e, &h, args);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "--daemon needs a schedule"));
  hostrun_free(&h);
  /* --run-now without --daemon is a usage error. */
  const char *bad[] = {"--run-now", NULL};
  ops_run(&e, &h, bad);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "--run-now only goes with --daemon"));
  hostrun_free(&h);
}
END_TEST

START_TEST(sigterm_while_waiting) {
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *args[] = {"--daemon", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  expect_log("next run at");
  ck_assert_int_eq(kill(pid, SIGTERM), 0);
  ck_assert_int_eq(hostrun_wait(pid), 0);
  expect_log("stopping on a signal");
  ck_assert_int_eq(ops_psa_writes(&e), 0);
}
END_TEST

/* SIGTERM lands while the first of two writes is in progress (the PSA has
 * changed, the driver has not answered yet): that write completes and is
 * journaled, the second is not attempted, the daemon exits 0. */
START_TEST(sigterm_mid_apply_finishes_the_write) {
  ops_write_config(&e, "schedule = every 5m\nmetrics_file = metrics.prom",
                   "after_write_delay_ms = 5000", NULL);
  const char *args[] = {"--daemon", "--run-now", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  ck_assert(ops_wait_for_writes(&e, 1, OPS_WAIT_MS));
  ck_assert_int_eq(kill(pid, SIGTERM), 0);
  ck_assert_int_eq(hostrun_wait(pid), 0);
  ck_assert_int_eq(ops_psa_writes(&e), 1);
  ck_assert_int_eq(ops_psa_quantity(&e, "l1"), 14); /* Acme: written */
  ck_assert_int_eq(ops_psa_quantity(&e, "l3"), 3);  /* Gamma: not yet */
  /* The journal knows the write was applied and the run was stopped. */
  json_object *h = history_run(1);
  const char *text = json_object_to_json_string(h);
  ck_assert_msg(strstr(text, "\"applied\""), "%s", text);
  ck_assert_msg(strstr(text, "\"stopped\""), "%s", text);
  json_object_put(h);
  char *metrics = ops_read(&e, "metrics.prom");
  ck_assert_ptr_nonnull(metrics);
  ck_assert_ptr_nonnull(strstr(metrics, "\nlpsa_last_run_exit_code 3\n"));
  free(metrics);
  /* The next start finishes the job: Gamma's change was left planned. */
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *once[] = {NULL};
  hostrun r;
  ops_run(&e, &r, once);
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  hostrun_free(&r);
  ck_assert_int_eq(ops_psa_quantity(&e, "l3"), 5);
  ck_assert_int_eq(ops_psa_writes(&e), 2);
}
END_TEST

static json_object *report_company(json_object *report, const char *id) {
  json_object *list = ops_get(report, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(ops_get(c, "lastpass_id")), id) == 0)
      return c;
  }
  ck_abort_msg("no company %s", id);
  return NULL;
}

static void expect_status(const char *id, const char *status) {
  char *text = ops_read(&e, "report.json");
  ck_assert_ptr_nonnull(text);
  json_object *r = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(r);
  ck_assert_str_eq(
      json_object_get_string(ops_get(report_company(r, id), "status")), status);
  json_object_put(r);
}

START_TEST(sighup_reloads_or_keeps_the_old) {
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *args[] = {"--daemon", "--report", "report.json", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  expect_log("next run at");

  /* A good new configuration: another schedule and a smaller mapping. */
  ck_assert_int_eq(test_write_file(e.dir, "mapping2.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n"),
                   0);
  ops_write_config(&e, "schedule = every 7h", NULL, NULL);
  char *conf = ops_read(&e, "lpsa.conf");
  char *at = strstr(conf, "mapping_file = mapping.csv");
  ck_assert_ptr_nonnull(at);
  char fixed[8192];
  snprintf(fixed, sizeof fixed, "%.*smapping_file = mapping2.csv%s",
           (int)(at - conf), conf, at + strlen("mapping_file = mapping.csv"));
  free(conf);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", fixed), 0);
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  expect_log("configuration reloaded from lpsa.conf");
  expect_log("1 mapping rows, schedule every 7h");
  expect_log("(schedule every 7h)");

  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 1 finished");
  expect_status("301", "updated");
  expect_status("302", "skipped"); /* not in the reloaded mapping */

  /* A broken configuration is refused; the reloaded one keeps running. */
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf",
                                   "[host]\nschedule = every 1s\nbogus\n"),
                   0);
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  expect_log("reload refused");
  expect_log("reload: lpsa.conf:");
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 2 finished");
  expect_status("302", "skipped");
  ck_assert_int_eq(ops_psa_quantity(&e, "l3"), 3); /* Gamma never mapped */

  ck_assert_int_eq(kill(pid, SIGTERM), 0);
  ck_assert_int_eq(hostrun_wait(pid), 0);
}
END_TEST

static int report_has_finding(const char *code, const char *words) {
  char *text = ops_read(&e, "report.json");
  ck_assert_ptr_nonnull(text);
  json_object *r = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(r);
  json_object *list = ops_get(r, "findings");
  int found = 0;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *f = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(ops_get(f, "code")), code) == 0 &&
        (!words ||
         strstr(json_object_get_string(ops_get(f, "message")), words)))
      found = 1;
  }
  json_object_put(r);
  return found;
}

/* An edited mapping file is used by the next run, scheduled or SIGUSR1,
 * without SIGHUP; the run's log and report say it changed. A broken edit
 * keeps the mapping read before (an error of the run). An edited
 * configuration file still needs SIGHUP: the run's log says so. */
START_TEST(mapping_edit_without_sighup) {
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *args[] = {"--daemon", "--report", "report.json", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  expect_log("next run at");

  /* Gamma leaves the mapping; Delta moves to another PSA company. */
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n302,c2\n304,c404\n"),
                   0);
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 1 finished with exit code 1");
  expect_log("mapping.csv changed since the last run: 1 removed (LastPass "
             "303), 1 changed (LastPass 304); 3 rows now; this run uses it");
  expect_status("301", "updated");
  expect_status("303", "skipped");
  expect_status("304", "error");
  ck_assert(report_has_finding("MAPPING_CHANGED", "1 removed (LastPass 303)"));
  ck_assert_int_eq(ops_psa_quantity(&e, "l3"), 3); /* Gamma: not mapped */

  /* A broken edit: the run keeps the mapping read before, as an error. */
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n303\n"),
                   0);
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 2 finished with exit code 1");
  expect_log("mapping: ");
  expect_log("mapping.csv:3:");
  expect_log("cannot be used; this run uses the mapping read before (3 "
             "rows)");
  ck_assert(report_has_finding("MAPPING_UNREADABLE", "mapping.csv:3:"));
  expect_status("303", "skipped");
  expect_status("302", "unchanged");

  /* Mended, and the configuration edited (another schedule): the mapping
   * is used, the configuration is not, and the log says to send SIGHUP. */
  ck_assert_int_eq(test_copy_source("tests/integration/ops/data/mapping.csv",
                                    e.dir, "mapping.csv"),
                   0);
  ops_write_config(&e, "schedule = every 7h", NULL, NULL);
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 3 finished with exit code 0");
  expect_log("changed since the last run: 1 row added (LastPass 303), 1 "
             "changed (LastPass 304); 4 rows now");
  expect_log("the configuration file lpsa.conf changed since lpsa-host "
             "loaded it; this run uses the configuration loaded before: "
             "send SIGHUP");
  expect_log("(schedule every 5m)");
  ck_assert(report_has_finding("CONFIG_CHANGED", NULL));
  expect_status("303", "updated");
  ck_assert_int_eq(ops_psa_quantity(&e, "l3"), 5);

  /* Nothing new in the mapping: nothing said about it. */
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 4 finished");
  ck_assert(!report_has_finding("MAPPING_CHANGED", NULL));
  ck_assert_int_eq(ops_count_text(&e, "host.err", "changed since the last run"),
                   2);

  /* A mapping changed by a reload is reported by the next run too. */
  ck_assert_int_eq(test_write_file(e.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "301,c1\n303,c3\n304,c4\n"),
                   0);
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  expect_log("3 mapping rows, schedule every 7h");
  ck_assert_int_eq(kill(pid, SIGUSR1), 0);
  expect_log("run 5 finished");
  ck_assert(report_has_finding("MAPPING_CHANGED",
                               "(a reload read it): 1 removed (LastPass 302)"));
  ck_assert(!report_has_finding("CONFIG_CHANGED", NULL));
  ck_assert_int_eq(ops_count_text(&e, "host.err", "changed since lpsa-host"),
                   2); /* runs 3 and 4, not after the reload */
  ck_assert_int_eq(ops_stop(pid), 0);
}
END_TEST

START_TEST(one_daemon_per_state_dir) {
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *args[] = {"--daemon", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  expect_log("next run at");
  const char *again[] = {"--daemon", NULL};
  hostrun h;
  ops_run(&e, &h, again);
  ck_assert_int_eq(h.status, 3);
  char want[64];
  snprintf(want, sizeof want, "another lpsa-host daemon (pid %ld)", (long)pid);
  ck_assert_msg(strstr(h.err, want), "%s", h.err);
  hostrun_free(&h);
  /* While the daemon waits, a one-off run may sync. */
  const char *once[] = {NULL};
  ops_run(&e, &h, once);
  ck_assert_msg(h.status == 0, "exit %d: %s", h.status, h.err);
  hostrun_free(&h);
  ck_assert_int_eq(ops_psa_quantity(&e, "l1"), 14);
  ck_assert_int_eq(ops_stop(pid), 0);
}
END_TEST

START_TEST(one_off_refused_while_the_daemon_syncs) {
  ops_write_config(&e, "schedule = every 5m\nmetrics_file = metrics.prom",
                   "after_write_delay_ms = 5000", NULL);
  const char *args[] = {"--daemon", "--run-now", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  ck_assert(ops_wait_for_writes(&e, 1, OPS_WAIT_MS));
  const char *dry[] = {"--dry-run", NULL};
  hostrun h;
  ops_run(&e, &h, dry);
  ck_assert_msg(h.status == 3, "exit %d: %s\ndaemon: %s", h.status, h.err,
                ops_read(&e, "host.err"));
  char want[64];
  snprintf(want, sizeof want, "another lpsa-host (pid %ld)", (long)pid);
  ck_assert_msg(strstr(h.err, want), "%s", h.err);
  hostrun_free(&h);
  /* The bounced run wrote no metrics of its own. */
  struct stat st;
  char path[1024];
  snprintf(path, sizeof path, "%s/metrics.prom", e.dir);
  ck_assert_int_ne(stat(path, &st), 0);
  ck_assert_int_eq(ops_stop(pid), 0);
}
END_TEST

/* A scheduled run that finds a one-off run holding the run lock waits for
 * it, then runs. The one-off run uses its own directory for its output and
 * a configuration with a write delay, over the same state and PSA. */
START_TEST(scheduled_run_waits_for_a_one_off) {
  ops_write_config(&e, "schedule = every 5m", "after_write_delay_ms = 3000",
                   NULL);
  char from[1024], to[1024];
  snprintf(from, sizeof from, "%s/lpsa.conf", e.dir);
  snprintf(to, sizeof to, "%s/slow.conf", e.dir);
  ck_assert_int_eq(rename(from, to), 0);
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  const char *args[] = {"--daemon", "-v", NULL};
  pid_t daemon = ops_spawn(&e, args);
  expect_log("next run at");

  char sub[1024];
  snprintf(sub, sizeof sub, "%s/oneoff", e.dir);
  ck_assert_int_eq(mkdir(sub, 0700), 0);
  const char *slow[] = {"-c", "../slow.conf", NULL};
  pid_t oneoff = hostrun_spawn(sub, slow, ops_child_env);
  ck_assert_int_gt(oneoff, 0);
  ck_assert_msg(ops_wait_for_writes(&e, 1, OPS_WAIT_MS), "one-off run: %s",
                ops_read(&e, "oneoff/host.err"));
  ck_assert_int_eq(kill(daemon, SIGUSR1), 0);
  expect_log("the scheduled run starts when it finishes");
  ck_assert_int_eq(hostrun_wait(oneoff), 0);
  expect_log("run 2 finished with exit code 0");
  ck_assert_int_eq(ops_psa_writes(&e), 2); /* the one-off did both */
  ck_assert_int_eq(ops_stop(daemon), 0);
}
END_TEST

/* Copy a file byte for byte, mode 0755 (a driver must not be writable by
 * others). */
static void copy_file(const char *from, const char *to) {
  FILE *in = fopen(from, "rb");
  ck_assert_ptr_nonnull(in);
  unlink(to); /* a new inode, as an upgrade by package or cp would give */
  FILE *out = fopen(to, "wb");
  ck_assert_ptr_nonnull(out);
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
  fclose(in);
  ck_assert_int_eq(fclose(out), 0);
  ck_assert_int_eq(chmod(to, 0755), 0);
}

/* SIGHUP cannot swap a loaded driver's code: a changed driver file is
 * named in a warning that says to restart. */
START_TEST(reload_says_a_driver_upgrade_needs_a_restart) {
  char drivers[1024], built[1100], copy[1100];
  snprintf(drivers, sizeof drivers, "%s/drivers", e.dir);
  ck_assert_int_eq(mkdir(drivers, 0755), 0);
  snprintf(built, sizeof built, "%s/jsonpsa.so", getenv("LPSA_DRIVER_DIR"));
  snprintf(copy, sizeof copy, "%s/jsonpsa.so", drivers);
  copy_file(built, copy);
  ops_write_config(&e, "schedule = every 5m", NULL, NULL);
  char *conf = ops_read(&e, "lpsa.conf");
  char text[8192], old_line[1200];
  snprintf(old_line, sizeof old_line, "driver_path = %s\n",
           getenv("LPSA_DRIVER_DIR"));
  char *at = strstr(conf, old_line);
  ck_assert_ptr_nonnull(at);
  snprintf(text, sizeof text, "%.*sdriver_path = drivers\n%s", (int)(at - conf),
           conf, at + strlen(old_line));
  free(conf);
  ck_assert_int_eq(test_write_file(e.dir, "lpsa.conf", text), 0);
  const char *args[] = {"--daemon", "-v", NULL};
  pid_t pid = ops_spawn(&e, args);
  expect_log("next run at");
  /* A reload with the same file says nothing about it. */
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  expect_log("configuration reloaded");
  ck_assert_int_eq(ops_count_text(&e, "host.err", "changed since"), 0);
  copy_file(built, copy); /* "upgraded" */
  ck_assert_int_eq(kill(pid, SIGHUP), 0);
  expect_log("jsonpsa.so changed since lpsa-host loaded it");
  expect_log("restart lpsa-host");
  ck_assert_int_eq(ops_stop(pid), 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("ops_daemon");
  TCase *tc = tcase_create("daemon");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, needs_a_schedule);
  tcase_add_test(tc, sigterm_while_waiting);
  tcase_add_test(tc, sigterm_mid_apply_finishes_the_write);
  tcase_add_test(tc, sighup_reloads_or_keeps_the_old);
  tcase_add_test(tc, mapping_edit_without_sighup);
  tcase_add_test(tc, one_daemon_per_state_dir);
  tcase_add_test(tc, one_off_refused_while_the_daemon_syncs);
  tcase_add_test(tc, scheduled_run_waits_for_a_one_off);
  tcase_add_test(tc, reload_says_a_driver_upgrade_needs_a_restart);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
