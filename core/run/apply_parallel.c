/* SPDX-License-Identifier: MIT */
/*
 * apply_parallel.c — several changes written at once, for a driver whose
 * set_quantity() may run on several threads (lpsa_host_api.
 * concurrent_writes).
 *
 * The run's thread hands out changes and takes their results; `writers`
 * threads only call the driver. So every guarantee of the one-at-a-time
 * loop holds, change by change:
 *   - the intent is journaled before the change is handed out, the result
 *     after it came back, and until when a delta write may be in flight
 *     before it is sent (the writer waits for it), all on the run's
 *     thread (one journal connection, never shared);
 *   - a signal, the deadline, rejected credentials, transport failures in
 *     a row, another writer or a journal that refuses an intent stop the
 *     handing out; the writes in flight finish (each holds the deadline
 *     for itself) and are journaled; what was never handed out stays
 *     planned for the next run;
 *   - two changes of one company or one agreement are never in flight at
 *     once (a PSA that writes a whole invoice would lose one of them);
 *   - a SIGKILL at any moment leaves at most `writers` intents open, each
 *     resolved from the PSA by the next run, as one would be;
 *   - the first change goes out alone, and one more may go out beside the
 *     others after each that succeeded (up to `writers`), while a transport
 *     failure halves how many: a PSA that is down, refuses the
 *     credentials, or has another writer is found by one write, not by
 *     `writers` of them at once.
 * The HTTP client bounds the requests themselves (its window, every
 * request's group_limit, the paces), whichever thread sends them.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "apply_internal.h"

typedef struct crew crew;

typedef struct slot {
  apply_job job;
  int busy;     /* handed out, result not yet taken */
  int finished; /* the writer is done with it */
  crew *crew;
  /* Its delta write is about to be sent (job.mark): the run's thread
   * journals until when it may be in flight, and the send waits for it. */
  int mark_asked, mark_done, mark_rc;
  long timeout_ms;
} slot;

struct crew {
  const apply_ctx *ctx;
  slot *slots;
  size_t n;
  size_t limit; /* how many may be in flight now (1..n) */
  pthread_mutex_t mu;
  pthread_cond_t work;   /* a job was queued, or quit */
  pthread_cond_t done;   /* a job finished, or a mark was asked */
  pthread_cond_t marked; /* a mark was journaled */
  size_t *queue;         /* slots waiting for a writer */
  size_t queued;
  int quit;
  size_t planned, written; /* for ctx->on_write */
};

/* The hook of a writer's delta write (http_on_unrepeatable), on whichever
 * thread sends it: the journal is the run's thread's alone, so ask it and
 * wait. The request is sent only once the mark is in the journal. */
static int ask_mark(void *arg, long timeout_ms) {
  slot *s = arg;
  crew *c = s->crew;
  pthread_mutex_lock(&c->mu);
  s->timeout_ms = timeout_ms;
  s->mark_done = 0;
  s->mark_asked = 1;
  pthread_cond_signal(&c->done);
  while (!s->mark_done)
    pthread_cond_wait(&c->marked, &c->mu);
  int rc = s->mark_rc;
  pthread_mutex_unlock(&c->mu);
  return rc;
}

/* Journal the marks asked (c->mu held; let go while journaling). */
static void journal_marks(crew *c) {
  for (size_t i = 0; i < c->n; i++) {
    slot *s = &c->slots[i];
    if (!s->mark_asked)
      continue;
    s->mark_asked = 0;
    long timeout_ms = s->timeout_ms;
    pthread_mutex_unlock(&c->mu);
    int rc = journal_write_sent(s->job.journal, s->job.change_id,
                                apply_wall_ms() + timeout_ms) == LPSA_OK
                 ? 0
                 : -1;
    pthread_mutex_lock(&c->mu);
    s->job.sent = 1;
    s->mark_rc = rc;
    s->mark_done = 1;
    pthread_cond_broadcast(&c->marked);
  }
}

static void *writer(void *arg) {
  crew *c = arg;
  pthread_mutex_lock(&c->mu);
  for (;;) {
    while (!c->quit && c->queued == 0)
      pthread_cond_wait(&c->work, &c->mu);
    if (c->queued == 0)
      break;
    size_t i = c->queue[--c->queued];
    pthread_mutex_unlock(&c->mu);
    apply_write(c->ctx, &c->slots[i].job);
    pthread_mutex_lock(&c->mu);
    c->slots[i].finished = 1;
    pthread_cond_signal(&c->done);
  }
  pthread_mutex_unlock(&c->mu);
  return NULL;
}

static int same(const char *a, const char *b) {
  return a && b && *a && strcmp(a, b) == 0;
}

/* Whether `o` may go out beside what is in flight. */
static int clashes(const crew *c, const outcome *o) {
  for (size_t i = 0; i < c->n; i++) {
    const slot *s = &c->slots[i];
    if (s->busy && (same(s->job.o->psa_company_id, o->psa_company_id) ||
                    same(s->job.o->agreement_id, o->agreement_id) ||
                    same(s->job.o->line_id, o->line_id)))
      return 1;
  }
  return 0;
}

/* The next planned change not handed out yet that clashes with nothing in
 * flight, from `*first` on (the changes before it are all handed out). */
static outcome *next_change(crew *c, run_result *res, unsigned char *handed,
                            size_t *first, size_t *index) {
  while (*first < res->n &&
         (handed[*first] || res->outcomes[*first].status != ST_PLANNED))
    ++*first;
  for (size_t i = *first; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    if (!handed[i] && o->status == ST_PLANNED && !clashes(c, o)) {
      *index = i;
      return o;
    }
  }
  return NULL;
}

