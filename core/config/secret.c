/* SPDX-License-Identifier: MIT */
/*
 * secret.c — resolve env:/file:/literal credentials and remember them for
 * redaction.
 *
 * Messages name the variable or the file, never the value: they go to the
 * terminal and to logs before the logger knows what to redact.
 */
#include "secret.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perm_advice.h"

#define SECRET_FILE_MAX (64 * 1024)

/* Where a message is about: "FILE:LINE: KEY = VALUE-AS-WRITTEN" — safe to
 * show because it is only ever called for env: and file: values. */
typedef struct origin {
  const char *file;
  int line;
  const char *key;
  const char *value;
} origin;

__attribute__((format(printf, 4, 5))) static int
fail(char *err, size_t errlen, const origin *o, const char *fmt, ...) {
  if (!err || !errlen)
    return -1;
  int n;
  if (o->value)
    n = snprintf(err, errlen, "%s:%d: %s = %s: ", o->file, o->line, o->key,
                 o->value);
  else
    n = snprintf(err, errlen, "%s:%d: %s: ", o->file, o->line, o->key);
  if (n < 0 || (size_t)n >= errlen)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

secret_source secret_source_of(const char *value) {
  if (strncmp(value, "env:", 4) == 0)
    return SECRET_ENV;
  if (strncmp(value, "file:", 5) == 0)
    return SECRET_FILE;
  return SECRET_LITERAL;
}

static int env_name_ok(const char *name) {
  if (!*name || isdigit((unsigned char)*name))
    return 0;
  for (; *name; name++)
    if (!isalnum((unsigned char)*name) && *name != '_')
      return 0;
  return 1;
}

/* Refuse a secret holding a control character (0, or -1 with err): sent in
 * a header, a line break would end the header and start one of the
 * value's choosing. Names the kind of character, never the value. */
static int refuse_controls(const char *v, size_t len, const char *where,
                           const origin *o, char *err, size_t errlen) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c >= 0x20 && c != 0x7F)
      continue;
    const char *kind = c == '\n'   ? "a line feed"
                       : c == '\r' ? "a carriage return"
                       : c == '\t' ? "a tab"
                                   : "a control character";
    int at_end = i + 1 == len || (c == '\r' && i + 2 == len);
    return fail(err, errlen, o,
                "%s holds %s%s; a secret is one line of printable "
                "characters: remove it%s",
                where, kind, at_end ? " at its end" : "",
                strcmp(where, "the file") == 0
                    ? " (one line end at the very end is allowed)"
                    : "");
  }
  return 0;
}

static int from_env(const char *name, const origin *o, char **out, char *err,
                    size_t errlen) {
  if (!env_name_ok(name))
    return fail(err, errlen, o,
                "\"%s\" is not a variable name; write env:NAME with letters, "
                "digits and '_', e.g. env:LPSA_LASTPASS_API_KEY",
                name);
  const char *v = getenv(name);
  if (!v || !*v)
    return fail(err, errlen, o,
                "the environment variable %s is %s; set it in the service's "
                "environment (or use file:PATH)",
                name, v ? "empty" : "not set");
  char where[300];
  snprintf(where, sizeof where, "the environment variable %s", name);
  if (refuse_controls(v, strlen(v), where, o, err, errlen))
    return -1;
  *out = strdup(v);
  if (!*out)
    return fail(err, errlen, o, "out of memory");
  return 0;
}

/* PATH made absolute against dir; NULL when out of memory. */
static char *join_path(const char *dir, const char *path) {
  if (path[0] == '/' || !dir || !*dir)
    return strdup(path);
  size_t n = strlen(dir) + strlen(path) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", dir, path);
  return p;
}

/* Read a whole small file from an open descriptor. */
static int read_all(int fd, char *buf, size_t cap, size_t *len) {
  size_t n = 0;
  while (n < cap) {
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      break;
    n += (size_t)r;
  }
  *len = n;
  return 0;
}

