/* SPDX-License-Identifier: MIT */
/*
 * plan_key.h — the key that authenticates saved plans, and the tag it
 * makes.
 *
 * A plan file says what to write to customers' bills, and anyone who can
 * edit a file can recompute a plain digest. So every plan carries an
 * HMAC-SHA-256 tag (libsodium's crypto_auth_hmacsha256) keyed with 32
 * random bytes kept in <state_dir>/plan.key: created 0600 on first use,
 * never printed, never part of any output. A plan whose tag does not
 * verify was made by another lpsa (another state_dir, another host) or
 * edited after it was made, and is refused.
 */
#ifndef LPSA_CORE_PLAN_KEY_H
#define LPSA_CORE_PLAN_KEY_H

#include <stddef.h>

#define PLAN_KEY_BYTES 32
#define PLAN_KEY_FILE "plan.key"
/* 64 hex digits and a NUL. */
#define PLAN_TAG_HEX_LEN 65

typedef struct plan_key {
  unsigned char bytes[PLAN_KEY_BYTES];
} plan_key;

/* Read <state_dir>/plan.key into *key; when there is none and `create`,
 * make one first (O_EXCL: two processes agree on one key). 0 read, 1 no
 * key (and not `create`), -1 with one line in err (not a regular file of
 * the right size, readable by others, unreadable). */
int plan_key_load(const char *state_dir, int create, plan_key *key, char *err,
                  size_t errlen);

/* Wipe the key from memory. */
void plan_key_wipe(plan_key *key);

/* The tag of `len` bytes at `text`, lower-case hex. 0, or -1 when
 * libsodium cannot be initialised. */
int plan_key_tag(const plan_key *key, const char *text, size_t len,
                 char hex[PLAN_TAG_HEX_LEN]);

/* 1 when `hex` is the tag of the text under `key` (compared in constant
 * time), else 0. */
int plan_key_verify(const plan_key *key, const char *text, size_t len,
                    const char *hex);

#endif
