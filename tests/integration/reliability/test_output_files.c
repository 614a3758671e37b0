/* SPDX-License-Identifier: MIT */
/*
 * test_output_files.c — every file lpsa-host writes is written safely and
 * kept private, and the process keeps its credentials to itself.
 *
 *   - A symbolic link planted at the target of --report, metrics_file or
 *     `map suggest --output`, or at a temporary name next to it (the old
 *     predictable "<target>.tmp.<pid>", planted for every pid the run can
 *     get), never makes lpsa-host write the file it points to: the victim
 *     keeps its content, the links stay links, the target becomes a
 *     regular file of its own.
 *   - A link planted at the run lock is refused (exit 3), not truncated
 *     through.
 *   - Started with umask 022, the journal (and SQLite's -wal and -shm), the
 *     lock, the report and the suggestions are 0600; the metrics file is
 *     0644 (node_exporter reads it as another user).
 *   - Once the credentials are loaded the process is not dumpable and may
 *     not write a core (seen from inside it by proc_state_capture.c), and
 *     its umask is 077.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rel_harness.h"

#define VICTIM_TEXT "precious: not lpsa's to write\n"
#define PLANTED 4000 /* pids covered after the last one given out */

static void path_of(const rel_world *w, const char *rel, char *out,
                    size_t cap) {
  snprintf(out, cap, "%s/%s", w->dir, rel);
}

static void make_victim(const rel_world *w) {
  ck_assert_int_eq(test_write_file(w->dir, "victim.txt", VICTIM_TEXT), 0);
}

static void expect_victim_intact(const rel_world *w) {
  char *text = test_read_file(w->dir, "victim.txt");
  ck_assert_msg(text && strcmp(text, VICTIM_TEXT) == 0,
                "lpsa-host wrote through a planted link: victim.txt now "
                "holds: %.200s",
                text ? text : "(nothing)");
  free(text);
}

static void plant(const rel_world *w, const char *rel) {
  char path[1200], victim[1200];
  path_of(w, rel, path, sizeof path);
  path_of(w, "victim.txt", victim, sizeof victim);
  ck_assert_msg(symlink(victim, path) == 0, "symlink %s: %s", path,
                strerror(errno));
}

static long read_number(const char *file) {
  char *text = test_read_file(NULL, file);
  long v = text ? atol(text) : -1;
  free(text);
  return v;
}

/* The pid the i-th process from now would get (the kernel hands them out
 * in order from ns_last_pid, wrapping to 300 past pid_max). */
static long pid_after(long last, long max, long i) {
  long pid = last + i;
  return pid < max ? pid : 300 + (pid - max) % (max - 300);
}

/* A link at "<rel>.tmp.<pid>" for each pid the next processes may get;
 * returns the counter they were planted from. */
static long plant_predictable(const rel_world *w, const char *rel) {
  long last = read_number("/proc/sys/kernel/ns_last_pid");
  long max = read_number("/proc/sys/kernel/pid_max");
  ck_assert_msg(last > 0 && max > 300, "cannot read the kernel's pid counter");
  for (long i = 1; i <= PLANTED; i++) {
    char name[1100];
    snprintf(name, sizeof name, "%s.tmp.%ld", rel, pid_after(last, max, i));
    plant(w, name);
  }
  return last;
}

/* Every planted link is still a link to the victim. */
static void expect_links_kept(const rel_world *w, const char *rel, long last) {
  long max = read_number("/proc/sys/kernel/pid_max");
  for (long i = 1; i <= PLANTED; i++) {
    char path[1300];
    snprintf(path, sizeof path, "%s/%s.tmp.%ld", w->dir, rel,
             pid_after(last, max, i));
    struct stat st;
    ck_assert_msg(lstat(path, &st) == 0 && S_ISLNK(st.st_mode),
                  "%s is no longer a link", path);
  }
}

static mode_t mode_of(const rel_world *w, const char *rel) {
  char path[1200];
  path_of(w, rel, path, sizeof path);
  struct stat st;
  ck_assert_msg(lstat(path, &st) == 0, "%s is missing", rel);
  ck_assert_msg(S_ISREG(st.st_mode), "%s is not a regular file", rel);
  return st.st_mode & 07777;
}

static void expect_mode(const rel_world *w, const char *rel, mode_t want) {
  mode_t got = mode_of(w, rel);
  ck_assert_msg(got == want, "%s is %04o, expected %04o", rel, (unsigned)got,
                (unsigned)want);
}

