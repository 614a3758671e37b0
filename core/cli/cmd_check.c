/* SPDX-License-Identifier: MIT */
/*
 * cmd_check.c — `lpsa-host check`: everything a sync needs, tried without
 * writing anything, as a checklist that says what to fix.
 *
 * Order: the configuration (when it cannot be read nothing else can be
 * checked: exit 2), the time zone, the scheduler that runs lpsa-host here
 * (the daemon or the systemd timer, sched_probe.h) and its next run,
 * state_dir writable and, with everything in it, owned by the user running
 * check, metrics_file writable, the journal intact (PRAGMA quick_check),
 * the mapping file
 * (and its duplicate rows), the LastPass API key (one companies-only read,
 * giving the company count and the mapping rows LastPass does not know),
 * the driver (loads, accepts its section, its own check() items) and the
 * configured products (a snapshot of no company resolves them), then an
 * information item: one writer per PSA. Exit 0 when
 * no item failed, 1 when one did, 2 when the configuration is unusable.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checklist.h"
#include "commands.h"
#include "exit_codes.h"
#include "host_api.h"
#include "journal.h"
#include "lastpass.h"
#include "sched_probe.h"
#include "snapshot.h"
#include "state_owner.h"
#include "zone.h"

/* Take what app_* collected for the last step, clearing it. */
static void take_captured(app *a, checklist *cl, const char *what) {
  checklist_add_lines(cl, CHECK_FAIL, what, a->captured);
  a->captured[0] = '\0';
}

/* The directory part of `path` (a new string). */
static char *dir_of(const char *path) {
  char *d = strdup(path);
  if (!d)
    return NULL;
  char *slash = strrchr(d, '/');
  if (!slash)
    strcpy(d, ".");
  else
    *(slash == d ? slash + 1 : slash) = '\0';
  return d;
}

static void check_writable(checklist *cl, const char *key, const char *path,
                           int is_dir) {
  char what[512];
  snprintf(what, sizeof what, "%s %s", key, path);
  char *dir = is_dir ? strdup(path) : dir_of(path);
  if (!dir) {
    cl->oom = 1;
    return;
  }
  if (access(dir, W_OK | X_OK) == 0) {
    checklist_add(cl, CHECK_OK, what, "writable");
  } else if (is_dir && errno == ENOENT) {
    /* lpsa-host creates state_dir when its parent lets it. */
    char *parent = dir_of(path);
    int ok = parent && access(parent, W_OK | X_OK) == 0;
    if (ok)
      checklist_add(cl, CHECK_OK, what,
                    "does not exist yet; the first run "
                    "creates it");
    else
      checklist_add(cl, CHECK_FAIL, what,
                    "does not exist and cannot be created by this user; "
                    "create it and give it to the user that runs lpsa-host");
    free(parent);
  } else {
    checklist_add(cl, CHECK_FAIL, what,
                  "%s is not writable by this user (%s); give it to the user "
                  "that runs lpsa-host",
                  dir, strerror(errno));
  }
  free(dir);
}

/* A damaged journal makes every sync refuse to write: say so here first. */
static void check_journal(app *a, checklist *cl) {
  char what[512], err[1400];
  int exists = 0;
  snprintf(what, sizeof what, "journal %s/journal.sqlite", a->cfg.state_dir);
  if (journal_verify(a->cfg.state_dir, &exists, err, sizeof err) == JOURNAL_OK)
    checklist_add(cl, CHECK_OK, what, "%s",
                  exists ? "intact (PRAGMA quick_check: ok)"
                         : "none yet; the first run creates it");
  else
    checklist_add(cl, CHECK_FAIL, what, "%s", err);
}

/* What no check can see: someone else writing the same lines. */
static void note_one_writer(checklist *cl, const char *psa) {
  checklist_add(
      cl, CHECK_INFO, "one writer per PSA",
      "only one lpsa host may change these counts in %s: a second host or "
      "container with its own state_dir (its lock cannot see this one), a "
      "person editing the lines or another integration writing them during "
      "a run can make a change land twice; lpsa stops writing (exit 3) when "
      "it sees another writer, but cannot prevent one",
      psa);
}

