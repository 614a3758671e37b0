/*
 * lock.h — one lpsa-host at a time per state_dir, so a one-off run never
 * writes while the daemon syncs (flock on <state_dir>/lpsa.lock; the kernel
 * drops it when the process dies, so a crash never leaves a stale lock).
 */
#ifndef LPSA_CORE_LOCK_H
#define LPSA_CORE_LOCK_H

#include <stddef.h>

/* Take the lock; returns a descriptor >= 0, or -1 with a message naming the
 * other process when it is held. */
int lock_acquire(const char *state_dir, char *err, size_t errlen);
void lock_release(int fd);

#endif
