/* SPDX-License-Identifier: MIT */
/*
 * url_check.h — parse a configured URL far enough to decide whether the host
 * may use it: https:// anywhere, http:// only to a loopback host.
 *
 * Credentials travel in headers to every URL the host is configured with, so
 * a plain-http URL to anything but this machine would send them in clear.
 * The parser is deliberately strict: a URL that a browser might "fix up" is
 * refused instead, because the host must judge the same host name that curl
 * will connect to. Tricky inputs and how they are judged:
 *   http://127.0.0.1.evil.com/   host "127.0.0.1.evil.com"  -> not loopback
 *   http://localhost@evil.com/   user info "localhost", host "evil.com"
 *                                -> refused (user info is refused anyway)
 *   http://evil.com#@127.0.0.1   host "evil.com" (the authority ends at '#')
 *   http://[::1]:8080/x          host "::1", port 8080      -> loopback
 *   HTTP://LOCALHOST/            scheme and host compare case-insensitively
 *   http://127.1/, http://0x7f.0.0.1/  not a dotted quad -> not loopback
 */
#ifndef LPSA_CORE_URL_CHECK_H
#define LPSA_CORE_URL_CHECK_H

#include <stddef.h>

/* Which schemes a URL key accepts. */
typedef enum url_kind {
  URL_WEB, /* https://, or http:// to loopback only */
  URL_MAIL /* smtps://, or smtp:// (the mailer must then demand STARTTLS
              unless the host is loopback: see url_parts.loopback) */
} url_kind;

typedef struct url_parts {
  char scheme[8];   /* lower case: "http", "https", "smtp", "smtps" */
  char host[256];   /* lower case; an IPv6 address without its brackets */
  int port;         /* as written, or 0 when the URL names none */
  int loopback;     /* host is localhost, 127.0.0.0/8, ::1 or ::ffff:127.x */
  const char *rest; /* points into the input: the path, query or fragment
                       ("" when absent) */
} url_parts;

/* Split `url` into parts. Returns 0, or -1 with a one-line reason in err
 * (quoting the URL) for: a missing or unknown scheme, user info
 * ("user:pass@"), an empty or malformed host, a bad port, spaces, control
 * characters or backslashes anywhere. Does not judge http vs https. */
int url_parse(const char *url, url_kind kind, url_parts *out, char *err,
              size_t errlen);

/* url_parse() plus the policy: a cleartext scheme (http://) is refused
 * unless the host is loopback for URL_WEB. Returns 0 or -1 with err set. */
int url_check(const char *url, url_kind kind, char *err, size_t errlen);

/* 1 when `host` (no brackets, any case) is "localhost", a dotted quad in
 * 127.0.0.0/8, "::1" or an IPv4-mapped 127.x address. */
int url_host_is_loopback(const char *host);

#endif
