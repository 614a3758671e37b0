/* SPDX-License-Identifier: MIT */
/*
 * simproc.c — simulator child processes and the small HTTP client tests use
 * to talk to them (see simproc.h).
 */
#include "simproc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static int executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int simproc_find(const char *program, char *out, size_t cap) {
  const char *build = getenv("LPSA_BUILD_DIR");
  char self[1024];
  ssize_t n;
  if (build && *build &&
      (size_t)snprintf(out, cap, "%s/bin/%s", build, program) < cap &&
      executable(out))
    return 0;
  n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) {
      *slash = '\0';
      if ((size_t)snprintf(out, cap, "%s/%s", self, program) < cap &&
          executable(out))
        return 0;
    }
  }
  return -1;
}

static long start_timeout_ms(void) {
  const char *v = getenv("LPSA_SIM_START_TIMEOUT_MS");
  long ms = v ? strtol(v, NULL, 10) : 0;
  return ms > 0 ? ms : 20000;
}

/* LPSA_SIM_WRAPPER="valgrind -q --error-exitcode=99" runs every simulator
 * under that command (words split on spaces). */
static int wrapper_words(char *buf, const char **argv, int max) {
  const char *w = getenv("LPSA_SIM_WRAPPER");
  int n = 0;
  if (!w || !*w)
    return 0;
  snprintf(buf, 1024, "%s", w);
  for (char *tok = strtok(buf, " "); tok && n < max; tok = strtok(NULL, " "))
    argv[n++] = tok;
  return n;
}

static void child(const char *exe, const char *port_file,
                  const char *const *args) {
  const char *argv[96];
  char wrapper[1024];
  int n = wrapper_words(wrapper, argv, 24);
  int first = n;
  argv[n++] = exe;
  argv[n++] = "--port";
  argv[n++] = "0";
  argv[n++] = "--port-file";
  argv[n++] = port_file;
  argv[n++] = "--quiet";
  for (int i = 0; args && args[i] && n < 95; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  int devnull = open("/dev/null", O_WRONLY);
  if (devnull >= 0) {
    dup2(devnull, STDOUT_FILENO);
    close(devnull);
  }
  if (first)
    execvp(argv[0], (char *const *)argv);
  else
    execv(exe, (char *const *)argv);
  fprintf(stderr, "simproc: cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

static int read_port(const char *path) {
  FILE *f = fopen(path, "r");
  int port = 0;
  if (!f)
    return 0;
  if (fscanf(f, "%d", &port) != 1)
    port = 0;
  fclose(f);
  return port;
}

static void cleanup_dir(simproc *sp) {
  char path[512];
  if (!sp->dir[0])
    return;
  snprintf(path, sizeof path, "%s/port", sp->dir);
  unlink(path);
  rmdir(sp->dir);
  sp->dir[0] = '\0';
}

/* Wait for the port file; 0, or -1 with err filled when the child died or
 * took too long. */
static int wait_listening(simproc *sp, const char *port_file, char *err,
                          size_t cap) {
  long waited = 0, limit = start_timeout_ms();
  int status;
  for (;;) {
    sp->port = read_port(port_file);
    if (sp->port > 0)
      return 0;
    if (waitpid(sp->pid, &status, WNOHANG) == sp->pid) {
      snprintf(err, cap,
               "%s exited (status %d) before listening; see its "
               "message above",
               sp->exe,
               WIFEXITED(status) ? WEXITSTATUS(status)
                                 : 128 + WTERMSIG(status));
      sp->pid = 0;
      return -1;
    }
    if (waited >= limit) {
      snprintf(err, cap, "%s did not listen within %ld ms", sp->exe, limit);
      return -1;
    }
    sleep_ms(10);
    waited += 10;
  }
}

int simproc_start(simproc *sp, const char *program, const char *const *args,
                  char *err, size_t cap) {
  char port_file[512];
  const char *tmp = getenv("TMPDIR");
  memset(sp, 0, sizeof *sp);
  if (simproc_find(program, sp->exe, sizeof sp->exe) != 0) {
    snprintf(err, cap,
             "cannot find the simulator %s in $LPSA_BUILD_DIR/bin "
             "or next to the test; build it first",
             program);
    return -1;
  }
  snprintf(sp->dir, sizeof sp->dir, "%s/lpsa-simproc-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(sp->dir)) {
    snprintf(err, cap, "cannot create a temporary directory: %s",
             strerror(errno));
    sp->dir[0] = '\0';
    return -1;
  }
  snprintf(port_file, sizeof port_file, "%s/port", sp->dir);
  fflush(NULL);
  sp->pid = fork();
  if (sp->pid < 0) {
    snprintf(err, cap, "fork failed: %s", strerror(errno));
    cleanup_dir(sp);
    return -1;
  }
  if (sp->pid == 0)
    child(sp->exe, port_file, args);
  if (wait_listening(sp, port_file, err, cap) != 0) {
    simproc_stop(sp);
    return -1;
  }
  snprintf(sp->base_url, sizeof sp->base_url, "http://127.0.0.1:%d", sp->port);
  return 0;
}

int simproc_stop(simproc *sp) {
  int status = 0, rc = -1;
  if (sp->pid > 0) {
    kill(sp->pid, SIGTERM);
    for (int waited = 0; waited < 5000; waited += 10) {
      pid_t r = waitpid(sp->pid, &status, WNOHANG);
      if (r == sp->pid) {
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      sleep_ms(10);
    }
    if (rc == -1 && waitpid(sp->pid, &status, WNOHANG) == 0) {
      kill(sp->pid, SIGKILL);
      waitpid(sp->pid, &status, 0);
    }
    sp->pid = 0;
  }
  cleanup_dir(sp);
  return rc;
}

/* ---- HTTP ---------------------------------------------------------------- */

typedef struct buffer {
  char *data;
  size_t len;
} buffer;

static size_t collect(char *ptr, size_t size, size_t n, void *userdata) {
  buffer *b = userdata;
  size_t add = size * n;
  char *d = realloc(b->data, b->len + add + 1);
  if (!d)
    return 0; /* makes curl fail the transfer */
  memcpy(d + b->len, ptr, add);
  b->len += add;
  d[b->len] = '\0';
  b->data = d;
  return add;
}

static struct curl_slist *header_list(const char *const *headers,
                                      const char *body) {
  struct curl_slist *list = NULL, *next;
  for (int i = 0; headers && headers[i]; i++) {
    next = curl_slist_append(list, headers[i]);
    if (!next)
      break;
    list = next;
  }
  if (body) {
    int has_ct = 0;
    for (int i = 0; headers && headers[i]; i++)
      has_ct |= strncasecmp(headers[i], "Content-Type:", 13) == 0;
    if (!has_ct &&
        (next = curl_slist_append(list, "Content-Type: application/json")))
      list = next;
  }
  /* curl sends "Expect: 100-continue" for big bodies; the sims do not need it.
   */
  if ((next = curl_slist_append(list, "Expect:")))
    list = next;
  return list;
}

int simproc_http(const char *method, const char *url,
                 const char *const *headers, const char *body, long timeout_ms,
                 simproc_http_result *result) {
  buffer b = {0}, h = {0};
  char *ct = NULL;
  memset(result, 0, sizeof *result);
  CURL *curl = curl_easy_init();
  if (!curl) {
    result->curl_code = CURLE_FAILED_INIT;
    return -1;
  }
  struct curl_slist *list = header_list(headers, body);
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  if (strcmp(method, "HEAD") == 0)
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &h);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   timeout_ms > 0 ? timeout_ms : 30000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  CURLcode rc = curl_easy_perform(curl);
  result->curl_code = (int)rc;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result->status);
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &result->seconds);
  if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
    snprintf(result->content_type, sizeof result->content_type, "%s", ct);
  result->body = b.data;
  result->body_len = b.len;
  result->headers = h.data;
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK ? 0 : -1;
}

void simproc_http_result_free(simproc_http_result *result) {
  free(result->body);
  free(result->headers);
  result->body = result->headers = NULL;
}

int simproc_http_header(const simproc_http_result *result, const char *name,
                        char *out, size_t cap) {
  size_t n = strlen(name);
  for (const char *line = result->headers; line && *line;) {
    const char *end = strchr(line, '\n');
    size_t len = end ? (size_t)(end - line) : strlen(line);
    if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
      const char *v = line + n + 1;
      while (*v == ' ' || *v == '\t')
        v++;
      size_t vlen = len - (size_t)(v - line);
      while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
        vlen--;
      snprintf(out, cap, "%.*s", (int)vlen, v);
      return 0;
    }
    line = end ? end + 1 : line + len;
  }
  return -1;
}

