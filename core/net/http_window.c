/* SPDX-License-Identifier: MIT */
/*
 * http_window.c — adaptive concurrency (see http_window.h).
 */
#include "http_window.h"

void http_window_init(http_window *w, unsigned max_concurrency) {
  unsigned max = max_concurrency ? max_concurrency : 1;
  *w = (http_window){.max = max,
                     .size = max < HTTP_WINDOW_START ? max : HTTP_WINDOW_START,
                     .threshold = max,
                     .fastest_ms = -1};
}

unsigned http_window_limit(const http_window *w) {
  unsigned n = (unsigned)w->size;
  return n < 1 ? 1 : n > w->max ? w->max : n;
}

unsigned long http_window_started(http_window *w, unsigned in_flight) {
  if (in_flight > w->peak)
    w->peak = in_flight;
  return w->started++;
}

static int slow(const http_window *w, long elapsed_ms) {
  return w->fastest_ms >= 0 &&
         elapsed_ms > HTTP_WINDOW_SLOW * w->fastest_ms + HTTP_WINDOW_SLOW_MS;
}

void http_window_answered(http_window *w, unsigned long ticket,
                          http_window_answer how, long elapsed_ms) {
  if (how == HTTP_WINDOW_THROTTLED) {
    /* Sent before the last halving: that halving already answered it. */
    if (ticket < w->epoch)
      return;
    double half = w->size / 2;
    w->threshold = half < 1 ? 1 : half;
    w->size = w->threshold;
    w->epoch = w->started;
    w->halvings++;
    unsigned now = http_window_limit(w);
    if (!w->smallest || now < w->smallest)
      w->smallest = now;
    return;
  }
  if (how != HTTP_WINDOW_HEALTHY || slow(w, elapsed_ms))
    return;
  if (w->fastest_ms < 0 || elapsed_ms < w->fastest_ms)
    w->fastest_ms = elapsed_ms < 0 ? 0 : elapsed_ms;
  w->size += w->size < w->threshold ? 1.0 : 1.0 / w->size;
  if (w->size > w->max)
    w->size = w->max;
}
