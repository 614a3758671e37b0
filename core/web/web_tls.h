/* SPDX-License-Identifier: MIT */
/*
 * web_tls.h — HTTPS for the console: the certificate chain and private key
 * (PEM files named by [web] tls_cert and tls_key) read into memory for
 * libmicrohttpd's GnuTLS support, and the rule that only loopback may be
 * served without them.
 */
#ifndef LPSA_WEB_TLS_H
#define LPSA_WEB_TLS_H

#include <stddef.h>

#include "listen_addr.h"

typedef struct web_tls {
  char *cert_pem; /* NULL: plain HTTP */
  char *key_pem;
} web_tls;

/* Read both files (NULL names: plain HTTP). The key must not be readable by
 * others. 0, or -1 with one line in err. */
int web_tls_load(const char *cert_file, const char *key_file, web_tls *out,
                 char *err, size_t errlen);
void web_tls_free(web_tls *t);

/* 0 when `addr` may be served (loopback, or TLS on); -1 with what to do. */
int web_tls_required(const listen_addr *addr, const char *listen_text,
                     const web_tls *t, char *err, size_t errlen);

#endif