/* Checks and reads an opened secret file into a new string. */
static int read_secret_fd(int fd, const char *path, const origin *o, char **out,
                          char *err, size_t errlen) {
  struct stat st;
  if (fstat(fd, &st))
    return fail(err, errlen, o, "cannot stat %s: %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return fail(err, errlen, o,
                "%s is not a regular file; point file: at a file holding "
                "only the secret",
                path);
  if (st.st_mode & S_IROTH)
    return fail(err, errlen, o,
                "%s is readable by others; run: chmod o-r %s (the service "
                "reads it through its group: root:lpsa, mode 640)",
                path, path);
  char *buf = malloc(SECRET_FILE_MAX + 1);
  if (!buf)
    return fail(err, errlen, o, "out of memory");
  size_t len;
  if (read_all(fd, buf, SECRET_FILE_MAX + 1, &len)) {
    free(buf);
    return fail(err, errlen, o, "cannot read %s: %s", path, strerror(errno));
  }
  const char *problem = NULL;
  if (len > SECRET_FILE_MAX)
    problem = "is larger than 64 KiB; point file: at a file holding only "
              "the secret";
  else if (memchr(buf, '\0', len))
    problem = "holds a NUL byte; point file: at a text file holding only "
              "the secret";
  /* Exactly one line end, as an editor or `echo` leaves it. */
  if (!problem && len > 0 && buf[len - 1] == '\n')
    len -= len > 1 && buf[len - 2] == '\r' ? 2 : 1;
  if (!problem && len == 0)
    problem = "is empty; write the secret into it";
  if (problem || refuse_controls(buf, len, "the file", o, err, errlen)) {
    explicit_bzero(buf, SECRET_FILE_MAX + 1);
    free(buf);
    return problem ? fail(err, errlen, o, "%s %s", path, problem) : -1;
  }
  buf[len] = '\0';
  *out = buf;
  return 0;
}

static int from_file(const char *spec, const char *config_dir, const origin *o,
                     char **out, char *err, size_t errlen) {
  if (!*spec)
    return fail(err, errlen, o,
                "file: needs a path; write file:/etc/lpsa/NAME.key");
  char *path = join_path(config_dir, spec);
  if (!path)
    return fail(err, errlen, o, "out of memory");
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  int rc;
  char why[1024];
  if (fd < 0)
    rc = fail(err, errlen, o, "cannot open %s: %s", path,
              perm_advice(path, errno, "; create it or fix the path", why,
                          sizeof why));
  else
    rc = read_secret_fd(fd, path, o, out, err, errlen);
  if (fd >= 0)
    close(fd);
  free(path);
  return rc;
}

int secret_resolve(const char *value, const char *config_dir, const char *file,
                   int line, const char *key, char **out, char *err,
                   size_t errlen) {
  origin o = {file, line, key, value};
  *out = NULL;
  switch (secret_source_of(value)) {
  case SECRET_ENV:
    return from_env(value + 4, &o, out, err, errlen);
  case SECRET_FILE:
    return from_file(value + 5, config_dir, &o, out, err, errlen);
  case SECRET_LITERAL:
    break;
  }
  o.value = NULL; /* a literal is the secret: never echo it */
  if (!*value)
    return fail(err, errlen, &o,
                "is empty; set it to env:NAME, file:PATH or the value");
  if (refuse_controls(value, strlen(value), "the value", &o, err, errlen))
    return -1;
  *out = strdup(value);
  if (!*out)
    return fail(err, errlen, &o, "out of memory");
  return 0;
}

int secret_list_add(secret_list *list, const char *value) {
  for (size_t i = 0; i < list->n; i++)
    if (strcmp(list->values[i], value) == 0)
      return 0;
  char **grown = realloc(list->values, (list->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  list->values = grown;
  list->values[list->n] = strdup(value);
  if (!list->values[list->n])
    return -1;
  list->n++;
  return 0;
}

void secret_list_free(secret_list *list) {
  for (size_t i = 0; i < list->n; i++) {
    /* Wiped so a core dump taken later does not carry the credential. */
    explicit_bzero(list->values[i], strlen(list->values[i]));
    free(list->values[i]);
  }
  free(list->values);
  list->values = NULL;
  list->n = 0;
}

int secret_list_register(const secret_list *list, lpsa_log *log) {
  for (size_t i = 0; i < list->n; i++)
    if (log_add_secret(log, list->values[i]))
      return -1;
  return 0;
}
