/* SPDX-License-Identifier: MIT */
/*
 * web_harness.c — the web console tests' world and HTTP calls.
 */
#include "web_harness.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DATA "tests/web/data/"

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void wh_write_config(web_env *e, const char *web_extra,
                     const char *host_extra) {
  char text[8192];
  snprintf(text, sizeof text,
           "; written by the web console tests\n"
           "[host]\n"
           "driver_path = %s\n"
           "state_dir = state\n"
           "mapping_file = mapping.csv\n"
           "schedule = daily 02:00\n"
           "%s\n"
           "[lastpass]\n"
           "api_url = %s/business\n"
           "api_key = env:LPSA_TEST_KEY\n"
           "[web]\n"
           "%s"
           "%s\n"
           "[driver.jsonpsa]\n"
           "file = %s/psa.json\n"
           "sku.lastpass = LP-BUS\n"
           "sku.lastpass_mfa = LP-MFA\n",
           getenv("LPSA_DRIVER_DIR"),
           host_extra      ? host_extra
           : e->host_extra ? e->host_extra
                           : "",
           e->lp.base_url,
           web_extra && strstr(web_extra, "listen =")
               ? ""
               : "listen = 127.0.0.1:0\n",
           web_extra ? web_extra : "", e->dir);
  ck_assert_int_eq(test_write_file(e->dir, "lpsa.conf", text), 0);
  char path[1024];
  snprintf(path, sizeof path, "%s/lpsa.conf", e->dir);
  ck_assert_int_eq(chmod(path, 0600), 0); /* it may hold a literal secret */
}

static void run(web_env *e, const char *const *args, int want) {
  const char *all[12] = {"-c", "lpsa.conf"};
  size_t n = 2;
  for (size_t i = 0; args[i] && n < 11; i++)
    all[n++] = args[i];
  all[n] = NULL;
  hostrun r;
  ck_assert_int_eq(hostrun_exec(e->dir, all, e->env, &r), 0);
  ck_assert_msg(r.status == want, "%s: exit %d, want %d: %s", args[0], r.status,
                want, r.err);
  hostrun_free(&r);
}

void wh_setup(web_env *e, const char *tag, const char *web_extra) {
  wh_setup_with(e, tag, web_extra, NULL, NULL, NULL, NULL);
}

void wh_setup_with(web_env *e, const char *tag, const char *web_extra,
                   const char *lastpass_key, const char *host_extra,
                   const char *const *env, const char *const *files) {
  memset(e, 0, sizeof *e);
  snprintf(e->key_env, sizeof e->key_env, "LPSA_TEST_KEY=%s",
           lastpass_key ? lastpass_key : "lpkey_demo");
  size_t n = 0;
  e->env[n++] = e->key_env;
  e->env[n++] = "LPSA_NOW=2026-11-25T12:00:00Z";
  for (size_t i = 0; env && env[i] && n < 7; i++)
    e->env[n++] = env[i];
  e->env[n] = NULL;
  e->host_extra = host_extra;
  e->dir = test_tmpdir(tag);
  ck_assert_ptr_nonnull(e->dir);
  ck_assert_int_eq(test_copy_source(DATA "psa.json", e->dir, "psa.json"), 0);
  for (size_t i = 0; files && files[i] && files[i + 1]; i += 2) {
    ck_assert_int_eq(test_write_file(e->dir, files[i], files[i + 1]), 0);
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", e->dir, files[i]);
    ck_assert_int_eq(chmod(p, 0600), 0);
  }
  ck_assert_int_eq(test_copy_source(DATA "mapping.csv", e->dir, "mapping.csv"),
                   0);
  char fixture[1024], err[512];
  snprintf(fixture, sizeof fixture, "%s/" DATA "lastpass.json",
           getenv("LPSA_SOURCE_DIR"));
  const char *args[] = {"--fixture",  fixture,
                        "--now",      "2026-11-25",
                        "--quiet",    lastpass_key ? "--api-key" : NULL,
                        lastpass_key, NULL};
  ck_assert_msg(simproc_start(&e->lp, "lastpass-sim", args, err, sizeof err) ==
                    0,
                "%s", err);
  wh_write_config(e, web_extra, NULL);
  /* Delta's PSA company does not exist: both runs need a person (exit 1) */
  run(e, (const char *const[]){"--dry-run", NULL}, 1);
  run(e, (const char *const[]){"--report", "report.json", NULL}, 1);
  ck_assert_int_eq(wh_user_add(e, WH_ALICE, "approver", WH_ALICE_PW), 0);
  ck_assert_int_eq(wh_user_add(e, WH_BOB, NULL, WH_BOB_PW), 0);
}

void wh_teardown(web_env *e) {
  if (e->serve > 0)
    wh_stop(e);
  simproc_stop(&e->lp);
  test_rmtree(e->dir);
  free(e->dir);
  e->dir = NULL;
}

