/* SPDX-License-Identifier: MIT */
/*
 * test_files.c — temporary directories and small files for tests (see
 * test_files.h).
 */
#define _GNU_SOURCE /* nftw */
#include "test_files.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *test_tmpdir(const char *tag) {
  const char *base = getenv("TMPDIR");
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/lpsa-%s-XXXXXX", base ? base : "/tmp", tag);
  return mkdtemp(path) ? strdup(path) : NULL;
}

char *test_private_tmpdir(const char *tag) {
  char *dir = test_tmpdir(tag);
  if (!dir || setenv("TMPDIR", dir, 1) != 0) {
    fprintf(stderr, "%s: cannot make a temporary directory\n", tag);
    exit(EXIT_FAILURE);
  }
  return dir;
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

static void join(const char *dir, const char *name, char *out, size_t cap) {
  if (dir)
    snprintf(out, cap, "%s/%s", dir, name);
  else
    snprintf(out, cap, "%s", name);
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t n = write(fd, buf, len);
    if (n <= 0)
      return -1;
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int test_write_file_mode(const char *dir, const char *name, const char *text,
                         mode_t mode) {
  char path[PATH_MAX];
  join(dir, name, path, sizeof path);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
  if (fd < 0)
    return -1;
  /* The mode of an existing file, too: open() keeps it. */
  int rc =
      fchmod(fd, mode) == 0 && write_all(fd, text, strlen(text)) == 0 ? 0 : -1;
  return close(fd) == 0 ? rc : -1;
}

int test_write_file(const char *dir, const char *name, const char *text) {
  char path[PATH_MAX];
  join(dir, name, path, sizeof path);
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok ? 0 : -1;
}

char *test_read_fd(int fd) {
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

char *test_read_file(const char *dir, const char *name) {
  char path[PATH_MAX];
  join(dir, name, path, sizeof path);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return NULL;
  char *text = test_read_fd(fd);
  close(fd);
  return text;
}

void test_source_path(const char *rel, char *out, size_t cap) {
  const char *top = getenv("LPSA_SOURCE_DIR");
  snprintf(out, cap, "%s/%s", top ? top : ".", rel);
}

int test_copy_source(const char *rel, const char *dir, const char *name) {
  char src[PATH_MAX];
  test_source_path(rel, src, sizeof src);
  char *text = test_read_file(NULL, src);
  if (!text)
    return -1;
  int rc = test_write_file(dir, name, text);
  free(text);
  return rc;
}

int test_copy_file(const char *src, const char *dir, const char *name,
                   mode_t mode) {
  char path[PATH_MAX];
  join(dir, name, path, sizeof path);
  FILE *in = fopen(src, "rb");
  int fd = in ? open(path, O_WRONLY | O_CREAT | O_TRUNC, mode) : -1;
  int rc = in && fd >= 0 ? 0 : -1;
  char buf[65536];
  for (size_t n; rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0;)
    rc = write_all(fd, buf, n);
  if (in && ferror(in))
    rc = -1;
  if (in)
    fclose(in);
  if (fd >= 0 && close(fd) != 0)
    rc = -1;
  return rc;
}

int test_count_in_file(const char *dir, const char *name, const char *needle) {
  char *text = test_read_file(dir, name);
  int n = 0;
  size_t step = strlen(needle);
  for (const char *p = text; p && step && (p = strstr(p, needle)); p += step)
    n++;
  free(text);
  return n;
}