static size_t free_slot(const crew *c) {
  for (size_t i = 0; i < c->n; i++)
    if (!c->slots[i].busy)
      return i;
  return c->n;
}

static int start_crew(crew *c, pthread_t *threads, size_t *started) {
  /* Signals stay with the run's thread, which decides to stop. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  *started = 0;
  for (size_t i = 0; i < c->n; i++) {
    if (pthread_create(&threads[i], NULL, writer, c) != 0)
      break;
    ++*started;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return *started > 0 ? 0 : -1;
}

static void stop_crew(crew *c, pthread_t *threads, size_t started) {
  pthread_mutex_lock(&c->mu);
  c->quit = 1;
  pthread_cond_broadcast(&c->work);
  pthread_mutex_unlock(&c->mu);
  for (size_t i = 0; i < started; i++)
    pthread_join(threads[i], NULL);
}

/* Hand out what may go out now. */
static void hand_out(crew *c, run_result *res, apply_stats *st,
                     unsigned char *handed, size_t *first, size_t *in_flight) {
  while (*in_flight < c->limit && !apply_should_stop(c->ctx, st)) {
    size_t index, k = free_slot(c);
    outcome *o = k < c->n ? next_change(c, res, handed, first, &index) : NULL;
    if (!o)
      return;
    int begun = apply_begin(c->ctx, o, st, &c->slots[k].job);
    if (begun == 1)
      return; /* the journal refused: nothing more goes out */
    handed[index] = 1;
    if (begun == 2) {
      /* Blocked by the gate: an error of its own, nothing sent. */
      if (c->ctx->on_write)
        c->ctx->on_write(c->ctx->on_write_arg, ++c->written, c->planned);
      continue;
    }
    c->slots[k].job.mark = ask_mark;
    c->slots[k].job.mark_arg = &c->slots[k];
    c->slots[k].crew = c;
    pthread_mutex_lock(&c->mu);
    c->slots[k].busy = 1;
    c->slots[k].finished = 0;
    c->queue[c->queued++] = k;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->mu);
    ++*in_flight;
  }
}

/* Wait for at least one write to finish; end every finished one. */
static int take_results(crew *c, apply_stats *st, size_t *in_flight,
                        int *transport_failures) {
  int rc = 0;
  pthread_mutex_lock(&c->mu);
  for (;;) {
    journal_marks(c);
    int any = 0;
    for (size_t i = 0; i < c->n; i++)
      any |= c->slots[i].busy && c->slots[i].finished;
    if (any)
      break;
    pthread_cond_wait(&c->done, &c->mu);
  }
  pthread_mutex_unlock(&c->mu);
  for (size_t i = 0; i < c->n; i++) {
    slot *s = &c->slots[i];
    pthread_mutex_lock(&c->mu);
    int mine = s->busy && s->finished;
    pthread_mutex_unlock(&c->mu);
    if (!mine)
      continue;
    if (apply_end(c->ctx, &s->job, st))
      rc = -1;
    if (c->ctx->on_write)
      c->ctx->on_write(c->ctx->on_write_arg, ++c->written, c->planned);
    apply_after(st, s->job.rc, transport_failures);
    if (apply_is_transport(s->job.rc))
      c->limit = c->limit > 1 ? c->limit / 2 : 1;
    else if (s->job.rc == LPSA_OK && c->limit < c->n)
      c->limit++;
    s->busy = 0;
    --*in_flight;
  }
  return rc;
}

int apply_parallel(const apply_ctx *ctx, run_result *res, apply_stats *st,
                   size_t planned) {
  crew c = {.ctx = ctx, .n = ctx->writers, .planned = planned};
  c.slots = calloc(c.n, sizeof *c.slots);
  c.queue = calloc(c.n, sizeof *c.queue);
  unsigned char *handed = calloc(res->n + 1, 1);
  pthread_t *threads = calloc(c.n, sizeof *threads);
  size_t started = 0;
  pthread_mutex_init(&c.mu, NULL);
  pthread_cond_init(&c.work, NULL);
  pthread_cond_init(&c.done, NULL);
  pthread_cond_init(&c.marked, NULL);
  int rc = c.slots && c.queue && handed && threads ? 0 : -1;
  if (rc == 0 && start_crew(&c, threads, &started) != 0) {
    /* No thread at all: one change after the other. */
    apply_ctx one = *ctx;
    one.writers = 1;
    rc = apply_plan(&one, res, st);
    goto out;
  }
  c.n = started;
  c.limit = 1;
  size_t first = 0, in_flight = 0;
  int transport_failures = 0;
  while (rc == 0) {
    hand_out(&c, res, st, handed, &first, &in_flight);
    if (in_flight == 0)
      break;
    if (take_results(&c, st, &in_flight, &transport_failures))
      rc = -1;
  }
  /* Out of memory: the writes in flight still end and are journaled. */
  while (in_flight > 0)
    take_results(&c, st, &in_flight, &transport_failures);
  for (size_t i = 0; handed && i < res->n; i++)
    if (!handed[i] && res->outcomes[i].status == ST_PLANNED)
      st->not_attempted++;
out:
  if (started)
    stop_crew(&c, threads, started);
  pthread_cond_destroy(&c.done);
  pthread_cond_destroy(&c.marked);
  pthread_cond_destroy(&c.work);
  pthread_mutex_destroy(&c.mu);
  free(c.slots);
  free(c.queue);
  free(handed);
  free(threads);
  return rc;
}
