/* SPDX-License-Identifier: MIT */
/*
 * web_job.h — what a web user asked the console to run: make a plan (a
 * dry run that saves its plan, as `lpsa-host plan`) or apply a saved plan
 * with the approvals given on its page (as `lpsa-host apply PLAN
 * --approve ...`). One at a time.
 *
 * The console's thread only queues the job and wakes the program's main
 * thread (web_settings.wake). That thread reads today's configuration,
 * driver and mapping, as a command would, and hands them to
 * web_server_job_run(), which runs the job with sync_run() — so a sync
 * never runs on the console's thread (pages keep answering), and the
 * daemon's scheduled runs and the console's jobs never overlap. GET
 * /api/v1/job tells how it goes: queued, running (with its phase and
 * counts), done (the run, its exit code and summary) or failed (why it
 * could not start).
 *
 * The run journals the web user as the Unix user of a command: the plan's
 * made_by, and approved_by for every held change released, each in the
 * name of the approver who released it on the page.
 */
#ifndef LPSA_WEB_JOB_H
#define LPSA_WEB_JOB_H

#include <json-c/json.h>
#include <stddef.h>
#include <time.h>

#include "outcome.h"
#include "plan.h"
#include "sync.h"

typedef enum web_job_kind { WEB_JOB_PLAN = 1, WEB_JOB_APPLY } web_job_kind;

typedef enum web_job_state {
  WEB_JOB_NONE = 0,
  WEB_JOB_QUEUED,
  WEB_JOB_RUNNING,
  WEB_JOB_DONE,  /* the run finished (its exit code says how) */
  WEB_JOB_FAILED /* it could not start: error says why */
} web_job_state;

typedef struct web_job {
  unsigned long id;
  web_job_kind kind;
  web_job_state state;
  char user[64], address[64];
  /* apply: the plan, the approvals (LastPass ids and who released each)
   * and how many changes the person confirmed. */
  char plan_id[PLAN_ID_LEN];
  char *plan_path;
  char **approve, **approve_by;
  size_t n_approve;
  size_t changes;
  time_t queued, started, finished;
  /* The result. */
  long long run_id;
  int exit_code;
  int aborted;
  char error[4096];
  char result_plan[PLAN_ID_LEN]; /* the plan saved or applied */
  size_t plan_changes, plan_held;
  run_summary summary;
  /* Progress (phase names: "lastpass", "psa-read", "psa-write"). */
  const char *phase;
  size_t done, total;
} web_job;

struct web_console;

/* Queue a job for `user` (c->lock held). The approvals are copied. 0; or
 * -1 with the HTTP status and a message (a job already queued or running:
 * 409; no main thread to run it: 503). */
int web_job_queue(struct web_console *c, web_job_kind kind, const char *user,
                  const char *address, const char *plan_id,
                  const char *plan_path, const char *const *approve,
                  const char *const *approve_by, size_t n_approve,
                  size_t changes, int *status, char *err, size_t errlen);
/* 1 when a job waits for the main thread. */
int web_job_pending(struct web_console *c);
/* The main thread could not prepare the job (the configuration does not
 * load): it fails with `why`. */
void web_job_refuse(struct web_console *c, const char *why);
/* Run the queued job with `base` (a sync of today's files), without
 * holding c->lock but to record its state. `out` is the run's report (the
 * caller writes --report, metrics and notifications, then frees it); its
 * exit_code is 0 and json NULL when nothing ran. Returns the job's kind,
 * or 0 when none was queued. */
int web_job_run(struct web_console *c, const sync_settings *base,
                sync_report *out);
/* The job as JSON ({id, kind, state, user, queued, started, finished,
 * plan_id, changes, run_id, exit_code, error, summary, progress}), or
 * NULL when there has been none. */
json_object *web_job_json(struct web_console *c);
void web_job_free(web_job *j);

#endif
