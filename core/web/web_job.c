/* SPDX-License-Identifier: MIT */
/*
 * web_job.c — the console's one background job: queued by a request, run
 * by the main thread through sync_run().
 */
#include "web_job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "progress.h"
#include "web_audit.h"
#include "web_console.h"

static void free_request(web_job *j) {
  for (size_t i = 0; i < j->n_approve; i++) {
    free(j->approve[i]);
    free(j->approve_by[i]);
  }
  free(j->approve);
  free(j->approve_by);
  free(j->plan_path);
  j->approve = j->approve_by = NULL;
  j->n_approve = 0;
  j->plan_path = NULL;
}

void web_job_free(web_job *j) {
  free_request(j);
}

int web_job_queue(web_console *c, web_job_kind kind, const char *user,
                  const char *address, const char *plan_id,
                  const char *plan_path, const char *const *approve,
                  const char *const *approve_by, size_t n_approve,
                  size_t changes, int *status, char *err, size_t errlen) {
  web_job *j = &c->job;
  if (j->state == WEB_JOB_QUEUED || j->state == WEB_JOB_RUNNING) {
    *status = 409;
    snprintf(err, errlen,
             "%s (job %lu, asked by %s) is %s; wait for it to finish "
             "(GET /api/v1/job)",
             j->kind == WEB_JOB_PLAN ? "a plan" : "an apply", j->id, j->user,
             j->state == WEB_JOB_QUEUED ? "waiting to start" : "running");
    return -1;
  }
  if (!c->wake) {
    *status = 503;
    snprintf(err, errlen,
             "this console was started without a sync to run jobs with; "
             "use `lpsa-host plan` and `lpsa-host apply`");
    return -1;
  }
  free_request(j);
  unsigned long id = j->id + 1;
  memset(j, 0, sizeof *j);
  j->id = id;
  j->kind = kind;
  snprintf(j->user, sizeof j->user, "%s", user);
  snprintf(j->address, sizeof j->address, "%s", address ? address : "");
  if (plan_id)
    snprintf(j->plan_id, sizeof j->plan_id, "%s", plan_id);
  j->changes = changes;
  int oom = plan_path && !(j->plan_path = strdup(plan_path));
  if (n_approve && !oom) {
    j->approve = calloc(n_approve, sizeof *j->approve);
    j->approve_by = calloc(n_approve, sizeof *j->approve_by);
    oom = !j->approve || !j->approve_by;
    for (size_t i = 0; !oom && i < n_approve; i++) {
      j->approve[i] = strdup(approve[i]);
      j->approve_by[i] = strdup(approve_by[i]);
      j->n_approve = i + 1;
      oom = !j->approve[i] || !j->approve_by[i];
    }
  }
  if (oom) {
    free_request(j);
    *status = 500;
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  j->state = WEB_JOB_QUEUED;
  j->queued = web_console_now(c);
  c->wake(c->wake_arg);
  return 0;
}

int web_job_pending(web_console *c) {
  pthread_mutex_lock(&c->lock);
  int pending = c->job.state == WEB_JOB_QUEUED;
  pthread_mutex_unlock(&c->lock);
  return pending;
}

static void audit(web_console *c, const web_job *j, const char *action) {
  char ts[32];
  web_console_iso(web_console_now(c), ts);
  json_object *d = json_object_new_object();
  json_object_object_add(d, "job", json_object_new_int64((int64_t)j->id));
  if (j->run_id)
    json_object_object_add(d, "run_id", json_object_new_int64(j->run_id));
  json_object_object_add(d, "exit_code", json_object_new_int(j->exit_code));
  if (j->result_plan[0])
    json_object_object_add(d, "plan_id",
                           json_object_new_string(j->result_plan));
  if (j->kind == WEB_JOB_APPLY)
    json_object_object_add(d, "changes",
                           json_object_new_int64((int64_t)j->changes));
  if (j->error[0])
    json_object_object_add(d, "error", json_object_new_string(j->error));
  const char *target = j->result_plan[0] ? j->result_plan : j->plan_id;
  if (!c->db || web_audit_record(c->db, ts, j->user, j->address, action,
                                 target[0] ? target : NULL, d) != 0)
    log_msg(c->log, LPSA_LOG_ERROR, "web: cannot record %s in the journal: %s",
            action, c->db ? sqlite3_errmsg(c->db) : "no journal");
  json_object_put(d);
}

static void fail(web_console *c, const char *why) {
  web_job *j = &c->job;
  j->state = WEB_JOB_FAILED;
  j->exit_code = EXIT_USAGE;
  snprintf(j->error, sizeof j->error, "%s", why);
  j->finished = web_console_now(c);
  audit(c, j, j->kind == WEB_JOB_PLAN ? "plan.failed" : "apply.failed");
  log_msg(c->log, LPSA_LOG_WARN, "web: job %lu of %s failed: %s", j->id,
          j->user, why);
}

void web_job_refuse(web_console *c, const char *why) {
  pthread_mutex_lock(&c->lock);
  if (c->job.state == WEB_JOB_QUEUED)
    fail(c, why && *why ? why : "the configuration does not load");
  pthread_mutex_unlock(&c->lock);
}

/* The run's progress, for GET /api/v1/job (called on the main thread). */
static void on_progress(void *arg, progress_phase phase, size_t done,
                        size_t total, int ended) {
  web_console *c = arg;
  static const char *const names[] = {"lastpass", "psa-read", "psa-write"};
  pthread_mutex_lock(&c->lock);
  c->job.phase = (unsigned)phase < 3 ? names[phase] : NULL;
  c->job.done = done;
  c->job.total = total;
  (void)ended;
  pthread_mutex_unlock(&c->lock);
}

int web_job_run(web_console *c, const sync_settings *base, sync_report *out) {
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&c->lock);
  web_job *j = &c->job;
  if (j->state != WEB_JOB_QUEUED) {
    pthread_mutex_unlock(&c->lock);
    return 0;
  }
  int kind = j->kind;
  if (kind == WEB_JOB_APPLY && base->dry_run) {
    /* --dry-run on the command line means this process never writes. */
    fail(c, "this lpsa-host runs with --dry-run, so it never writes to the "
            "PSA; apply the plan with `lpsa-host apply PLAN`, or start the "
            "console without --dry-run");
    pthread_mutex_unlock(&c->lock);
    return kind;
  }
  j->state = WEB_JOB_RUNNING;
  j->started = web_console_now(c);
  j->phase = NULL;
  j->done = j->total = 0;
  /* The request stays with the job until it ends: read without the lock,
   * nothing else changes it while it runs. */
  sync_settings s = *base;
  s.confirm = NULL;
  s.approved_by = j->user;
  s.approve = NULL;
  s.approve_by = NULL;
  s.n_approve = 0;
  s.save_plan = 0;
  s.plan_out = NULL;
  s.apply_plan = NULL;
  if (kind == WEB_JOB_PLAN) {
    s.dry_run = 1;
    s.save_plan = 1;
  } else {
    s.dry_run = 0;
    s.apply_plan = j->plan_path;
    s.approve = (const char *const *)j->approve;
    s.approve_by = (const char *const *)j->approve_by;
    s.n_approve = j->n_approve;
  }
  log_msg(c->log, LPSA_LOG_INFO, "web: job %lu: %s for %s", j->id,
          kind == WEB_JOB_PLAN ? "making a plan" : "applying a plan", j->user);
  pthread_mutex_unlock(&c->lock);

  /* The caller's progress (its log lines), or one only this job watches. */
  progress *own = NULL;
  if (!s.progress && s.driver)
    s.progress = own =
        progress_new(PROGRESS_QUIET, NULL, s.log, s.driver->terms->psa, NULL);
  progress_watch(s.progress, on_progress, c);
  sync_run(&s, out);
  progress_watch(s.progress, NULL, NULL);
  progress_free(own);

  pthread_mutex_lock(&c->lock);
  j->state = WEB_JOB_DONE;
  j->finished = web_console_now(c);
  j->run_id = out->run_id;
  j->exit_code = out->exit_code;
  j->aborted = out->error[0] != '\0';
  snprintf(j->error, sizeof j->error, "%s", out->error);
  snprintf(j->result_plan, sizeof j->result_plan, "%s", out->plan_id);
  j->plan_changes = out->plan_changes;
  j->plan_held = out->plan_held;
  j->summary = out->summary;
  j->phase = NULL;
  audit(c, j, kind == WEB_JOB_PLAN ? "plan.made" : "plan.applied");
  pthread_mutex_unlock(&c->lock);
  return kind;
}

