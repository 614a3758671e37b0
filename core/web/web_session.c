/* SPDX-License-Identifier: MIT */
/*
 * web_session.c — the session table: a fixed array, looked up by comparing
 * every id in constant time (at most WEB_SESSIONS_MAX of them).
 */
#include "web_session.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct web_sessions {
  web_session items[WEB_SESSIONS_MAX];
  int used[WEB_SESSIONS_MAX];
  long long idle_s;
  web_clock_fn clock;
  void *clock_arg;
};

web_sessions *web_sessions_new(int idle_minutes, web_clock_fn clock,
                               void *clock_arg) {
  web_sessions *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->idle_s = (long long)idle_minutes * 60;
  s->clock = clock;
  s->clock_arg = clock_arg;
  return s;
}

void web_sessions_free(web_sessions *s) {
  if (s)
    sodium_memzero(s, sizeof *s);
  free(s);
}

void web_sessions_set_idle(web_sessions *s, int idle_minutes) {
  s->idle_s = (long long)idle_minutes * 60;
}

static void drop(web_sessions *s, int i) {
  sodium_memzero(&s->items[i], sizeof s->items[i]);
  s->used[i] = 0;
}

static void expire(web_sessions *s, time_t now) {
  for (int i = 0; i < WEB_SESSIONS_MAX; i++)
    if (s->used[i] && (long long)(now - s->items[i].last_seen) >= s->idle_s)
      drop(s, i);
}

int web_sessions_create(web_sessions *s, const web_user *user,
                        web_session *out) {
  time_t now = web_clock_now(s->clock, s->clock_arg);
  expire(s, now);
  int slot = -1;
  for (int i = 0; i < WEB_SESSIONS_MAX && slot < 0; i++)
    if (!s->used[i])
      slot = i;
  if (slot < 0) { /* full: the least recently used makes room */
    slot = 0;
    for (int i = 1; i < WEB_SESSIONS_MAX; i++)
      if (s->items[i].last_seen < s->items[slot].last_seen)
        slot = i;
  }
  web_session *w = &s->items[slot];
  memset(w, 0, sizeof *w);
  web_random_token(w->id);
  web_random_token(w->csrf);
  memcpy(w->user, user->name, sizeof w->user);
  memcpy(w->hash, user->hash, sizeof w->hash);
  w->role = user->role;
  w->created = w->last_seen = now;
  s->used[slot] = 1;
  *out = *w;
  return 0;
}

static int find(web_sessions *s, const char *id) {
  int found = -1;
  for (int i = 0; i < WEB_SESSIONS_MAX; i++)
    if (s->used[i] && web_token_equal(s->items[i].id, id))
      found = i;
  return found;
}

int web_sessions_lookup(web_sessions *s, const char *id, web_session *out) {
  if (!id)
    return 0;
  time_t now = web_clock_now(s->clock, s->clock_arg);
  expire(s, now);
  int i = find(s, id);
  if (i < 0)
    return 0;
  s->items[i].last_seen = now;
  *out = s->items[i];
  return 1;
}

void web_sessions_remove(web_sessions *s, const char *id) {
  int i = find(s, id);
  if (i >= 0)
    drop(s, i);
}

int web_sessions_count(web_sessions *s) {
  expire(s, web_clock_now(s->clock, s->clock_arg));
  int n = 0;
  for (int i = 0; i < WEB_SESSIONS_MAX; i++)
    n += s->used[i];
  return n;
}
