/* SPDX-License-Identifier: MIT */
/*
 * commands.h — lpsa-host's commands, one file each (cmd_*.c). Each returns
 * the process exit code.
 */
#ifndef LPSA_CORE_COMMANDS_H
#define LPSA_CORE_COMMANDS_H

#include "app.h"
#include "daemon.h"
#include "sync.h"

int cmd_sync(app *a);
int cmd_daemon(app *a, const daemon_signals *sig);
int cmd_drivers(app *a);
int cmd_history(app *a);
int cmd_ack(app *a);
int cmd_check(app *a);
int cmd_map_suggest(app *a);
int cmd_map_accept(app *a);
int cmd_plan(app *a);
int cmd_apply(app *a);
/* history --plans */
int cmd_history_plans(app *a);
int cmd_serve(app *a, const daemon_signals *sig);
int cmd_web_user(app *a);

/* Shared by one-off syncs and the daemon. */
void sync_settings_from_app(const app *a, sync_settings *s);
/* Print the report per --json and write --report FILE; 0 or -1. */
int cmd_sync_output(const app *a, const sync_report *r);
/* Metrics and notifications after the run (followup.h). */
void cmd_followup(const app *a, const sync_report *r);
/* Ask before writing when a person is at the terminal (confirm.h). */
void cmd_sync_confirm(const app *a, sync_settings *s);
/* Only write --report FILE (when given), atomically; 0 or -1 (logged). */
int cmd_sync_report_file(const app *a, const sync_report *r);

#endif