static json_object *iso_or_null(time_t t) {
  if (t <= 0)
    return NULL;
  char s[32];
  web_console_iso(t, s);
  return json_object_new_string(s);
}

static json_object *str_or_null(const char *s) {
  return s && *s ? json_object_new_string(s) : NULL;
}

json_object *web_job_json(web_console *c) {
  const web_job *j = &c->job;
  if (j->state == WEB_JOB_NONE)
    return NULL;
  static const char *const states[] = {"none", "queued", "running", "done",
                                       "failed"};
  json_object *o = json_object_new_object();
  json_object_object_add(o, "id", json_object_new_int64((int64_t)j->id));
  json_object_object_add(
      o, "kind",
      json_object_new_string(j->kind == WEB_JOB_PLAN ? "plan" : "apply"));
  json_object_object_add(o, "state", json_object_new_string(states[j->state]));
  json_object_object_add(o, "user", json_object_new_string(j->user));
  json_object_object_add(o, "queued", iso_or_null(j->queued));
  json_object_object_add(o, "started", iso_or_null(j->started));
  json_object_object_add(o, "finished", iso_or_null(j->finished));
  json_object_object_add(
      o, "plan_id",
      str_or_null(j->result_plan[0] ? j->result_plan : j->plan_id));
  if (j->kind == WEB_JOB_APPLY) {
    json_object_object_add(o, "changes",
                           json_object_new_int64((int64_t)j->changes));
    json_object *ids = json_object_new_array();
    for (size_t i = 0; i < j->n_approve; i++) {
      json_object *a = json_object_new_object();
      json_object_object_add(a, "lastpass_id",
                             json_object_new_string(j->approve[i]));
      json_object_object_add(a, "approved_by",
                             json_object_new_string(j->approve_by[i]));
      json_object_array_add(ids, a);
    }
    json_object_object_add(o, "approvals", ids);
  }
  int ended = j->state == WEB_JOB_DONE || j->state == WEB_JOB_FAILED;
  json_object_object_add(o, "run_id",
                         j->run_id ? json_object_new_int64(j->run_id) : NULL);
  json_object_object_add(o, "exit_code",
                         ended ? json_object_new_int(j->exit_code) : NULL);
  json_object_object_add(o, "error", str_or_null(j->error));
  if (j->state == WEB_JOB_DONE) {
    json_object *s = json_object_new_object();
    const run_summary *m = &j->summary;
    json_object_object_add(s, "companies",
                           json_object_new_int64((int64_t)m->companies));
    json_object_object_add(s, "updated",
                           json_object_new_int64((int64_t)m->updated));
    json_object_object_add(s, "unchanged",
                           json_object_new_int64((int64_t)m->unchanged));
    json_object_object_add(s, "planned",
                           json_object_new_int64((int64_t)m->planned));
    json_object_object_add(s, "skipped",
                           json_object_new_int64((int64_t)m->skipped));
    json_object_object_add(s, "held", json_object_new_int64((int64_t)m->held));
    json_object_object_add(s, "errors",
                           json_object_new_int64((int64_t)m->errors));
    json_object_object_add(o, "summary", s);
    if (j->kind == WEB_JOB_PLAN && j->result_plan[0]) {
      json_object_object_add(o, "plan_changes",
                             json_object_new_int64((int64_t)j->plan_changes));
      json_object_object_add(o, "plan_held",
                             json_object_new_int64((int64_t)j->plan_held));
    }
  } else {
    json_object_object_add(o, "summary", NULL);
  }
  json_object *p = NULL;
  if (j->state == WEB_JOB_RUNNING) {
    p = json_object_new_object();
    json_object_object_add(p, "phase", str_or_null(j->phase));
    json_object_object_add(p, "done", json_object_new_int64((int64_t)j->done));
    json_object_object_add(p, "total",
                           json_object_new_int64((int64_t)j->total));
    json_object_object_add(
        p, "elapsed_s",
        json_object_new_int64(
            (int64_t)(web_console_now(c) - (j->started ? j->started : 0))));
  }
  json_object_object_add(o, "progress", p);
  return o;
}
