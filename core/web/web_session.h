/* SPDX-License-Identifier: MIT */
/*
 * web_session.h — logged-in browsers: a random 256-bit id (the cookie), the
 * user and role, the CSRF token of that login, and the idle expiry.
 *
 * Sessions live in memory only: a restart logs everyone out. A session
 * unused for `idle_minutes` is gone; so are a user's sessions when the
 * user is removed or the password or role changes (the router compares the
 * stored hash with the users file on every request). At most
 * WEB_SESSIONS_MAX at once; beyond that the least recently used goes.
 */
#ifndef LPSA_WEB_SESSION_H
#define LPSA_WEB_SESSION_H

#include <time.h>

#include "web_clock.h"
#include "web_random.h"
#include "web_users.h"

#define WEB_SESSIONS_MAX 256

typedef struct web_session {
  char id[WEB_TOKEN_LEN + 1];
  char csrf[WEB_TOKEN_LEN + 1];
  char user[WEB_USER_NAME_MAX + 1];
  web_role role;
  char hash[WEB_HASH_MAX]; /* the user's hash when logged in */
  time_t created, last_seen;
} web_session;

typedef struct web_sessions web_sessions;

web_sessions *web_sessions_new(int idle_minutes, web_clock_fn clock,
                               void *clock_arg);
void web_sessions_free(web_sessions *s);
void web_sessions_set_idle(web_sessions *s, int idle_minutes);

/* A new session for `user` (a copy is returned in *out). 0, or -1 when out
 * of memory. */
int web_sessions_create(web_sessions *s, const web_user *user,
                        web_session *out);
/* The live session with this id, touched (its idle time starts again), in
 * *out: 1; or 0 when unknown or expired (then forgotten). */
int web_sessions_lookup(web_sessions *s, const char *id, web_session *out);
void web_sessions_remove(web_sessions *s, const char *id);
/* How many live sessions (expired ones are dropped first). */
int web_sessions_count(web_sessions *s);

#endif
