/* SPDX-License-Identifier: MIT */
/*
 * daemon_reload.h — what the daemon does on SIGHUP: read the configuration
 * file again, with its driver and mapping file, into a new app.
 */
#ifndef LPSA_CORE_DAEMON_RELOAD_H
#define LPSA_CORE_DAEMON_RELOAD_H

#include "app.h"
#include "daemon.h"

/* On success *a becomes the new app (the old is freed; the daemon lock
 * moves when state_dir changed), a warning is logged when the driver file
 * changed on disk since `stamp` (restart to load it), and 0 is returned. On
 * any error each problem is logged, *a is untouched (it keeps running) and
 * -1 returned. */
int daemon_reload(app *a, int *lock_fd, driver_stamp *stamp);

#endif
