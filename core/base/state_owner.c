/* SPDX-License-Identifier: MIT */
/*
 * state_owner.c — refuse state files that another user owns (see
 * state_owner.h).
 */
#include "state_owner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Deeper than lpsa-host ever writes; bounds the walk of a strange tree. */
#define MAX_DEPTH 8

typedef struct walk {
  uid_t owner;      /* whom everything must belong to */
  char first[4096]; /* the first path that does not */
  uid_t first_uid;
  size_t n_foreign;
} walk;

static void user_name(uid_t uid, char *out, size_t len) {
  struct passwd *pw = getpwuid(uid);
  if (pw)
    snprintf(out, len, "%s", pw->pw_name);
  else
    snprintf(out, len, "%ld", (long)uid);
}

/* "user:group" for chown: the user and their primary group. */
static void owner_spec(uid_t uid, char *out, size_t len) {
  struct passwd *pw = getpwuid(uid);
  struct group *gr = pw ? getgrgid(pw->pw_gid) : NULL;
  if (pw && gr)
    snprintf(out, len, "%s:%s", pw->pw_name, gr->gr_name);
  else if (pw)
    snprintf(out, len, "%s:%ld", pw->pw_name, (long)pw->pw_gid);
  else
    snprintf(out, len, "%ld", (long)uid);
}

/* Note every entry below the directory `fd` (named `path`) not owned by
 * w->owner. Entries that vanish meanwhile are skipped. */
static void walk_dir(walk *w, int fd, const char *path, int depth) {
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return;
  }
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    struct stat st;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    if (st.st_uid != w->owner && w->n_foreign++ == 0) {
      snprintf(w->first, sizeof w->first, "%s", sub);
      w->first_uid = st.st_uid;
    }
    if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
      int sfd = openat(dirfd(d), e->d_name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sfd >= 0)
        walk_dir(w, sfd, sub, depth + 1);
    }
  }
  closedir(d);
}

int state_owner_check(const char *state_dir, char *err, size_t errlen) {
  struct stat st;
  if (lstat(state_dir, &st) != 0)
    return 0; /* not there yet: whoever runs first creates it */
  uid_t me = geteuid();
  walk w = {.owner = st.st_uid};
  int fd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    walk_dir(&w, fd, state_dir, 1);
  else if (st.st_uid == me)
    return 0; /* our own directory we cannot list: lock or journal says why */
  if (st.st_uid == me && w.n_foreign == 0)
    return 0;

  char runner[64], owner[64], spec[160], other[64];
  user_name(me, runner, sizeof runner);
  user_name(st.st_uid, owner, sizeof owner);
  owner_spec(st.st_uid, spec, sizeof spec);
  user_name(w.first_uid, other, sizeof other);
  const char *sudo = me == 0 ? "" : "sudo ";
  char repair[4608] = "";
  if (w.n_foreign)
    snprintf(repair, sizeof repair,
             "; %s%s belongs to %s, so the service cannot use it: run: "
             "%schown -R %s %s",
             w.first, w.n_foreign > 1 ? " (and other files in state_dir)" : "",
             other, sudo, spec, state_dir);
  if (st.st_uid != me)
    snprintf(err, errlen,
             "state_dir %s belongs to %s, but this lpsa-host runs as %s; "
             "nothing was written: run it as %s (sudo -u %s lpsa-host ...), "
             "so that the journal and locks stay usable by the service%s",
             state_dir, owner, runner, owner, owner, repair);
  else
    snprintf(err, errlen,
             "%s%s belongs to %s, not to %s who runs lpsa-host (a run as "
             "another user made it); nothing was written: run: %schown -R %s "
             "%s",
             w.first, w.n_foreign > 1 ? " (and other files in state_dir)" : "",
             other, runner, sudo, spec, state_dir);
  return -1;
}
