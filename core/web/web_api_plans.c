/* SPDX-License-Identifier: MIT */
/*
 * web_api_plans.c — the Plan page's API: the saved plans and their fate,
 * one plan's companies (filtered and paginated on the server), making a
 * plan, approving or leaving a held company, applying the plan after the
 * person confirmed the number of changes, and the job that does the last
 * two. Every write is an approver's, audited, and journaled by the run
 * with the web user's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_approvals.h"
#include "web_job.h"
#include "web_plan.h"
#include "web_report.h"
#include "web_router.h"

static json_object *str(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

static json_object *copy(json_object *o) {
  json_object *out = NULL;
  if (o)
    json_object_deep_copy(o, &out, NULL);
  return out;
}

static int paging(web_request *req, web_reply *rep, long long def,
                  long long *page, long long *per_page) {
  return web_query_int(req, rep, "page", 1, 1, 1000000, page) ||
                 web_query_int(req, rep, "per_page", def, 1, 200, per_page)
             ? -1
             : 0;
}

static json_object *info_json(const journal_plan_info *p) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "plan_id", json_object_new_string(p->id));
  json_object_object_add(o, "created", json_object_new_string(p->created));
  json_object_object_add(o, "driver", str(p->driver));
  json_object_object_add(o, "made_by", str(p->made_by));
  json_object_object_add(o, "made_by_run",
                         p->made_by_run ? json_object_new_int64(p->made_by_run)
                                        : NULL);
  json_object_object_add(o, "changes", json_object_new_int64(p->changes));
  json_object_object_add(o, "held", json_object_new_int64(p->held));
  json_object_object_add(o, "written", json_object_new_int64(p->written));
  json_object_object_add(o, "approved", json_object_new_int64(p->approved));
  json_object_object_add(o, "not_written", json_object_new_int64(p->skipped));
  json_object_object_add(
      o, "last_run", p->last_run ? json_object_new_int64(p->last_run) : NULL);
  json_object_object_add(o, "fate", json_object_new_string(p->fate));
  json_object_object_add(o, "refused", str(p->refused));
  return o;
}

/* ---- GET /api/v1/plans -------------------------------------------------- */

void web_api_plans_list(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  long long page, per_page;
  if (paging(req, rep, 25, &page, &per_page))
    return;
  const char *driver = web_query(req, "driver");
  journal_plans_query q = {.now = (long long)web_console_run_now(c),
                           .max_age = c->plan_max_age,
                           .driver = driver,
                           .offset = (int)((page - 1) * per_page),
                           .limit = (int)per_page};
  journal_plan_info *p = NULL;
  size_t n = 0;
  long long total = 0;
  if (!c->journal || journal_plans_find(c->journal, &q, &p, &n, &total) != 0) {
    web_reply_error(rep, 500, "journal", "cannot read the plans: %s",
                    c->journal ? journal_error(c->journal) : "not open");
    return;
  }
  json_object *root = json_object_new_object();
  json_object_object_add(root, "total", json_object_new_int64(total));
  json_object_object_add(root, "page", json_object_new_int64(page));
  json_object_object_add(root, "per_page", json_object_new_int64(per_page));
  json_object *list = json_object_new_array();
  for (size_t i = 0; i < n; i++)
    json_object_array_add(list, info_json(&p[i]));
  journal_plans_free(p, n);
  json_object_object_add(root, "plans", list);
  json_object_object_add(root, "plan_max_age_s",
                         json_object_new_int(c->plan_max_age));
  json_object_object_add(root, "job", web_job_json(c));
  web_reply_json(rep, 200, root);
}

/* ---- GET /api/v1/job ---------------------------------------------------- */

void web_api_job(web_request *req, web_reply *rep) {
  json_object *root = json_object_new_object();
  json_object_object_add(root, "job", web_job_json(req->c));
  web_reply_json(rep, 200, root);
}

/* ---- POST /api/v1/plans ------------------------------------------------- */

static void queued(web_request *req, web_reply *rep, const char *action,
                   const char *target, json_object *detail) {
  web_request_audit(req, action, target, detail);
  json_object_put(detail);
  json_object *root = json_object_new_object();
  json_object_object_add(root, "job", web_job_json(req->c));
  web_reply_json(rep, 202, root);
}

