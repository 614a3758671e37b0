/* SPDX-License-Identifier: MIT */
/*
 * log.c — levels, destinations, secret redaction and escaping for every log
 * line. One mutex guards the secrets and the destination, so the threads of
 * a run (LastPass read beside the PSA, parallel writes) may log, register
 * secrets and redact at once, and their lines never interleave.
 */
#include "log.h"

#include <pthread.h>
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
  pthread_mutex_t lock;           /* over secrets and out */
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
  pthread_mutex_init(&log->lock, NULL);
  return log;
}

void log_free(lpsa_log *log) {
  if (!log)
    return;
  redact_free(log->secrets);
  if (log->use_syslog)
    closelog();
  pthread_mutex_destroy(&log->lock);
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
  if (!log)
    return 0;
  pthread_mutex_lock(&log->lock);
  int rc = redact_add(log->secrets, secret);
  pthread_mutex_unlock(&log->lock);
  return rc;
}

int log_add_sensitive_header(lpsa_log *log, const char *value) {
  if (!log)
    return 0;
  pthread_mutex_lock(&log->lock);
  int rc = redact_add_header_value(log->secrets, value);
  pthread_mutex_unlock(&log->lock);
  return rc;
}

char *log_redact(const lpsa_log *log, const char *in) {
  if (!log)
    return redact_text(NULL, in);
  /* The lock is the logger's own state, not part of what it logs. */
  pthread_mutex_t *lock = (pthread_mutex_t *)&log->lock;
  pthread_mutex_lock(lock);
  char *out = redact_text(log->secrets, in);
  pthread_mutex_unlock(lock);
  return out;
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
  pthread_mutex_lock(&log->lock);
  char *clean = redact_text(log->secrets, buf);
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
  pthread_mutex_unlock(&log->lock);
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
