/* SPDX-License-Identifier: MIT */
/*
 * zone.h — the time zone lpsa-host reads and writes wall-clock times in:
 * `timezone` in [host] (an IANA name such as Europe/Berlin), or the
 * machine's when it is not set.
 *
 * The zone is the process's (TZ), so the schedule, the report, history and
 * the e-mails' dates all follow it; the journal and JSON keep UTC.
 */
#ifndef LPSA_CORE_ZONE_H
#define LPSA_CORE_ZONE_H

#include <stddef.h>

/* 0 when `name` is a zone of the tz database (a TZif file under $TZDIR or
 * /usr/share/zoneinfo), else -1 with one line in err: what is wrong and
 * what to write. */
int zone_check(const char *name, char *err, size_t errlen);

/* Use zone `name` from now on; NULL goes back to the machine's zone (the TZ
 * lpsa-host started with, or /etc/localtime). */
void zone_use(const char *name);

/* The zone in use, for messages: the configured name, else "the machine's
 * zone, NAME" with TZ or /etc/localtime's name when known. */
const char *zone_describe(char *out, size_t len);

/* "2026-11-25T12:00:00Z" (UTC, as the journal keeps times) as a person
 * reads it in the zone in use: "2026-11-25 13:00:00 CET". Text in another
 * form is copied unchanged. Returns out. */
const char *zone_local_text(const char *iso_utc, char *out, size_t len);

#endif
