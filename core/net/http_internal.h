/* SPDX-License-Identifier: MIT */
/*
 * http_internal.h — what the parts of the HTTP client share (http.c the
 * client, http_transfer.c one request's attempts, http_pool.c the loop that
 * runs them); nothing outside core/net/http*.c includes it.
 *
 * Locking: one mutex (`mu`) guards the whole client: its counters, pace,
 * window, jitter source, deadline and the queue of batches. Whichever
 * calling thread "drives" (http_pool.c) holds it while it works the multi
 * handle, and lets go only while it waits in curl_multi_poll(); the other
 * callers wait on `cv` for their batch to end or for the drive to be free.
 */
#ifndef LPSA_CORE_HTTP_INTERNAL_H
#define LPSA_CORE_HTTP_INTERNAL_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "http.h"
#include "http_sensitive.h"
#include "http_window.h"
#include "pace.h"

#if LIBCURL_VERSION_NUM < 0x074400
#error "lpsa needs libcurl 7.68 or newer (curl_multi_poll, curl_multi_wakeup)"
#endif

/* A growable byte buffer, always NUL-terminated once it holds anything. */
typedef struct buf {
  char *data;
  size_t len, cap;
} buf;
int buf_add(buf *b, const char *p, size_t n);
void buf_clear(buf *b);

typedef struct batch batch;

/* The states of a transfer in the pool. */
enum { T_QUEUED, T_WAITING, T_RUNNING, T_DONE };

/* One request; each send of it is an attempt. */
typedef struct transfer {
  http_client *client;
  batch *owner;
  lpsa_http_request req; /* a full-size copy (the caller's may be older) */
  lpsa_http_response *resp;
  char *where; /* "host/path" for messages */
  char *label; /* counting label */
  struct curl_slist *headers;
  int resendable; /* may be sent more than once (retried) */
  int exempt;     /* sent while its thread holds the deadline (a write) */
  /* Must not be sent twice (a delta write): its thread's hook, if any, is
   * told right before it is sent (http_on_unrepeatable). */
  int once;
  http_unrepeatable_fn unrepeatable;
  void *unrepeatable_arg;
  long timeout_ms;
  CURL *easy; /* the handle of the current attempt */
  buf body, head;
  int too_large, nomem;
  unsigned sends; /* times curl began sending in this attempt */
  char errbuf[CURL_ERROR_SIZE];
  struct timespec started;
  unsigned long ticket; /* http_window_started() */
  int state;
  struct timespec wake; /* T_WAITING: when it may be sent again */
  int result;
} transfer;

/* The transfers of one http_send()/http_send_many() call. */
struct batch {
  transfer *ts;
  size_t n;
  size_t remaining; /* transfers not yet done */
  size_t first;     /* every transfer before this one is done */
  batch *next;
};

struct http_client {
  pthread_mutex_t mu;
  pthread_cond_t cv; /* a batch ended, or the drive became free */
  http_options opt;
  char *ca_file; /* owned copy of opt.ca_file */
  lpsa_log *log;
  CURLM *multi; /* one: every request shares its connection cache */
  CURL **spare; /* easy handles to reuse */
  size_t n_spare;
  transfer **active; /* running attempts, max_concurrency slots */
  size_t running;
  batch *head, *tail; /* batches in the pool, oldest first */
  int driving;        /* a caller is working the multi handle */
  http_count *counts; /* sorted by label; labels owned */
  size_t n_counts, cap_counts;
  unsigned long total;
  uint64_t rng;             /* jitter source, seeded per client */
  pace_table *pace;         /* budgets per group (http_set_pace), or NULL */
  http_sensitive sensitive; /* headers whose values are credentials */
  http_window window;       /* adaptive concurrency */
  /* The run's deadline (http_set_deadline); has_deadline 0: none. */
  int has_deadline;
  struct timespec deadline;
  char deadline_why[256];
  /* http_abandon(): no request starts any more. */
  int abandoned;
  char abandon_why[256];
  http_progress_fn progress; /* http_set_progress(), or NULL */
  void *progress_arg;
  unsigned long progress_done, progress_asked;
};

/* -- time ----------------------------------------------------------------- */
struct timespec http_mono_now(void);
struct timespec http_mono_after(long ms);
long http_ms_between(struct timespec from, struct timespec to);
int http_ts_before(struct timespec a, struct timespec b);
int64_t http_mono_ms(void);

/* -- http.c, with mu held -------------------------------------------------- */
int http_count_request(http_client *c, const char *label);
/* Whether the deadline (or an abandon) stops `t` from starting now. */
int http_stops(const transfer *t);
/* `when`, or the moment `t` must stop waiting when that is sooner. */
struct timespec http_before_deadline(const transfer *t, struct timespec when);
/* Why a transfer that may not start fails. */
const char *http_stop_why(const http_client *c);
/* Tell the progress callback (if any) that n requests were asked for, or
 * that one is over (its answer, or its last failure). */
void http_progress_asked(http_client *c, size_t n);
void http_progress_done(http_client *c);

/* -- http_transfer.c --------------------------------------------------------
 */
/* Clear the response and prepare the transfer (no lock needed: it reads
 * only what does not change while requests run). On failure the response
 * carries the error and the status is returned. */
int transfer_init(transfer *t, http_client *c, const lpsa_http_request *req,
                  lpsa_http_response *resp, int exempt);
void transfer_cleanup(transfer *t);
/* Set up the next attempt on `easy` and count it (mu held). */
int attempt_start(transfer *t, CURL *easy);
/* The end of an attempt (mu held). Returns the delay before the next
 * attempt, or -1 when the transfer is over (t->result and the response
 * then final). */
long attempt_finish(transfer *t, CURLcode code);
void transfer_set_error(lpsa_http_response *resp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* -- http_pool.c ------------------------------------------------------------
 */
/* Run batch `b` (its transfers initialised; `remaining` set) to its end,
 * with whatever else other threads put in the pool. */
void pool_run(http_client *c, batch *b);
void pool_free_spares(http_client *c);

#endif
