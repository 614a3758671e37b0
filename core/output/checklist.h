/* SPDX-License-Identifier: MIT */
/*
 * checklist.h — the result of `lpsa-host check`: items that passed, need a
 * look, or failed, each saying what was checked and, when it failed, what to
 * fix; printed as text or JSON.
 *
 * Text (ASCII, so any terminal and any log shows it):
 *   [ok]   configuration /etc/lpsa/lpsa.conf: read without errors
 *   [warn] mapping file: LastPass company 199 (line 18) is not a managed
 *          company of this account; remove the row or fix the id
 *   [FAIL] LastPass API: LastPass rejected the API key; ...
 *   [info] one writer per PSA: ...
 *   2 of 11 checks failed, 1 warning.
 * Text items are escaped (text_escape.h): a name or an error quoting a
 * server cannot drive the terminal or add a line.
 * JSON: {"ok": bool, "failed": N, "warnings": N, "items": [{"status":
 * "ok"|"warn"|"fail"|"info", "what": "...", "detail": "..." or null}]}.
 */
#ifndef LPSA_CORE_CHECKLIST_H
#define LPSA_CORE_CHECKLIST_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#include "log.h"

/* CHECK_INFO: not a check, something to know (printed "[info]", never
 * counted as a check). */
typedef enum check_status {
  CHECK_OK = 0,
  CHECK_WARN,
  CHECK_FAIL,
  CHECK_INFO
} check_status;

typedef struct check_item {
  check_status status;
  char *what;
  char *detail; /* NULL when there is nothing to add */
} check_item;

typedef struct checklist {
  check_item *items;
  size_t n, cap;
  int oom; /* an item was lost for want of memory (counts as a failure) */
  /* When set, every item is kept with the credentials this logger knows
   * hidden (an item may quote a server's answer). */
  const lpsa_log *redact;
} checklist;

/* Append an item; detail is printf-formatted (NULL for none). */
void checklist_add(checklist *cl, check_status status, const char *what,
                   const char *detail_fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Append one item per line of `lines` ('\n'-separated), all with `status`
 * and `what`. */
void checklist_add_lines(checklist *cl, check_status status, const char *what,
                         const char *lines);
size_t checklist_count(const checklist *cl, check_status status);
void checklist_free(checklist *cl);

/* The exit code the items earn: 0 all passed (warnings allowed), 1 some
 * failed. */
int checklist_exit_code(const checklist *cl);

void checklist_print(FILE *out, const checklist *cl);
/* A new JSON object, or NULL when out of memory. */
json_object *checklist_json(const checklist *cl);

#endif
