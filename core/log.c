/*
 * log.c — levels, destinations and secret redaction for every log line.
 */
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

struct lpsa_log {
  FILE *out;
  lpsa_log_level min;
  int use_syslog;
  char **secrets;
  size_t n_secrets;
};

lpsa_log *log_new(FILE *out, lpsa_log_level min) {
  lpsa_log *log = calloc(1, sizeof *log);
  if (!log)
    return NULL;
  log->out = out ? out : stderr;
  log->min = min;
  return log;
}

void log_free(lpsa_log *log) {
  if (!log)
    return;
  for (size_t i = 0; i < log->n_secrets; i++)
    free(log->secrets[i]);
  free(log->secrets);
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
  if (!secret || strlen(secret) < 4)
    return 0;
  for (size_t i = 0; i < log->n_secrets; i++)
    if (strcmp(log->secrets[i], secret) == 0)
      return 0;
  char **grown =
      realloc(log->secrets, (log->n_secrets + 1) * sizeof *log->secrets);
  if (!grown)
    return -1;
  log->secrets = grown;
  if (!(log->secrets[log->n_secrets] = strdup(secret)))
    return -1;
  log->n_secrets++;
  return 0;
}

char *log_redact(const lpsa_log *log, const char *in) {
  char *s = strdup(in);
  if (!s || !log)
    return s;
  for (size_t i = 0; i < log->n_secrets; i++) {
    const char *secret = log->secrets[i];
    size_t slen = strlen(secret);
    char *hit;
    while ((hit = strstr(s, secret)) != NULL) {
      /* "***" is never longer than a secret (>= 4 chars): shrink in place. */
      memcpy(hit, "***", 3);
      memmove(hit + 3, hit + slen, strlen(hit + slen) + 1);
    }
  }
  return s;
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
  char *clean = log_redact(log, buf);
  const char *line = clean ? clean : "(out of memory while logging)";
  if (log->use_syslog) {
    static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
    syslog(prio[level], "%s", line);
  } else {
    fprintf(log->out, "lpsa-host: %s: %s\n", level_name(level), line);
    fflush(log->out);
  }
  free(clean);
}

void log_msg(lpsa_log *log, lpsa_log_level level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_vmsg(log, level, fmt, ap);
  va_end(ap);
}