void web_api_plans_make(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  if (req->body_len) { /* {} or nothing: there is nothing to choose */
    json_object *body = web_request_json(req, rep);
    if (!body)
      return;
    json_object_put(body);
  }
  if (!c->driver_name) {
    web_reply_error(rep, 503, "unavailable",
                    "this console was started without a driver, so it cannot "
                    "make a plan");
    return;
  }
  int status;
  char err[1024];
  if (web_job_queue(c, WEB_JOB_PLAN, req->session.user, req->address, NULL,
                    NULL, NULL, NULL, 0, 0, &status, err, sizeof err) != 0) {
    web_reply_error(rep, status, status == 409 ? "busy" : "unavailable", "%s",
                    err);
    return;
  }
  queued(req, rep, "plan.make", NULL, NULL);
}

/* ---- one plan ----------------------------------------------------------- */

/* What applying would write now: planned lines and approved held ones,
 * without those an earlier apply of the plan wrote. */
typedef struct to_write {
  size_t planned, approved;
} to_write;

static void count_writes(const web_plan *p, json_object *lines,
                         const web_approval *ap, size_t n_ap, to_write *w) {
  w->planned = w->approved = 0;
  json_object *companies = web_json_get(p->doc, "companies");
  for (size_t i = 0; i < p->n; i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    const char *id = web_json_string(co, "lastpass_id");
    if (!id || web_plan_line_done(web_json_get(lines, id)))
      continue;
    if (p->kind[i] == WEB_PLAN_CHANGE)
      w->planned++;
    else if (p->approvable[i] && web_approval_find(ap, n_ap, id))
      w->approved++;
  }
}

static const char *psa_of(const web_console *c, const web_plan *p) {
  const char *psa = web_json_string(web_json_get(p->doc, "driver"), "psa");
  return psa ? psa : c->psa_name ? c->psa_name : "the PSA";
}

static json_object *apply_json(const web_console *c, const web_plan *p,
                               const to_write *w) {
  size_t n = w->planned + w->approved;
  char q[512];
  snprintf(q, sizeof q,
           "Apply %zu change%s to %s? This changes what customers are billed.",
           n, n == 1 ? "" : "s", psa_of(c, p));
  json_object *o = json_object_new_object();
  json_object_object_add(o, "changes", json_object_new_int64((int64_t)n));
  json_object_object_add(o, "planned",
                         json_object_new_int64((int64_t)w->planned));
  json_object_object_add(o, "approved",
                         json_object_new_int64((int64_t)w->approved));
  json_object_object_add(o, "psa", json_object_new_string(psa_of(c, p)));
  json_object_object_add(o, "question", json_object_new_string(q));
  return o;
}

static json_object *approvals_json(const web_plan *p, const web_approval *ap,
                                   size_t n_ap) {
  json_object *arr = json_object_new_array();
  json_object *companies = web_json_get(p->doc, "companies");
  for (size_t k = 0; k < n_ap; k++) {
    json_object *o = json_object_new_object();
    json_object_object_add(o, "lastpass_id", str(ap[k].lastpass_id));
    const char *name = NULL;
    for (size_t i = 0; i < p->n && !name; i++) {
      json_object *co = json_object_array_get_idx(companies, i);
      const char *id = web_json_string(co, "lastpass_id");
      if (id && strcmp(id, ap[k].lastpass_id) == 0)
        name = web_json_string(co, "lastpass_name");
    }
    json_object_object_add(o, "lastpass_name", str(name));
    json_object_object_add(o, "approved_by", str(ap[k].approved_by));
    json_object_object_add(o, "ts", str(ap[k].ts));
    json_object_array_add(arr, o);
  }
  return arr;
}

/* Open the plan of req->param, answering when it cannot be. */
static web_plan *open_plan(web_request *req, web_reply *rep,
                           journal_plan_info **info) {
  web_plan *p;
  int status;
  char err[2048];
  if (web_plan_open(req->c, req->param, &p, info, &status, err, sizeof err)) {
    web_reply_error(rep, status,
                    status == 404   ? "not_found"
                    : status == 409 ? "conflict"
                                    : "journal",
                    "%s", err);
    return NULL;
  }
  return p;
}

static int one_of(const char *v, const char *const *list) {
  for (; *list; list++)
    if (strcmp(v, *list) == 0)
      return 1;
  return 0;
}

static int has_rule(json_object *co, const char *code) {
  json_object *rules = web_json_get(co, "rules");
  for (size_t r = 0; rules && r < json_object_array_length(rules); r++) {
    const char *k =
        web_json_string(json_object_array_get_idx(rules, r), "code");
    if (k && strcmp(k, code) == 0)
      return 1;
  }
  return 0;
}

