/*
 * commands.h — lpsa-host's commands, one file each (cmd_*.c). Each returns
 * the process exit code.
 */
#ifndef LPSA_CORE_COMMANDS_H
#define LPSA_CORE_COMMANDS_H

#include "app.h"
#include "sync.h"

int cmd_sync(app *a);
int cmd_drivers(app *a);
int cmd_history(app *a);

/* Shared by one-off syncs and the daemon. */
void sync_settings_from_app(const app *a, sync_settings *s);
/* Print the report per --json and write --report FILE; 0 or -1. */
int cmd_sync_output(const app *a, const sync_report *r);

#endif