/* state_dir and everything in it must belong to whoever runs lpsa-host
 * (check is meant to run as the service's user): a file left by a run as
 * root would stop the service. */
static int check_state_dir(checklist *cl, const char *dir) {
  char err[1536];
  if (state_owner_check(dir, err, sizeof err) != 0) {
    char what[512];
    snprintf(what, sizeof what, "state_dir %s", dir);
    checklist_add(cl, CHECK_FAIL, what, "%s", err);
    return -1;
  }
  check_writable(cl, "state_dir", dir, 1);
  return 0;
}

/* The next run of `s` computed in `zone` (NULL: the zone in use; "": the
 * machine's), shown in the configured zone: "2026-11-26 02:00 CET". */
static time_t next_run(const app *a, const schedule *s, const char *zone,
                       char *out, size_t len) {
  if (zone)
    zone_use(zone[0] ? zone : NULL);
  time_t next = schedule_next(s, time(NULL));
  zone_use(a->cfg.timezone);
  struct tm tm;
  localtime_r(&next, &tm);
  strftime(out, len, "%Y-%m-%d %H:%M %Z", &tm);
  return next;
}

static void check_timezone(app *a, checklist *cl) {
  char name[300], offset[16];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(offset, sizeof offset, "%z", &tm);
  checklist_add(cl, CHECK_OK, "timezone",
                "%s (UTC%.3s:%s now); the schedule, reports, history and "
                "e-mails use it",
                zone_describe(name, sizeof name), offset, offset + 3);
  (void)a;
}

/* The timer's next run, and a warning when it does not run in the
 * configured zone. */
static void check_timer(app *a, checklist *cl, const sched_probe *p) {
  const char *what = "schedule";
  if (p->n_calendar == 0) {
    checklist_add(cl, CHECK_WARN, what,
                  "lpsa-host.timer is enabled but %s sets no OnCalendar=; "
                  "check cannot tell when it runs",
                  p->timer_file[0] ? p->timer_file : "no unit file");
    return;
  }
  time_t best = 0;
  char best_text[64] = "", best_spec[128] = "";
  for (size_t i = 0; i < p->n_calendar; i++) {
    schedule s;
    char zone[128], when[64];
    if (sched_probe_calendar(p->calendar[i], &s, zone, sizeof zone) != 0) {
      checklist_add(cl, CHECK_WARN, what,
                    "lpsa-host.timer is enabled: OnCalendar=%s; check cannot "
                    "tell when that runs (systemctl list-timers "
                    "lpsa-host.timer can)",
                    p->calendar[i]);
      return;
    }
    time_t next = next_run(a, &s, zone, when, sizeof when);
    if (!best || next < best) {
      best = next;
      snprintf(best_text, sizeof best_text, "%s", when);
      snprintf(best_spec, sizeof best_spec, "%s", p->calendar[i]);
    }
    /* Without a zone the timer runs in the machine's, not in timezone. */
    char here[64];
    if (!zone[0] && a->cfg.timezone &&
        next_run(a, &s, NULL, here, sizeof here) != next)
      checklist_add(cl, CHECK_WARN, what,
                    "lpsa-host.timer runs OnCalendar=%s in the machine's "
                    "zone, not in timezone = %s; to run at that time in %s, "
                    "write OnCalendar= and OnCalendar=%s %s in a drop-in "
                    "(systemctl edit lpsa-host.timer)",
                    p->calendar[i], a->cfg.timezone, a->cfg.timezone,
                    p->calendar[i], a->cfg.timezone);
  }
  checklist_add(cl, CHECK_OK, what,
                "the timer runs lpsa-host (lpsa-host.timer is enabled): "
                "OnCalendar=%s; next run at %s%s",
                best_spec, best_text,
                a->cfg.schedule_text && !p->daemon_enabled
                    ? " ([host] schedule is for the daemon, which is not "
                      "enabled)"
                    : "");
}

