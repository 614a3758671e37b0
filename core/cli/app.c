/* SPDX-License-Identifier: MIT */
/*
 * app.c — shared setup of lpsa-host's commands.
 */
#include "app.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "approval.h"
#include "digest.h"
#include "driver_hint.h"
#include "exit_codes.h"
#include "journal.h"
#include "process_guard.h"
#include "state_owner.h"
#include "text_escape.h"
#include "zone.h"

void app_error(const char *fmt, ...) {
  char line[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* Errors may quote a file or a server: one line, escaped. */
  fputs("lpsa-host: ", stderr);
  text_escape_put(stderr, line, 0);
  fputc('\n', stderr);
}

void app_say(app *a, const char *fmt, ...) {
  char line[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (!a->capture) {
    app_error("%s", line);
    return;
  }
  size_t used = strlen(a->captured);
  snprintf(a->captured + used, sizeof a->captured - used, "%s%s",
           used ? "\n" : "", line);
}

/* The Unix user running lpsa-host, for approved_by and made_by. */
static void who(char *out, size_t cap) {
  struct passwd *pw = getpwuid(getuid());
  if (pw && pw->pw_name && *pw->pw_name)
    snprintf(out, cap, "%s", pw->pw_name);
  else
    snprintf(out, cap, "uid %ld", (long)getuid());
}

/* --approve ID[,ID...]: 0 or 2. */
static int parse_approve(app *a) {
  if (!a->opt.approve)
    return 0;
  if (approval_ids_parse(a->opt.approve, &a->approve, &a->n_approve) != 0) {
    app_error("--approve needs LastPass company ids separated by commas "
              "(--approve 12345,12346), not \"%s\"",
              a->opt.approve);
    return EXIT_USAGE;
  }
  return 0;
}

int app_init_like(app *a, const app *from) {
  memset(a, 0, sizeof *a);
  a->opt = from->opt;
  a->stop = from->stop;
  a->log = from->log;
  memcpy(a->user, from->user, sizeof a->user);
  if (parse_approve(a))
    return EXIT_USAGE;
  if (from->default_driver_dir &&
      !(a->default_driver_dir = strdup(from->default_driver_dir))) {
    app_say(a, "out of memory");
    return EXIT_USAGE;
  }
  return 0;
}

void app_take_log(app *to, app *from) {
  to->log = from->log;
  to->owns_log = from->owns_log;
  from->owns_log = 0;
}

int app_init(app *a, const cli_options *opt, volatile sig_atomic_t *stop) {
  memset(a, 0, sizeof *a);
  a->opt = *opt;
  a->stop = stop;
  lpsa_log_level level = opt->quiet          ? LPSA_LOG_ERROR
                         : opt->verbose >= 2 ? LPSA_LOG_DEBUG
                         : opt->verbose == 1 ? LPSA_LOG_INFO
                                             : LPSA_LOG_WARN;
  if (!(a->log = log_new(stderr, level))) {
    app_error("out of memory");
    return EXIT_USAGE;
  }
  a->owns_log = 1;
  if (opt->syslog)
    log_use_syslog(a->log, "lpsa-host");
  a->default_driver_dir = config_default_driver_dir();
  who(a->user, sizeof a->user);
  return parse_approve(a);
}

/* Print (or collect) a multi-line error block, a line at a time. */
static void print_lines(app *a, const char *text) {
  const char *p = text;
  while (*p) {
    size_t len = strcspn(p, "\n");
    app_say(a, "%.*s", (int)len, p);
    p += len;
    if (*p == '\n')
      p++;
  }
}

static int load_config(app *a, unsigned flags) {
  static char err[8192];
  if (config_load_flags(a->opt.config, a->default_driver_dir, flags, &a->cfg,
                        err, sizeof err) != 0) {
    print_lines(a, err);
    return EXIT_USAGE;
  }
  a->cfg_loaded = 1;
  driver_stamp_take(a->cfg.path, &a->cfg_stamp);
  secret_list_register(&a->cfg.secrets, a->log);
  char derr[1024];
  if (digest_file_sha256(a->cfg.path, a->config_digest, derr, sizeof derr)) {
    app_say(a, "%s", derr);
    return EXIT_USAGE;
  }
  if (a->cfg.secrets.n)
    process_guard_secrets();
  zone_use(a->cfg.timezone); /* before any time is computed or shown */
  return 0;
}

int app_load_config(app *a) {
  return load_config(a, 0);
}

int app_load_config_nosecrets(app *a) {
  return load_config(a, CONFIG_LOAD_NO_SECRETS);
}

int app_load_config_optional(app *a) {
  struct stat st;
  if (a->opt.config_given || stat(a->opt.config, &st) == 0)
    return load_config(a, CONFIG_LOAD_NO_SECRETS);
  if (config_init_defaults(&a->cfg, a->default_driver_dir) != 0) {
    app_say(a, "out of memory");
    return EXIT_USAGE;
  }
  a->cfg_loaded = 1;
  return 0;
}

int app_pick_driver(app *a) {
  const lpsa_config *c = &a->cfg;
  if (a->opt.driver) {
    a->section = config_driver(c, a->opt.driver);
    if (!a->section) {
      char names[512] = "";
      for (size_t i = 0; i < c->n_drivers; i++) {
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                 c->drivers[i].name);
      }
      char hint[256];
      driver_hint_option(c, a->opt.driver, hint, sizeof hint);
      app_say(a, "%s has no [driver.%s] section; %s%s%s%s", c->name,
              a->opt.driver, hint, names[0] ? "it has: " : "", names,
              hint[0] ? "" : "; add one (see lpsa.conf(5))");
      return EXIT_USAGE;
    }
  } else if (c->n_drivers == 1) {
    a->section = &c->drivers[0];
  } else {
    app_say(a, "%s: say which PSA to use with --driver NAME (%s)", c->name,
            c->n_drivers ? "the file has several [driver.NAME] sections"
                         : "the file has no [driver.NAME] section");
    return EXIT_USAGE;
  }
  a->driver_name = a->section->name;
  return 0;
}

int app_load_driver(app *a) {
  int rc = app_pick_driver(a);
  if (rc)
    return rc;
  char err[1024];
  int lrc =
      loader_load((const char *const *)a->cfg.driver_path, a->cfg.n_driver_path,
                  a->section->module, &a->driver, err, sizeof err);
  if (lrc != LPSA_OK) {
    app_say(a, "%s", err);
    char hint[2048] = "";
    if (lrc == LPSA_ERR_NOT_FOUND)
      driver_hint_section(&a->cfg, a->section, hint, sizeof hint);
    if (hint[0])
      app_say(a, "%s", hint);
    return EXIT_USAGE;
  }
  static char cerr[8192];
  if (config_driver_resolve(&a->cfg, a->section, a->driver.desc->name,
                            a->driver.desc->config_keys, &a->driver_cfg, cerr,
                            sizeof cerr) != 0) {
    print_lines(a, cerr);
    return EXIT_USAGE;
  }
  secret_list_register(&a->driver_cfg.secrets, a->log);
  if (a->driver_cfg.secrets.n)
    process_guard_secrets();
  if (config_driver_products(a->section, &a->products, &a->n_products) != 0) {
    app_say(a, "out of memory");
    return EXIT_USAGE;
  }
  if (a->n_products == 0) {
    app_say(a,
            "%s:%d: [driver.%s] sets no products; add sku.lastpass = "
            "<%s> and sku.lastpass_mfa = <%s>",
            a->cfg.name, a->section->line, a->section->name,
            a->driver.desc->terms->product, a->driver.desc->terms->product);
    return EXIT_USAGE;
  }
  return 0;
}

int app_load_mapping(app *a) {
  if (!a->cfg.mapping_file) {
    app_say(a,
            "%s: [host] sets no mapping_file; point it at the CSV that maps "
            "LastPass companies to PSA companies",
            a->cfg.name);
    return EXIT_USAGE;
  }
  static char err[8192];
  mapping m;
  if (mapping_load(a->cfg.mapping_file, &m, err, sizeof err) != 0) {
    print_lines(a, err);
    return EXIT_USAGE;
  }
  if (digest_file_sha256(a->cfg.mapping_file, a->mapping_digest, err,
                         sizeof err)) {
    app_say(a, "%s", err);
    mapping_free(&m);
    return EXIT_USAGE;
  }
  /* check shows the warning as an item of its own. */
  if (m.warning && !a->capture)
    log_msg(a->log, LPSA_LOG_WARN, "%s", m.warning);
  int rc = app_use_mapping(a, &m);
  mapping_free(&m);
  return rc;
}

int app_use_mapping(app *a, mapping *m) {
  map_row *rows = calloc(m->n_rows + 1, sizeof *rows);
  if (!rows) {
    app_say(a, "out of memory");
    return EXIT_USAGE;
  }
  for (size_t i = 0; i < m->n_rows; i++) {
    const mapping_row *r = &m->rows[i];
    rows[i] = (map_row){r->lastpass_company_id, r->psa_company_id,
                        r->agreement_id, r->line};
  }
  free(a->rows);
  mapping_free(&a->map);
  a->map = *m;
  memset(m, 0, sizeof *m);
  a->rows = rows;
  a->n_rows = a->map.n_rows;
  return 0;
}

int app_open_journal(app *a, journal **out) {
  char err[1024];
  /* Opening the journal may create its WAL files: not as another user. */
  if (state_owner_check(a->cfg.state_dir, err, sizeof err) != 0) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  journal_status js = journal_open(a->cfg.state_dir, 0, out, err, sizeof err);
  if (js != JOURNAL_OK) {
    app_error("%s", err);
    /* A locked, full or damaged journal is not a configuration error. */
    return js == JOURNAL_NO_STATE_DIR ? EXIT_USAGE : EXIT_ABORTED;
  }
  return 0;
}

int app_http(app *a) {
  http_options o;
  http_options_default(&o);
  if (a->cfg_loaded) {
    o.timeout_ms = (long)a->cfg.http_timeout * 1000L;
    o.max_concurrency = (unsigned)a->cfg.max_concurrency;
    o.ca_file = a->cfg.ca_file;
  }
  if (!(a->http = http_client_new(&o, a->log))) {
    app_say(a, "cannot start the HTTP client (out of memory or a bad "
               "ca_file)");
    return EXIT_USAGE;
  }
  return 0;
}

void app_free(app *a) {
  approval_ids_free(a->approve, a->n_approve);
  http_client_free(a->http);
  free(a->rows);
  mapping_free(&a->map);
  free(a->mapping_change);
  free(a->products);
  driver_config_free(&a->driver_cfg);
  loader_unload(&a->driver);
  if (a->cfg_loaded)
    config_free(&a->cfg);
  free(a->default_driver_dir);
  if (a->owns_log)
    log_free(a->log);
  memset(a, 0, sizeof *a);
}