static void start(rel_world *w) {
  rel_world_opts o = {
      .psa = REL_CONNECTWISE, .companies = 3, .seed = 9, .change_pct = 100};
  rel_world_start(w, &o);
  rel_write_config(w, "metrics_file = lpsa.prom\n");
  make_victim(w);
}

START_TEST(links_never_followed) {
  mode_t old = umask(022);
  rel_world w;
  start(&w);
  plant(&w, "report.json");
  long last = plant_predictable(&w, "report.json");
  plant(&w, "lpsa.prom");
  plant(&w, "suggested.csv");
  hostrun h;
  const char *apply[] = {"--report", "report.json", NULL};
  rel_host_exec(&w, NULL, apply, &h);
  ck_assert_msg(h.status == 0, "apply exited %d: %s", h.status, h.err);
  hostrun_free(&h);
  const char *suggest[] = {"map", "suggest", "--output", "suggested.csv", NULL};
  rel_host_exec(&w, NULL, suggest, &h);
  ck_assert_msg(h.status == 0, "map suggest exited %d: %s", h.status, h.err);
  hostrun_free(&h);

  expect_victim_intact(&w);
  expect_links_kept(&w, "report.json", last);
  char *report = test_read_file(w.dir, "report.json");
  ck_assert_msg(report && strstr(report, "lpsa.report/1"),
                "report.json: %.200s", report ? report : "(nothing)");
  free(report);
  expect_mode(&w, "report.json", 0600);
  expect_mode(&w, "suggested.csv", 0600);
  expect_mode(&w, "lpsa.prom", 0644);
  rel_world_stop(&w);
  umask(old);
}
END_TEST

/* The run lock is truncated and given the pid: through a planted link
 * that would clobber the victim. lpsa-host refuses the link instead. */
START_TEST(lock_link_refused) {
  rel_world w;
  start(&w);
  char state[1200];
  path_of(&w, "state", state, sizeof state);
  ck_assert_int_eq(mkdir(state, 0700), 0);
  plant(&w, "state/lpsa.lock");
  hostrun h;
  const char *dry[] = {"--dry-run", NULL};
  rel_host_exec(&w, NULL, dry, &h);
  ck_assert_msg(h.status == 3, "exit %d: %s", h.status, h.err);
  ck_assert_msg(strstr(h.err, "lock file"), "stderr: %s", h.err);
  hostrun_free(&h);
  expect_victim_intact(&w);
  rel_world_stop(&w);
}
END_TEST

START_TEST(created_files_private) {
  mode_t old = umask(022);
  rel_world w;
  start(&w);
  char capture[1200], preload[1200], asan[1200];
  snprintf(capture, sizeof capture, "LPSA_PROC_CAPTURE=%s/proc.txt", w.dir);
  snprintf(preload, sizeof preload, "LD_PRELOAD=%s", LPSA_PROC_SHIM);
  const char *asan_old = getenv("ASAN_OPTIONS");
  snprintf(asan, sizeof asan, "ASAN_OPTIONS=%s%sverify_asan_link_order=0",
           asan_old ? asan_old : "", asan_old && *asan_old ? ":" : "");
  const char *env[] = {capture, preload, asan, NULL};
  hostrun h;
  const char *apply[] = {"--report", "report.json", NULL};
  rel_host_exec(&w, env, apply, &h);
  ck_assert_msg(h.status == 0, "apply exited %d: %s", h.status, h.err);
  hostrun_free(&h);

  expect_mode(&w, "state/journal.sqlite", 0600);
  static const char *const maybe[] = {"state/journal.sqlite-wal",
                                      "state/journal.sqlite-shm", NULL};
  for (size_t i = 0; maybe[i]; i++) {
    char path[1200];
    path_of(&w, maybe[i], path, sizeof path);
    if (access(path, F_OK) == 0)
      expect_mode(&w, maybe[i], 0600);
  }
  expect_mode(&w, "report.json", 0600);
  expect_mode(&w, "lpsa.prom", 0644);

  char *proc = test_read_file(w.dir, "proc.txt");
  ck_assert_msg(proc != NULL, "the process state was not captured");
  ck_assert_msg(strstr(proc, "dumpable=0 core_soft=0 core_hard=0 umask=077"),
                "lpsa-host ended as: %s", proc);
  free(proc);
  rel_world_stop(&w);
  umask(old);
}
END_TEST

int main(void) {
  Suite *s = suite_create("output_files");
  TCase *tc = tcase_create("output_files");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, links_never_followed);
  tcase_add_test(tc, lock_link_refused);
  tcase_add_test(tc, created_files_private);
  suite_add_tcase(s, tc);
  char *tmp = rel_private_tmpdir_begin("output-files");
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  rel_private_tmpdir_end(tmp);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
