/* SPDX-License-Identifier: MIT */
/*
 * web_tls.c — reading the PEM files; the loopback rule.
 */
#include "web_tls.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PEM_MAX (256 * 1024)

static char *read_pem(const char *path, const char *key, int private_key,
                      char *err, size_t errlen) {
  FILE *f = fopen(path, "re");
  if (!f) {
    snprintf(err, errlen, "[web] %s = %s: cannot open: %s", key, path,
             strerror(errno));
    return NULL;
  }
  struct stat st;
  char *buf = NULL;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
    snprintf(err, errlen, "[web] %s = %s: is not a regular file", key, path);
  else if (private_key && (st.st_mode & S_IROTH))
    snprintf(err, errlen,
             "[web] %s = %s: others may read the private key; run: chmod 600 "
             "%s (or 640 with the service's group)",
             key, path, path);
  else if (st.st_size <= 0 || st.st_size > PEM_MAX)
    snprintf(err, errlen,
             "[web] %s = %s: is empty or larger than 256 KiB; "
             "is this a PEM file?",
             key, path);
  else if (!(buf = malloc((size_t)st.st_size + 1)))
    snprintf(err, errlen, "[web] %s: out of memory", key);
  else {
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    buf[n] = '\0';
    if (!strstr(buf, "-----BEGIN ")) {
      snprintf(err, errlen,
               "[web] %s = %s: holds no PEM block (-----BEGIN "
               "...); give the %s in PEM form",
               key, path, private_key ? "private key" : "certificate chain");
      if (private_key)
        sodium_memzero(buf, n);
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

int web_tls_load(const char *cert_file, const char *key_file, web_tls *out,
                 char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (!cert_file && !key_file)
    return 0;
  if (!cert_file || !key_file) {
    snprintf(err, errlen, "[web] needs both tls_cert and tls_key for HTTPS");
    return -1;
  }
  if (!(out->cert_pem = read_pem(cert_file, "tls_cert", 0, err, errlen)) ||
      !(out->key_pem = read_pem(key_file, "tls_key", 1, err, errlen))) {
    web_tls_free(out);
    return -1;
  }
  return 0;
}

void web_tls_free(web_tls *t) {
  if (t->key_pem)
    sodium_memzero(t->key_pem, strlen(t->key_pem));
  free(t->key_pem);
  free(t->cert_pem);
  memset(t, 0, sizeof *t);
}

int web_tls_required(const listen_addr *addr, const char *listen_text,
                     const web_tls *t, char *err, size_t errlen) {
  if (addr->loopback || t->cert_pem)
    return 0;
  snprintf(err, errlen,
           "[web] listen = %s is not a loopback address, and the console "
           "sends passwords and session cookies: refusing to serve it "
           "without TLS. Set tls_cert and tls_key in [web], or listen on "
           "127.0.0.1 behind a TLS reverse proxy",
           listen_text);
  return -1;
}
