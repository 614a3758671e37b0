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

#endif
