/* SPDX-License-Identifier: MIT */
/*
 * test_wait.c — waiting for events with a deadline (see test_wait.h).
 */
#include "test_wait.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "test_files.h"

long long test_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void test_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

int test_wait_until(int (*done)(void *arg), void *arg, long timeout_ms) {
  long long end = test_now_ms() + timeout_ms;
  long pause = 2;
  for (;;) {
    if (done(arg))
      return 1;
    if (test_now_ms() >= end)
      return 0;
    test_sleep_ms(pause);
    if (pause < 20)
      pause *= 2;
  }
}

typedef struct file_text {
  const char *dir, *name, *needle;
  int times;
} file_text;

static int has_text(void *arg) {
  const file_text *f = arg;
  return test_count_in_file(f->dir, f->name, f->needle) >= f->times;
}

int test_wait_file_text(const char *dir, const char *name, const char *needle,
                        int times, long timeout_ms) {
  file_text f = {dir, name, needle, times};
  return test_wait_until(has_text, &f, timeout_ms);
}

typedef struct exited {
  pid_t pid;
  int status;
} exited;

static int has_exited(void *arg) {
  exited *e = arg;
  int ws;
  if (waitpid(e->pid, &ws, WNOHANG) != e->pid)
    return 0;
  e->status = WIFEXITED(ws)     ? WEXITSTATUS(ws)
              : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws)
                                : -1;
  return 1;
}

int test_wait_exit(pid_t pid, long timeout_ms) {
  exited e = {pid, -1};
  return test_wait_until(has_exited, &e, timeout_ms) ? e.status : -1;
}
