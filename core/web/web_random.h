/* SPDX-License-Identifier: MIT */
/*
 * web_random.h — libsodium's start-up and the console's random tokens
 * (session ids, CSRF tokens): 256 bits from randombytes_buf(), as 64
 * lower-case hex digits.
 */
#ifndef LPSA_WEB_RANDOM_H
#define LPSA_WEB_RANDOM_H

#define WEB_TOKEN_LEN 64 /* hex digits, without the NUL */

/* sodium_init(); 0, or -1 when libsodium cannot start (no entropy). Safe to
 * call more than once. */
int web_crypto_init(void);

/* A new token in out (WEB_TOKEN_LEN + 1 bytes). */
void web_random_token(char out[WEB_TOKEN_LEN + 1]);

/* 1 when a and b are equal tokens, compared in constant time. */
int web_token_equal(const char *a, const char *b);

#endif
