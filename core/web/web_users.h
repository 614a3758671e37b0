/* SPDX-License-Identifier: MIT */
/*
 * web_users.h — the console's users file (`[web] users_file`), managed by
 * `lpsa-host web-user`:
 *
 *   # lpsa web console users (lpsa-host web-user add|remove|passwd)
 *   alice:approver:$argon2id$v=19$m=65536,t=2,p=1$...
 *   bob:viewer:$argon2id$...
 *
 * One user a line, NAME:ROLE:HASH; '#' comments and blank lines are
 * ignored. NAME is 1..64 letters, digits, '.', '_', '-' or '@'; ROLE is
 * viewer (reads everything) or approver (also changes the mapping, and
 * later approves plans). The file holds password hashes: it is written
 * through atomic_file.c with mode 0600 and refused when group or others may
 * read it.
 */
#ifndef LPSA_WEB_USERS_H
#define LPSA_WEB_USERS_H

#include <stddef.h>

#include "web_password.h"

#define WEB_USER_NAME_MAX 64

typedef enum web_role { WEB_ROLE_VIEWER = 0, WEB_ROLE_APPROVER = 1 } web_role;

typedef struct web_user {
  char name[WEB_USER_NAME_MAX + 1];
  web_role role;
  char hash[WEB_HASH_MAX];
} web_user;

typedef struct web_users {
  web_user *items;
  size_t n;
} web_users;

const char *web_role_name(web_role role);
/* "viewer" | "approver" (case-insensitive): 0, else -1. */
int web_role_parse(const char *text, web_role *out);
/* 1 when `name` may be a user name. */
int web_user_name_valid(const char *name);

/* Read the file. A missing file is an empty list (0, *missing = 1 when
 * missing is not NULL). -1 with "FILE:LINE: what; what to do" in err for a
 * bad line or a file others may read. */
int web_users_load(const char *path, web_users *out, int *missing, char *err,
                   size_t errlen);
/* Write the whole list (atomically, 0600; keeps the owner of the file it
 * replaces when run as root, so the service can still read it). 0 or -1. */
int web_users_save(const char *path, const web_users *u, char *err,
                   size_t errlen);
void web_users_free(web_users *u);

web_user *web_users_find(const web_users *u, const char *name);
/* Append a copy. 0, or -1 when out of memory. */
int web_users_add(web_users *u, const web_user *user);
/* 0, or -1 when there is no such user. */
int web_users_remove(web_users *u, const char *name);

#endif
