/* SPDX-License-Identifier: MIT */
/*
 * url_check.c — strict URL splitting and the https-or-loopback policy.
 *
 * Only the parts that decide where a request goes are parsed: scheme, user
 * info, host and port. Anything ambiguous is refused rather than guessed,
 * because a lenient parser that disagrees with curl's is how "http only to
 * loopback" checks get bypassed.
 */
#include "url_check.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen,
                                                      const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* Spaces, controls and backslashes make parsers disagree (WHATWG treats '\'
 * as '/', curl does not), so they are never accepted. */
static int has_bad_char(const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c <= 0x20 || c == 0x7f || c == '\\')
      return 1;
  }
  return 0;
}

static int scheme_allowed(const char *scheme, url_kind kind) {
  if (kind == URL_MAIL)
    return strcmp(scheme, "smtp") == 0 || strcmp(scheme, "smtps") == 0;
  return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
}

static const char *schemes_text(url_kind kind) {
  return kind == URL_MAIL ? "smtps:// or smtp://"
                          : "https:// (or http:// to "
                            "this machine only)";
}

/* Copy and lower-case the scheme; returns the position after "://" or NULL. */
static const char *parse_scheme(const char *url, char *scheme, size_t len) {
  const char *sep = strstr(url, "://");
  if (!sep || sep == url || (size_t)(sep - url) >= len)
    return NULL;
  for (const char *p = url; p < sep; p++) {
    if (!isalpha((unsigned char)*p))
      return NULL;
    scheme[p - url] = (char)tolower((unsigned char)*p);
  }
  scheme[sep - url] = '\0';
  return sep + 3;
}

static int reg_name_ok(const char *host) {
  if (!*host)
    return 0;
  for (const char *p = host; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
      return 0;
  return 1;
}

/* Parse "digits" into 1..65535. */
static int parse_port(const char *s, size_t n, int *port) {
  if (n == 0 || n > 5)
    return -1;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i]))
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  if (v < 1 || v > 65535)
    return -1;
  *port = v;
  return 0;
}

/* Split "host[:port]" or "[v6][:port]" (the authority minus user info). */
static int parse_hostport(const char *a, size_t n, url_parts *out) {
  const char *end = a + n;
  const char *host = a, *host_end;
  const char *colon;
  if (n > 0 && *a == '[') {
    const char *close = memchr(a, ']', n);
    if (!close)
      return -1;
    host = a + 1;
    host_end = close;
    colon = close + 1 < end ? close + 1 : NULL;
    if (colon && *colon != ':')
      return -1;
  } else {
    colon = memchr(a, ':', n);
    host_end = colon ? colon : end;
  }
  size_t hlen = (size_t)(host_end - host);
  if (hlen == 0 || hlen >= sizeof out->host)
    return -1;
  for (size_t i = 0; i < hlen; i++)
    out->host[i] = (char)tolower((unsigned char)host[i]);
  out->host[hlen] = '\0';
  if (*a == '[') {
    struct in6_addr a6;
    if (inet_pton(AF_INET6, out->host, &a6) != 1)
      return -1;
  } else if (!reg_name_ok(out->host)) {
    return -1;
  }
  out->port = 0;
  if (colon && parse_port(colon + 1, (size_t)(end - colon - 1), &out->port))
    return -1;
  return 0;
}

int url_host_is_loopback(const char *host) {
  char buf[256];
  size_t n = strlen(host);
  if (n == 0 || n >= sizeof buf)
    return 0;
  memcpy(buf, host, n + 1);
  if (buf[n - 1] == '.') /* "localhost." is the same name, fully qualified */
    buf[n - 1] = '\0';
  if (strcasecmp(buf, "localhost") == 0)
    return 1;
  struct in_addr a4;
  if (inet_pton(AF_INET, buf, &a4) == 1)
    return ((const unsigned char *)&a4.s_addr)[0] == 127;
  struct in6_addr a6;
  if (inet_pton(AF_INET6, buf, &a6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&a6))
      return 1;
    return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
  }
  return 0;
}

int url_parse(const char *url, url_kind kind, url_parts *out, char *err,
              size_t errlen) {
  memset(out, 0, sizeof *out);
  if (!url || !*url)
    return fail(err, errlen, "the URL is empty; write %s", schemes_text(kind));
  if (has_bad_char(url))
    return fail(err, errlen,
                "URL \"%s\" holds a space, a control character or a "
                "backslash; remove it",
                url);
  const char *auth = parse_scheme(url, out->scheme, sizeof out->scheme);
  if (!auth)
    return fail(err, errlen, "\"%s\" is not a URL; write it as %s", url,
                schemes_text(kind));
  if (!scheme_allowed(out->scheme, kind))
    return fail(err, errlen, "URL \"%s\" has an unsupported scheme; use %s",
                url, schemes_text(kind));
  size_t alen = strcspn(auth, "/?#");
  out->rest = auth + alen;
  /* User info is refused outright: it would put a credential in a URL that
   * gets logged, and "http://localhost@evil.com" is the classic way to make
   * a loopback check look at the wrong name. The URL is not echoed here
   * since it may hold a password. */
  if (memchr(auth, '@', alen))
    return fail(err, errlen,
                "a URL holds a user name or password (\"...@\"); remove it "
                "and put credentials in their own keys");
  if (parse_hostport(auth, alen, out))
    return fail(
        err, errlen, "URL \"%s\" has no valid host[:port]; write %s", url,
        kind == URL_MAIL ? "smtps://host:port" : "https://host[:port]/path");
  out->loopback = url_host_is_loopback(out->host);
  return 0;
}

int url_check(const char *url, url_kind kind, char *err, size_t errlen) {
  url_parts p;
  if (url_parse(url, kind, &p, err, errlen))
    return -1;
  if (kind == URL_WEB && strcmp(p.scheme, "http") == 0 && !p.loopback)
    return fail(err, errlen,
                "URL \"%s\" uses http:// to another machine, which would "
                "send credentials in clear; use https://",
                url);
  return 0;
}
