/* SPDX-License-Identifier: MIT */
/*
 * progress.c — phases drawn on a terminal or written to the log. LastPass
 * is read on a thread of its own while the PSA's reads are shown, so every
 * entry point takes the progress's lock, and LastPass's pages are counted
 * whichever phase is shown.
 */
#include "progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Redraws of the terminal line, at most per second. */
#define PROGRESS_TTY_HZ 10.0
/* Seconds between two log lines while a phase lasts. */
#define PROGRESS_LOG_EVERY 10.0

struct progress {
  progress_mode mode;
  FILE *tty;
  lpsa_log *log;
  char psa[64];
  progress_clock clock;
  double t0;
  int active; /* a phase is open */
  progress_phase phase;
  size_t done, total;
  int drawn;             /* the terminal shows our unfinished line */
  double last_draw;      /* when it was drawn */
  double last_log;       /* when the last log line was written (-1: never) */
  size_t lastpass_pages; /* read so far, in whatever phase */
  progress_watch_fn watch;
  void *watch_arg;
  pthread_mutex_t lock; /* over all of it */
};

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

progress_mode progress_mode_for(int quiet, int json, int verbose, int daemon,
                                int stderr_is_tty) {
  if (quiet || json)
    return PROGRESS_OFF;
  if (daemon || verbose)
    return PROGRESS_LOG;
  return stderr_is_tty ? PROGRESS_TTY : PROGRESS_OFF;
}

/* A log line is about to be written: take our line off the terminal. */
static void erase(void *arg) {
  progress *p = arg;
  pthread_mutex_lock(&p->lock);
  if (p->drawn) {
    fputs("\r\033[K", p->tty);
    p->drawn = 0;
  }
  pthread_mutex_unlock(&p->lock);
}

progress *progress_new(progress_mode mode, FILE *tty, lpsa_log *log,
                       const char *psa, progress_clock clock) {
  if (mode == PROGRESS_OFF)
    return NULL;
  progress *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->mode = mode;
  p->tty = tty ? tty : stderr;
  p->log = log;
  snprintf(p->psa, sizeof p->psa, "%s", psa && *psa ? psa : "PSA");
  p->clock = clock ? clock : monotonic;
  p->t0 = p->clock();
  p->last_log = -1;
  pthread_mutex_init(&p->lock, NULL);
  if (mode == PROGRESS_TTY)
    log_set_before_line(log, erase, p);
  return p;
}

static void elapsed(double s, char *out, size_t cap) {
  if (s < 60)
    snprintf(out, cap, "%.1f s", s);
  else
    snprintf(out, cap, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

static void describe(const progress *p, double now, char *out, size_t cap) {
  char took[32];
  elapsed(now - p->t0, took, sizeof took);
  switch (p->phase) {
  case PROGRESS_LASTPASS:
    snprintf(out, cap, "LastPass: %zu page%s read (elapsed %s)", p->done,
             p->done == 1 ? "" : "s", took);
    break;
  case PROGRESS_PSA_READ:
    snprintf(out, cap, "%s: reads %zu/%zu (elapsed %s)", p->psa, p->done,
             p->total, took);
    break;
  default:
    snprintf(out, cap, "%s: writes %zu/%zu (elapsed %s)", p->psa, p->done,
             p->total, took);
    break;
  }
}

void progress_watch(progress *p, progress_watch_fn fn, void *arg) {
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  p->watch = fn;
  p->watch_arg = arg;
  pthread_mutex_unlock(&p->lock);
}

/* Show the current state; `final` ends the phase. */
static void show(progress *p, int final) {
  if (p->watch)
    p->watch(p->watch_arg, p->phase, p->done, p->total, final);
  if (p->mode == PROGRESS_QUIET)
    return;
  double now = p->clock();
  char text[256];
  if (p->mode == PROGRESS_TTY) {
    if (!final && p->drawn && now - p->last_draw < 1.0 / PROGRESS_TTY_HZ)
      return;
    describe(p, now, text, sizeof text);
    fprintf(p->tty, "\r\033[K%s%s", text, final ? "\n" : "");
    fflush(p->tty);
    p->drawn = !final;
    p->last_draw = now;
    return;
  }
  if (!final &&
      (p->last_log >= 0 ? now - p->last_log : now - p->t0) < PROGRESS_LOG_EVERY)
    return;
  describe(p, now, text, sizeof text);
  log_msg(p->log, LPSA_LOG_INFO, "progress: %s%s", text,
          final ? "" : ", going on");
  if (!final)
    p->last_log = now;
}

/* The entry points below, with the lock held. */
static void end_locked(progress *p) {
  if (!p->active)
    return;
  show(p, 1);
  p->active = 0;
}

static void update_locked(progress *p, size_t done, size_t total) {
  if (!p->active)
    return;
  p->done = done;
  p->total = total;
  show(p, 0);
}

void progress_end(progress *p) {
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  end_locked(p);
  pthread_mutex_unlock(&p->lock);
}

void progress_begin(progress *p, progress_phase phase) {
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  end_locked(p);
  p->phase = phase;
  /* LastPass's pages may have been read while another phase was shown. */
  p->done = phase == PROGRESS_LASTPASS ? p->lastpass_pages : 0;
  p->total = 0;
  p->active = 1;
  if (p->mode == PROGRESS_TTY)
    show(p, 0);
  else if (p->watch)
    p->watch(p->watch_arg, p->phase, p->done, 0, 0);
  pthread_mutex_unlock(&p->lock);
}

void progress_update(progress *p, size_t done, size_t total) {
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  update_locked(p, done, total);
  pthread_mutex_unlock(&p->lock);
}

void progress_free(progress *p) {
  if (!p)
    return;
  progress_end(p);
  if (p->mode == PROGRESS_TTY)
    log_set_before_line(p->log, NULL, NULL);
  pthread_mutex_destroy(&p->lock);
  free(p);
}

void progress_on_page(void *arg) {
  progress *p = arg;
  if (!p)
    return;
  pthread_mutex_lock(&p->lock);
  p->lastpass_pages++;
  if (p->phase == PROGRESS_LASTPASS)
    update_locked(p, p->lastpass_pages, 0);
  pthread_mutex_unlock(&p->lock);
}

void progress_on_http(void *arg, unsigned long done, unsigned long asked) {
  progress_update(arg, (size_t)done, (size_t)asked);
}

void progress_on_write(void *arg, size_t done, size_t total) {
  progress_update(arg, done, total);
}
