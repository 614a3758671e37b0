/* SPDX-License-Identifier: MIT */
/*
 * wrapped_host.c — lpsa-host under a wrapper program (see wrapped_host.h).
 */
#include "wrapped_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp(FILE *f) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t n;
  rewind(f);
  while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
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

static void child(const char *const *wrapper, const char *cwd,
                  const char *const *args, const char *const *env) {
  if (cwd && chdir(cwd) != 0)
    _exit(126);
  for (size_t i = 0; env && env[i]; i++)
    putenv((char *)env[i]);
  size_t nw = 0, na = 0;
  while (wrapper && wrapper[nw])
    nw++;
  while (args && args[na])
    na++;
  char **argv = calloc(nw + na + 2, sizeof *argv);
  if (!argv)
    _exit(126);
  for (size_t i = 0; i < nw; i++)
    argv[i] = (char *)wrapper[i];
  argv[nw] = (char *)test_bin("lpsa-host");
  for (size_t i = 0; i < na; i++)
    argv[nw + 1 + i] = (char *)args[i];
  execvp(argv[0], argv);
  _exit(127);
}

int wrapped_host_exec(const char *const *wrapper, const char *cwd,
                      const char *const *args, const char *const *env,
                      hostrun *r) {
  memset(r, 0, sizeof *r);
  FILE *out = tmpfile(), *err = tmpfile();
  if (!out || !err) {
    if (out)
      fclose(out);
    if (err)
      fclose(err);
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    child(wrapper, cwd, args, env);
  }
  int wstatus = 0;
  int rc = -1;
  if (pid > 0 && waitpid(pid, &wstatus, 0) == pid) {
    r->status = WIFEXITED(wstatus)     ? WEXITSTATUS(wstatus)
                : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus)
                                       : -1;
    r->out = slurp(out);
    r->err = slurp(err);
    rc = r->out && r->err ? 0 : -1;
  }
  fclose(out);
  fclose(err);
  return rc;
}

int wrapped_host_have(const char *program) {
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  char *copy = strdup(path);
  int found = 0;
  for (char *save = NULL, *dir = copy ? strtok_r(copy, ":", &save) : NULL;
       dir && !found; dir = strtok_r(NULL, ":", &save)) {
    char file[4096];
    snprintf(file, sizeof file, "%s/%s", dir, program);
    found = access(file, X_OK) == 0;
  }
  free(copy);
  return found;
}
