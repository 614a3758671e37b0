/* SPDX-License-Identifier: MIT */
/*
 * log.h — the host's logger: levels, stderr or syslog, and redaction.
 *
 * Every line the host or a driver logs passes through log_msg(), which
 * replaces each registered secret value with "***" before it is written, so a
 * credential can never reach a log even if a caller formats it by mistake,
 * and then escapes what could drive a terminal or fake a line
 * (text_escape.h: control characters, line breaks included, and bidi
 * overrides are shown as \xHH or \uHHHH). The same redaction serves every
 * other output through log_redact().
 */
#ifndef LPSA_CORE_LOG_H
#define LPSA_CORE_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "lpsa/host.h"

typedef struct lpsa_log lpsa_log;

/* A logger writing lines of at least `min` level to `out` (stderr if NULL). */
lpsa_log *log_new(FILE *out, lpsa_log_level min);
void log_free(lpsa_log *log);
/* Send lines to syslog(3) under `ident` instead of the stream. */
void log_use_syslog(lpsa_log *log, const char *ident);
void log_set_level(lpsa_log *log, lpsa_log_level min);
lpsa_log_level log_level(const lpsa_log *log);
/* Register a credential to redact (copied) in every form the host sends it
 * (raw, percent-encoded, base64: redact.h). Values shorter than 4
 * characters are ignored: redacting "1" everywhere would garble every line.
 * 0, or -1 when out of memory. */
int log_add_secret(lpsa_log *log, const char *secret);
/* The same for the value of a header the host counts as sensitive
 * (http_sensitive.h): the value, and its credentials after an
 * authentication scheme ("Basic <base64>"). */
int log_add_sensitive_header(lpsa_log *log, const char *value);

void log_msg(lpsa_log *log, lpsa_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(lpsa_log *log, lpsa_log_level level, const char *fmt, va_list ap);

/* Call fn(arg) before each line written to the stream (not syslog), so a
 * progress line being redrawn on the same terminal can be erased first.
 * fn NULL stops it. */
void log_set_before_line(lpsa_log *log, void (*fn)(void *arg), void *arg);

/* Copy `in` to a new string with every registered secret, in each of its
 * forms, replaced by "***". NULL `log`: a plain copy. Returns NULL only when
 * out of memory. The caller frees. */
char *log_redact(const lpsa_log *log, const char *in);

#endif
