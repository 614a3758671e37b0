/* SPDX-License-Identifier: MIT */
/*
 * lpsa/host.h — the services the host lends to a driver.
 *
 * Like SQLite's sqlite3_api_routines, the host passes a table of function
 * pointers to driver.open(); a driver calls the host only through it and never
 * links against host symbols. This is what lets a driver built against an
 * older SDK load into a newer host.
 *
 * Rules for drivers:
 *   - Check api->abi_major == LPSA_ABI_MAJOR, and before calling a member
 *     added in a later minor, check api->struct_size reaches it with
 *     LPSA_HOST_HAS(api, member).
 *   - Threading: the host calls a driver from one thread at a time and every
 *     member here must be called from that thread. Concurrency of network I/O
 *     is the host's job: ask for it with http_many(). The one exception is
 *     opted into: an instance that called concurrent_writes() during open()
 *     has set_quantity() called on several threads at once (see there);
 *     then log, http, http_many, http_release, http_header, url_escape, now
 *     and status_str may be called from any of those threads.
 *   - Memory: the host owns every buffer it hands out; release an HTTP
 *     response with http_release(). Builders copy what they are given.
 *   - Never print and never exit: log through log(), fail by returning a
 *     status and a message.
 *   - Secrets: the host already knows every credential value of the driver's
 *     section, and learns the value of every header it counts as sensitive
 *     as the request is sent: its own (Authorization, Proxy-Authorization,
 *     Cookie, X-Api-Key, Api-Key) and those the driver names in
 *     lpsa_driver.sensitive_headers (since 1.1; the host keeps one table of
 *     their names). It hides each of them, raw, percent-encoded or
 *     base64-encoded, from every log line, report, journal entry and
 *     notification, so an error text quoting a server's answer may be
 *     returned as it is. A header value holding a line break is refused.
 */
#ifndef LPSA_HOST_H
#define LPSA_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lpsa/model.h"
#include "lpsa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque handles. lpsa_host is the host as a whole (given to open()), an
 * lpsa_snapshot is the host-owned model being filled by snapshot(). */
typedef struct lpsa_host lpsa_host;
typedef struct lpsa_snapshot lpsa_snapshot;

/* Levels of log(). A host logs a level it does not know as LPSA_LOG_ERROR. */
typedef enum lpsa_log_level {
  LPSA_LOG_DEBUG = 0, /* since 1.0 */
  LPSA_LOG_INFO = 1,  /* since 1.0 */
  LPSA_LOG_WARN = 2,  /* since 1.0 */
  LPSA_LOG_ERROR = 3  /* since 1.0 */
} lpsa_log_level;

/* Flags of lpsa_http_request.flags. A host ignores a flag it does not
 * know. */
enum {
  /* since 1.0: The request may be repeated safely although its method is not
   * GET/HEAD (a PATCH setting an absolute value, a POST that only queries).
   * Without this flag a POST/PATCH/PUT/DELETE is sent once: a lost answer is
   * reported, never retried, because a repeat could apply a change twice. */
  LPSA_HTTP_RETRY_SAFE = 1u << 0,
  /* since 1.0: Never retry, not even a GET (for example a probe). */
  LPSA_HTTP_NO_RETRY = 1u << 1
};

/* One HTTP request. Everything is borrowed for the duration of the call. */
typedef struct lpsa_http_request {
  size_t size; /* since 1.0 */
  /* since 1.0: "GET", "POST", "PATCH", "PUT", "DELETE" */
  const char *method;
  const char *url; /* since 1.0: absolute http(s) URL */
  /* since 1.0: "Name: value" strings, NULL-terminated; or NULL */
  const char *const *headers;
  const char *body; /* since 1.0: request body or NULL */
  size_t body_len;  /* since 1.0 */
  unsigned flags;   /* since 1.0: LPSA_HTTP_* */
  /* since 1.0: Counting label for the per-run request metrics, such as
   * "autotask Contracts/query". NULL: the host derives one from the method and
   * the URL path, with numeric path segments replaced by {id}. */
  const char *label;
  /* since 1.0: Concurrency group: http_many() never runs more than group_limit
   * requests of one group at once (Autotask allows 3 threads per entity
   * endpoint). NULL or 0: only the host's global bound applies. */
  const char *group;
  unsigned group_limit; /* since 1.0 */
  long timeout_ms;      /* since 1.0: 0: the host's configured timeout */
} lpsa_http_request;

