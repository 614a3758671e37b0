/* SPDX-License-Identifier: MIT */
/*
 * web_password.c — argon2id with libsodium.
 */
#include "web_password.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(WEB_HASH_MAX >= crypto_pwhash_STRBYTES, "WEB_HASH_MAX");

int web_password_acceptable(const char *password, char *err, size_t errlen) {
  size_t n = strlen(password);
  if (n < WEB_PASSWORD_MIN) {
    snprintf(err, errlen,
             "the password is shorter than %d characters; choose "
             "a longer one (a few words make a good one)",
             WEB_PASSWORD_MIN);
    return -1;
  }
  if (n > WEB_PASSWORD_MAX) {
    snprintf(err, errlen, "the password is longer than %d bytes",
             WEB_PASSWORD_MAX);
    return -1;
  }
  for (const char *p = password; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(err, errlen,
               "the password holds a control character; use "
               "printable characters only");
      return -1;
    }
  return 0;
}

int web_password_hash(const char *password, char out[WEB_HASH_MAX], char *err,
                      size_t errlen) {
  if (sodium_init() < 0 ||
      crypto_pwhash_str_alg(out, password, strlen(password),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    snprintf(err, errlen,
             "cannot hash the password (argon2id needs 64 MiB "
             "of memory)");
    return -1;
  }
  return 0;
}

int web_password_verify(const char *hash, const char *password) {
  if (strncmp(hash, crypto_pwhash_argon2id_STRPREFIX,
              strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0)
    return 0;
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[WEB_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void) {
  char err[128];
  if (web_password_hash("lpsa-no-such-user", dummy_hash, err, sizeof err))
    dummy_hash[0] = '\0';
}

void web_password_dummy_verify(const char *password) {
  pthread_once(&dummy_once, make_dummy);
  if (dummy_hash[0])
    (void)web_password_verify(dummy_hash, password);
}
