/* SPDX-License-Identifier: MIT */
/*
 * web_password.h — the console's passwords: argon2id through libsodium's
 * crypto_pwhash_str() (the encoded string carries its salt and costs), at
 * the "interactive" limits (64 MiB, 2 passes) so a login takes a fraction
 * of a second.
 */
#ifndef LPSA_WEB_PASSWORD_H
#define LPSA_WEB_PASSWORD_H

#include <stddef.h>

#define WEB_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define WEB_PASSWORD_MIN 10
#define WEB_PASSWORD_MAX 1024

/* Whether `password` may be used: WEB_PASSWORD_MIN..WEB_PASSWORD_MAX bytes,
 * no control characters. 0, or -1 with the reason in err. */
int web_password_acceptable(const char *password, char *err, size_t errlen);

/* Hash into out. 0, or -1 with err (out of memory: argon2id needs 64 MiB). */
int web_password_hash(const char *password, char out[WEB_HASH_MAX], char *err,
                      size_t errlen);

/* 1 when `password` matches `hash`, else 0 (also for a malformed hash). */
int web_password_verify(const char *hash, const char *password);

/* Spend what a verification costs without a hash to check: for a user
 * name that does not exist, so timing does not tell names apart. */
void web_password_dummy_verify(const char *password);

#endif
