/* SPDX-License-Identifier: MIT */
/*
 * test_ops_owner.c — one run as another user cannot break the service:
 * lpsa-host refuses to create or use state files when state_dir, or a file
 * in it, belongs to a user other than the one running it (a sync, the
 * daemon, history), writes nothing, and says whom to run as and the exact
 * chown; `check` reports the same as a failed item.
 *
 * The other owner is made with chown, so the tests need root; without it
 * they are skipped (exit 77), never counted as passed.
 */
#include <check.h>
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops_harness.h"

/* A uid nobody on a test machine has. */
#define OTHER_UID 4242

static ops_env e;
static char state[4096];

static void setup(void) {
  ops_setup(&e, "owner", "lastpass.json", "psa.json");
  ops_write_config(&e, NULL, NULL, NULL);
  snprintf(state, sizeof state, "%s/state", e.dir);
}

static void teardown(void) {
  ops_teardown(&e);
}

static void run(hostrun *h, const char *a1, const char *a2) {
  const char *args[] = {a1, a2, NULL};
  ops_run(&e, h, args);
}

static void expect(const char *text, const char *needle) {
  ck_assert_msg(strstr(text, needle), "no \"%s\" in:\n%s", needle, text);
}

/* "chown -R USER:GROUP DIR" for the user running the tests. */
static void my_chown(char *out, size_t len, const char *dir) {
  struct passwd *pw = getpwuid(geteuid());
  struct group *gr = pw ? getgrgid(pw->pw_gid) : NULL;
  ck_assert_ptr_nonnull(gr);
  snprintf(out, len, "chown -R %s:%s %s", pw->pw_name, gr->gr_name, dir);
}

/* Names in the state directory, sorted into one string. */
static void listing(char *out, size_t len) {
  struct dirent **names;
  int n = scandir(state, &names, NULL, alphasort);
  ck_assert_int_ge(n, 0);
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    size_t used = strlen(out);
    snprintf(out + used, len - used, "%s ", names[i]->d_name);
    free(names[i]);
  }
  free(names);
}

START_TEST(state_dir_of_another_user_is_refused) {
  /* The service's directory, as the package makes it; then a root run. */
  ck_assert_int_eq(mkdir(state, 0700), 0);
  ck_assert_int_eq(chown(state, OTHER_UID, OTHER_UID), 0);
  hostrun h;
  run(&h, "--dry-run", NULL);
  ck_assert_msg(h.status == 3, "exit %d:\n%s\n%s", h.status, h.out, h.err);
  expect(h.err, "state_dir ");
  expect(h.err, "/state belongs to 4242, but this lpsa-host runs as ");
  expect(h.err, "nothing was written: run it as 4242 (sudo -u 4242 lpsa-host");
  hostrun_free(&h);
  char names[1024];
  listing(names, sizeof names);
  ck_assert_str_eq(names, ". .. "); /* no journal, no lock */
  ck_assert_int_eq(ops_psa_writes(&e), 0);

  /* history would create the journal's files too. */
  run(&h, "history", NULL);
  ck_assert_int_eq(h.status, 2);
  expect(h.err, "/state belongs to 4242");
  hostrun_free(&h);
  listing(names, sizeof names);
  ck_assert_str_eq(names, ". .. ");
}
END_TEST

START_TEST(a_file_left_by_another_user_is_refused_with_the_chown) {
  hostrun h;
  run(&h, "--dry-run", NULL);
  ck_assert_msg(h.status <= 1, "exit %d:\n%s", h.status, h.err);
  hostrun_free(&h);
  char journal[4200];
  snprintf(journal, sizeof journal, "%s/journal.sqlite", state);
  ck_assert_int_eq(chown(journal, OTHER_UID, OTHER_UID), 0);

  char fix[4300];
  my_chown(fix, sizeof fix, state);
  run(&h, NULL, NULL); /* a real run */
  ck_assert_msg(h.status == 3, "exit %d:\n%s", h.status, h.err);
  expect(h.err, "/state/journal.sqlite belongs to 4242, not to ");
  expect(h.err, fix);
  hostrun_free(&h);
  ck_assert_int_eq(ops_psa_writes(&e), 0);

  /* The daemon refuses to start on it too. */
  const char *daemon[] = {"--daemon", NULL};
  ops_write_config(&e, "schedule = daily 02:00", NULL, NULL);
  ops_run(&e, &h, daemon);
  ck_assert_msg(h.status == 2, "exit %d:\n%s", h.status, h.err);
  expect(h.err, fix);
  hostrun_free(&h);

  /* After the advised chown, the run works. */
  ck_assert_int_eq(chown(journal, geteuid(), getegid()), 0);
  run(&h, NULL, NULL);
  ck_assert_msg(h.status <= 1, "exit %d:\n%s", h.status, h.err);
  hostrun_free(&h);
}
END_TEST

START_TEST(check_verifies_the_owner_of_everything_in_state_dir) {
  ck_assert_int_eq(mkdir(state, 0700), 0);
  ck_assert_int_eq(test_write_file(state, "lpsa.lock", ""), 0);
  char lock[4200];
  snprintf(lock, sizeof lock, "%s/lpsa.lock", state);
  hostrun h;
  const char *args[] = {"check", NULL};
  ops_run(&e, &h, args);
  ck_assert_msg(h.status == 0, "exit %d:\n%s", h.status, h.out);
  expect(h.out, "[ok]   state_dir ");
  hostrun_free(&h);

  ck_assert_int_eq(chown(lock, OTHER_UID, OTHER_UID), 0);
  char fix[4300];
  my_chown(fix, sizeof fix, state);
  ops_run(&e, &h, args);
  ck_assert_msg(h.status == 1, "exit %d:\n%s", h.status, h.out);
  expect(h.out, "[FAIL] state_dir ");
  expect(h.out, "/state/lpsa.lock belongs to 4242");
  expect(h.out, fix);
  hostrun_free(&h);

  /* Run as another user than state_dir's owner (root, here): check says
   * runs would be refused, and whom to run as. */
  ck_assert_int_eq(chown(lock, geteuid(), getegid()), 0);
  ck_assert_int_eq(chown(state, OTHER_UID, OTHER_UID), 0);
  ops_run(&e, &h, args);
  ck_assert_msg(h.status == 1, "exit %d:\n%s", h.status, h.out);
  expect(h.out, "/state belongs to 4242, but this lpsa-host runs as ");
  expect(h.out, "run it as 4242");
  /* ... and that the lock left by this user would stop the service. */
  expect(h.out, "/state/lpsa.lock belongs to ");
  expect(h.out, "run: chown -R 4242 ");
  hostrun_free(&h);
}
END_TEST

int main(void) {
  if (geteuid() != 0) {
    fprintf(stderr, "test_ops_owner: needs root to chown files to another "
                    "user; skipped\n");
    return 77;
  }
  Suite *s = suite_create("ops.owner");
  TCase *tc = tcase_create("owner");
  tcase_set_timeout(tc, 120);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, state_dir_of_another_user_is_refused);
  tcase_add_test(tc, a_file_left_by_another_user_is_refused_with_the_chown);
  tcase_add_test(tc, check_verifies_the_owner_of_everything_in_state_dir);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
