/* SPDX-License-Identifier: MIT */
/*
 * hostrun.c — running lpsa-host and the other built programs from tests
 * (see hostrun.h).
 */
#define _GNU_SOURCE /* ptsname_r */
#include "hostrun.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *test_bin(const char *name) {
  static char path[PATH_MAX];
  const char *build = getenv("LPSA_BUILD_DIR");
  snprintf(path, sizeof path, "%s/bin/%s", build ? build : ".", name);
  return path;
}

int test_have_program(const char *program) {
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  char *copy = strdup(path);
  int found = 0;
  for (char *save = NULL, *dir = copy ? strtok_r(copy, ":", &save) : NULL;
       dir && !found; dir = strtok_r(NULL, ":", &save)) {
    char file[PATH_MAX];
    snprintf(file, sizeof file, "%s/%s", dir, program);
    found = access(file, X_OK) == 0;
  }
  free(copy);
  return found;
}

/* In the child: go to cwd, add env, exec [wrapper...] program args...
 * (a wrapper's first word is looked up on PATH). Never returns. */
static void child_exec(const hostrun_opts *o) {
  if (o->cwd && chdir(o->cwd) != 0)
    _exit(126);
  for (size_t i = 0; o->env && o->env[i]; i++)
    putenv((char *)o->env[i]);
  size_t nw = 0, na = 0;
  while (o->wrapper && o->wrapper[nw])
    nw++;
  while (o->args && o->args[na])
    na++;
  char **argv = calloc(nw + na + 2, sizeof *argv);
  if (!argv)
    _exit(126);
  for (size_t i = 0; i < nw; i++)
    argv[i] = (char *)o->wrapper[i];
  argv[nw] = (char *)test_bin(o->program ? o->program : "lpsa-host");
  for (size_t i = 0; i < na; i++)
    argv[nw + 1 + i] = (char *)o->args[i];
  if (nw)
    execvp(argv[0], argv);
  else
    execv(argv[0], argv);
  _exit(127);
}

static int status_of(int wstatus) {
  if (WIFEXITED(wstatus))
    return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus))
    return 128 + WTERMSIG(wstatus);
  return -1;
}

/* Standard input: `input` in an unlinked temporary file, or /dev/null. */
static int input_fd(const char *input) {
  if (!input)
    return open("/dev/null", O_RDONLY);
  FILE *f = tmpfile();
  if (!f)
    return -1;
  int fd = dup(fileno(f));
  int ok = fd >= 0 && fputs(input, f) >= 0 && fflush(f) == 0;
  fclose(f);
  if (!ok || lseek(fd, 0, SEEK_SET) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  return fd;
}

int hostrun_run(const hostrun_opts *o, hostrun *r) {
  memset(r, 0, sizeof *r);
  FILE *out = tmpfile(), *err = tmpfile();
  int in = input_fd(o->input);
  if (!out || !err || in < 0) {
    if (out)
      fclose(out);
    if (err)
      fclose(err);
    if (in >= 0)
      close(in);
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in, 0);
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    child_exec(o);
  }
  close(in);
  int wstatus = 0, rc = -1;
  if (pid > 0 && waitpid(pid, &wstatus, 0) == pid) {
    r->status = status_of(wstatus);
    r->out = test_read_fd(fileno(out));
    r->err = test_read_fd(fileno(err));
    rc = r->out && r->err ? 0 : -1;
  }
  fclose(out);
  fclose(err);
  return rc;
}

int hostrun_exec(const char *cwd, const char *const *args,
                 const char *const *env, hostrun *r) {
  hostrun_opts o = {.cwd = cwd, .args = args, .env = env};
  return hostrun_run(&o, r);
}

void hostrun_free(hostrun *r) {
  free(r->out);
  free(r->err);
  free(r->tty);
  memset(r, 0, sizeof *r);
}

/* Everything readable from the terminal's master side until the child has
 * closed its side (read fails with EIO). */
static char *slurp_tty(int master) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf)
      return NULL;
    ssize_t n = read(master, buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    len += (size_t)n;
    if (len + 1 == cap) {
      char *grown = realloc(buf, cap *= 2);
      if (!grown) {
        free(buf);
        return NULL;
      }
      buf = grown;
    }
  }
  buf[len] = '\0';
  return buf;
}

int hostrun_exec_tty(const char *cwd, const char *const *args,
                     const char *const *env, int tty_fds, const char *input,
                     hostrun *r) {
  memset(r, 0, sizeof *r);
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    if (master >= 0)
      close(master);
    return -1;
  }
  char slave[PATH_MAX];
  FILE *out = tmpfile(), *err = tmpfile();
  if (ptsname_r(master, slave, sizeof slave) != 0 || !out || !err) {
    close(master);
    if (out)
      fclose(out);
    if (err)
      fclose(err);
    return -1;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    setsid(); /* the terminal becomes the controlling terminal */
    int t = open(slave, O_RDWR);
    int none = open("/dev/null", O_RDONLY);
    if (t < 0 || none < 0)
      _exit(126);
    dup2(tty_fds & HOSTRUN_TTY_STDIN ? t : none, 0);
    dup2(tty_fds & HOSTRUN_TTY_STDOUT ? t : fileno(out), 1);
    dup2(tty_fds & HOSTRUN_TTY_STDERR ? t : fileno(err), 2);
    close(master);
    if (t > 2)
      close(t);
    if (none > 2)
      close(none);
    hostrun_opts o = {.cwd = cwd, .args = args, .env = env};
    child_exec(&o);
  }
  if (pid < 0) {
    close(master);
    fclose(out);
    fclose(err);
    return -1;
  }
  if (input && *input) {
    size_t len = strlen(input), done = 0;
    while (done < len) {
      ssize_t n = write(master, input + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (size_t)n;
    }
  }
  r->tty = slurp_tty(master);
  close(master);
  int wstatus = 0;
  if (waitpid(pid, &wstatus, 0) < 0) {
    fclose(out);
    fclose(err);
    return -1;
  }
  r->status = status_of(wstatus);
  r->out = test_read_fd(fileno(out));
  r->err = test_read_fd(fileno(err));
  fclose(out);
  fclose(err);
  return 0;
}

pid_t hostrun_spawn(const char *cwd, const char *const *args,
                    const char *const *env) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    if (cwd && chdir(cwd) != 0)
      _exit(126);
    int i = open("/dev/null", O_RDONLY);
    int o = open("host.out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open("host.err", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (i < 0 || o < 0 || e < 0)
      _exit(126);
    dup2(i, 0);
    dup2(o, 1);
    dup2(e, 2);
    hostrun_opts opts = {.args = args, .env = env};
    child_exec(&opts);
  }
  return pid;
}

int hostrun_wait(pid_t pid) {
  int wstatus = 0;
  if (waitpid(pid, &wstatus, 0) < 0)
    return -1;
  return status_of(wstatus);
}

int hostrun_stop(pid_t pid) {
  int wstatus;
  pid_t r = waitpid(pid, &wstatus, WNOHANG);
  if (r == pid)
    return status_of(wstatus);
  if (r == 0)
    kill(pid, SIGTERM);
  return hostrun_wait(pid);
}
