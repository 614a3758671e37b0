/* SPDX-License-Identifier: MIT */
/*
 * http_window.h — adaptive concurrency: how many requests one HTTP client
 * keeps in flight.
 *
 * Neither ConnectWise nor Autotask publishes a safe request rate; a 429 (or
 * Autotask's "thread threshold" answer) and slowing answers are the only
 * signals. So the window works like TCP's congestion window:
 *   - it starts at HTTP_WINDOW_START (or max_concurrency, when smaller) and
 *     grows by one per healthy answer (doubling each round trip) up to the
 *     threshold, then by one per window of healthy answers, never past
 *     max_concurrency;
 *   - a throttled answer halves it (the threshold becomes the new window,
 *     at least 1); the answers of requests already in flight when it was
 *     halved do not halve it again, so one burst of 429s counts once;
 *   - an answer much slower than the fastest seen (HTTP_WINDOW_SLOW times,
 *     plus HTTP_WINDOW_SLOW_MS) or a server failure neither grows nor
 *     shrinks it.
 * Pure bookkeeping (the caller holds the client's lock), so it is
 * unit-tested without a server.
 */
#ifndef LPSA_CORE_HTTP_WINDOW_H
#define LPSA_CORE_HTTP_WINDOW_H

#define HTTP_WINDOW_START 4
#define HTTP_WINDOW_SLOW 4
#define HTTP_WINDOW_SLOW_MS 100

typedef struct http_window {
  unsigned max;           /* max_concurrency, >= 1 */
  double size, threshold; /* the window; slow start below the threshold */
  unsigned long started;  /* attempts started so far */
  unsigned long epoch;    /* attempts started before it do not halve */
  long fastest_ms;        /* the fastest healthy answer, -1: none yet */
  unsigned peak;          /* most attempts in flight at once */
  unsigned halvings;      /* times a throttled answer halved it */
  unsigned smallest;      /* the smallest it was halved to (0: never) */
} http_window;

/* How an attempt ended, for the window. */
typedef enum http_window_answer {
  HTTP_WINDOW_HEALTHY,   /* an answer that is neither throttled nor failed */
  HTTP_WINDOW_THROTTLED, /* 429, or a thread-threshold answer */
  HTTP_WINDOW_FAILED     /* 5xx or no answer: no signal either way */
} http_window_answer;

void http_window_init(http_window *w, unsigned max_concurrency);
/* Attempts that may be in flight now (>= 1, <= max). */
unsigned http_window_limit(const http_window *w);
/* An attempt starts with `in_flight` attempts in flight, itself included.
 * Returns its ticket for http_window_answered(). */
unsigned long http_window_started(http_window *w, unsigned in_flight);
/* The attempt `ticket` ended after elapsed_ms. */
void http_window_answered(http_window *w, unsigned long ticket,
                          http_window_answer how, long elapsed_ms);

#endif