void web_api_plan_get(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  static const char *const views[] = {"all",    "changes", "held",
                                      "errors", "other",   NULL};
  const char *view = web_query(req, "view"), *q = web_query(req, "q");
  const char *code = web_query(req, "code");
  long long page, per_page;
  if (paging(req, rep, 50, &page, &per_page))
    return;
  if (view && !one_of(view, views)) {
    web_reply_error(rep, 400, "bad_request",
                    "view is one of all, changes, held, errors, other");
    return;
  }
  journal_plan_info *info;
  web_plan *p = open_plan(req, rep, &info);
  if (!p)
    return;
  web_approval *ap = NULL;
  size_t n_ap = 0;
  web_approvals_of(c->db, p->id, &ap, &n_ap);
  json_object *lines = web_plan_lines(c, p->id);
  json_object *doc = p->doc;

  json_object *root = info_json(info);
  json_object_object_add(root, "file", str(p->path));
  static const char *const keys[] = {"as_of", "billing_cycle", "driver",
                                     "mapping"};
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    json_object_object_add(root, keys[i], copy(web_json_get(doc, keys[i])));
  /* the digests say nothing to a person and are checked below */
  json_object *m = web_json_get(root, "mapping");
  if (m)
    json_object_object_del(m, "sha256");
  char expires[32];
  web_console_iso((time_t)p->plan.meta.created_epoch + c->plan_max_age,
                  expires);
  json_object_object_add(root, "expires", str(expires));
  char why[2048];
  int refused = web_plan_refusal(c, p, why, sizeof why);
  json_object_object_add(root, "applicable", json_object_new_boolean(!refused));
  json_object_object_add(root, "not_applicable", refused ? str(why) : NULL);

  json_object *sum = json_object_new_object();
  json_object_object_add(sum, "companies",
                         json_object_new_int64((int64_t)p->n));
  json_object_object_add(
      sum, "changes",
      json_object_new_int64((int64_t)p->counts[WEB_PLAN_CHANGE]));
  json_object_object_add(
      sum, "held", json_object_new_int64((int64_t)p->counts[WEB_PLAN_HELD]));
  json_object_object_add(sum, "approvable",
                         json_object_new_int64((int64_t)p->approvable_total));
  json_object_object_add(
      sum, "errors", json_object_new_int64((int64_t)p->counts[WEB_PLAN_ERROR]));
  json_object_object_add(
      sum, "other", json_object_new_int64((int64_t)p->counts[WEB_PLAN_OTHER]));
  json_object_object_add(root, "summary", sum);
  to_write w;
  count_writes(p, lines, ap, n_ap, &w);
  json_object_object_add(root, "apply", apply_json(c, p, &w));
  json_object_object_add(root, "approvals", approvals_json(p, ap, n_ap));
  json_object_object_add(root, "problems", copy(p->problems));
  json_object_object_add(root, "findings", copy(web_json_get(doc, "findings")));

  static const web_plan_kind kinds[] = {WEB_PLAN_CHANGE, WEB_PLAN_HELD,
                                        WEB_PLAN_ERROR, WEB_PLAN_OTHER};
  static const char *const kind_names[] = {"change", "held", "error", "other"};
  int want = -1;
  for (int k = 0; view && k < 4; k++)
    if (strcmp(view, views[k + 1]) == 0)
      want = (int)kinds[k];
  json_object *companies = web_json_get(doc, "companies");
  json_object *items = json_object_new_array();
  long long total = 0, first = (page - 1) * per_page;
  for (size_t i = 0; i < p->n; i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    if (want >= 0 && p->kind[i] != want)
      continue;
    if (code && !has_rule(co, code))
      continue;
    const char *id = web_json_string(co, "lastpass_id");
    if (q && !web_text_contains(id, q) &&
        !web_text_contains(web_json_string(co, "lastpass_name"), q) &&
        !web_text_contains(web_json_string(co, "psa_company_id"), q))
      continue;
    if (total >= first && total < first + per_page) {
      json_object *item = copy(co);
      json_object_object_add(item, "kind", str(kind_names[p->kind[i]]));
      json_object_object_add(item, "approvable",
                             json_object_new_boolean(p->approvable[i]));
      const web_approval *a = id ? web_approval_find(ap, n_ap, id) : NULL;
      json_object *ao = NULL;
      if (a) {
        ao = json_object_new_object();
        json_object_object_add(ao, "approved_by", str(a->approved_by));
        json_object_object_add(ao, "ts", str(a->ts));
      }
      json_object_object_add(item, "approval", ao);
      json_object_object_add(item, "line",
                             copy(id ? web_json_get(lines, id) : NULL));
      json_object_array_add(items, item);
    }
    total++;
  }
  json_object *list = json_object_new_object();
  json_object_object_add(list, "total", json_object_new_int64(total));
  json_object_object_add(list, "page", json_object_new_int64(page));
  json_object_object_add(list, "per_page", json_object_new_int64(per_page));
  json_object_object_add(list, "items", items);
  json_object_object_add(root, "companies", list);
  json_object_object_add(root, "job", web_job_json(c));
  json_object_put(lines);
  web_approvals_free(ap, n_ap);
  journal_plans_free(info, 1);
  web_reply_json(rep, 200, root);
}

