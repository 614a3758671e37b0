/* SPDX-License-Identifier: MIT */
/*
 * http_pool.c — the loop that runs every request of a client: one curl
 * multi handle, worked by whichever caller needs it (see http_internal.h).
 *
 * Each http_send()/http_send_many() call puts its batch into the pool and
 * waits for it to end. If no one is working the multi handle, the caller
 * does: it starts what the window, the group limits and the paces allow
 * (oldest batch first), collects answers, parks a transfer that must wait
 * out a back-off, and starts the next request as soon as one ends, for its
 * own batch and for everyone else's. When its own batch is over it hands
 * the work to a caller still waiting, so no request waits for a thread.
 */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"

/* Easy handles kept for reuse (each new one costs an allocation and a
 * curl_easy_init(); the connections live in the multi handle anyway). */
#define POOL_SPARES 64

static CURL *take_easy(http_client *c) {
  return c->n_spare ? c->spare[--c->n_spare] : curl_easy_init();
}

static void give_easy(http_client *c, CURL *easy) {
  if (!easy)
    return;
  if (!c->spare)
    c->spare = calloc(POOL_SPARES, sizeof *c->spare);
  if (c->spare && c->n_spare < POOL_SPARES)
    c->spare[c->n_spare++] = easy;
  else
    curl_easy_cleanup(easy);
}

void pool_free_spares(http_client *c) {
  for (size_t i = 0; i < c->n_spare; i++)
    curl_easy_cleanup(c->spare[i]);
  free(c->spare);
  c->spare = NULL;
  c->n_spare = 0;
}

static int group_has_room(const http_client *c, const transfer *t) {
  if (!t->req.group || t->req.group_limit == 0)
    return 1;
  unsigned in_group = 0;
  for (size_t i = 0; i < c->running; i++)
    if (c->active[i]->req.group &&
        strcmp(c->active[i]->req.group, t->req.group) == 0)
      in_group++;
  return in_group < t->req.group_limit;
}

static void finish_transfer(http_client *c, transfer *t) {
  t->state = T_DONE;
  give_easy(c, t->easy);
  t->easy = NULL;
  http_progress_done(c);
  /* Its caller may be waiting for the last one. */
  if (--t->owner->remaining == 0)
    pthread_cond_broadcast(&c->cv);
}

static void start_one(http_client *c, transfer *t) {
  CURL *easy = t->easy ? t->easy : take_easy(c);
  if (!easy) {
    transfer_set_error(t->resp, "out of memory preparing %s %s", t->req.method,
                       t->where);
    t->result = LPSA_ERR_NOMEM;
    finish_transfer(c, t);
    return;
  }
  t->easy = easy;
  if (t->unrepeatable && !http_stops(t)) {
    /* Told before it can reach the server: once sent, it may still land
     * after this process is gone. The hook journals (a disk write): the
     * lock is let go meanwhile, so other threads may queue requests or
     * read counters; only this thread drives, and this transfer's batch
     * (not over) stays in the pool. */
    http_unrepeatable_fn fn = t->unrepeatable;
    t->unrepeatable = NULL;
    pthread_mutex_unlock(&c->mu);
    int refused = fn(t->unrepeatable_arg, t->timeout_ms);
    pthread_mutex_lock(&c->mu);
    if (refused) {
      transfer_set_error(t->resp,
                         "%s %s not sent: it could not be journaled "
                         "first",
                         t->req.method, t->where);
      t->resp->status = 0;
      /* As a lost answer: the driver reports the write unconfirmed, and
       * the next run reads the line before deciding anything. */
      t->result = LPSA_ERR_NETWORK;
      finish_transfer(c, t);
      return;
    }
  }
  if (attempt_start(t, easy) != LPSA_OK) {
    finish_transfer(c, t);
    return;
  }
  if (curl_multi_add_handle(c->multi, easy) != CURLM_OK) {
    transfer_set_error(t->resp, "could not start %s %s (curl multi)",
                       t->req.method, t->where);
    t->result = LPSA_ERR_NOMEM;
    finish_transfer(c, t);
    return;
  }
  t->state = T_RUNNING;
  c->active[c->running++] = t;
}

typedef struct wake {
  int have;
  struct timespec when;
} wake;

