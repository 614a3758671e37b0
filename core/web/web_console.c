/* SPDX-License-Identifier: MIT */
/*
 * web_console.c — the clocks and the users file of the console.
 */
#include "web_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host_api.h"

time_t web_console_now(const web_console *c) {
  return web_clock_now(c->clock, c->clock_arg);
}

time_t web_console_run_now(const web_console *c) {
  (void)c;
  time_t fixed = host_parse_utc(getenv("LPSA_NOW"));
  return fixed != (time_t)-1 ? fixed : time(NULL);
}

void web_console_iso(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const web_users *web_console_users(web_console *c) {
  struct stat st;
  int exists = stat(c->users_file, &st) == 0;
  if (c->users_read &&
      (exists ? st.st_ino == c->users_ino && st.st_size == c->users_size &&
                    st.st_mtim.tv_sec == c->users_mtime.tv_sec &&
                    st.st_mtim.tv_nsec == c->users_mtime.tv_nsec
              : c->users_ino == 0))
    return c->users_error[0] ? NULL : &c->users;
  web_users fresh;
  char err[sizeof c->users_error];
  int rc = web_users_load(c->users_file, &fresh, NULL, err, sizeof err);
  c->users_read = 1;
  c->users_ino = exists ? st.st_ino : 0;
  c->users_size = exists ? st.st_size : 0;
  if (exists)
    c->users_mtime = st.st_mtim;
  if (rc != 0) {
    if (strcmp(err, c->users_error) != 0)
      log_msg(c->log, LPSA_LOG_ERROR, "web: %s", err);
    snprintf(c->users_error, sizeof c->users_error, "%s", err);
    return NULL;
  }
  web_users_free(&c->users);
  c->users = fresh;
  c->users_error[0] = '\0';
  return &c->users;
}
