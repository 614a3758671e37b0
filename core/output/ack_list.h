/* SPDX-License-Identifier: MIT */
/*
 * ack_list.h — the acknowledgements in force, for people (`lpsa-host ack
 * --list`: a table) and programs (JSON, "schema": "lpsa.acks/1"):
 * {schema, acks [{driver, lastpass_id, lastpass_name, code, message, by,
 * at, until, note, run_id, state, last_run}]}, where state is "in force" or
 * "expired" by today's date, and last_run says how the newest run of its
 * driver saw the finding: "applies", "changed", "expired", "gone" (the
 * finding no longer shows) or null (no run since).
 */
#ifndef LPSA_CORE_ACK_LIST_H
#define LPSA_CORE_ACK_LIST_H

#include <json-c/json.h>
#include <stdio.h>

#include "ack.h"

/* `today` is "YYYY-MM-DD"; `last_run[i]` is what the newest run said of
 * acks[i] (NULL: unknown); last_run itself may be NULL. */
json_object *ack_list_json(const ack_record *acks, size_t n, const char *today,
                           const char *const *last_run);
void ack_list_print(FILE *out, const ack_record *acks, size_t n,
                    const char *today, const char *const *last_run);

#endif