/* ---- control API -----------------------------------------------------------
 */

json_object *simproc_get_json(const simproc *sp, const char *path) {
  char url[1024];
  simproc_http_result r;
  json_object *o = NULL;
  snprintf(url, sizeof url, "%s%s", sp->base_url, path);
  if (simproc_http("GET", url, NULL, NULL, 0, &r) == 0 && r.status / 100 == 2 &&
      r.body)
    o = json_tokener_parse(r.body);
  simproc_http_result_free(&r);
  return o;
}

int simproc_send_json(const simproc *sp, const char *method, const char *path,
                      const char *json) {
  char url[1024];
  simproc_http_result r;
  snprintf(url, sizeof url, "%s%s", sp->base_url, path);
  int rc =
      simproc_http(method, url, NULL, json, 0, &r) == 0 && r.status / 100 == 2
          ? 0
          : -1;
  simproc_http_result_free(&r);
  return rc;
}

json_object *simproc_log(const simproc *sp) {
  return simproc_get_json(sp, "/_sim/log");
}

int simproc_clear_log(const simproc *sp) {
  return simproc_send_json(sp, "DELETE", "/_sim/log", NULL);
}

int simproc_set_faults(const simproc *sp, const char *rules_json) {
  return simproc_send_json(sp, "POST", "/_sim/faults", rules_json);
}

int simproc_clear_faults(const simproc *sp) {
  return simproc_send_json(sp, "DELETE", "/_sim/faults", NULL);
}

json_object *simproc_get_state(const simproc *sp) {
  return simproc_get_json(sp, "/_sim/state");
}

int simproc_put_state(const simproc *sp, const char *state_json) {
  return simproc_send_json(sp, "PUT", "/_sim/state", state_json);
}

json_object *simproc_stats(const simproc *sp) {
  return simproc_get_json(sp, "/_sim/stats");
}
