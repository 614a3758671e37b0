/* SPDX-License-Identifier: MIT */
/*
 * web_audit.h — what people did through the console, kept in the journal's
 * table web_audit: when, who (the console user), from where (the client
 * address), what (an action such as "login", "login.failed", "logout",
 * "mapping.add", "mapping.change", "mapping.remove", "mapping.suggest"),
 * on what (a LastPass company id, a user name) and the details (JSON: the
 * row before and after, the backup file).
 */
#ifndef LPSA_WEB_AUDIT_H
#define LPSA_WEB_AUDIT_H

#include <json-c/json.h>
#include <sqlite3.h>

/* Create the table if needed. 0 or -1. */
int web_audit_init(sqlite3 *db);
/* Record one event (ts: UTC ISO 8601). detail may be NULL. 0 or -1. */
int web_audit_record(sqlite3 *db, const char *ts, const char *user,
                     const char *address, const char *action,
                     const char *target, json_object *detail);
/* {"total": N, "events": [{id, ts, user, address, action, target,
 * detail}]}, newest first; action_prefix ("mapping.") may be NULL. A new
 * reference, or NULL on error. */
json_object *web_audit_list(sqlite3 *db, const char *action_prefix, int offset,
                            int limit);

#endif
