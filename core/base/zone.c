/* SPDX-License-Identifier: MIT */
/*
 * zone.c — the configured time zone (see zone.h).
 */
#include "zone.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *tz_dir(void) {
  const char *d = getenv("TZDIR");
  return d && *d ? d : "/usr/share/zoneinfo";
}

int zone_check(const char *name, char *err, size_t errlen) {
  const char *why = NULL;
  int ok_chars = *name && name[0] != '/' && !strstr(name, "..");
  for (const char *p = name; ok_chars && *p; p++)
    ok_chars = isalnum((unsigned char)*p) || strchr("/_+-", *p);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", tz_dir(), name);
  char magic[4] = "";
  int fd = ok_chars ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : -1;
  struct stat st;
  if (!ok_chars)
    why = "is not an IANA time zone name";
  else if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
           read(fd, magic, 4) != 4 || memcmp(magic, "TZif", 4) != 0)
    why = "is not a time zone of the tz database";
  if (fd >= 0)
    close(fd);
  if (!why)
    return 0;
  snprintf(err, errlen,
           "timezone \"%s\" %s (%s); write a name such as Europe/Berlin, "
           "America/New_York or UTC (install tzdata if none is found)",
           name, why, tz_dir());
  return -1;
}

/* The TZ lpsa-host started with, saved before the first change, and the
 * configured zone in use (NULL: the machine's). */
static int saved;
static char *initial_tz;
static char current[256];

void zone_use(const char *name) {
  if (!saved) {
    const char *tz = getenv("TZ");
    initial_tz = tz ? strdup(tz) : NULL;
    saved = 1;
  }
  if (name) {
    setenv("TZ", name, 1);
    snprintf(current, sizeof current, "%s", name);
  } else {
    if (initial_tz)
      setenv("TZ", initial_tz, 1);
    else
      unsetenv("TZ");
    current[0] = '\0';
  }
  tzset();
}

const char *zone_describe(char *out, size_t len) {
  if (current[0]) {
    snprintf(out, len, "%s", current);
    return out;
  }
  const char *tz = getenv("TZ");
  char link[4096];
  ssize_t n = tz ? -1 : readlink("/etc/localtime", link, sizeof link - 1);
  const char *at = NULL;
  if (n > 0) {
    link[n] = '\0';
    at = strstr(link, "zoneinfo/");
  }
  if (tz)
    snprintf(out, len, "the machine's zone, TZ=%s", tz);
  else if (at)
    snprintf(out, len, "the machine's zone, %s", at + 9);
  else
    snprintf(out, len, "the machine's zone");
  return out;
}

const char *zone_local_text(const char *iso_utc, char *out, size_t len) {
  struct tm tm = {0};
  char z = 0;
  int n = iso_utc ? sscanf(iso_utc, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year,
                           &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                           &tm.tm_sec, &z)
                  : 0;
  if (n != 7 || z != 'Z' || strlen(iso_utc) != 20) {
    snprintf(out, len, "%s", iso_utc ? iso_utc : "?");
    return out;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  time_t t = timegm(&tm);
  struct tm local;
  if (t == (time_t)-1 || !localtime_r(&t, &local) ||
      !strftime(out, len, "%Y-%m-%d %H:%M:%S %Z", &local))
    snprintf(out, len, "%s", iso_utc);
  return out;
}
