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
  void (*before_line)(void *arg); /* log_set_before_line() */
  void *before_line_arg;
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

static int add_one(lpsa_log *log, const char *secret);

/* The form a value takes in a URL query (RFC 3986 percent-encoding), so
 * that a secret sent as a query parameter (an Autotask user name in the zone
 * lookup) is redacted too. NULL when it needs no encoding or on OOM. */
static char *percent_encoded(const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(s), extra = 0;
  for (size_t i = 0; i < n; i++)
    if (!strchr("-._~", s[i]) &&
        !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
          (s[i] >= '0' && s[i] <= '9')))
      extra += 2;
  if (!extra)
    return NULL;
  char *out = malloc(n + extra + 1), *o = out;
  for (size_t i = 0; out && i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (strchr("-._~", c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9')) {
      *o++ = (char)c;
    } else {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  if (out)
    *o = '\0';
  return out;
}

int log_add_secret(lpsa_log *log, const char *secret) {
  if (!secret || strlen(secret) < 4)
    return 0;
  char *encoded = percent_encoded(secret);
  int rc = add_one(log, secret);
  if (rc == 0 && encoded)
    rc = add_one(log, encoded);
  free(encoded);
  return rc;
}

static int add_one(lpsa_log *log, const char *secret) {
  for (size_t i = 0; i < log->n_secrets; i++)
    if (strcmp(log->secrets[i], secret) == 0)
      return 0;
  char **grown =
      realloc(log->secrets, (log->n_secrets + 1) * sizeof *log->secrets);
  if (!grown)
    return -1;
  log->secrets = grown;
  char *copy = strdup(secret);
  if (!copy)
    return -1;
  /* Longest first, so a secret containing another is hidden whole. */
  size_t at = 0, len = strlen(copy);
  while (at < log->n_secrets && strlen(log->secrets[at]) >= len)
    at++;
  memmove(log->secrets + at + 1, log->secrets + at,
          (log->n_secrets - at) * sizeof *log->secrets);
  log->secrets[at] = copy;
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
    if (log->before_line)
      log->before_line(log->before_line_arg);
    fprintf(log->out, "lpsa-host: %s: %s\n", level_name(level), line);
    fflush(log->out);
  }
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
