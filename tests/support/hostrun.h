/* SPDX-License-Identifier: MIT */
/*
 * hostrun.h — run the built lpsa-host (or another built program) as a child
 * process in tests, with its standard output and error captured; under a
 * wrapper (valgrind, unshare), with text on its standard input, on a
 * pseudo-terminal, or in the background.
 */
#ifndef LPSA_TEST_HOSTRUN_H
#define LPSA_TEST_HOSTRUN_H

#include <stddef.h>
#include <sys/types.h>

#include "test_files.h"

typedef struct hostrun {
  int status; /* exit code, or 128 + signal number */
  char *out;  /* stdout, NUL-terminated */
  char *err;  /* stderr, NUL-terminated */
  char *tty;  /* what the pseudo-terminal showed (hostrun_exec_tty) */
} hostrun;

/* Everything about one run but its output. */
typedef struct hostrun_opts {
  const char *program; /* a built program (test_bin()); NULL: lpsa-host */
  /* Words run in front of it (e.g. "valgrind", "-q", NULL); the first is
   * looked up on PATH. NULL or empty: none. */
  const char *const *wrapper;
  const char *cwd;         /* NULL: the current directory */
  const char *const *args; /* NULL-terminated, may be NULL */
  const char *const *env;  /* "K=V" added to the environment, or NULL */
  const char *input;       /* its standard input; NULL: /dev/null */
} hostrun_opts;

/* Run it to its end with stdout and stderr captured in *r. 0, or -1 if it
 * could not be started. */
int hostrun_run(const hostrun_opts *o, hostrun *r);
/* Run `lpsa-host args...` (args NULL-terminated) in directory `cwd` (NULL:
 * current) with `env` ("K=V" strings, NULL-terminated, added to the
 * current environment), standard input /dev/null. 0, or -1 if it could
 * not be started. */
int hostrun_exec(const char *cwd, const char *const *args,
                 const char *const *env, hostrun *r);
void hostrun_free(hostrun *r);

/* The same with some of the standard descriptors on a pseudo-terminal (the
 * child's controlling terminal), as when a person runs it: `tty_fds` ORs
 * HOSTRUN_TTY_STDIN/STDOUT/STDERR. What the terminal showed (echo
 * included, "\n" as "\r\n") is in r->tty, and r->out or r->err is empty
 * for a descriptor on it; `input` (may be NULL) is typed on the terminal
 * at the start. The others are captured as by hostrun_exec (stdin: none). */
enum { HOSTRUN_TTY_STDIN = 1, HOSTRUN_TTY_STDOUT = 2, HOSTRUN_TTY_STDERR = 4 };
int hostrun_exec_tty(const char *cwd, const char *const *args,
                     const char *const *env, int tty_fds, const char *input,
                     hostrun *r);

/* Start lpsa-host in the background (output to files in cwd named
 * host.out/host.err, truncated); returns the pid or -1. */
pid_t hostrun_spawn(const char *cwd, const char *const *args,
                    const char *const *env);
/* Wait for a spawned host; returns as hostrun.status. */
int hostrun_wait(pid_t pid);
/* SIGTERM it if it is still running, then wait: as hostrun.status. */
int hostrun_stop(pid_t pid);

/* Path of a built program (LPSA_BUILD_DIR/bin/name), static buffer. */
const char *test_bin(const char *name);
/* 1 when `program` is found on PATH. */
int test_have_program(const char *program);

#endif