/* Which scheduler runs lpsa-host here, and its next run. */
static void check_schedule(app *a, checklist *cl) {
  sched_probe p;
  sched_probe_read(&p);
  char text[64] = "", when[64] = "";
  if (a->cfg.schedule_text) {
    schedule_format(&a->cfg.schedule, text, sizeof text);
    next_run(a, &a->cfg.schedule, NULL, when, sizeof when);
  }
  if (p.daemon_enabled && p.timer_enabled)
    checklist_add(cl, CHECK_WARN, "schedule",
                  "both lpsa-host.service (the daemon) and lpsa-host.timer "
                  "are enabled, so two schedulers start syncs; disable one "
                  "(systemctl disable --now lpsa-host.timer)");
  if (p.daemon_enabled && !a->cfg.schedule_text)
    checklist_add(cl, CHECK_FAIL, "schedule",
                  "lpsa-host.service (the daemon) is enabled but [host] sets "
                  "no schedule, so it would not start; add one, e.g. "
                  "schedule = daily 02:00");
  else if (p.daemon_enabled)
    checklist_add(cl, CHECK_OK, "schedule",
                  "the daemon runs lpsa-host (lpsa-host.service is enabled): "
                  "%s; next run at %s",
                  text, when);
  if (p.timer_enabled)
    check_timer(a, cl, &p);
  if (p.daemon_enabled || p.timer_enabled)
    return;
  if (a->cfg.schedule_text)
    checklist_add(cl, CHECK_OK, "schedule",
                  "%s; next run at %s if the daemon runs it (neither "
                  "lpsa-host.service nor lpsa-host.timer is enabled here, so "
                  "check cannot tell which scheduler runs lpsa-host)",
                  text, when);
  else
    checklist_add(cl, CHECK_OK, "schedule",
                  "none set: one-off runs only (--daemon needs one); neither "
                  "lpsa-host.service nor lpsa-host.timer is enabled here, so "
                  "check cannot tell whether a scheduler runs lpsa-host");
}

static void check_duplicates(app *a, checklist *cl) {
  mapping_dups d;
  if (mapping_find_duplicates(&a->map, &d) != 0) {
    cl->oom = 1;
    return;
  }
  for (size_t i = 0; i < d.n; i++) {
    const mapping_dup *dup = &d.items[i];
    char lines[256] = "";
    for (size_t k = 0; k < dup->n_rows; k++) {
      size_t used = strlen(lines);
      snprintf(lines + used, sizeof lines - used, "%s%d", k ? ", " : "",
               a->map.rows[dup->rows[k]].line);
    }
    if (dup->kind == MAPPING_DUP_LASTPASS)
      checklist_add(cl, CHECK_FAIL, "mapping file",
                    "LastPass company %s is mapped more than once (lines %s); "
                    "keep one row per LastPass company",
                    dup->id, lines);
    else
      checklist_add(cl, CHECK_FAIL, "mapping file",
                    "PSA company %s is mapped from several LastPass "
                    "companies (lines %s); map each LastPass company to a "
                    "PSA company of its own",
                    dup->id, lines);
  }
  mapping_dups_free(&d);
}

static int check_mapping(app *a, checklist *cl) {
  if (app_load_mapping(a) != 0) {
    take_captured(a, cl, "mapping file");
    return -1;
  }
  if (a->n_rows == 0)
    checklist_add(cl, CHECK_FAIL, "mapping file",
                  "%s has no rows, so a sync would bill nobody and stop "
                  "with exit 2: add a row for each LastPass company to bill "
                  "(`lpsa-host map suggest` proposes them)",
                  a->map.name);
  else
    checklist_add(cl, CHECK_OK, "mapping file", "%s: %zu rows", a->map.name,
                  a->n_rows);
  if (a->map.warning)
    checklist_add(cl, CHECK_WARN, "mapping file", "%s", a->map.warning);
  check_duplicates(a, cl);
  return 0;
}