/* One HTTP answer. Filled by the host (which clears it first, so it may be
 * uninitialised); release with http_release(). Unlike the other records,
 * this struct never grows: the host writes it whole, so a later ABI minor
 * adds what it needs through a new call instead. */
typedef struct lpsa_http_response {
  size_t size; /* since 1.0 */
  /* since 1.0: the final HTTP status; 0 when no answer arrived */
  long status;
  /* since 1.0: NUL-terminated (the NUL is not counted in body_len) */
  char *body;
  size_t body_len;   /* since 1.0 */
  unsigned attempts; /* since 1.0: how many times the request was sent */
  char error[256];   /* since 1.0: empty, or what went wrong in transport */
  void *priv;        /* since 1.0: the host's; do not touch */
} lpsa_http_response;

/* A request budget for one concurrency group (since 1.1; see
 * lpsa_host_api.http_pace), for a PSA that limits how many requests a
 * client may send over minutes rather than how many at once. */
typedef struct lpsa_http_pace {
  size_t size; /* since 1.1 */
  /* since 1.1: required: the lpsa_http_request.group paced */
  const char *group;
  /* since 1.1: sends in any rolling window; 0 removes the pace */
  unsigned max_requests;
  long window_ms; /* since 1.1: the window's length, > 0 */
  /* since 1.1: After a 429 that names no Retry-After, the whole group waits
   * this long before its next send, doubled for each further 429 in a row, up
   * to the host's longest back-off. 0: only the host's own back-off. */
  long backoff_ms;
  /* since 1.1: A request of the group answered 429 is sent again up to this
   * many times (a limit counted over minutes takes longer to clear than the
   * host's usual retries wait). 0: the host's usual number of retries. */
  unsigned retries_429;
} lpsa_http_pace;

/*
 * The host services table. Members are only ever appended; see the growth
 * rules and the changelog in driver.h.
 */