static void note_wake(wake *w, struct timespec when) {
  if (!w->have || http_ts_before(when, w->when))
    w->when = when;
  w->have = 1;
}

/* Start what may start, oldest batch first; note the earliest pending
 * back-off or pace wait. */
static void start_ready(http_client *c, wake *w) {
  struct timespec now = http_mono_now();
  unsigned limit = http_window_limit(&c->window);
  w->have = 0;
  for (batch *b = c->head; b; b = b->next) {
    while (b->first < b->n && b->ts[b->first].state == T_DONE)
      b->first++;
    for (size_t i = b->first; i < b->n && c->running < limit; i++) {
      transfer *t = &b->ts[i];
      if (t->state == T_WAITING && !http_stops(t) &&
          http_ts_before(now, t->wake)) {
        note_wake(w, t->wake);
        continue;
      }
      if (!(t->state == T_QUEUED || t->state == T_WAITING) ||
          !group_has_room(c, t))
        continue;
      /* A paced group without room in its budget waits, like a back-off;
       * past the deadline it starts, and fails at once. */
      long pace = http_stops(t)
                      ? 0
                      : pace_wait_ms(c->pace, t->req.group, http_mono_ms());
      if (pace > 0) {
        note_wake(w, http_before_deadline(t, http_mono_after(pace)));
        continue;
      }
      start_one(c, t);
    }
  }
}

static void deactivate(http_client *c, transfer *t) {
  for (size_t i = 0; i < c->running; i++)
    if (c->active[i] == t) {
      c->active[i] = c->active[--c->running];
      break;
    }
  curl_multi_remove_handle(c->multi, t->easy);
}

/* Collect finished attempts. Returns 1 when something finished. */
static int reap(http_client *c) {
  int any = 0, queued;
  CURLMsg *msg;
  while ((msg = curl_multi_info_read(c->multi, &queued))) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    char *priv = NULL;
    CURLcode code = msg->data.result;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    transfer *t = (transfer *)(void *)priv;
    if (!t)
      continue;
    deactivate(c, t);
    long delay = attempt_finish(t, code);
    if (delay < 0) {
      finish_transfer(c, t);
    } else {
      t->state = T_WAITING;
      t->wake = http_before_deadline(t, http_mono_after(delay));
    }
    any = 1;
  }
  return any;
}

/* Work the pool until `mine` is over (mu held, released while waiting). */
static void drive(http_client *c, batch *mine) {
  wake w = {0};
  int dirty = 1;
  while (mine->remaining > 0) {
    if (dirty || (w.have && !http_ts_before(http_mono_now(), w.when)))
      start_ready(c, &w);
    dirty = 0;
    if (mine->remaining == 0)
      break;
    if (c->running > 0) {
      int still = 0;
      curl_multi_perform(c->multi, &still);
      if (reap(c)) {
        dirty = 1;
        continue;
      }
    }
    long timeout = 1000;
    if (w.have) {
      long until = http_ms_between(http_mono_now(), w.when) + 1;
      timeout = until < 0 ? 0 : until < timeout ? until : timeout;
    }
    /* Other callers may add batches (or abandon) meanwhile: they wake the
     * poll, and everything is looked at again. */
    pthread_mutex_unlock(&c->mu);
    curl_multi_poll(c->multi, NULL, 0, (int)timeout, NULL);
    pthread_mutex_lock(&c->mu);
    dirty = 1;
  }
}

void pool_run(http_client *c, batch *b) {
  pthread_mutex_lock(&c->mu);
  b->next = NULL;
  if (c->tail)
    c->tail->next = b;
  else
    c->head = b;
  c->tail = b;
  http_progress_asked(c, b->remaining);
  if (c->driving)
    curl_multi_wakeup(c->multi);
  while (b->remaining > 0) {
    if (!c->driving) {
      c->driving = 1;
      drive(c, b);
      c->driving = 0;
      /* A caller whose batch is not over takes the work over. */
      pthread_cond_broadcast(&c->cv);
    } else {
      pthread_cond_wait(&c->cv, &c->mu);
    }
  }
  batch **p = &c->head;
  batch *prev = NULL;
  while (*p && *p != b) {
    prev = *p;
    p = &(*p)->next;
  }
  if (*p) {
    *p = b->next;
    if (c->tail == b)
      c->tail = prev;
  }
  pthread_mutex_unlock(&c->mu);
}
