/* SPDX-License-Identifier: MIT */
/*
 * redact.h — the credentials lpsa must never show, in every form in which
 * the host itself sends them, so that a server quoting a request back (a
 * 400 body echoing "Authorization: Basic ...") cannot put one in a log, a
 * report, the journal or a notification.
 *
 * Each registered value is found as:
 *   - the value itself (any letter case);
 *   - its percent-encoding, as in a URL query (RFC 3986; any hex case);
 *   - its base64 encoding at each of the three byte alignments, cut to the
 *     characters that depend on the value alone, so it is found inside a
 *     longer base64 text as well (the base64 of a whole header line, of
 *     "company+public:private"); these match case-sensitively.
 * A sensitive header's value is registered whole and, when it has the form
 * "SCHEME credentials" ("Basic dXNlcjpwYXNz", "api-key k"), its credentials
 * alone, so that the base64 a driver computed is hidden by itself too.
 * Values shorter than 4 characters are ignored (hiding "1" everywhere would
 * garble every line), and so are base64 pieces shorter than 6 characters.
 *
 * redact_text() replaces every form found with "***", the longest form
 * first at each position.
 */
#ifndef LPSA_CORE_REDACT_H
#define LPSA_CORE_REDACT_H

#include <stddef.h>

typedef struct redact_set redact_set;

/* An empty set; NULL when out of memory. */
redact_set *redact_new(void);
/* Frees the set, wiping the values first. NULL is fine. */
void redact_free(redact_set *r);
/* Register a credential (copied) in all its forms. 0, or -1 when out of
 * memory. Registering a value again costs one look-up. */
int redact_add(redact_set *r, const char *value);
/* Register the value of a sensitive header (see above). 0 or -1. */
int redact_add_header_value(redact_set *r, const char *value);
/* How many forms are registered (for tests and diagnostics). */
size_t redact_count(const redact_set *r);
/* A copy of `in` with every form replaced by "***" (never longer than
 * `in`). A NULL set copies. NULL only when out of memory. */
char *redact_text(const redact_set *r, const char *in);
/* 1 when `in` holds a registered form. */
int redact_finds(const redact_set *r, const char *in);

#endif
