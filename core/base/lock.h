/* SPDX-License-Identifier: MIT */
/*
 * lock.h — one lpsa-host at a time per state_dir, so a one-off run never
 * writes while the daemon syncs (flock on <state_dir>/lpsa.lock; the kernel
 * drops it when the process dies, so a crash never leaves a stale lock).
 * The daemon holds a second lock file of its own for its whole life.
 */
#ifndef LPSA_CORE_LOCK_H
#define LPSA_CORE_LOCK_H

#include <stddef.h>

#define LOCK_RUN_FILE "lpsa.lock"
#define LOCK_DAEMON_FILE "lpsa-daemon.lock"

/* Take <state_dir>/<name> (state_dir created 0700 if missing) and write our
 * pid into it. Returns a descriptor >= 0; or -1 with *held = 1 and the
 * holder's pid in holder (or "?") when another process holds it, or with
 * *held = 0 and a message in err when the file cannot be used. */
int lock_take(const char *state_dir, const char *name, int *held, char *holder,
              size_t holder_cap, char *err, size_t errlen);

/* The run lock, with the message for a run that finds it held. */
int lock_acquire(const char *state_dir, char *err, size_t errlen);
void lock_release(int fd);

/* 1 when another process holds <state_dir>/<name> now (tested without
 * keeping it), else 0. */
int lock_busy(const char *state_dir, const char *name);

#endif
