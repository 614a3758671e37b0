/* SPDX-License-Identifier: MIT */
/*
 * web_suggest.c — the `map suggest` child and its answer.
 */
#include "web_suggest.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "web_router.h"

extern char **environ;

#define OUT_NAME "web-suggestions.json"
#define ERR_NAME "web-suggestions.err"

static void path_of(const web_console *c, const char *name, char *out,
                    size_t cap) {
  snprintf(out, cap, "%s/%s", c->state_dir, name);
}

static json_object *read_json(const char *path) {
  json_object *o = json_object_from_file(path);
  json_object *list;
  if (!o || !json_object_object_get_ex(o, "suggestions", &list) ||
      !json_object_is_type(list, json_type_array)) {
    json_object_put(o);
    return NULL;
  }
  json_object_get(list);
  json_object_put(o);
  return list;
}

static void load_file(web_console *c) {
  char path[4096];
  path_of(c, OUT_NAME, path, sizeof path);
  struct stat st;
  if (stat(path, &st) != 0)
    return;
  json_object *list = read_json(path);
  if (!list)
    return;
  json_object_put(c->suggestions);
  c->suggestions = list;
  c->suggestions_at = st.st_mtime;
}

/* The last line the child wrote to stderr (its error). */
static void child_error(web_console *c, int status) {
  char path[4096], text[2048] = "";
  path_of(c, ERR_NAME, path, sizeof path);
  FILE *f = fopen(path, "re");
  if (f) {
    char line[1024];
    while (fgets(line, sizeof line, f))
      if (line[0] != '\n')
        snprintf(text, sizeof text, "%s", line);
    fclose(f);
  }
  text[strcspn(text, "\n")] = '\0';
  snprintf(c->suggest_error, sizeof c->suggest_error,
           "map suggest exited with status %d%s%s", status, text[0] ? ": " : "",
           text);
}

void web_suggest_poll(web_console *c) {
  if (!c->suggestions && !c->suggestions_at && c->suggest_pid == 0) {
    load_file(c);
    if (!c->suggestions_at)
      c->suggestions_at = -1; /* looked: none */
  }
  if (c->suggest_pid <= 0)
    return;
  int status;
  pid_t r = waitpid(c->suggest_pid, &status, WNOHANG);
  if (r == 0)
    return;
  c->suggest_pid = 0;
  c->suggest_finished = web_console_now(c);
  int code = r < 0               ? -1
             : WIFEXITED(status) ? WEXITSTATUS(status)
                                 : 128 + WTERMSIG(status);
  if (code != 0) {
    child_error(c, code);
    log_msg(c->log, LPSA_LOG_WARN, "web: %s", c->suggest_error);
    return;
  }
  char path[4096];
  path_of(c, OUT_NAME, path, sizeof path);
  json_object *list = read_json(path);
  if (!list) {
    snprintf(c->suggest_error, sizeof c->suggest_error,
             "map suggest wrote no readable answer to %s", path);
    return;
  }
  json_object_put(c->suggestions);
  c->suggestions = list;
  c->suggestions_at = c->suggest_finished;
  c->suggest_error[0] = '\0';
}

void web_suggest_stop(web_console *c) {
  if (c->suggest_pid > 0) {
    kill(c->suggest_pid, SIGTERM);
    waitpid(c->suggest_pid, NULL, 0);
    c->suggest_pid = 0;
  }
}

json_object *web_suggest_for(web_console *c, const char *lastpass_id) {
  web_suggest_poll(c);
  size_t n = c->suggestions ? json_object_array_length(c->suggestions) : 0;
  for (size_t i = 0; i < n; i++) {
    json_object *s = json_object_array_get_idx(c->suggestions, i), *id;
    if (json_object_object_get_ex(s, "lastpass_id", &id) &&
        strcmp(json_object_get_string(id), lastpass_id) == 0)
      return s;
  }
  return NULL;
}

static json_object *iso_or_null(time_t t) {
  if (t <= 0)
    return NULL;
  char s[32];
  web_console_iso(t, s);
  return json_object_new_string(s);
}

json_object *web_suggest_state(web_console *c) {
  web_suggest_poll(c);
  json_object *o = json_object_new_object();
  const char *status = c->suggest_pid > 0    ? "running"
                       : c->suggest_error[0] ? "failed"
                       : c->suggestions      ? "done"
                                             : "none";
  json_object_object_add(o, "status", json_object_new_string(status));
  json_object_object_add(o, "started", iso_or_null(c->suggest_started));
  json_object_object_add(
      o, "finished",
      iso_or_null(c->suggestions ? c->suggestions_at : c->suggest_finished));
  json_object_object_add(
      o, "error",
      c->suggest_error[0] ? json_object_new_string(c->suggest_error) : NULL);
  json_object_object_add(
      o, "count",
      json_object_new_int(
          c->suggestions ? (int)json_object_array_length(c->suggestions) : 0));
  return o;
}

/* ---- the API ------------------------------------------------------------ */

void web_api_suggest_get(web_request *req, web_reply *rep) {
  web_reply_json(rep, 200, web_suggest_state(req->c));
}

void web_api_suggest_start(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  web_suggest_poll(c);
  if (c->suggest_pid > 0) {
    web_reply_error(rep, 409, "busy", "map suggest is already running");
    return;
  }
  if (!c->config_path || !c->driver_name) {
    web_reply_error(rep, 503, "unavailable",
                    "this console was started without a driver, so it "
                    "cannot read the PSA's companies");
    return;
  }
  char out[4096], errp[4096];
  path_of(c, OUT_NAME, out, sizeof out);
  path_of(c, ERR_NAME, errp, sizeof errp);
  const char *argv[] = {
      c->self_exe, "-c",  c->config_path, "--driver", c->driver_name,
      "--json",    "map", "suggest",      "--output", out,
      NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  pid_t pid;
  int rc =
      posix_spawn(&pid, c->self_exe, &fa, &attr, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    web_reply_error(rep, 500, "spawn_failed", "cannot start map suggest: %s",
                    strerror(rc));
    return;
  }
  c->suggest_pid = pid;
  c->suggest_started = web_console_now(c);
  c->suggest_finished = 0;
  c->suggest_error[0] = '\0';
  web_request_audit(req, "mapping.suggest", NULL, NULL);
  web_reply_json(rep, 202, web_suggest_state(c));
}
