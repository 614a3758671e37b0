/* SPDX-License-Identifier: MIT */
/*
 * simproc.h — tests start simulator programs (lastpass-sim, connectwise-sim,
 * autotask-sim, ...) as child processes and talk to them.
 *
 *   simproc sp;
 *   char err[512];
 *   const char *args[] = {"--generate", "100", NULL};
 *   ck_assert_msg(simproc_start(&sp, "lastpass-sim", args, err, sizeof err)
 *                 == 0, "%s", err);
 *   ... use sp.base_url ("http://127.0.0.1:PORT") ...
 *   simproc_stop(&sp);
 *
 * The program is looked up in $LPSA_BUILD_DIR/bin, then next to the running
 * test (both are ${CMAKE_BINARY_DIR}/bin in the build tree). simproc adds
 * "--port 0 --port-file <tmp> --quiet" and waits for the port file.
 *
 * LPSA_SIM_WRAPPER (e.g. "valgrind -q --error-exitcode=99") runs every
 * simulator under that command; simproc_stop() then returns its exit code.
 *
 * The HTTP helpers use libcurl, talk only to 127.0.0.1 and are synchronous.
 */
#ifndef LPSA_TEST_SIMPROC_H
#define LPSA_TEST_SIMPROC_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct simproc {
  pid_t pid;
  int port;
  char base_url[64]; /* "http://127.0.0.1:PORT", no trailing slash */
  char dir[256];     /* private temporary directory (port file) */
  char exe[1024];    /* the program started */
} simproc;

/* Start `program` with the extra arguments `args` (NULL-terminated, may be
 * NULL), wait up to LPSA_SIM_START_TIMEOUT_MS (default 20000) for it to
 * listen. 0, or -1 with err filled (the child is gone). */
int simproc_start(simproc *sp, const char *program, const char *const *args,
                  char *err, size_t cap);
/* SIGTERM, wait up to 5 s, then SIGKILL. Returns the exit status (0 for a
 * clean stop), or -1 when it had to be killed or was not running. Removes
 * the temporary directory. Safe to call twice. */
int simproc_stop(simproc *sp);
/* Where `program` would be found (for tests that exec it themselves). 0, or
 * -1 when it does not exist. */
int simproc_find(const char *program, char *out, size_t cap);

/* One HTTP exchange. */
typedef struct simproc_http_result {
  long status;   /* 0 when no HTTP answer was received */
  int curl_code; /* CURLcode of the transfer (0 = CURLE_OK) */
  char *body;    /* NUL-terminated, malloc'd; may be NULL */
  size_t body_len;
  char content_type[128]; /* "" when absent */
  char *headers;          /* raw response headers, malloc'd; may be NULL */
  double seconds;         /* total time */
} simproc_http_result;

/* Send `method` to `url` with optional extra header lines (NULL-terminated,
 * e.g. "Authorization: api-key x") and body (NULL for none). timeout_ms 0
 * means 30000. Returns 0 when an HTTP answer arrived (any status), -1
 * otherwise (result->curl_code says why). Free with
 * simproc_http_result_free(). */
int simproc_http(const char *method, const char *url,
                 const char *const *headers, const char *body, long timeout_ms,
                 simproc_http_result *result);
void simproc_http_result_free(simproc_http_result *result);
/* The value of response header `name` (case-insensitive) copied into out;
 * 0, or -1 when absent. */
int simproc_http_header(const simproc_http_result *result, const char *name,
                        char *out, size_t cap);

/* Control API helpers (see tests/sim/common/sim_server.h). The json_object
 * results are new references (NULL on failure); the int ones return 0 on a
 * 2xx answer, else -1. */
json_object *simproc_get_json(const simproc *sp, const char *path);
int simproc_send_json(const simproc *sp, const char *method, const char *path,
                      const char *json);
json_object *simproc_log(const simproc *sp); /* GET /_sim/log */
int simproc_clear_log(const simproc *sp);    /* DELETE /_sim/log */
int simproc_set_faults(const simproc *sp, const char *rules_json);
int simproc_clear_faults(const simproc *sp);
json_object *simproc_get_state(const simproc *sp); /* GET /_sim/state */
int simproc_put_state(const simproc *sp, const char *state_json);
json_object *simproc_stats(const simproc *sp); /* GET /_sim/stats */

#endif
