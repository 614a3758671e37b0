/* SPDX-License-Identifier: MIT */
/*
 * test_confirm.c — a sync or an apply started from a terminal shows its
 * plan and asks before it writes; only "y" or "yes" writes. lpsa-host runs
 * in a pseudo-terminal (forkpty), as a person's shell would start it; the
 * same commands without a terminal do not ask (the other tests, through
 * pipes, show that).
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plans_world.h"

/* Generous, for valgrind and a loaded machine; never reached when the
 * host behaves. */
#define PTY_DEADLINE_S 120

static pw w;

static void setup(void) {
  pw_setup(&w, "confirm");
}

static void teardown(void) {
  pw_teardown(&w);
}

typedef struct term_run {
  int status;
  char out[65536]; /* everything the terminal showed */
  size_t len;
} term_run;

/* Read from the terminal into r until `needle` shows (1) or it closes
 * (0). */
static int read_until(int fd, term_run *r, const char *needle) {
  time_t end = time(NULL) + PTY_DEADLINE_S;
  for (;;) {
    r->out[r->len] = '\0';
    if (needle && strstr(r->out, needle))
      return 1;
    struct pollfd p = {fd, POLLIN, 0};
    int ready = poll(&p, 1, 1000);
    ck_assert_msg(time(NULL) < end, "no '%s' on the terminal; it showed:\n%s",
                  needle ? needle : "(end)", r->out);
    if (ready <= 0)
      continue;
    ssize_t n = read(fd, r->out + r->len, sizeof r->out - 1 - r->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return 0; /* EIO: the child closed its side */
    r->len += (size_t)n;
  }
}

/* Run lpsa-host -c lpsa.conf ARGS on a terminal; when `answer` is not
 * NULL, wait for the question and type it ("\004" is end of input). */
static void on_terminal(term_run *r, const char *const *args,
                        const char *answer) {
  memset(r, 0, sizeof *r);
  const char *argv[16] = {test_bin("lpsa-host"), "-c", "lpsa.conf"};
  size_t n = 3;
  for (size_t i = 0; args[i]; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  int fd;
  pid_t pid = forkpty(&fd, NULL, NULL, NULL);
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    if (chdir(w.dir) != 0)
      _exit(126);
    setenv("LPSA_TEST_KEY", "lpkey_demo", 1);
    setenv("LPSA_NOW", PW_NOW, 1);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  if (answer) {
    ck_assert(read_until(fd, r, "[y/N] "));
    ck_assert_int_eq(write(fd, answer, strlen(answer)),
                     (ssize_t)strlen(answer));
  }
  read_until(fd, r, NULL);
  close(fd);
  int st;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *const sync_args[] = {"--driver", "jsonpsa", NULL};
static const char question[] =
    "Apply 3 changes to JSON PSA? This changes what customers are billed. "
    "[y/N] ";

static void expect_nothing_written(const char *answer) {
  char *before = pw_psa_text(&w);
  term_run r;
  on_terminal(&r, sync_args, answer);
  /* The plan first, then the question. */
  char *plan = strstr(r.out, "To be written if you confirm (3)");
  char *ask = strstr(r.out, question);
  ck_assert_msg(plan && ask && plan < ask, "terminal showed:\n%s", r.out);
  ck_assert_ptr_nonnull(strstr(r.out, "Not confirmed: nothing was written"));
  char *after = pw_psa_text(&w);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}

START_TEST(no_writes_nothing) {
  expect_nothing_written("n\n");
}
END_TEST

START_TEST(enter_writes_nothing) {
  expect_nothing_written("\n");
}
END_TEST

START_TEST(anything_else_writes_nothing) {
  expect_nothing_written("yep\n");
  expect_nothing_written("ja\n");
  expect_nothing_written("\004"); /* end of input */
}
END_TEST

START_TEST(y_writes) {
  term_run r;
  on_terminal(&r, sync_args, "y\n");
  ck_assert_int_eq(r.status, 1); /* two changes held */
  ck_assert_ptr_nonnull(strstr(r.out, "Updated (3)"));
  ck_assert_int_eq(pw_qty(&w, "l201"), 12);
  ck_assert_int_eq(pw_writes(&w), 3);
}
END_TEST

START_TEST(yes_writes) {
  term_run r;
  on_terminal(&r, sync_args, "YES\n");
  ck_assert_int_eq(pw_writes(&w), 3);
}
END_TEST

START_TEST(yes_option_does_not_ask) {
  const char *args[] = {"--driver", "jsonpsa", "--yes", NULL};
  term_run r;
  on_terminal(&r, args, NULL);
  ck_assert_ptr_null(strstr(r.out, "[y/N]"));
  ck_assert_int_eq(pw_writes(&w), 3);
}
END_TEST

START_TEST(dry_run_does_not_ask) {
  const char *args[] = {"--driver", "jsonpsa", "--dry-run", NULL};
  term_run r;
  on_terminal(&r, args, NULL);
  ck_assert_ptr_null(strstr(r.out, "[y/N]"));
  ck_assert_int_eq(pw_writes(&w), 0);
}
END_TEST

START_TEST(apply_plan_asks_too) {
  char *path = pw_plan(&w, NULL);
  const char *args[] = {"--driver", "jsonpsa", "apply", path, NULL};
  term_run r;
  on_terminal(&r, args, "n\n");
  ck_assert_ptr_nonnull(strstr(r.out, question));
  ck_assert_int_eq(pw_writes(&w), 0);
  on_terminal(&r, args, "y\n");
  ck_assert_int_eq(pw_writes(&w), 3);
  free(path);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("confirm");
  TCase *tc = tcase_create("confirm");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 3 * PTY_DEADLINE_S);
  tcase_add_test(tc, no_writes_nothing);
  tcase_add_test(tc, enter_writes_nothing);
  tcase_add_test(tc, anything_else_writes_nothing);
  tcase_add_test(tc, y_writes);
  tcase_add_test(tc, yes_writes);
  tcase_add_test(tc, yes_option_does_not_ask);
  tcase_add_test(tc, dry_run_does_not_ask);
  tcase_add_test(tc, apply_plan_asks_too);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
