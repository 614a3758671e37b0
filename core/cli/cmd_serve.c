/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c — `lpsa-host serve`: the web console alone, until SIGTERM
 * (for installs whose syncs the systemd timer starts). SIGHUP reads the
 * configuration again. Also the console's settings and start-up shared
 * with the daemon.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd_web.h"
#include "commands.h"
#include "daemon.h"
#include "exit_codes.h"

void web_settings_from_app(const app *a, web_settings *s) {
  memset(s, 0, sizeof *s);
  const lpsa_config *c = &a->cfg;
  s->config_path = c->path;
  s->driver_name = a->driver_name;
  s->psa_name = a->driver.desc ? a->driver.desc->terms->psa : NULL;
  s->driver_id = a->driver.desc ? a->driver.desc->name : NULL;
  s->driver_version = a->driver.desc ? a->driver.desc->version : NULL;
  s->plan_max_age = c->plan_max_age;
  s->state_dir = c->state_dir;
  s->mapping_file = c->mapping_file;
  s->users_file = c->web_users_file;
  s->listen = c->web_listen;
  s->tls_cert = c->web_tls_cert;
  s->tls_key = c->web_tls_key;
  s->session_minutes = c->web_session_minutes;
  s->schedule = c->schedule_text ? &c->schedule : NULL;
  s->schedule_text = c->schedule_text;
  s->daemon = a->opt.daemon;
  s->log = a->log;
  cmd_web_jobs_enable(s);
}

int cmd_web_start(const app *a, int always, web_server **out) {
  *out = NULL;
  if (!always && !a->cfg.web_configured)
    return 0;
  web_settings s;
  web_settings_from_app(a, &s);
  char err[2048];
  if (web_server_start(&s, out, err, sizeof err) != 0) {
    app_error("%s: %s", a->cfg.name, err);
    return EXIT_USAGE;
  }
  return 0;
}

/* Load the configuration and driver the console describes. 0 or 2. */
static int load(app *a) {
  int rc;
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)))
    return rc;
  return 0;
}

/* SIGHUP: the new configuration, or the old one kept (logged). */
static void reload(app *a, web_server **web) {
  app fresh;
  int rc = app_init_like(&fresh, a);
  fresh.capture = 1;
  web_server_pause(*web); /* the shared logger gets the new secrets */
  if (rc == 0)
    rc = load(&fresh);
  web_server_resume(*web);
  if (rc != 0) {
    const char *p = fresh.captured;
    while (*p) {
      size_t len = strcspn(p, "\n");
      log_msg(a->log, LPSA_LOG_ERROR, "reload: %.*s", (int)len, p);
      p += len + (p[len] == '\n');
    }
    log_msg(a->log, LPSA_LOG_ERROR,
            "reload refused: the configuration loaded before keeps running");
    app_free(&fresh);
    return;
  }
  fresh.capture = 0;
  app_take_log(&fresh, a);
  web_settings s;
  web_settings_from_app(&fresh, &s);
  char err[2048];
  int up = web_server_update(*web, &s, err, sizeof err);
  if (up == 1) { /* another address or certificate: listen anew */
    web_server *next;
    if (web_server_start(&s, &next, err, sizeof err) == 0) {
      web_server_stop(*web);
      *web = next;
    } else {
      /* the old one keeps the port: stop it, then try again */
      web_server_stop(*web);
      *web = NULL;
      if (web_server_start(&s, web, err, sizeof err) != 0)
        up = -1;
    }
  }
  if (up < 0)
    log_msg(a->log, LPSA_LOG_ERROR, "reload: web console: %s", err);
  app_free(a);
  *a = fresh;
  log_msg(a->log, LPSA_LOG_INFO, "configuration reloaded from %s", a->cfg.name);
}

int cmd_serve(app *a, const daemon_signals *sig) {
  int rc = load(a);
  if (rc)
    return rc;
  web_server *web;
  if ((rc = cmd_web_start(a, 1, &web)))
    return rc;
  /* One line a person or a test can read, whatever the log level. */
  fprintf(stderr, "lpsa-host: web console at %s (SIGTERM stops it)\n",
          web_server_url(web));
  fflush(stderr);
  while (!*sig->stop) {
    daemon_wait(time(NULL) + 3600, sig);
    if (sig->web_job && *sig->web_job) {
      *sig->web_job = 0;
      cmd_web_jobs(a, web);
    }
    if (*sig->reload) {
      *sig->reload = 0;
      reload(a, &web);
      if (!web) {
        app_error("the web console could not listen again after a reload; "
                  "stopping");
        return EXIT_USAGE;
      }
      fprintf(stderr, "lpsa-host: web console at %s\n", web_server_url(web));
      fflush(stderr);
    }
  }
  log_msg(a->log, LPSA_LOG_INFO, "stopping the web console on a signal");
  web_server_stop(web);
  return EXIT_IN_STEP;
}