typedef struct lpsa_host_api {
  uint32_t abi_major; /* since 1.0: LPSA_ABI_MAJOR of the host */
  uint32_t abi_minor; /* since 1.0: LPSA_ABI_MINOR of the host */
  size_t struct_size; /* since 1.0: sizeof(lpsa_host_api) in the host */

  /* -- logging ------------------------------------------------------------ */
  /* since 1.0: printf-style; one line, no trailing newline needed. */
  void (*log)(lpsa_host *host, lpsa_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
      __attribute__((format(printf, 3, 4)))
#endif
      ;

  /* -- HTTP transport ----------------------------------------------------- */
  /* since 1.0: Send one request, with the host's timeouts, TLS verification,
   * size cap and retries (429/502/503/504 and connection errors, exponential
   * back-off with jitter, honouring Retry-After). Returns LPSA_OK when an HTTP
   * answer arrived, whatever its status; otherwise LPSA_ERR_NETWORK,
   * LPSA_ERR_TOO_LARGE or LPSA_ERR_NOMEM with resp->error set. The response
   * must be released with http_release() in every case. */
  int (*http)(lpsa_host *host, const lpsa_http_request *req,
              lpsa_http_response *resp);
  /* since 1.0: Send n independent requests concurrently, bounded by the host's
   * configured concurrency and each request's group_limit; resps[i] answers
   * reqs[i]. Returns LPSA_OK when every request got an HTTP answer, else the
   * first failure; each response must be released. */
  int (*http_many)(lpsa_host *host, const lpsa_http_request *reqs,
                   lpsa_http_response *resps, size_t n);
  /* since 1.0 */
  void (*http_release)(lpsa_host *host, lpsa_http_response *resp);
  /* since 1.0: Copy the value of response header `name` (case-insensitive; the
   * last one if repeated) into buf. Returns its length, or -1 if absent. The
   * value is truncated to cap - 1 bytes and always NUL-terminated when cap > 0.
   */
  long (*http_header)(lpsa_host *host, const lpsa_http_response *resp,
                      const char *name, char *buf, size_t cap);
  /* since 1.0: Percent-encode `in` for a URL query value (RFC 3986 unreserved
   * kept). Returns the length needed, excluding the NUL; writes at most cap
   * bytes. */
  size_t (*url_escape)(const char *in, char *out, size_t cap);

  /* -- clock -------------------------------------------------------------- */
  /* since 1.0: The current time. Tests fix it (LPSA_NOW=2026-11-15T12:00:00Z),
   * so drivers must use this, never time(). */
  time_t (*now)(lpsa_host *host);

  /* -- snapshot builders (only during snapshot()) ------------------------ */
  /* since 1.0, all four. Each copies the record. They return LPSA_OK,
   * LPSA_ERR_INVALID (a required field missing, a reference to an unknown
   * company/agreement, a duplicate id) or LPSA_ERR_NOMEM. Emit companies before
   * their agreements and agreements before their lines. */
  int (*add_company)(lpsa_snapshot *snap, const lpsa_company *company);
  int (*add_agreement)(lpsa_snapshot *snap, const lpsa_agreement *agreement);
  int (*add_line)(lpsa_snapshot *snap, const lpsa_line *line);
  /* Report that request->products[index] was found in the PSA catalog as
   * psa_product_id (label: its name there, or NULL). A product never reported
   * found becomes PRODUCT_NOT_FOUND. */
  int (*product_found)(lpsa_snapshot *snap, size_t index,
                       const char *psa_product_id, const char *label);

  /* -- check (only during check()) --------------------------------------- */
  /* since 1.0: One item of the `lpsa-host check` checklist: what was checked,
   * whether it passed, and on failure what the person should do. */
  void (*check_item)(lpsa_host *host, const char *what, int ok,
                     const char *detail);

  /* -- misc --------------------------------------------------------------- */
  /* since 1.0: A stable English name for a status code ("LPSA_ERR_AUTH" ->
   * "rejected credentials"). Never NULL. */
  const char *(*status_str)(int status);

  /* -- since 1.1 ---------------------------------------------------------- */
  /* since 1.1: Only during snapshot(): attach a note to an emitted company
   * (copied). LPSA_OK, LPSA_ERR_INVALID (kind 0, no company_id or message, a
   * company or agreement not emitted) or LPSA_ERR_NOMEM. */
  int (*add_note)(lpsa_snapshot *snap, const lpsa_note *note);

  /* since 1.1: Pace every request whose group is pace->group (copied; a later
   * call for the group replaces it), in http() and http_many() alike: no send
   * of the group, first attempts and retries counted the same, starts
   * while max_requests of them started in the last window_ms; a 429 to
   * any of them holds the whole group (Retry-After, else backoff_ms) and
   * is retried (retries_429 times, or as usual). group_limit still bounds how
   * many run at once. Applies for the life of `host`; may be called from
   * open(), which does not touch the network. LPSA_OK, LPSA_ERR_INVALID (no
   * group, a window
   * <= 0, a negative backoff_ms) or LPSA_ERR_NOMEM. */
  int (*http_pace)(lpsa_host *host, const lpsa_http_pace *pace);

  /* Call from open(): this instance's set_quantity() may run on several
   * threads at once. The host then writes the changes of a run in
   * parallel, never two of one company or one agreement at once, within
   * its own bounds (max_concurrency, every request's group_limit, the
   * paces): each call still re-reads, writes and verifies its one line,
   * and the host still journals the intent before the call and the result
   * after it. The instance must keep what set_quantity() changes in its
   * context (a token refreshed, an API root found again) behind its own
   * lock. Without this call the host calls set_quantity() one at a time,
   * from one thread. LPSA_OK (LPSA_ERR_INVALID without a host). */
  int (*concurrent_writes)(lpsa_host *host);
} lpsa_host_api;

/* Is `member` present in this host's table? (since 1.0) */
#define LPSA_HOST_HAS(api, member)                                             \
  ((api)->struct_size >= offsetof(lpsa_host_api, member) +                     \
                             sizeof(((lpsa_host_api *)0)->member) &&           \
   (api)->member != NULL)

#ifdef __cplusplus
}
#endif

#endif