/* A plan that can no longer be applied takes no approval and no apply. */
static int refuse_if_closed(web_request *req, web_reply *rep, web_plan *p,
                            const journal_plan_info *info) {
  char why[2048];
  if (web_plan_refusal(req->c, p, why, sizeof why)) {
    web_reply_error(rep, 409, "conflict", "plan %s cannot be applied: %s",
                    p->id, why);
    return -1;
  }
  (void)info;
  return 0;
}

/* ---- POST /api/v1/plans/{id}/approvals ---------------------------------- */

void web_api_plan_approve(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  json_object *body = web_request_json(req, rep);
  if (!body)
    return;
  int bad = 0;
  const char *id = web_json_str(body, "lastpass_id", rep, &bad);
  json_object *v = NULL;
  if (!bad && (!id || !*id)) {
    web_reply_error(rep, 400, "bad_request",
                    "give the held company's \"lastpass_id\"");
    bad = 1;
  }
  if (!bad && (!json_object_object_get_ex(body, "approve", &v) ||
               !json_object_is_type(v, json_type_boolean))) {
    web_reply_error(rep, 400, "bad_request",
                    "\"approve\" must be true (release its held change) or "
                    "false (leave it held)");
    bad = 1;
  }
  if (bad) {
    json_object_put(body);
    return;
  }
  int approve = json_object_get_boolean(v);
  journal_plan_info *info;
  web_plan *p = open_plan(req, rep, &info);
  if (!p || refuse_if_closed(req, rep, p, info)) {
    journal_plans_free(info, info ? 1 : 0);
    json_object_put(body);
    return;
  }
  json_object *companies = web_json_get(p->doc, "companies");
  long found = -1;
  for (size_t i = 0; i < p->n && found < 0; i++) {
    const char *x =
        web_json_string(json_object_array_get_idx(companies, i), "lastpass_id");
    if (x && strcmp(x, id) == 0)
      found = (long)i;
  }
  json_object *co =
      found >= 0 ? json_object_array_get_idx(companies, (size_t)found) : NULL;
  const char *name = co ? web_json_string(co, "lastpass_name") : NULL;
  if (found < 0) {
    web_reply_error(rep, 404, "not_found", "plan %s has no LastPass company %s",
                    p->id, id);
  } else if (!p->approvable[found]) {
    web_reply_error(
        rep, 409, "conflict",
        p->kind[found] == WEB_PLAN_HELD
            ? "%s (%s) is held without a count to set (NO_BILLING_RECORD): "
              "there is nothing to approve; check it in LastPass"
            : "%s (%s) has no held change in plan %s; nothing to approve",
        name ? name : id, id, p->id);
  } else {
    char ts[32];
    web_console_iso(web_console_now(c), ts);
    int removed = 0;
    int rc = approve ? web_approval_set(c->db, p->id, id, req->session.user, ts)
                     : web_approval_clear(c->db, p->id, id, &removed);
    if (rc != 0) {
      web_reply_error(rep, 500, "journal",
                      "cannot record it in the journal: %s",
                      sqlite3_errmsg(c->db));
    } else {
      json_object *d = json_object_new_object();
      json_object_object_add(d, "plan_id", str(p->id));
      json_object_object_add(d, "lastpass_name", str(name));
      json_object *ch = web_json_get(co, "change");
      json_object_object_add(d, "old", copy(web_json_get(ch, "old")));
      json_object_object_add(d, "new", copy(web_json_get(ch, "new")));
      json_object_object_add(d, "hold", copy(web_json_get(ch, "hold")));
      web_request_audit(req, approve ? "plan.approve" : "plan.leave", id, d);
      json_object_put(d);
      web_approval *ap = NULL;
      size_t n_ap = 0;
      web_approvals_of(c->db, p->id, &ap, &n_ap);
      json_object *lines = web_plan_lines(c, p->id);
      to_write w;
      count_writes(p, lines, ap, n_ap, &w);
      json_object *root = json_object_new_object();
      char msg[512];
      snprintf(msg, sizeof msg,
               approve ? "approved the held change of %s (%s): applying the "
                         "plan writes it"
                       : "left %s (%s) held: applying the plan does not "
                         "write it",
               name ? name : id, id);
      json_object_object_add(root, "message", str(msg));
      json_object_object_add(root, "approvals", approvals_json(p, ap, n_ap));
      json_object_object_add(root, "apply", apply_json(c, p, &w));
      json_object_put(lines);
      web_approvals_free(ap, n_ap);
      web_reply_json(rep, 200, root);
    }
  }
  journal_plans_free(info, 1);
  json_object_put(body);
}

