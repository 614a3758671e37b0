/* SPDX-License-Identifier: MIT */
/*
 * web_plan.h — a saved plan as the Plan page shows it.
 *
 * The file is found through the journal (journal_plans_find: its path and
 * fate), read and checked by the CLI's own parser (plan_doc_parse: a plan
 * edited after it was made is refused), and kept parsed while the file is
 * unchanged on disk: at 5,000 companies parsing is most of an answer's
 * time. Each company is sorted once into what the page lists: a change, a
 * held change (approvable when it has a target), an error, or neither;
 * the problems that are not holds are grouped by rule.
 *
 * Whether it can be applied now is the apply's own test
 * (plan_replay_refusal) against today's configuration and mapping files.
 */
#ifndef LPSA_WEB_PLAN_H
#define LPSA_WEB_PLAN_H

#include <json-c/json.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "journal_plans.h"
#include "plan.h"

typedef enum web_plan_kind {
  WEB_PLAN_CHANGE = 0, /* written when applied */
  WEB_PLAN_HELD,       /* held: written only when approved */
  WEB_PLAN_ERROR,      /* not updated: a problem a person must fix */
  WEB_PLAN_OTHER       /* in step, skipped */
} web_plan_kind;

typedef struct web_plan {
  char id[PLAN_ID_LEN];
  char *path;
  struct timespec mtime;
  ino_t ino;
  off_t size;
  json_object *doc;          /* the lpsa.plan/1 document */
  plan_doc plan;             /* the same, parsed by plan_doc_parse */
  size_t n;                  /* companies */
  unsigned char *kind;       /* web_plan_kind of each company */
  unsigned char *approvable; /* held with a target */
  size_t counts[4];          /* by kind */
  size_t approvable_total;
  json_object *problems; /* [{code, severity, companies, run_findings,
                            examples}] */
} web_plan;

struct web_console;

/* Plan `id` ("latest": the newest plan of the console's driver): *info
 * from the journal (free with journal_plans_free(*info, 1)) and the plan,
 * borrowed from the console's cache until the next call. 0, or -1 with
 * an HTTP status and one line in err. */
int web_plan_open(struct web_console *c, const char *id, web_plan **out,
                  journal_plan_info **info, int *status, char *err,
                  size_t errlen);
/* 0 when the plan may be applied now, else 1 with why (and what to do). */
int web_plan_refusal(struct web_console *c, const web_plan *p, char *why,
                     size_t cap);
/* What earlier applies did with the plan's lines, by LastPass id:
 * {id: {state, run_id, approved_by}} (a new reference; empty on error). */
json_object *web_plan_lines(struct web_console *c, const char *plan_id);
/* 1 when `state` (of web_plan_lines) is a line already written. */
int web_plan_line_done(json_object *line);
void web_plan_free(web_plan *p);

#endif