static void check_lastpass(app *a, checklist *cl, int have_mapping) {
  lp_options o = {.api_url = a->cfg.lastpass_api_url,
                  .api_key = a->cfg.lastpass_api_key,
                  .companies_only = 1};
  lp_data lp = {0};
  char err[1024] = "";
  if (lastpass_fetch(a->http, &o, &lp, err, sizeof err) != LPSA_OK) {
    checklist_add(cl, CHECK_FAIL, "LastPass API",
                  "%s; check api_key and api_url in [lastpass] (%s)", err,
                  a->cfg.lastpass_api_url);
    lp_data_free(&lp);
    return;
  }
  checklist_add(cl, CHECK_OK, "LastPass API",
                "the API key works: %zu managed companies", lp.n);
  size_t known = 0;
  for (size_t i = 0; have_mapping && i < a->map.n_rows; i++) {
    const mapping_row *r = &a->map.rows[i];
    if (lp_data_find(&lp, r->lastpass_company_id) >= 0)
      known++;
    else
      checklist_add(cl, CHECK_WARN, "mapping file",
                    "LastPass company %s (line %d) is not a managed company "
                    "of this account; fix the id or remove the row",
                    r->lastpass_company_id, r->line);
  }
  if (have_mapping && a->map.n_rows && !known)
    checklist_add(cl, CHECK_FAIL, "mapping file",
                  "none of its %zu rows names a managed company of this "
                  "LastPass account, so a sync would bill nobody and stop "
                  "with exit 2: check that the mapping file and [lastpass] "
                  "api_key are for the same account, then correct the ids "
                  "(`lpsa-host map suggest` proposes rows)",
                  a->map.n_rows);
  lp_data_free(&lp);
}

static void collect_check_item(void *arg, const char *what, int ok,
                               const char *detail) {
  checklist *cl = arg;
  checklist_add(cl, ok ? CHECK_OK : CHECK_FAIL, what, detail ? "%s" : NULL,
                detail);
}

static void check_driver_items(app *a, checklist *cl, lpsa_host *host,
                               lpsa_driver_ctx *ctx) {
  const lpsa_driver *d = a->driver.desc;
  char what[160];
  snprintf(what, sizeof what, "driver %s check", a->driver_name);
  if (!d->check) {
    checklist_add(cl, CHECK_OK, what,
                  "the driver has no checks of its own; the product lookup "
                  "below still reads %s",
                  d->terms->psa);
    return;
  }
  size_t before = cl->n, failed_before = checklist_count(cl, CHECK_FAIL);
  host->check_fn = collect_check_item;
  host->check_arg = cl;
  char err[1024] = "";
  int rc = d->check(ctx, err, sizeof err);
  host->check_fn = NULL;
  int reported_failure = checklist_count(cl, CHECK_FAIL) > failed_before;
  if (rc != LPSA_OK && !reported_failure)
    checklist_add(cl, CHECK_FAIL, what, "%s",
                  err[0] ? err : host_status_str(rc));
  else if (rc == LPSA_OK && cl->n == before)
    checklist_add(cl, CHECK_OK, what, "passed");
}

