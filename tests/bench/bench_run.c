/* SPDX-License-Identifier: MIT */
/*
 * bench_run.c — lpsa-bench-run: runs one command and writes what it cost.
 *
 *   lpsa-bench-run RESULT_FILE -- COMMAND [ARG...]
 *
 * Writes {"exit":N,"signal":N,"wall_s":x,"user_s":x,"sys_s":x,
 * "maxrss_kb":N} to RESULT_FILE; the command keeps this program's stdin,
 * stdout and stderr. Exit status: 0 when the result was written, 2 on a
 * usage or system error.
 *
 * Why a helper instead of the benchmark script's own wait4(): on Linux a
 * child's ru_maxrss also holds the resident size of the process image it
 * replaced at exec, and a child forked by the Python benchmark starts as a
 * copy of that (large) interpreter. Forked from this small program instead,
 * the command's peak RSS is its own, give or take this program's ~1 MiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) {
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int write_result(const char *path, int status, double wall,
                        const struct rusage *ru) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  fprintf(f,
          "{\"exit\":%d,\"signal\":%d,\"wall_s\":%.6f,\"user_s\":%.6f,"
          "\"sys_s\":%.6f,\"maxrss_kb\":%ld}\n",
          WIFEXITED(status) ? WEXITSTATUS(status) : -1,
          WIFSIGNALED(status) ? WTERMSIG(status) : 0, wall,
          seconds(ru->ru_utime), seconds(ru->ru_stime), ru->ru_maxrss);
  return fclose(f) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc < 4 || strcmp(argv[2], "--") != 0) {
    fprintf(stderr, "usage: lpsa-bench-run RESULT_FILE -- COMMAND [ARG...]\n");
    return 2;
  }
  double t0 = now_s();
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "lpsa-bench-run: fork failed: %s\n", strerror(errno));
    return 2;
  }
  if (pid == 0) {
    execv(argv[3], &argv[3]);
    fprintf(stderr, "lpsa-bench-run: cannot run %s: %s\n", argv[3],
            strerror(errno));
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  while (wait4(pid, &status, 0, &ru) < 0) {
    if (errno != EINTR) {
      fprintf(stderr, "lpsa-bench-run: wait failed: %s\n", strerror(errno));
      return 2;
    }
  }
  if (write_result(argv[1], status, now_s() - t0, &ru)) {
    fprintf(stderr, "lpsa-bench-run: cannot write %s: %s\n", argv[1],
            strerror(errno));
    return 2;
  }
  return 0;
}
