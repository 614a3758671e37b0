/* SPDX-License-Identifier: MIT */
/*
 * plan_key.c — the plan key in state_dir, and HMAC-SHA-256 tags.
 */
#include "plan_key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    got += (size_t)r;
  }
  return 0;
}

static int write_all(int fd, const unsigned char *buf, size_t n) {
  size_t put = 0;
  while (put < n) {
    ssize_t w = write(fd, buf + put, n - put);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    put += (size_t)w;
  }
  return 0;
}

/* A new key at `path`: 0, 1 when another process made one first, -1. */
static int create_key(const char *path, char *err, size_t errlen) {
  plan_key k;
  randombytes_buf(k.bytes, sizeof k.bytes);
  int fd =
      open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    plan_key_wipe(&k);
    if (errno == EEXIST)
      return 1;
    snprintf(err, errlen,
             "cannot create the plan key %s: %s; give state_dir to the user "
             "that runs lpsa-host",
             path, strerror(errno));
    return -1;
  }
  int rc = write_all(fd, k.bytes, sizeof k.bytes) || fsync(fd) ? -1 : 0;
  int saved = errno;
  plan_key_wipe(&k);
  if (close(fd) != 0 && rc == 0) {
    rc = -1;
    saved = errno;
  }
  if (rc) {
    unlink(path); /* half a key would refuse every plan made with it */
    snprintf(err, errlen, "cannot write the plan key %s: %s", path,
             strerror(saved));
  }
  return rc;
}

int plan_key_load(const char *state_dir, int create, plan_key *key, char *err,
                  size_t errlen) {
  if (sodium_init() < 0) {
    snprintf(err, errlen, "libsodium did not initialise");
    return -1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/" PLAN_KEY_FILE, state_dir);
  for (int attempt = 0; attempt < 2; attempt++) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      if (!create)
        return 1;
      int made = create_key(path, err, errlen);
      if (made < 0)
        return -1;
      continue; /* read what is there now, ours or the other's */
    }
    if (fd < 0) {
      snprintf(err, errlen, "cannot read the plan key %s: %s", path,
               strerror(errno));
      return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size != PLAN_KEY_BYTES) {
      close(fd);
      snprintf(err, errlen,
               "the plan key %s is not a file of %d bytes: move it aside "
               "(plans made with it can then no longer be applied) and make "
               "a new plan",
               path, PLAN_KEY_BYTES);
      return -1;
    }
    if (st.st_mode & 077) {
      close(fd);
      snprintf(err, errlen,
               "the plan key %s can be read by others: run `chmod 600 %s`, "
               "and make new plans if others may have read it",
               path, path);
      return -1;
    }
    int rc = read_all(fd, key->bytes, sizeof key->bytes);
    close(fd);
    if (rc) {
      plan_key_wipe(key);
      snprintf(err, errlen, "cannot read the plan key %s", path);
      return -1;
    }
    return 0;
  }
  snprintf(err, errlen, "cannot read the plan key %s: it keeps vanishing",
           path);
  return -1;
}

void plan_key_wipe(plan_key *key) {
  sodium_memzero(key->bytes, sizeof key->bytes);
}

int plan_key_tag(const plan_key *key, const char *text, size_t len,
                 char hex[PLAN_TAG_HEX_LEN]) {
  if (sodium_init() < 0)
    return -1;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, (const unsigned char *)text, len, key->bytes);
  sodium_bin2hex(hex, PLAN_TAG_HEX_LEN, mac, sizeof mac);
  return 0;
}

int plan_key_verify(const plan_key *key, const char *text, size_t len,
                    const char *hex) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  size_t n = 0;
  if (!hex || strlen(hex) != 2 * sizeof mac || sodium_init() < 0 ||
      sodium_hex2bin(mac, sizeof mac, hex, strlen(hex), NULL, &n, NULL) != 0 ||
      n != sizeof mac)
    return 0;
  return crypto_auth_hmacsha256_verify(mac, (const unsigned char *)text, len,
                                       key->bytes) == 0;
}
