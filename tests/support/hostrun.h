/* SPDX-License-Identifier: MIT */
/*
 * hostrun.h — run the built lpsa-host as a child process in tests, with its
 * standard output and error captured, and small helpers for temporary
 * directories and files.
 */
#ifndef LPSA_TEST_HOSTRUN_H
#define LPSA_TEST_HOSTRUN_H

#include <stddef.h>
#include <sys/types.h>

typedef struct hostrun {
  int status; /* exit code, or 128 + signal number */
  char *out;  /* stdout, NUL-terminated */
  char *err;  /* stderr, NUL-terminated */
  char *tty;  /* what the pseudo-terminal showed (hostrun_exec_tty) */
} hostrun;

/* Run `lpsa-host args...` (args NULL-terminated) in directory `cwd` (NULL:
 * current) with `env` ("K=V" strings, NULL-terminated, added to the
 * current environment). 0, or -1 if it could not be started. */
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
 * host.out/host.err); returns the pid or -1. */
pid_t hostrun_spawn(const char *cwd, const char *const *args,
                    const char *const *env);
/* Wait for a spawned host; returns as hostrun.status. */
int hostrun_wait(pid_t pid);

/* A new empty directory under $TMPDIR; returns a static-free malloc'd path. */
char *test_tmpdir(const char *tag);
/* A new directory made $TMPDIR for the rest of the program, so whatever a
 * failed test leaves behind (a forked test cannot run its teardown) goes
 * with test_rmtree() at the end of main(). Exits when it cannot. */
char *test_private_tmpdir(const char *tag);
/* Remove a directory tree (tests' own temp dirs only). */
void test_rmtree(const char *path);
/* Write `text` to dir/name; 0 or -1. */
int test_write_file(const char *dir, const char *name, const char *text);
/* Read dir/name (NULL dir: name is a path); malloc'd or NULL. */
char *test_read_file(const char *dir, const char *name);
/* Copy the source-tree file LPSA_SOURCE_DIR/rel into dir/name. */
int test_copy_source(const char *rel, const char *dir, const char *name);
/* Path of a built program (LPSA_BUILD_DIR/bin/name), static buffer. */
const char *test_bin(const char *name);

#endif
