/* SPDX-License-Identifier: MIT */
/*
 * log.c — levels, destinations, secret redaction and escaping for every log
 * line.
 */
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "redact.h"
#include "text_escape.h"

struct lpsa_log {
  FILE *out;
  lpsa_log_level min;
  int use_syslog;
  redact_set *secrets;            /* what no line may show */
  void (*before_line)(void *arg); /* log_set_before_line() */
  void *before_line_arg;
};

lpsa_log *log_new(FILE *out, lpsa_log_level min) {
  lpsa_log *log = calloc(1, sizeof *log);
  if (!log)
    return NULL;
  log->out = out ? out : stderr;
  log->min = min;
  if (!(log->secrets = redact_new())) {
    free(log);
    return NULL;
  }
  return log;
}

void log_free(lpsa_log *log) {
  if (!log)
    return;
  redact_free(log->secrets);
  if (log->use_syslog)
    closelog();
  free(log);
}

void log_use_syslog(lpsa_log *log, const char *ident) {
  openlog(ident, LOG_PID, LOG_DAEMON);
  log->use_syslog = 1;
}

void log_set_level(lpsa_log *log, lpsa_log_level min) {
  log->min = min;
}

lpsa_log_level log_level(const lpsa_log *log) {
  return log->min;
}

int log_add_secret(lpsa_log *log, const char *secret) {
  return log ? redact_add(log->secrets, secret) : 0;
}

int log_add_sensitive_header(lpsa_log *log, const char *value) {
  return log ? redact_add_header_value(log->secrets, value) : 0;
}

char *log_redact(const lpsa_log *log, const char *in) {
  return redact_text(log ? log->secrets : NULL, in);
}

static const char *level_name(lpsa_log_level level) {
  switch (level) {
  case LPSA_LOG_DEBUG:
    return "debug";
  case LPSA_LOG_INFO:
    return "info";
  case LPSA_LOG_WARN:
    return "warning";
  default:
    return "error";
  }
}

void log_vmsg(lpsa_log *log, lpsa_log_level level, const char *fmt,
              va_list ap) {
  if (!log || level < log->min)
    return;
  char buf[4096];
  vsnprintf(buf, sizeof buf, fmt, ap);
  /* Secrets out first (they hold no control character), then what is
   * left made safe for a terminal and for syslog: one line, escaped. */
  char *clean = log_redact(log, buf);
  char *shown = clean ? text_escape_dup(clean, 0) : NULL;
  const char *line = shown ? shown : "(out of memory while logging)";
  if (log->use_syslog) {
    static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
    syslog(prio[level], "%s", line);
  } else {
    if (log->before_line)
      log->before_line(log->before_line_arg);
    fprintf(log->out, "lpsa-host: %s: %s\n", level_name(level), line);
    fflush(log->out);
  }
  free(shown);
  free(clean);
}

void log_set_before_line(lpsa_log *log, void (*fn)(void *arg), void *arg) {
  if (!log)
    return;
  log->before_line = fn;
  log->before_line_arg = arg;
}

void log_msg(lpsa_log *log, lpsa_log_level level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_vmsg(log, level, fmt, ap);
  va_end(ap);
}
