/*
 * cmd_check.c — `lpsa-host check`: everything a sync needs, tried without
 * writing anything, as a checklist that says what to fix.
 *
 * Order: the configuration (when it cannot be read nothing else can be
 * checked: exit 2), state_dir and metrics_file writable, the mapping file
 * (and its duplicate rows), the LastPass API key (one companies-only read,
 * giving the company count and the mapping rows LastPass does not know),
 * the driver (loads, accepts its section, its own check() items) and the
 * configured products (a snapshot of no company resolves them). Exit 0 when
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
#include "lastpass.h"
#include "snapshot.h"

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

static void check_schedule(app *a, checklist *cl) {
  if (!a->cfg.schedule_text) {
    checklist_add(cl, CHECK_OK, "schedule",
                  "none set: one-off runs only (--daemon needs one)");
    return;
  }
  char text[64], when[64];
  schedule_format(&a->cfg.schedule, text, sizeof text);
  time_t next = schedule_next(&a->cfg.schedule, time(NULL));
  struct tm tm;
  localtime_r(&next, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
  checklist_add(cl, CHECK_OK, "schedule", "%s; next run at %s", text, when);
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
  checklist_add(cl, CHECK_OK, "mapping file", "%s: %zu rows", a->map.name,
                a->n_rows);
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
  for (size_t i = 0; have_mapping && i < a->map.n_rows; i++) {
    const mapping_row *r = &a->map.rows[i];
    if (lp_data_find(&lp, r->lastpass_company_id) < 0)
      checklist_add(cl, CHECK_WARN, "mapping file",
                    "LastPass company %s (line %d) is not a managed company "
                    "of this account; fix the id or remove the row",
                    r->lastpass_company_id, r->line);
  }
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
  int rc = d->open(host_api(), &host, a->driver_cfg.values,
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
  checklist cl = {0};
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
  check_schedule(a, &cl);
  check_writable(&cl, "state_dir", a->cfg.state_dir, 1);
  if (a->cfg.metrics_file)
    check_writable(&cl, "metrics_file", a->cfg.metrics_file, 0);
  int have_mapping = check_mapping(a, &cl) == 0;
  if (app_http(a) != 0) {
    take_captured(a, &cl, "HTTP client");
  } else {
    check_lastpass(a, &cl, have_mapping);
    check_driver(a, &cl);
  }
  print(a, &cl);
  int rc = checklist_exit_code(&cl);
  checklist_free(&cl);
  return rc;
}
