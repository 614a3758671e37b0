/* SPDX-License-Identifier: MIT */
/*
 * state_owner.h — state_dir and everything in it belong to the user that
 * runs lpsa-host.
 *
 * The service runs as its own user (lpsa). One run as another user, root
 * above all, would create the journal, its WAL files or a lock owned by
 * that user, and every later run of the service would fail on them. So
 * lpsa-host refuses to create or use state files when state_dir, or
 * anything in it, belongs to someone else, and says which user to run as
 * and the exact chown that repairs the directory; `check` reports the same.
 */
#ifndef LPSA_CORE_STATE_OWNER_H
#define LPSA_CORE_STATE_OWNER_H

#include <stddef.h>

/* 0 when state_dir does not exist yet or it and everything in it belong to
 * the effective user; else -1 with one line in err saying who owns what,
 * which user to run as, and the chown command that gives everything to
 * state_dir's owner. */
int state_owner_check(const char *state_dir, char *err, size_t errlen);

#endif
