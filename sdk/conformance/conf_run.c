/* SPDX-License-Identifier: MIT */
/*
 * conf_run.c — read the options and the configuration once, in the parent,
 * the way lpsa-host does, so every test process starts from the same facts.
 */
#include "conf_run.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config_driver.h"
#include "host_api.h"
#include "strmap.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  return -1;
}

static int check_options(const lpsa_conformance_options *opt, char *err,
                         size_t errlen) {
  if (!opt || opt->size < sizeof(lpsa_conformance_options))
    return fail(err, errlen,
                "lpsa_conformance_run: options missing or from an unknown "
                "version; start from LPSA_CONFORMANCE_OPTIONS_INIT");
  if (!opt->driver || !*opt->driver)
    return fail(err, errlen, "no driver given: use --driver PATH_OR_NAME");
  if (!opt->config || !*opt->config)
    return fail(err, errlen,
                "no configuration given: use --config FILE (an lpsa "
                "configuration with a [driver.NAME] section)");
  if (opt->level < 0 || opt->level > 2)
    return fail(err, errlen, "level %d does not exist: use 0, 1 or 2",
                opt->level);
  return 0;
}

/* "dir/NAME.so" or "NAME.so" -> "NAME" */
static int name_of_file(const char *path, char *out, size_t cap) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  if (n > 3 && strcmp(base + n - 3, ".so") == 0)
    n -= 3;
  if (n == 0 || n >= cap)
    return -1;
  memcpy(out, base, n);
  out[n] = '\0';
  return 0;
}

/* <module>.so in one directory: the exact name, else one that differs only
 * in case (as the loader searches). 1 when found. */
static int find_in_dir(const char *dir, const char *file, char *out,
                       size_t cap) {
  struct stat st;
  if ((size_t)snprintf(out, cap, "%s/%s", dir, file) < cap &&
      lstat(out, &st) == 0)
    return 1;
  DIR *d = opendir(dir);
  int found = 0;
  for (struct dirent *e; d && !found && (e = readdir(d)) != NULL;)
    if (strcasecmp(e->d_name, file) == 0)
      found = (size_t)snprintf(out, cap, "%s/%s", dir, e->d_name) < cap;
  if (d)
    closedir(d);
  return found;
}

static int find_module(conf_run *run, const char *module, char *err,
                       size_t errlen) {
  char file[256];
  if (snprintf(file, sizeof file, "%s.so", module) >= (int)sizeof file ||
      strchr(module, '/'))
    return fail(err, errlen, "driver name \"%s\" is not valid", module);
  for (size_t i = 0; i < run->cfg.n_driver_path; i++)
    if (find_in_dir(run->cfg.driver_path[i], file, run->driver_path,
                    sizeof run->driver_path))
      return 0;
  char dirs[2048] = "";
  for (size_t i = 0; i < run->cfg.n_driver_path; i++) {
    size_t used = strlen(dirs);
    snprintf(dirs + used, sizeof dirs - used, "%s%s", i ? ":" : "",
             run->cfg.driver_path[i]);
  }
  return fail(err, errlen,
              "no %s in the driver path (%s): give the driver's file with "
              "--driver PATH, or set [host] driver_path",
              file, dirs[0] ? dirs : "empty");
}

static int pick_section(conf_run *run, const char *wanted, char *err,
                        size_t errlen) {
  const lpsa_config *c = &run->cfg;
  run->section = wanted ? config_driver(c, wanted) : NULL;
  if (!run->section && !run->opt->section && c->n_drivers == 1 &&
      strchr(run->opt->driver, '/'))
    run->section = &c->drivers[0];
  if (run->section)
    return 0;
  char names[512] = "";
  for (size_t i = 0; i < c->n_drivers; i++) {
    size_t used = strlen(names);
    snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
             c->drivers[i].name);
  }
  return fail(err, errlen,
              "%s has no [driver.%s] section%s%s: add one, or name the "
              "section with --section NAME",
              c->name, wanted ? wanted : "NAME", names[0] ? "; it has: " : "",
              names);
}

/* The driver file, its expected name and its section. */
static int locate_driver(conf_run *run, char *err, size_t errlen) {
  const lpsa_conformance_options *opt = run->opt;
  if (strchr(opt->driver, '/')) {
    if (name_of_file(opt->driver, run->expected_name,
                     sizeof run->expected_name) ||
        (size_t)snprintf(run->driver_path, sizeof run->driver_path, "%s",
                         opt->driver) >= sizeof run->driver_path)
      return fail(err, errlen, "driver path %s is not valid", opt->driver);
    return pick_section(run, opt->section ? opt->section : run->expected_name,
                        err, errlen);
  }
  if (pick_section(run, opt->section ? opt->section : opt->driver, err, errlen))
    return -1;
  const char *module = opt->section ? opt->driver : run->section->module;
  if ((size_t)snprintf(run->expected_name, sizeof run->expected_name, "%s",
                       module) >= sizeof run->expected_name)
    return fail(err, errlen, "driver name %s is too long", module);
  return find_module(run, module, err, errlen);
}

