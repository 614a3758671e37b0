/* SPDX-License-Identifier: MIT */
/*
 * digest.h — SHA-256 (libsodium's crypto_hash_sha256) of a file's bytes or
 * of a buffer, as lower-case hex: what a saved plan records of the
 * configuration and mapping files it was made with, so that applying it
 * can tell that either changed since.
 */
#ifndef LPSA_CORE_DIGEST_H
#define LPSA_CORE_DIGEST_H

#include <stddef.h>

/* 64 hex digits and a NUL. */
#define DIGEST_HEX_LEN 65

/* SHA-256 of `len` bytes at `data` into `hex`. 0, or -1 when libsodium
 * cannot be initialised. */
int digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_LEN]);

/* SHA-256 of the whole file at `path`, read in pieces. 0, or -1 with one
 * line in err ("cannot read PATH: reason"). */
int digest_file_sha256(const char *path, char hex[DIGEST_HEX_LEN], char *err,
                       size_t errlen);

#endif
