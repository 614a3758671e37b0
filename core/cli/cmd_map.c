/* SPDX-License-Identifier: MIT */
/*
 * cmd_map.c — `lpsa-host map suggest [--output FILE]`: read the LastPass
 * managed companies and every PSA company (names only), and print proposed
 * mapping rows (map_suggest.h) for a person to review.
 *
 * It never writes the live mapping file: --output naming the configured
 * mapping_file (by any path, links included) is refused, and without
 * --output the CSV goes to standard output. The live mapping is only read,
 * when it loads, to note where each company is mapped now.
 * Exit: 0 written, 2 configuration/driver/usage, 3 LastPass or the PSA could
 * not be read.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "commands.h"
#include "exit_codes.h"
#include "host_api.h"
#include "lastpass.h"
#include "map_suggest_render.h"
#include "snapshot.h"

/* The absolute, resolved form of a path that may not exist yet: its
 * directory resolved, then its name. 0 or -1. */
static int resolve_maybe_new(const char *path, char out[PATH_MAX]) {
  if (realpath(path, out))
    return 0;
  char dir[PATH_MAX];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  const char *name = slash ? slash + 1 : path;
  if (slash)
    *(slash == dir ? slash + 1 : slash) = '\0';
  char real[PATH_MAX];
  if (!realpath(slash ? dir : ".", real))
    return -1;
  int n = snprintf(out, PATH_MAX, "%s/%s", real, name);
  return n > 0 && n < PATH_MAX ? 0 : -1;
}

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  char ra[PATH_MAX], rb[PATH_MAX];
  return resolve_maybe_new(a, ra) == 0 && resolve_maybe_new(b, rb) == 0 &&
         strcmp(ra, rb) == 0;
}

/* Where the live mapping maps each LastPass company now (NULL entries when
 * unmapped; NULL when the mapping file does not load: it is only a hint). */
static const char **mapped_now(app *a, const lp_data *lp) {
  a->capture = 1;
  int loaded = app_load_mapping(a) == 0;
  a->capture = 0;
  a->captured[0] = '\0';
  if (!loaded)
    return NULL;
  const char **now = calloc(lp->n + 1, sizeof *now);
  for (size_t i = 0; now && i < a->map.n_rows; i++) {
    long k = lp_data_find(lp, a->map.rows[i].lastpass_company_id);
    if (k >= 0 && !now[k])
      now[k] = a->map.rows[i].psa_company_id;
  }
  return now;
}