/* Append id unless already there. */
static int add_id(const char **ids, size_t *n, strmap *seen, const char *id) {
  if (strmap_get(seen, id, NULL))
    return 0;
  if (strmap_put(seen, id, *n))
    return -1;
  ids[(*n)++] = id;
  return 0;
}

static int collect_companies(conf_run *run, char *err, size_t errlen) {
  const lpsa_conformance_options *opt = run->opt;
  if (run->cfg.mapping_file &&
      mapping_load(run->cfg.mapping_file, &run->map, err, errlen) != 0)
    return -1;
  size_t cap = run->map.n_rows + opt->n_company_ids + 1;
  run->company_ids = calloc(cap, sizeof *run->company_ids);
  run->agreement_ids = calloc(cap, sizeof *run->agreement_ids);
  if (!run->company_ids || !run->agreement_ids)
    return fail(err, errlen, "out of memory");
  strmap seen = {0};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < run->map.n_rows; i++) {
    const mapping_row *r = &run->map.rows[i];
    rc =
        add_id(run->company_ids, &run->n_company_ids, &seen, r->psa_company_id);
    if (r->agreement_id)
      run->agreement_ids[run->n_agreement_ids++] = r->agreement_id;
  }
  for (size_t i = 0; rc == 0 && i < opt->n_company_ids; i++)
    if (opt->company_ids[i] && *opt->company_ids[i])
      rc = add_id(run->company_ids, &run->n_company_ids, &seen,
                  opt->company_ids[i]);
  strmap_free(&seen);
  if (rc)
    return fail(err, errlen, "out of memory");
  if (run->n_company_ids == 0 && opt->level >= 1)
    return fail(err, errlen,
                "%s: no companies to request: set [host] mapping_file, or "
                "give --company ID (a PSA company that exists)",
                run->cfg.name);
  return 0;
}

static int make_tmpdir(conf_run *run, char *err, size_t errlen) {
  const char *tmp = getenv("TMPDIR");
  snprintf(run->tmpdir, sizeof run->tmpdir, "%s/lpsa-conformance-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(run->tmpdir)) {
    run->tmpdir[0] = '\0';
    return fail(err, errlen, "cannot create a temporary directory in %s",
                tmp && *tmp ? tmp : "/tmp");
  }
  return 0;
}

static void run_date(conf_run *run) {
  lpsa_host host;
  host_init(&host, NULL, NULL);
  host_local_date(host_api()->now(&host), run->as_of);
}

int conf_run_prepare(conf_run *run, const lpsa_conformance_options *opt,
                     char *err, size_t errlen) {
  memset(run, 0, sizeof *run);
  run->opt = opt;
  if (check_options(opt, err, errlen))
    return -1;
  run->timeout_s =
      opt->timeout_s ? opt->timeout_s : LPSA_CONFORMANCE_DEFAULT_TIMEOUT;
  char *default_dir = config_default_driver_dir();
  int rc = config_load(opt->config, default_dir, &run->cfg, err, errlen);
  free(default_dir);
  if (rc != 0)
    return -1;
  run->cfg_loaded = 1;
  if (locate_driver(run, err, errlen))
    return -1;
  if (config_driver_products(run->section, &run->products, &run->n_products))
    return fail(err, errlen, "out of memory");
  if (run->n_products == 0)
    return fail(err, errlen,
                "%s:%d: [driver.%s] sets no products; add sku.lastpass = "
                "<product> (and sku.lastpass_mfa)",
                run->cfg.name, run->section->line, run->section->name);
  if (collect_companies(run, err, errlen))
    return -1;
  run_date(run);
  return make_tmpdir(run, err, errlen);
}

/* The directory holds only flat files the tests left (captures of killed
 * children, the level-2 state). */
static void remove_tmpdir(const char *dir) {
  DIR *d = opendir(dir);
  char path[CONF_PATH_MAX + 300];
  for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    remove(path);
  }
  if (d)
    closedir(d);
  remove(dir);
}

void conf_run_free(conf_run *run) {
  if (run->tmpdir[0])
    remove_tmpdir(run->tmpdir);
  free(run->company_ids);
  free(run->agreement_ids);
  mapping_free(&run->map);
  free(run->products);
  if (run->cfg_loaded)
    config_free(&run->cfg);
  memset(run, 0, sizeof *run);
}

lpsa_snapshot_request conf_run_request(const conf_run *run, unsigned flags) {
  lpsa_snapshot_request req = LPSA_INIT(lpsa_snapshot_request);
  req.products = run->products;
  req.n_products = run->n_products;
  req.company_ids = run->company_ids;
  req.n_company_ids = run->n_company_ids;
  req.agreement_ids = run->agreement_ids;
  req.n_agreement_ids = run->n_agreement_ids;
  req.as_of = run->as_of;
  req.flags = flags;
  return req;
}
