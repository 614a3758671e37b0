/* SPDX-License-Identifier: MIT */
/*
 * sched_probe.c — read the systemd units' enablement and the timer's
 * OnCalendar= (see sched_probe.h).
 */
#include "sched_probe.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "zone.h"

static void path_in_root(char *out, size_t len, const char *path) {
  const char *root = getenv("LPSA_SYSTEMD_ROOT");
  snprintf(out, len, "%s%s", root ? root : "", path);
}

static int exists(const char *path) {
  char p[4096];
  path_in_root(p, sizeof p, path);
  return access(p, F_OK) == 0;
}

/* Add the OnCalendar= lines of one unit file or drop-in. */
static void read_calendars(sched_probe *p, const char *file) {
  FILE *f = fopen(file, "r");
  if (!f)
    return;
  char line[512];
  int in_timer = 0;
  while (fgets(line, sizeof line, f)) {
    char *s = line;
    while (isspace((unsigned char)*s))
      s++;
    s[strcspn(s, "\r\n")] = '\0';
    if (*s == '[') {
      in_timer = strncmp(s, "[Timer]", 7) == 0;
      continue;
    }
    if (!in_timer || strncmp(s, "OnCalendar", 10) != 0)
      continue;
    char *v = s + 10;
    while (*v == ' ' || *v == '\t')
      v++;
    if (*v++ != '=')
      continue;
    while (*v == ' ' || *v == '\t')
      v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
      v[--n] = '\0';
    if (!*v)
      p->n_calendar = 0; /* an empty assignment resets the list */
    else if (p->n_calendar < SCHED_PROBE_MAX_CALENDARS)
      snprintf(p->calendar[p->n_calendar++], sizeof p->calendar[0], "%s", v);
  }
  fclose(f);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void sched_probe_read(sched_probe *p) {
  memset(p, 0, sizeof *p);
  p->daemon_enabled =
      exists("/etc/systemd/system/multi-user.target.wants/lpsa-host.service");
  p->timer_enabled =
      exists("/etc/systemd/system/timers.target.wants/lpsa-host.timer");
  /* systemd's unit search order: /etc first, then the vendor directories. */
  static const char *const dirs[] = {
      "/etc/systemd/system", "/usr/local/lib/systemd/system",
      "/lib/systemd/system", "/usr/lib/systemd/system"};
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
    char unit[4096];
    snprintf(unit, sizeof unit, "%s/lpsa-host.timer", dirs[i]);
    char path[4096];
    path_in_root(path, sizeof path, unit);
    if (access(path, R_OK) == 0) {
      snprintf(p->timer_file, sizeof p->timer_file, "%s", unit);
      read_calendars(p, path);
      break;
    }
  }
  char dropins[4096];
  path_in_root(dropins, sizeof dropins,
               "/etc/systemd/system/lpsa-host.timer.d");
  DIR *d = opendir(dropins);
  if (!d)
    return;
  char *names[64];
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    size_t l = strlen(e->d_name);
    if (l > 5 && strcmp(e->d_name + l - 5, ".conf") == 0 &&
        (names[n] = strdup(e->d_name)))
      n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    char file[8192];
    snprintf(file, sizeof file, "%s/%s", dropins, names[i]);
    read_calendars(p, file);
    free(names[i]);
  }
}

static int weekday_of(const char *s) {
  static const char *const days[] = {"sun", "mon", "tue", "wed",
                                     "thu", "fri", "sat"};
  static const char *const full[] = {"sunday",    "monday",   "tuesday",
                                     "wednesday", "thursday", "friday",
                                     "saturday"};
  for (int i = 0; i < 7; i++)
    if (strcasecmp(s, days[i]) == 0 || strcasecmp(s, full[i]) == 0)
      return i;
  return -1;
}

/* HH:MM or HH:MM:00. */
static int parse_time(const char *s, int *h, int *m) {
  int sec = 0, n = 0;
  if (sscanf(s, "%2d:%2d%n", h, m, &n) != 2)
    return -1;
  if (s[n] == ':' && sscanf(s + n, ":%2d", &sec) == 1)
    n += 3;
  return s[n] || *h < 0 || *h > 23 || *m < 0 || *m > 59 || sec ? -1 : 0;
}

int sched_probe_calendar(const char *spec, schedule *out, char *zone,
                         size_t zone_len) {
  memset(out, 0, sizeof *out);
  if (zone_len)
    zone[0] = '\0';
  if (strcasecmp(spec, "daily") == 0) {
    out->kind = SCHEDULE_DAILY;
    return 0;
  }
  if (strcasecmp(spec, "weekly") == 0) {
    out->kind = SCHEDULE_WEEKLY;
    out->weekday = 1;
    return 0;
  }
  if (strcasecmp(spec, "monthly") == 0) {
    out->kind = SCHEDULE_MONTHLY;
    out->day = 1;
    return 0;
  }
  char buf[128];
  snprintf(buf, sizeof buf, "%s", spec);
  int weekday = -1, day = 0, have_date = 0, have_time = 0;
  char *save = NULL;
  for (char *t = strtok_r(buf, " \t", &save); t;
       t = strtok_r(NULL, " \t", &save)) {
    int h, m;
    if (weekday < 0 && !have_date && !have_time && weekday_of(t) >= 0) {
      weekday = weekday_of(t);
    } else if (!have_date && !have_time && strcmp(t, "*-*-*") == 0) {
      have_date = 1;
    } else if (!have_date && !have_time && strncmp(t, "*-*-", 4) == 0 &&
               isdigit((unsigned char)t[4]) &&
               sscanf(t + 4, "%2d", &day) == 1 &&
               strlen(t + 4) == (day > 9 || t[4] == '0' ? 2u : 1u)) {
      have_date = 1;
      if (day < 1 || day > 28)
        return -1; /* systemd skips short months; lpsa would not */
    } else if (!have_time && parse_time(t, &h, &m) == 0) {
      have_time = 1;
      out->hour = h;
      out->minute = m;
    } else if (have_time && !zone[0]) {
      char err[256];
      if (zone_check(t, err, sizeof err) != 0)
        return -1;
      snprintf(zone, zone_len, "%s", t);
    } else {
      return -1;
    }
  }
  if (weekday >= 0 && day)
    return -1;
  if (weekday < 0 && !day && !have_date && !have_time)
    return -1;
  out->kind = weekday >= 0 ? SCHEDULE_WEEKLY
              : day        ? SCHEDULE_MONTHLY
                           : SCHEDULE_DAILY;
  out->weekday = weekday >= 0 ? weekday : 0;
  out->day = day;
  return 0;
}
