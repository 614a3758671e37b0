/* SPDX-License-Identifier: MIT */
/*
 * cmd_web.h — what the commands that run the web console share (serve and
 * the daemon): its settings from the loaded configuration, and its start.
 * Kept out of commands.h so that only the files built with the web library
 * (lpsaweb) see its headers.
 */
#ifndef LPSA_CORE_CMD_WEB_H
#define LPSA_CORE_CMD_WEB_H

#include "app.h"
#include "web_server.h"

/* The web console's settings from a loaded configuration (and driver, when
 * one is loaded); they point into `a`. */
void web_settings_from_app(const app *a, web_settings *s);
/* Start the console when the configuration has a [web] section (the
 * daemon) or always (serve). 0 (*out NULL when not configured), or 2
 * after printing why. */
int cmd_web_start(const app *a, int always, web_server **out);
/* Let the console ask this thread (the caller's: the main thread) to run
 * its jobs: sets s->wake. */
void cmd_web_jobs_enable(web_settings *s);
/* Run the jobs the console queued (web_jobs.c), on this thread. */
void cmd_web_jobs(app *a, web_server *w);

#endif
