/* SPDX-License-Identifier: MIT */
/*
 * sdk_harness.c — running built programs and reading TAP for the SDK tests.
 */
#include "sdk_harness.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64

static char *slurp(FILE *f) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  rewind(f);
  for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0;) {
    len += n;
    if (len + 1 == cap) {
      char *grown = realloc(buf, cap *= 2);
      if (!grown) {
        free(buf);
        return NULL;
      }
      buf = grown;
    }
  }
  if (buf)
    buf[len] = '\0';
  return buf;
}

/* argv: [wrapper words...] program args... NULL, in a buffer the child
 * owns (it execs right away). */
static size_t build_argv(char **argv, char *wrapper, const char *program,
                         const char *const *args) {
  size_t n = 0;
  for (char *w = wrapper ? strtok(wrapper, " ") : NULL; w && n < MAX_ARGS / 2;
       w = strtok(NULL, " "))
    argv[n++] = w;
  argv[n++] = (char *)test_bin(program);
  for (size_t i = 0; args && args[i] && n + 1 < MAX_ARGS; i++)
    argv[n++] = (char *)args[i];
  argv[n] = NULL;
  return n;
}

static int status_of(int wstatus) {
  if (WIFEXITED(wstatus))
    return WEXITSTATUS(wstatus);
  return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : -1;
}

int sdk_exec(const char *cwd, const char *program, const char *const *args,
             int wrapped, hostrun *r) {
  memset(r, 0, sizeof *r);
  FILE *out = tmpfile(), *err = tmpfile();
  if (!out || !err) {
    if (out)
      fclose(out);
    if (err)
      fclose(err);
    return -1;
  }
  const char *w = wrapped ? getenv("LPSA_CONFORMANCE_WRAPPER") : NULL;
  char *wrapper = w && *w ? strdup(w) : NULL;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    char *argv[MAX_ARGS + 1];
    build_argv(argv, wrapper, program, args);
    if ((cwd && chdir(cwd) != 0) || dup2(fileno(out), 1) < 0 ||
        dup2(fileno(err), 2) < 0)
      _exit(126);
    execvp(argv[0], argv);
    _exit(127);
  }
  free(wrapper);
  int wstatus = 0;
  int ok = pid > 0 && waitpid(pid, &wstatus, 0) == pid;
  if (ok) {
    r->status = status_of(wstatus);
    r->out = slurp(out);
    r->err = slurp(err);
  }
  fclose(out);
  fclose(err);
  return ok ? 0 : -1;
}

const char *sdk_tap_verdict(const char *tap, const char *name) {
  size_t nlen = strlen(name);
  for (const char *line = tap; line && *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    int not_ok = strncmp(line, "not ok ", 7) == 0;
    int ok = strncmp(line, "ok ", 3) == 0;
    const char *dash = (ok || not_ok) ? strstr(line, " - ") : NULL;
    if (dash && dash < line + len && strncmp(dash + 3, name, nlen) == 0 &&
        (dash[3 + nlen] == '\n' || dash[3 + nlen] == ' ' ||
         dash[3 + nlen] == '\0')) {
      if (not_ok)
        return "not ok";
      return strncmp(dash + 3 + nlen, " # SKIP", 7) == 0 ? "skip" : "ok";
    }
    line = end ? end + 1 : NULL;
  }
  return NULL;
}

int sdk_write_private(const char *dir, const char *name, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    return -1;
  size_t len = strlen(text);
  int rc = write(fd, text, len) == (ssize_t)len ? 0 : -1;
  return close(fd) == 0 ? rc : -1;
}

int sdk_copy_example(const char *dir, const char *name) {
  char rel[256];
  snprintf(rel, sizeof rel, "sdk/template/example/%s", name);
  return test_copy_source(rel, dir, name);
}

int sdk_copy_file(const char *src, const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *in = fopen(src, "rb");
  int fd = in ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755) : -1;
  int rc = in && fd >= 0 ? 0 : -1;
  char buf[65536];
  for (size_t n; rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0;)
    rc = write(fd, buf, n) == (ssize_t)n ? 0 : -1;
  if (in && ferror(in))
    rc = -1;
  if (in)
    fclose(in);
  if (fd >= 0 && close(fd) != 0)
    rc = -1;
  return rc;
}

int sdk_level(int dflt) {
  const char *v = getenv("LPSA_CONFORMANCE_LEVEL");
  return v && v[0] >= '0' && v[0] <= '2' && !v[1] ? v[0] - '0' : dflt;
}
