/* SPDX-License-Identifier: MIT */
/*
 * sched_probe.h — which scheduler runs lpsa-host on this machine, for
 * `check`: the daemon (lpsa-host.service enabled: the `schedule` key) or
 * the timer (lpsa-host.timer enabled: its OnCalendar=), read from the
 * systemd unit directories without asking systemd, so it also works in a
 * container or chroot. $LPSA_SYSTEMD_ROOT, when set, is put in front of
 * every path (a test, or an image being prepared).
 */
#ifndef LPSA_CORE_SCHED_PROBE_H
#define LPSA_CORE_SCHED_PROBE_H

#include <stddef.h>

#include "schedule.h"

#define SCHED_PROBE_MAX_CALENDARS 8

typedef struct sched_probe {
  int daemon_enabled;    /* lpsa-host.service is wanted by multi-user.target */
  int timer_enabled;     /* lpsa-host.timer is wanted by timers.target */
  char timer_file[4096]; /* the timer unit read, "" when none was found */
  /* The OnCalendar= values in effect (unit, then drop-ins in name order; an
   * empty OnCalendar= clears the earlier ones). */
  char calendar[SCHED_PROBE_MAX_CALENDARS][128];
  size_t n_calendar;
} sched_probe;

/* Look at the unit directories. Never fails: what is missing stays 0. */
void sched_probe_read(sched_probe *p);

/* An OnCalendar= value lpsa can compute the next run of: daily, weekly,
 * monthly, or "[DAY] [*-*-*|*-*-DD] [HH:MM[:00]] [ZONE]" with one weekday
 * or one day of the month up to 28. Fills *out and zone (the IANA zone
 * written after the time, "" for the machine's). 0, or -1 when the value
 * is of another form (check then says it cannot tell). */
int sched_probe_calendar(const char *spec, schedule *out, char *zone,
                         size_t zone_len);

#endif
