/* SPDX-License-Identifier: MIT */
/*
 * smtp_sink.h — a tiny SMTP receiver on 127.0.0.1 for tests: it speaks
 * enough of RFC 5321 for libcurl to deliver (EHLO/HELO, AUTH PLAIN/LOGIN,
 * MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT), keeps every message it
 * accepted, and can be told to refuse the message (a reply code to DATA's
 * end) so tests can check that a failed delivery changes nothing else.
 * Port chosen by the OS; one connection at a time, on its own thread.
 */
#ifndef LPSA_TEST_SMTP_SINK_H
#define LPSA_TEST_SMTP_SINK_H

#include <stddef.h>

typedef struct smtp_message {
  char *helo;  /* the EHLO/HELO argument */
  char *from;  /* MAIL FROM address, without the angle brackets */
  char **rcpt; /* RCPT TO addresses, without the angle brackets */
  size_t n_rcpt;
  char *auth_user; /* from AUTH, or NULL */
  char *auth_pass;
  char *data; /* the message as received, dot-stuffing undone, CRLF kept */
} smtp_message;

typedef struct smtp_sink smtp_sink;

/* NULL on failure. */
smtp_sink *smtp_sink_start(void);
void smtp_sink_stop(smtp_sink *s);
/* "smtp://127.0.0.1:PORT" */
const char *smtp_sink_url(const smtp_sink *s);
/* Answer the end of DATA with `code` (e.g. 554) instead of 250; 0 accepts
 * again. A refused message is not kept. */
void smtp_sink_refuse_data(smtp_sink *s, int code);
/* Messages accepted so far. */
size_t smtp_sink_count(smtp_sink *s);
/* Wait until at least n messages were accepted: 0, or -1 after timeout_ms. */
int smtp_sink_wait(smtp_sink *s, size_t n, long timeout_ms);
/* A copy of message i: 0, or -1 when there is none. Free with
 * smtp_message_free(). */
int smtp_sink_get(smtp_sink *s, size_t i, smtp_message *out);
void smtp_message_free(smtp_message *m);
/* Connections accepted so far (delivered or not). */
size_t smtp_sink_connections(smtp_sink *s);

#endif
