/* SPDX-License-Identifier: MIT */
/*
 * web_users.c — read and write the users file.
 */
#include "web_users.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

#define USERS_MAX_BYTES (1024 * 1024)

const char *web_role_name(web_role role) {
  return role == WEB_ROLE_APPROVER ? "approver" : "viewer";
}

int web_role_parse(const char *text, web_role *out) {
  if (strcasecmp(text, "viewer") == 0)
    *out = WEB_ROLE_VIEWER;
  else if (strcasecmp(text, "approver") == 0)
    *out = WEB_ROLE_APPROVER;
  else
    return -1;
  return 0;
}

int web_user_name_valid(const char *name) {
  size_t n = strlen(name);
  if (n == 0 || n > WEB_USER_NAME_MAX)
    return 0;
  for (; *name; name++)
    if (!isalnum((unsigned char)*name) && !strchr("._-@", *name))
      return 0;
  return 1;
}

void web_users_free(web_users *u) {
  free(u->items);
  u->items = NULL;
  u->n = 0;
}

web_user *web_users_find(const web_users *u, const char *name) {
  for (size_t i = 0; i < u->n; i++)
    if (strcmp(u->items[i].name, name) == 0)
      return &u->items[i];
  return NULL;
}

int web_users_add(web_users *u, const web_user *user) {
  web_user *grown = realloc(u->items, (u->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  u->items = grown;
  u->items[u->n++] = *user;
  return 0;
}

int web_users_remove(web_users *u, const char *name) {
  web_user *w = web_users_find(u, name);
  if (!w)
    return -1;
  size_t i = (size_t)(w - u->items);
  memmove(&u->items[i], &u->items[i + 1], (u->n - i - 1) * sizeof *w);
  u->n--;
  return 0;
}

/* One "NAME:ROLE:HASH" line into *w. 0, or -1 with the reason. */
static int parse_line(char *line, web_user *w, const char **why) {
  char *c1 = strchr(line, ':');
  char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
  if (!c2) {
    *why = "is not NAME:ROLE:HASH";
    return -1;
  }
  *c1 = *c2 = '\0';
  memset(w, 0, sizeof *w);
  if (!web_user_name_valid(line)) {
    *why = "has a user name that is not 1 to 64 letters, digits, '.', '_', "
           "'-' or '@'";
    return -1;
  }
  if (web_role_parse(c1 + 1, &w->role)) {
    *why = "has a role that is neither viewer nor approver";
    return -1;
  }
  if (strncmp(c2 + 1, "$argon2id$", 10) != 0 ||
      strlen(c2 + 1) >= sizeof w->hash) {
    *why = "has no argon2id hash";
    return -1;
  }
  snprintf(w->name, sizeof w->name, "%s", line);
  snprintf(w->hash, sizeof w->hash, "%s", c2 + 1);
  return 0;
}

static char *read_all(FILE *f, size_t *len) {
  char *buf = malloc(USERS_MAX_BYTES + 1);
  if (!buf)
    return NULL;
  *len = fread(buf, 1, USERS_MAX_BYTES + 1, f);
  buf[*len > USERS_MAX_BYTES ? USERS_MAX_BYTES : *len] = '\0';
  return buf;
}

int web_users_load(const char *path, web_users *out, int *missing, char *err,
                   size_t errlen) {
  memset(out, 0, sizeof *out);
  if (missing)
    *missing = 0;
  FILE *f = fopen(path, "re");
  if (!f) {
    if (errno == ENOENT) {
      if (missing)
        *missing = 1;
      return 0;
    }
    snprintf(err, errlen, "%s: cannot open: %s%s", path, strerror(errno),
             errno == EACCES ? "; the console runs as another user than "
                               "the file's owner: chown it to that user"
                             : "");
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen,
             "%s: is not a regular file; point users_file in "
             "[web] at the users file",
             path);
    fclose(f);
    return -1;
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    snprintf(err, errlen,
             "%s: group or others may read the password hashes; "
             "run: chmod 600 %s",
             path, path);
    fclose(f);
    return -1;
  }
  size_t len;
  char *buf = read_all(f, &len);
  fclose(f);
  if (!buf || len > USERS_MAX_BYTES) {
    snprintf(err, errlen, "%s: %s", path,
             buf ? "is larger than 1 MiB; is this the users file?"
                 : "out of memory");
    free(buf);
    return -1;
  }
  int rc = 0, lineno = 0;
  for (char *line = buf, *next; line && rc == 0; line = next) {
    next = strchr(line, '\n');
    if (next)
      *next++ = '\0';
    lineno++;
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
      line[--n] = '\0';
    while (*line == ' ' || *line == '\t')
      line++;
    if (!*line || *line == '#')
      continue;
    web_user w;
    const char *why;
    if (parse_line(line, &w, &why)) {
      snprintf(err, errlen,
               "%s:%d: the line %s; manage the file with "
               "lpsa-host web-user add|remove|passwd",
               path, lineno, why);
      rc = -1;
    } else if (web_users_find(out, w.name)) {
      snprintf(err, errlen, "%s:%d: user %s appears twice; remove one line",
               path, lineno, w.name);
      rc = -1;
    } else if (web_users_add(out, &w)) {
      snprintf(err, errlen, "%s: out of memory", path);
      rc = -1;
    }
  }
  free(buf);
  if (rc)
    web_users_free(out);
  return rc;
}

int web_users_save(const char *path, const web_users *u, char *err,
                   size_t errlen) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (!mem) {
    snprintf(err, errlen, "cannot write %s: out of memory", path);
    return -1;
  }
  fputs("# lpsa web console users: NAME:ROLE:HASH (argon2id). Managed by\n"
        "# lpsa-host web-user add|remove|passwd; keep this file mode 600.\n",
        mem);
  for (size_t i = 0; i < u->n; i++)
    fprintf(mem, "%s:%s:%s\n", u->items[i].name,
            web_role_name(u->items[i].role), u->items[i].hash);
  if (fclose(mem) != 0) {
    free(text);
    snprintf(err, errlen, "cannot write %s: out of memory", path);
    return -1;
  }
  struct stat before;
  int had = stat(path, &before) == 0;
  int rc = atomic_write_file(path, text, len, 0600, err, errlen);
  free(text);
  /* root editing the service's file must leave it readable by the service */
  if (rc == 0 && had && geteuid() == 0 &&
      (before.st_uid != 0 || before.st_gid != 0) &&
      chown(path, before.st_uid, before.st_gid) != 0) {
    snprintf(err, errlen, "wrote %s but cannot give it back to uid %ld: %s",
             path, (long)before.st_uid, strerror(errno));
    return -1;
  }
  return rc;
}
