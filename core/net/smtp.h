/* SPDX-License-Identifier: MIT */
/*
 * smtp.h — hand one finished e-mail to a mail server (libcurl's SMTP).
 *
 * smtps:// speaks TLS from the start; smtp:// to anything but loopback must
 * upgrade with STARTTLS (the send fails rather than mail in clear), smtp://
 * to loopback (a local relay) may stay plain. With a username the password
 * is sent with SMTP AUTH, which curl only does over TLS or to loopback. The
 * password never appears in messages.
 */
#ifndef LPSA_CORE_SMTP_H
#define LPSA_CORE_SMTP_H

#include <stddef.h>

typedef struct smtp_options {
  const char *url;      /* smtp[s]://host[:port] */
  const char *from;     /* envelope sender (MAIL FROM) */
  const char *username; /* or NULL */
  const char *password; /* or NULL */
  const char *ca_file;  /* extra trust anchors, or NULL */
  long timeout_ms;      /* whole exchange; 0: 60000 */
} smtp_options;

/* Send `message` (a complete RFC 5322 message with CRLF line ends) to the
 * n_to envelope recipients. Returns LPSA_OK, or LPSA_ERR_INVALID (bad URL),
 * LPSA_ERR_NOMEM, LPSA_ERR_NETWORK (connection, TLS, refused command) with
 * one line in err. */
int smtp_send(const smtp_options *opt, const char *const *to, size_t n_to,
              const char *message, size_t len, char *err, size_t errlen);

#endif