/* Every active PSA company (names only). LPSA_OK or a status with err. */
static int read_psa(app *a, lpsa_snapshot **out, char *err, size_t errlen) {
  const lpsa_driver *d = a->driver.desc;
  lpsa_host host;
  host_init(&host, a->log, a->http);
  lpsa_driver_ctx *ctx = NULL;
  int rc = host_open_driver(&host, d, a->driver_cfg.values,
                            a->driver_cfg.n_values, &ctx, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  char as_of[11];
  host_local_date(host_api()->now(&host), as_of);
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = a->products;
  req.n_products = a->n_products;
  req.as_of = as_of;
  req.flags = LPSA_SNAPSHOT_ALL_COMPANIES | LPSA_SNAPSHOT_COMPANIES_ONLY;
  *out = snapshot_new(&req);
  rc = *out ? d->snapshot(ctx, &req, *out, err, errlen) : LPSA_ERR_NOMEM;
  d->close(ctx);
  return rc;
}

/* An error quoting a server, with the credentials it may echo hidden. */
static void say_redacted(const app *a, const char *what, const char *err) {
  char *clean = log_redact(a->log, err);
  app_error("%s: %s", what, clean ? clean : "(out of memory)");
  free(clean);
}

static int write_output(const app *a, const char *text) {
  /* Names come from LastPass and the PSA: nothing they echo is kept. */
  char *clean = log_redact(a->log, text);
  if (!clean) {
    app_error("out of memory");
    return -1;
  }
  size_t len = strlen(clean);
  int rc = 0;
  char err[1024];
  if (!a->opt.output) {
    fwrite(clean, 1, len, stdout);
    fflush(stdout);
  } else if (atomic_write_file(a->opt.output, clean, len, 0600, err,
                               sizeof err)) {
    /* Private: it names every customer. */
    app_error("%s", err);
    rc = -1;
  }
  free(clean);
  return rc;
}

/* Build the companies lists, match, render. */
static int suggest(app *a, const lp_data *lp, const lpsa_snapshot *snap) {
  ms_company *lpc = calloc(lp->n + 1, sizeof *lpc);
  ms_company *psa = calloc(snap->n_companies + 1, sizeof *psa);
  size_t n_psa = 0;
  ms_result res = {0};
  const char **now = NULL;
  char *text = NULL;
  size_t len = 0;
  int rc = EXIT_USAGE;
  if (!lpc || !psa)
    goto out;
  for (size_t i = 0; i < lp->n; i++)
    lpc[i] = (ms_company){lp->companies[i].id, lp->companies[i].name};
  for (size_t i = 0; i < snap->n_companies; i++)
    if (snap->companies[i].active)
      psa[n_psa++] =
          (ms_company){snap->companies[i].id, snap->companies[i].name};
  now = mapped_now(a, lp);
  if (map_suggest(lpc, lp->n, psa, n_psa, NULL, &res) != 0)
    goto out;
  char date[11];
  lpsa_host host;
  host_init(&host, NULL, NULL);
  host_local_date(host_api()->now(&host), date);
  ms_context ctx = {date, a->driver.desc->terms->psa, MAP_SUGGEST_THRESHOLD,
                    now};
  FILE *mem = open_memstream(&text, &len);
  if (!mem)
    goto out;
  if (a->opt.json) {
    json_object *o = map_suggest_json(lpc, psa, &res, &ctx);
    fprintf(mem, "%s\n",
            o ? json_object_to_json_string_ext(
                    o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)
              : "{}");
    json_object_put(o);
  } else {
    map_suggest_csv(mem, lpc, psa, n_psa, &res, &ctx);
  }
  if (fclose(mem) != 0)
    goto out;
  rc = write_output(a, text) == 0 ? EXIT_IN_STEP : EXIT_USAGE;
out:
  if (rc == EXIT_USAGE && !text)
    app_error("out of memory");
  free(text);
  ms_result_free(&res);
  free(now);
  free(lpc);
  free(psa);
  return rc;
}

int cmd_map_suggest(app *a) {
  int rc;
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)) ||
      (rc = app_http(a)))
    return rc;
  if (a->opt.output && a->cfg.mapping_file &&
      same_file(a->opt.output, a->cfg.mapping_file)) {
    app_error("--output %s is the live mapping_file; write the suggestions "
              "to another file, review them, then copy the rows you keep",
              a->opt.output);
    return EXIT_USAGE;
  }
  lp_options o = {.api_url = a->cfg.lastpass_api_url,
                  .api_key = a->cfg.lastpass_api_key,
                  .companies_only = 1};
  lp_data lp = {0};
  char err[1024] = "";
  if (lastpass_fetch(a->http, &o, &lp, err, sizeof err) != LPSA_OK) {
    say_redacted(a, "LastPass", err);
    lp_data_free(&lp);
    return EXIT_ABORTED;
  }
  lpsa_snapshot *snap = NULL;
  int src = read_psa(a, &snap, err, sizeof err);
  if (src == LPSA_OK && snap->error[0]) {
    snprintf(err, sizeof err, "the driver emitted a bad record: %s",
             snap->error);
    src = LPSA_ERR_PROTOCOL;
  }
  if (src != LPSA_OK) {
    char what[256];
    snprintf(what, sizeof what, "reading %s companies",
             a->driver.desc->terms->psa);
    say_redacted(a, what, err[0] ? err : host_status_str(src));
    rc = src == LPSA_ERR_INVALID ? EXIT_USAGE : EXIT_ABORTED;
  } else {
    rc = suggest(a, &lp, snap);
  }
  snapshot_free(snap);
  lp_data_free(&lp);
  return rc;
}
