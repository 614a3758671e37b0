/* SPDX-License-Identifier: MIT */
/*
 * hostrun.c — running lpsa-host from tests.
 */
#define _GNU_SOURCE /* nftw, ptsname_r */
#include "hostrun.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
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

static char *slurp_fd(int fd) {
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ssize_t n;
  lseek(fd, 0, SEEK_SET);
  while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
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
  if (buf)
    buf[len] = '\0';
  return buf;
}

static void child_exec(const char *cwd, const char *const *args,
                       const char *const *env) {
  if (cwd && chdir(cwd) != 0)
    _exit(126);
  for (size_t i = 0; env && env[i]; i++)
    putenv((char *)env[i]);
  size_t n = 0;
  while (args && args[n])
    n++;
  char **argv = calloc(n + 2, sizeof *argv);
  if (!argv)
    _exit(126);
  argv[0] = (char *)test_bin("lpsa-host");
  for (size_t i = 0; i < n; i++)
    argv[i + 1] = (char *)args[i];
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

int hostrun_exec(const char *cwd, const char *const *args,
                 const char *const *env, hostrun *r) {
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
    child_exec(cwd, args, env);
  }
  int wstatus = 0;
  if (pid < 0 || waitpid(pid, &wstatus, 0) < 0) {
    fclose(out);
    fclose(err);
    return -1;
  }
  r->status = status_of(wstatus);
  r->out = slurp_fd(fileno(out));
  r->err = slurp_fd(fileno(err));
  fclose(out);
  fclose(err);
  return 0;
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
    child_exec(cwd, args, env);
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
  r->out = slurp_fd(fileno(out));
  r->err = slurp_fd(fileno(err));
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
    int o = open("host.out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open("host.err", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0)
      _exit(126);
    dup2(o, 1);
    dup2(e, 2);
    child_exec(NULL, args, env);
  }
  return pid;
}

int hostrun_wait(pid_t pid) {
  int wstatus = 0;
  if (waitpid(pid, &wstatus, 0) < 0)
    return -1;
  return status_of(wstatus);
}

char *test_private_tmpdir(const char *tag) {
  char *dir = test_tmpdir(tag);
  if (!dir || setenv("TMPDIR", dir, 1) != 0) {
    fprintf(stderr, "%s: cannot make a temporary directory\n", tag);
    exit(EXIT_FAILURE);
  }
  return dir;
}

char *test_tmpdir(const char *tag) {
  const char *base = getenv("TMPDIR");
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/lpsa-%s-XXXXXX", base ? base : "/tmp", tag);
  return mkdtemp(path) ? strdup(path) : NULL;
}

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void test_rmtree(const char *path) {
  if (path && strncmp(path, "/tmp/", 5) == 0)
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int test_write_file(const char *dir, const char *name, const char *text) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok ? 0 : -1;
}

char *test_read_file(const char *dir, const char *name) {
  char path[PATH_MAX];
  if (dir)
    snprintf(path, sizeof path, "%s/%s", dir, name);
  else
    snprintf(path, sizeof path, "%s", name);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return NULL;
  char *text = slurp_fd(fd);
  close(fd);
  return text;
}

int test_copy_source(const char *rel, const char *dir, const char *name) {
  char src[PATH_MAX];
  const char *top = getenv("LPSA_SOURCE_DIR");
  snprintf(src, sizeof src, "%s/%s", top ? top : ".", rel);
  char *text = test_read_file(NULL, src);
  if (!text)
    return -1;
  int rc = test_write_file(dir, name, text);
  free(text);
  return rc;
}
