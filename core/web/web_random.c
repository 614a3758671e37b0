/* SPDX-License-Identifier: MIT */
/*
 * web_random.c — tokens from libsodium.
 */
#include "web_random.h"

#include <sodium.h>
#include <string.h>

int web_crypto_init(void) {
  return sodium_init() < 0 ? -1 : 0;
}

void web_random_token(char out[WEB_TOKEN_LEN + 1]) {
  unsigned char raw[WEB_TOKEN_LEN / 2];
  randombytes_buf(raw, sizeof raw);
  sodium_bin2hex(out, WEB_TOKEN_LEN + 1, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
}

int web_token_equal(const char *a, const char *b) {
  if (!a || !b || strlen(a) != WEB_TOKEN_LEN || strlen(b) != WEB_TOKEN_LEN)
    return 0;
  return sodium_memcmp(a, b, WEB_TOKEN_LEN) == 0;
}