/* ---- POST /api/v1/plans/{id}/apply -------------------------------------- */

void web_api_plan_apply(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  json_object *body = web_request_json(req, rep);
  if (!body)
    return;
  json_object *v = NULL;
  if (!json_object_object_get_ex(body, "changes", &v) ||
      !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) {
    json_object_put(body);
    web_reply_error(rep, 400, "bad_request",
                    "\"changes\" must be the number of changes the person "
                    "confirmed (apply.changes of GET /api/v1/plans/{id})");
    return;
  }
  long long confirmed = json_object_get_int64(v);
  json_object_put(body);
  journal_plan_info *info;
  web_plan *p = open_plan(req, rep, &info);
  if (!p)
    return;
  if (refuse_if_closed(req, rep, p, info)) {
    journal_plans_free(info, 1);
    return;
  }
  web_approval *ap = NULL;
  size_t n_ap = 0;
  json_object *lines = web_plan_lines(c, p->id);
  if (web_approvals_of(c->db, p->id, &ap, &n_ap) != 0) {
    json_object_put(lines);
    journal_plans_free(info, 1);
    web_reply_error(rep, 500, "journal", "cannot read the approvals: %s",
                    sqlite3_errmsg(c->db));
    return;
  }
  to_write w;
  count_writes(p, lines, ap, n_ap, &w);
  json_object_put(lines);
  size_t n = w.planned + w.approved;
  if ((long long)n != confirmed) {
    /* Someone approved or left a company, or an apply wrote lines, since
     * the person read the question: they must read it again. */
    web_reply_error(rep, 409, "conflict",
                    "applying plan %s now writes %zu change%s, not the %lld "
                    "confirmed (an approval changed, or lines were written "
                    "since); read the plan again",
                    p->id, n, n == 1 ? "" : "s", confirmed);
  } else if (n == 0) {
    web_reply_error(rep, 409, "conflict",
                    "plan %s has nothing left to write; approve a held "
                    "company first, or make a new plan",
                    p->id);
  } else {
    const char **ids = calloc(n_ap + 1, sizeof *ids);
    const char **by = calloc(n_ap + 1, sizeof *by);
    int status = 500;
    char err[1024] = "out of memory";
    for (size_t i = 0; ids && by && i < n_ap; i++) {
      ids[i] = ap[i].lastpass_id;
      by[i] = ap[i].approved_by;
    }
    if (ids && by &&
        web_job_queue(c, WEB_JOB_APPLY, req->session.user, req->address, p->id,
                      p->path, ids, by, n_ap, n, &status, err,
                      sizeof err) == 0) {
      json_object *d = json_object_new_object();
      json_object_object_add(d, "changes", json_object_new_int64((int64_t)n));
      json_object_object_add(d, "approved",
                             json_object_new_int64((int64_t)w.approved));
      queued(req, rep, "plan.apply", p->id, d);
    } else {
      web_reply_error(rep, status,
                      status == 409   ? "busy"
                      : status == 503 ? "unavailable"
                                      : "error",
                      "%s", err);
    }
    free(ids);
    free(by);
  }
  web_approvals_free(ap, n_ap);
  journal_plans_free(info, 1);
}