void wh_run_input(web_env *e, const char *input, const char *const *args,
                  hostrun *r) {
  memset(r, 0, sizeof *r);
  char in_path[1024], out_path[1024], err_path[1024];
  snprintf(in_path, sizeof in_path, "%s/stdin.txt", e->dir);
  snprintf(out_path, sizeof out_path, "%s/stdout.txt", e->dir);
  snprintf(err_path, sizeof err_path, "%s/stderr.txt", e->dir);
  ck_assert_int_eq(test_write_file(e->dir, "stdin.txt", input), 0);
  const char *argv[16] = {test_bin("lpsa-host"), "-c", "lpsa.conf"};
  size_t n = 3;
  for (size_t i = 0; args[i] && n < 15; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  fflush(NULL);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    if (chdir(e->dir) != 0)
      _exit(126);
    int i = open(in_path, O_RDONLY),
        o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int er = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (i < 0 || o < 0 || er < 0)
      _exit(126);
    dup2(i, 0);
    dup2(o, 1);
    dup2(er, 2);
    for (size_t k = 0; e->env[k]; k++)
      putenv((char *)e->env[k]);
    execv(argv[0], (char *const *)argv);
    _exit(127);
  }
  int st;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r->out = test_read_file(NULL, out_path);
  r->err = test_read_file(NULL, err_path);
}

int wh_user_add(web_env *e, const char *name, const char *role,
                const char *password) {
  char line[256];
  snprintf(line, sizeof line, "%s\n", password);
  const char *args[] = {"web-user", "add", name, role ? "--role" : NULL,
                        role,       NULL};
  hostrun r;
  wh_run_input(e, line, args, &r);
  int status = r.status;
  hostrun_free(&r);
  return status;
}

void wh_start(web_env *e, const char *const *args) {
  const char *all[16] = {"-c", "lpsa.conf"};
  size_t n = 2;
  for (size_t i = 0; args[i] && n < 15; i++)
    all[n++] = args[i];
  all[n] = NULL;
  char old[1024];
  snprintf(old, sizeof old, "%s/host.err", e->dir);
  unlink(old); /* not to read the URL of the console before */
  e->url[0] = '\0';
  e->serve = hostrun_spawn(e->dir, all, e->env);
  ck_assert_int_gt(e->serve, 0);
  long long end = now_ms() + WH_WAIT_MS;
  while (now_ms() < end) {
    char *err = wh_read(e, "host.err");
    const char *at = err ? strstr(err, "web console ") : NULL;
    const char *url = at ? strstr(at, "http") : NULL;
    if (url) {
      size_t len = strcspn(url, " \n");
      if (len < sizeof e->url && url[len]) {
        memcpy(e->url, url, len);
        e->url[len] = '\0';
        free(err);
        return;
      }
    }
    free(err);
    int st;
    if (waitpid(e->serve, &st, WNOHANG) == e->serve) {
      char *text = wh_read(e, "host.err");
      e->serve = 0;
      ck_abort_msg("the console exited at start: %s", text ? text : "");
    }
    usleep(20000);
  }
  ck_abort_msg("the console printed no URL in %ld ms", WH_WAIT_MS);
}

int wh_stop(web_env *e) {
  if (e->serve <= 0)
    return -1;
  kill(e->serve, SIGTERM);
  int status = hostrun_wait(e->serve);
  e->serve = 0;
  return status;
}

long wh_call(web_env *e, const web_login *login, const char *csrf,
             const char *method, const char *path, const char *body,
             simproc_http_result *r) {
  char url[512], cookie[200], token[120];
  snprintf(url, sizeof url, "%s%s", e->url, path);
  const char *headers[5];
  size_t n = 0;
  if (login) {
    snprintf(cookie, sizeof cookie, "Cookie: %s", login->cookie);
    headers[n++] = cookie;
  }
  const char *t = csrf ? csrf : login ? login->csrf : "";
  if (*t) {
    snprintf(token, sizeof token, "X-CSRF-Token: %s", t);
    headers[n++] = token;
  }
  if (body)
    headers[n++] = "Content-Type: application/json";
  headers[n] = NULL;
  ck_assert_int_eq(simproc_http(method, url, headers, body, 30000, r), 0);
  return r->status;
}

long wh_login(web_env *e, const char *user, const char *password,
              web_login *out) {
  char body[512];
  snprintf(body, sizeof body, "{\"user\":\"%s\",\"password\":\"%s\"}", user,
           password);
  simproc_http_result r;
  long status = wh_call(e, NULL, "", "POST", "/api/v1/session", body, &r);
  if (status == 200) {
    char set[512];
    ck_assert_int_eq(simproc_http_header(&r, "Set-Cookie", set, sizeof set), 0);
    size_t len = strcspn(set, ";");
    ck_assert_uint_lt(len, sizeof out->cookie);
    memcpy(out->cookie, set, len);
    out->cookie[len] = '\0';
    json_object *o = wh_json(&r);
    snprintf(out->csrf, sizeof out->csrf, "%s",
             json_object_get_string(wh_get(o, "csrf_token")));
    json_object_put(o);
  }
  simproc_http_result_free(&r);
  return status;
}

json_object *wh_json(const simproc_http_result *r) {
  json_object *o = r->body ? json_tokener_parse(r->body) : NULL;
  ck_assert_msg(o != NULL, "not JSON (%ld): %s", r->status,
                r->body ? r->body : "(no body)");
  return o;
}

json_object *wh_get(json_object *o, const char *key) {
  json_object *v = NULL;
  ck_assert_msg(json_object_object_get_ex(o, key, &v), "no key %s in %s", key,
                json_object_to_json_string(o));
  return v;
}

const char *wh_error_code(json_object *o) {
  return json_object_get_string(wh_get(wh_get(o, "error"), "code"));
}

char *wh_read(web_env *e, const char *name) {
  return test_read_file(e->dir, name);
}

int wh_count_files(web_env *e, const char *prefix) {
  DIR *d = opendir(e->dir);
  int n = 0;
  for (struct dirent *de; d && (de = readdir(d));)
    n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
  if (d)
    closedir(d);
  return n;
}
