/* SPDX-License-Identifier: MIT */
/*
 * perm_advice.c — explain a file that cannot be opened (see perm_advice.h).
 */
#include "perm_advice.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int perm_denied(int err) {
  return err == EACCES || err == EPERM;
}

static void user_name(uid_t uid, char *out, size_t len) {
  struct passwd *pw = getpwuid(uid);
  if (pw)
    snprintf(out, len, "%s", pw->pw_name);
  else
    snprintf(out, len, "uid %ld", (long)uid);
}

static void group_name(gid_t gid, char *out, size_t len) {
  struct group *gr = getgrgid(gid);
  if (gr)
    snprintf(out, len, "%s", gr->gr_name);
  else
    snprintf(out, len, "gid %ld", (long)gid);
}

/* The first directory on the way to `path` that cannot be searched, into
 * dir; 0 when every one can (or path is relative). */
static int blocked_dir(const char *path, char *dir, size_t len) {
  if (path[0] != '/')
    return 0;
  const char *p = path;
  while ((p = strchr(p + 1, '/'))) {
    size_t n = (size_t)(p - path);
    if (n >= len)
      return 0;
    memcpy(dir, path, n);
    dir[n] = '\0';
    if (access(dir, X_OK) != 0 && perm_denied(errno))
      return 1;
  }
  return 0;
}

const char *perm_advice(const char *path, int err, const char *otherwise,
                        char *out, size_t len) {
  if (!perm_denied(err)) {
    snprintf(out, len, "%s%s", strerror(err), otherwise ? otherwise : "");
    return out;
  }
  char me[64], owner[64], group[64], dir[4096];
  user_name(geteuid(), me, sizeof me);
  struct stat st;
  const char *what = path;
  const char *verb = "read";
  if (blocked_dir(path, dir, sizeof dir)) {
    what = dir;
    verb = "enter";
  }
  if (stat(what, &st) != 0) {
    snprintf(out, len,
             "permission denied: a permission problem, not a wrong path: %s "
             "may not %s %s; run lpsa-host as the service user (sudo -u "
             "lpsa) or give %s access",
             me, verb, what, me);
    return out;
  }
  user_name(st.st_uid, owner, sizeof owner);
  group_name(st.st_gid, group, sizeof group);
  snprintf(out, len,
           "permission denied: a permission problem, not a wrong path: %s may "
           "not %s %s (owner %s, group %s, mode %04o); run lpsa-host as the "
           "service user or a member of group %s (sudo -u lpsa), or give %s "
           "access",
           me, verb, what, owner, group, (unsigned)(st.st_mode & 07777), group,
           me);
  return out;
}
