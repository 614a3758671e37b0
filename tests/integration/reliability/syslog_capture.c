/* SPDX-License-Identifier: MIT */
/*
 * syslog_capture.c — a private syslog for tests: an LD_PRELOAD module that
 * replaces openlog/syslog/vsyslog/closelog (and glibc's fortified
 * __syslog_chk/__vsyslog_chk) and appends each message, as
 * "<priority> text", to the file named by $LPSA_SYSLOG_CAPTURE.
 * Nothing reaches the machine's real syslog, so a test can read exactly
 * what `lpsa-host --syslog` logged.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* The ident is not kept (that would need global state): the capture file
 * belongs to one process anyway. */
void openlog(const char *ident, int option, int facility) {
  (void)ident;
  (void)option;
  (void)facility;
}

void closelog(void) {}

void vsyslog(int priority, const char *format, va_list ap) {
  const char *path = getenv("LPSA_SYSLOG_CAPTURE");
  if (!path)
    return;
  char text[8192];
  int n = snprintf(text, sizeof text, "<%d> ", priority);
  if (n < 0 || (size_t)n >= sizeof text)
    return;
  vsnprintf(text + n, sizeof text - (size_t)n, format, ap);
  size_t len = strlen(text);
  if (len + 1 < sizeof text)
    text[len++] = '\n';
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  ssize_t w = write(fd, text, len);
  (void)w;
  close(fd);
}

void syslog(int priority, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  vsyslog(priority, format, ap);
  va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *format, va_list ap) {
  (void)flag;
  vsyslog(priority, format, ap);
}

void __syslog_chk(int priority, int flag, const char *format, ...) {
  (void)flag;
  va_list ap;
  va_start(ap, format);
  vsyslog(priority, format, ap);
  va_end(ap);
}
