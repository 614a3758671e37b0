/* SPDX-License-Identifier: MIT */
/*
 * notify.h — telling people about a run, as LastPass's own billing e-mails
 * do: a summary e-mail to `notify_email` through `smtp_url`, and/or the JSON
 * report POSTed to `notify_webhook`, per `notify_on`:
 *   always    after every run;
 *   problems  (default) when the exit code is not 0: companies need a
 *             person (errors, held changes), or the run was aborted;
 *   never.
 * A notification that cannot be delivered is logged and changes nothing
 * else: the run's exit code is the run's.
 *
 * The e-mail: Date, From (smtp_from), To (every notify_email address),
 * Subject (notify_subject), Message-ID, MIME-Version and a UTF-8 text/plain
 * body: two lines saying what happened and where to look, then the report
 * table. Lines end in CRLF; a line longer than 998 bytes is broken (RFC 5322
 * 2.1.1).
 * The webhook: POST of the lpsa.report/1 JSON, Content-Type
 * application/json, through the host's HTTP transport (https, or http to
 * loopback; the URL is a secret and never logged).
 */
#ifndef LPSA_CORE_NOTIFY_H
#define LPSA_CORE_NOTIFY_H

#include <json-c/json.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "http.h"
#include "log.h"
#include "outcome.h"

/* What a notification says about one run. */
typedef struct notify_run {
  const char *driver; /* [driver.NAME] */
  long long run_id;
  int exit_code;
  int dry_run;
  run_summary summary;
  const char *text;    /* the report table, or NULL */
  json_object *report; /* the JSON report, or NULL */
  const char *error;   /* why the run aborted, or NULL/"" */
} notify_run;

/* 1 when `on` asks for a notification after a run ending with exit_code. */
int notify_wanted(config_notify_on on, int exit_code);

/* The Subject line (ASCII):
 *   exit 0, changes made   "lpsa: billing updated for N companies (DRIVER)"
 *   exit 0, nothing to do  "lpsa: billing in step (DRIVER)"
 *   exit 1                 "lpsa: N companies need attention (DRIVER)", or
 *                          "lpsa: the configuration needs attention (DRIVER)"
 *                          when no company is in error or held
 *   exit 2                 "lpsa: run could not start (DRIVER)"
 *   exit 3                 "lpsa: run aborted (DRIVER)"
 * A dry run says "dry run: " after "lpsa: ". */
void notify_subject(const notify_run *r, char *buf, size_t len);

/* The whole e-mail, CRLF line ends. `now` dates it; `unique` goes into the
 * Message-ID (with the run id and the time) so two messages never share
 * one. A new string, or NULL when out of memory. */
char *notify_email_message(const notify_run *r, const char *from,
                           char *const *to, size_t n_to, time_t now,
                           unsigned long unique);

/* Send what `cfg` asks for after the run `r` (nothing when notify_on says
 * no), logging each delivery and each failure. Returns the number of
 * deliveries that failed (0 when all succeeded or none was wanted). */
int notify_send(const lpsa_config *cfg, const notify_run *r, http_client *http,
                lpsa_log *log);

#endif
