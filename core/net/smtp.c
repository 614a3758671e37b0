/* SPDX-License-Identifier: MIT */
/*
 * smtp.c — one e-mail through libcurl's SMTP client.
 */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "lpsa/status.h"
#include "url_check.h"

typedef struct upload {
  const char *data;
  size_t len, done;
} upload;

static size_t read_message(char *buf, size_t size, size_t nmemb, void *arg) {
  upload *u = arg;
  size_t room = size * nmemb, left = u->len - u->done;
  size_t n = left < room ? left : room;
  memcpy(buf, u->data + u->done, n);
  u->done += n;
  return n;
}

/* "<addr>" for MAIL FROM / RCPT TO. */
static struct curl_slist *add_angle(struct curl_slist *list, const char *addr,
                                    int *oom) {
  char buf[512];
  snprintf(buf, sizeof buf, "<%s>", addr);
  struct curl_slist *grown = curl_slist_append(list, buf);
  if (!grown)
    *oom = 1;
  return grown ? grown : list;
}

static int configure(CURL *c, const smtp_options *o, const url_parts *u,
                     struct curl_slist *rcpt, upload *up, char *from,
                     char *errbuf) {
  long timeout = o->timeout_ms > 0 ? o->timeout_ms : 60000L;
  int ok = curl_easy_setopt(c, CURLOPT_URL, o->url) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps") == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_MAIL_FROM, from) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_UPLOAD, 1L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_READDATA, up) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up->len) ==
        CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                         timeout < 10000L ? timeout : 10000L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
  /* smtp:// to another machine must upgrade to TLS or fail. */
  if (strcmp(u->scheme, "smtp") == 0 && !u->loopback)
    ok &=
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL) == CURLE_OK;
  if (o->ca_file)
    ok &= curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file) == CURLE_OK;
  if (o->username) {
    ok &= curl_easy_setopt(c, CURLOPT_USERNAME, o->username) == CURLE_OK;
    ok &= curl_easy_setopt(c, CURLOPT_PASSWORD,
                           o->password ? o->password : "") == CURLE_OK;
  }
  return ok ? 0 : -1;
}

int smtp_send(const smtp_options *o, const char *const *to, size_t n_to,
              const char *message, size_t len, char *err, size_t errlen) {
  url_parts u;
  char why[384];
  if (url_parse(o->url, URL_MAIL, &u, why, sizeof why) != 0) {
    snprintf(err, errlen, "smtp_url: %s", why);
    return LPSA_ERR_INVALID;
  }
  int oom = 0;
  struct curl_slist *rcpt = NULL;
  for (size_t i = 0; i < n_to; i++)
    rcpt = add_angle(rcpt, to[i], &oom);
  char from[512];
  snprintf(from, sizeof from, "<%s>", o->from);
  CURL *c = curl_easy_init();
  upload up = {message, len, 0};
  char errbuf[CURL_ERROR_SIZE] = "";
  int rc = LPSA_OK;
  if (oom || !c || configure(c, o, &u, rcpt, &up, from, errbuf) != 0) {
    snprintf(err, errlen, "cannot set up the SMTP client (out of memory?)");
    rc = LPSA_ERR_NOMEM;
  } else {
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
      long code = 0;
      curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
      const char *why_text = errbuf[0] ? errbuf : curl_easy_strerror(cc);
      if (code)
        snprintf(err, errlen,
                 "sending mail through %s://%s failed: %s (the server "
                 "answered %ld)",
                 u.scheme, u.host, why_text, code);
      else
        snprintf(err, errlen, "sending mail through %s://%s failed: %s",
                 u.scheme, u.host, why_text);
      rc = LPSA_ERR_NETWORK;
    }
  }
  curl_easy_cleanup(c);
  curl_slist_free_all(rcpt);
  return rc;
}
