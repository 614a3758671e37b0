/* SPDX-License-Identifier: MIT */
/*
 * web_harness.h — what the web console tests share: a world (the LastPass
 * simulator on tests/web/data/lastpass.json, the JSON-file test PSA, a
 * configuration with a [web] section on 127.0.0.1 port 0, a dry run and an
 * apply in the journal, two users: alice the approver and bob the viewer),
 * `lpsa-host serve` as a process (its URL read from its stderr), and HTTP
 * calls with the session cookie and CSRF token (libcurl, loopback only).
 */
#ifndef LPSA_WEB_HARNESS_H
#define LPSA_WEB_HARNESS_H

#include <json-c/json.h>
#include <sys/types.h>

#include "hostrun.h"
#include "simproc.h"

#define WH_ALICE "alice"
#define WH_ALICE_PW "alice password 1"
#define WH_BOB "bob"
#define WH_BOB_PW "bob password 12"
#define WH_WAIT_MS 60000L

typedef struct web_env {
  char *dir;
  simproc lp;
  pid_t serve;
  char url[160];
  char key_env[300];      /* LPSA_TEST_KEY=... */
  const char *env[8];     /* what every lpsa-host child gets */
  const char *host_extra; /* more [host] lines of lpsa.conf */
} web_env;

typedef struct web_login {
  char cookie[160]; /* "lpsa_session=..." */
  char csrf[80];
} web_login;

/* The world, without the console running. `web_extra`: more [web] lines. */
void wh_setup(web_env *e, const char *tag, const char *web_extra);
/* The same with a LastPass key of the test's (NULL: the simulator's
 * default), more [host] lines, more environment ("K=V", NULL-ended) and
 * files written (mode 0600) before the first run (name, text, ...,
 * NULL). */
void wh_setup_with(web_env *e, const char *tag, const char *web_extra,
                   const char *lastpass_key, const char *host_extra,
                   const char *const *env, const char *const *files);
/* Write lpsa.conf again with other [web] lines (and [host] extras). */
void wh_write_config(web_env *e, const char *web_extra, const char *host_extra);
void wh_teardown(web_env *e);

/* lpsa-host -c lpsa.conf ARGS with `input` on its standard input. */
void wh_run_input(web_env *e, const char *input, const char *const *args,
                  hostrun *r);
/* web-user add NAME --role ROLE, the password on stdin: exit status. */
int wh_user_add(web_env *e, const char *name, const char *role,
                const char *password);

/* Spawn `lpsa-host -c lpsa.conf ARGS` (serve, or --daemon ...) and wait for
 * the console's URL in host.err. */
void wh_start(web_env *e, const char *const *args);
/* SIGTERM the console; its exit status. */
int wh_stop(web_env *e);

/* One request to the console. `login` may be NULL (no cookie); `csrf` NULL
 * sends login->csrf when login is set, "" sends none. */
long wh_call(web_env *e, const web_login *login, const char *csrf,
             const char *method, const char *path, const char *body,
             simproc_http_result *r);
/* POST /api/v1/session: the status; *out filled on 200. */
long wh_login(web_env *e, const char *user, const char *password,
              web_login *out);
/* The body as JSON (a new reference), failing the test when it is not. */
json_object *wh_json(const simproc_http_result *r);
/* A member; fails the test when absent. */
json_object *wh_get(json_object *o, const char *key);
/* The error code of an error answer ("csrf", "forbidden"...). */
const char *wh_error_code(json_object *o);

/* The file dir/name, or NULL. */
char *wh_read(web_env *e, const char *name);
/* How many files in dir start with `prefix`. */
int wh_count_files(web_env *e, const char *prefix);

#endif
