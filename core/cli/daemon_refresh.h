/* SPDX-License-Identifier: MIT */
/*
 * daemon_refresh.h — what the daemon does before each run, scheduled or
 * SIGUSR1: it reads the mapping file again, so an edited mapping takes
 * effect without SIGHUP, and it notices a configuration file changed since
 * it was loaded, which still needs SIGHUP (a reload checks the whole file
 * before it replaces anything).
 */
#ifndef LPSA_CORE_DAEMON_REFRESH_H
#define LPSA_CORE_DAEMON_REFRESH_H

#include "app.h"
#include "outcome.h"

/* Refresh `a` and add what the run's report should say to `notices`:
 *   MAPPING_CHANGED (info)     the mapping differs from the last run's
 *                              (edited on disk, or by a reload), in words;
 *   MAPPING_UNREADABLE (error) the file cannot be used now: the run goes on
 *                              with the mapping read before, and the error
 *                              names the file, the line and what to do;
 *   CONFIG_CHANGED (info)      the configuration file changed on disk since
 *                              it was loaded: this run uses the loaded one.
 * Each is logged too. 0, or -1 when out of memory. */
int daemon_refresh(app *a, finding_list *notices);

#endif
