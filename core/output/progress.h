/* SPDX-License-Identifier: MIT */
/*
 * progress.h — how far a long run is, for the person waiting on it, in
 * three phases: LastPass pages read, PSA reads (requests done of those
 * asked for), PSA writes (done of planned), each with the run's elapsed
 * time.
 *
 *   PROGRESS_TTY  stderr is a terminal: one line per phase, redrawn in
 *                 place (at most ten times a second), left on screen when
 *                 the phase ends; a log line in between erases it first;
 *   PROGRESS_LOG  -v, or the daemon: one log line (info) when a phase ends,
 *                 and while it lasts at most one line every 10 seconds;
 *   PROGRESS_OFF  nothing (stderr not a terminal, -q, --json);
 *   PROGRESS_QUIET nothing drawn nor logged: only a watcher sees it (the
 *                 web console's job line).
 *
 * The lower layers never see this: the LastPass client, the HTTP client
 * and the apply loop take plain callbacks, and the adapters below are
 * those callbacks. They may come from two threads (LastPass is read beside
 * the PSA): LastPass's pages are counted while the PSA's reads are shown,
 * and a LastPass phase begun later starts at the pages read so far.
 */
#ifndef LPSA_CORE_PROGRESS_H
#define LPSA_CORE_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#include "log.h"

typedef enum progress_mode {
  PROGRESS_OFF = 0,
  PROGRESS_TTY,
  PROGRESS_LOG,
  PROGRESS_QUIET
} progress_mode;

typedef enum progress_phase {
  PROGRESS_LASTPASS = 0, /* pages read */
  PROGRESS_PSA_READ,     /* requests done / asked */
  PROGRESS_PSA_WRITE     /* writes done / planned */
} progress_phase;

/* The mode for a command's options and stderr: -q or --json: off; the
 * daemon or -v: log; else a terminal: tty; else off. */
progress_mode progress_mode_for(int quiet, int json, int verbose, int daemon,
                                int stderr_is_tty);

/* Seconds on a monotonic clock. */
typedef double (*progress_clock)(void);

typedef struct progress progress;

/* `tty` is where PROGRESS_TTY draws (stderr), `log` where PROGRESS_LOG
 * writes (and whose lines PROGRESS_TTY erases its line for); `psa` names
 * the PSA ("ConnectWise PSA"); `clock` NULL is CLOCK_MONOTONIC. Elapsed
 * time counts from here. NULL when out of memory (callers go on without). */
progress *progress_new(progress_mode mode, FILE *tty, lpsa_log *log,
                       const char *psa, progress_clock clock);
/* Ends a phase left open, and detaches from the log. Safe on NULL. */
void progress_free(progress *p);

/* A watcher besides the terminal or the log: fn(arg, phase, done, total,
 * ended) at every begin, update and end of a phase, whatever the mode and
 * unthrottled (fn must be quick: it runs under the progress's lock, from
 * the LastPass thread too). NULL fn stops it. */
typedef void (*progress_watch_fn)(void *arg, progress_phase phase, size_t done,
                                  size_t total, int ended);
void progress_watch(progress *p, progress_watch_fn fn, void *arg);

/* Start a phase (ending the one before). */
void progress_begin(progress *p, progress_phase phase);
/* `done` of `total` (0: not known) in the current phase. */
void progress_update(progress *p, size_t done, size_t total);
/* End the current phase: its last state stays on screen or is logged. */
void progress_end(progress *p);

/* The callbacks handed to the lower layers; `arg` is the progress (NULL:
 * nothing happens). */
void progress_on_page(void *arg); /* lp_options */
void progress_on_http(void *arg, unsigned long done,
                      unsigned long asked);                   /* http.h */
void progress_on_write(void *arg, size_t done, size_t total); /* apply.h */

#endif