static void check_products(app *a, checklist *cl, lpsa_host *host,
                           lpsa_driver_ctx *ctx) {
  const lpsa_driver *d = a->driver.desc;
  char as_of[11];
  host_local_date(host_api()->now(host), as_of);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = a->products;
  req.n_products = a->n_products;
  req.as_of = as_of;
  lpsa_snapshot *snap = snapshot_new(&req);
  char err[1024] = "";
  int rc =
      snap ? d->snapshot(ctx, &req, snap, err, sizeof err) : LPSA_ERR_NOMEM;
  if (rc != LPSA_OK) {
    checklist_add(cl, CHECK_FAIL, "configured products",
                  "reading %s failed: %s", d->terms->psa,
                  err[0] ? err : host_status_str(rc));
    snapshot_free(snap);
    return;
  }
  for (size_t i = 0; i < snap->n_products; i++) {
    const snap_product *p = &snap->products[i];
    char what[512];
    snprintf(what, sizeof what, "sku.%s %s '%s'", p->sku, d->terms->product,
             p->ref);
    if (p->found)
      checklist_add(cl, CHECK_OK, what, "found in %s: %s (id %s)",
                    d->terms->psa, p->label ? p->label : p->ref, p->psa_id);
    else
      checklist_add(cl, CHECK_FAIL, what,
                    "not found in %s; fix sku.%s in [driver.%s] (line %d) to "
                    "name an existing %s",
                    d->terms->psa, p->sku, a->driver_name,
                    strcmp(p->sku, LPSA_SKU_LASTPASS) == 0
                        ? a->section->sku_lastpass_line
                        : a->section->sku_lastpass_mfa_line,
                    d->terms->product);
  }
  snapshot_free(snap);
}

static void check_driver(app *a, checklist *cl) {
  if (app_load_driver(a) != 0) {
    take_captured(a, cl, "driver");
    return;
  }
  const lpsa_driver *d = a->driver.desc;
  char what[160];
  snprintf(what, sizeof what, "driver %s", a->driver_name);
  checklist_add(cl, CHECK_OK, what, "%s %s loaded from %s", d->name, d->version,
                a->driver.path);
  lpsa_host host;
  host_init(&host, a->log, a->http);
  lpsa_driver_ctx *ctx = NULL;
  char err[1024] = "";
  int rc = host_open_driver(&host, d, a->driver_cfg.values,
                            a->driver_cfg.n_values, &ctx, err, sizeof err);
  if (rc != LPSA_OK) {
    checklist_add(cl, CHECK_FAIL, what,
                  "refused its configuration: %s; fix [driver.%s]",
                  err[0] ? err : host_status_str(rc), a->driver_name);
    return;
  }
  check_driver_items(a, cl, &host, ctx);
  check_products(a, cl, &host, ctx);
  d->close(ctx);
}

static void print(const app *a, const checklist *cl) {
  if (a->opt.json) {
    json_object *o = checklist_json(cl);
    json_object_object_add(o, "config", json_object_new_string(a->opt.config));
    json_object_object_add(
        o, "driver",
        a->driver_name ? json_object_new_string(a->driver_name) : NULL);
    printf("%s\n",
           o ? json_object_to_json_string_ext(
                   o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)
             : "{}");
    json_object_put(o);
  } else {
    checklist_print(stdout, cl);
  }
  fflush(stdout);
}

int cmd_check(app *a) {
  checklist cl = {.redact = a->log};
  a->capture = 1;
  char what[1200];
  snprintf(what, sizeof what, "configuration %s", a->opt.config);
  if (app_load_config(a) != 0) {
    take_captured(a, &cl, what);
    print(a, &cl);
    checklist_free(&cl);
    return EXIT_USAGE;
  }
  checklist_add(&cl, CHECK_OK, what, "read without errors");
  check_timezone(a, &cl);
  check_schedule(a, &cl);
  /* Not even a read-only open of another user's journal: it may create
   * the WAL's shared-memory file as this user. */
  if (check_state_dir(&cl, a->cfg.state_dir) == 0)
    check_journal(a, &cl);
  if (a->cfg.metrics_file)
    check_writable(&cl, "metrics_file", a->cfg.metrics_file, 0);
  int have_mapping = check_mapping(a, &cl) == 0;
  if (app_http(a) != 0) {
    take_captured(a, &cl, "HTTP client");
  } else {
    check_lastpass(a, &cl, have_mapping);
    check_driver(a, &cl);
  }
  note_one_writer(&cl, a->driver.desc && a->driver.desc->terms
                           ? a->driver.desc->terms->psa
                           : "the PSA");
  print(a, &cl);
  int rc = checklist_exit_code(&cl);
  checklist_free(&cl);
  return rc;
}
