/* SPDX-License-Identifier: MIT */
/*
 * digest.c — SHA-256 through libsodium, streamed for files.
 */
#include "digest.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void to_hex(const unsigned char *bin, size_t n, char *hex) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    hex[2 * i] = digits[bin[i] >> 4];
    hex[2 * i + 1] = digits[bin[i] & 15];
  }
  hex[2 * n] = '\0';
}

int digest_sha256_hex(const void *data, size_t len, char hex[DIGEST_HEX_LEN]) {
  unsigned char out[crypto_hash_sha256_BYTES];
  if (sodium_init() < 0)
    return -1;
  crypto_hash_sha256(out, data, len);
  to_hex(out, sizeof out, hex);
  return 0;
}

int digest_file_sha256(const char *path, char hex[DIGEST_HEX_LEN], char *err,
                       size_t errlen) {
  if (sodium_init() < 0) {
    snprintf(err, errlen, "cannot digest %s: libsodium did not initialise",
             path);
    return -1;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
    return -1;
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  unsigned char buf[16384];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    crypto_hash_sha256_update(&st, buf, n);
  int bad = ferror(f);
  int saved = errno;
  fclose(f);
  if (bad) {
    snprintf(err, errlen, "cannot read %s: %s", path, strerror(saved));
    return -1;
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  to_hex(out, sizeof out, hex);
  return 0;
}
