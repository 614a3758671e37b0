/* SPDX-License-Identifier: MIT */
/*
 * web_api_acks.c — the Acknowledgements page's API: the acknowledgements
 * in force (ack_list.h's JSON, as `lpsa-host ack --list --json`), the
 * findings of the newest run that could be acknowledged (filtered and
 * paginated on the server), adding one with a note and an expiry, removing
 * one. The checks and the journal writes are the CLI's (ack_edit.h), with
 * the web user as who; every write is an approver's and audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack_edit.h"
#include "ack_list.h"
#include "host_api.h"
#include "journal_acks.h"
#include "web_report.h"
#include "web_router.h"

static json_object *str(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

/* 1 when (driver, id, code) has an acknowledgement in force. */
static int in_force(const ack_record *acks, size_t n, const char *driver,
                    const char *id, const char *code) {
  for (size_t i = 0; i < n; i++)
    if ((!driver || strcmp(acks[i].driver, driver) == 0) &&
        strcmp(acks[i].lastpass_id, id) == 0 && strcmp(acks[i].code, code) == 0)
      return 1;
  return 0;
}

/* The warnings and errors of the newest run's companies that no
 * acknowledgement covers: what a person may acknowledge. */
static json_object *candidates(web_request *req, web_reply *rep,
                               const ack_record *acks, size_t n) {
  long long page, per_page;
  if (web_query_int(req, rep, "page", 1, 1, 1000000, &page) ||
      web_query_int(req, rep, "per_page", 50, 1, 200, &per_page))
    return NULL;
  const char *q = web_query(req, "q");
  long long run = 0;
  json_object *report = web_report_latest(req->c, &run);
  json_object *companies = web_json_get(report, "companies");
  json_object *items = json_object_new_array();
  long long total = 0, first = (page - 1) * per_page;
  size_t nc = companies ? json_object_array_length(companies) : 0;
  for (size_t i = 0; i < nc; i++) {
    json_object *co = json_object_array_get_idx(companies, i);
    const char *id = web_json_string(co, "lastpass_id");
    const char *name = web_json_string(co, "lastpass_name");
    if (!id || (q && !web_text_contains(id, q) && !web_text_contains(name, q)))
      continue;
    json_object *rules = web_json_get(co, "rules");
    for (size_t r = 0; rules && r < json_object_array_length(rules); r++) {
      json_object *f = json_object_array_get_idx(rules, r);
      const char *code = web_json_string(f, "code");
      const char *sev = web_json_string(f, "severity");
      if (!code || !sev || strcmp(sev, "info") == 0 ||
          in_force(acks, n, req->c->driver_name, id, code))
        continue;
      if (total >= first && total < first + per_page) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "lastpass_id", str(id));
        json_object_object_add(o, "lastpass_name", str(name));
        json_object_object_add(o, "code", str(code));
        json_object_object_add(o, "severity", str(sev));
        json_object_object_add(o, "message",
                               str(web_json_string(f, "message")));
        json_object_array_add(items, o);
      }
      total++;
    }
  }
  json_object *o = json_object_new_object();
  json_object_object_add(o, "run_id", run ? json_object_new_int64(run) : NULL);
  json_object_object_add(o, "total", json_object_new_int64(total));
  json_object_object_add(o, "page", json_object_new_int64(page));
  json_object_object_add(o, "per_page", json_object_new_int64(per_page));
  json_object_object_add(o, "items", items);
  return o;
}

/* ---- GET /api/v1/acks --------------------------------------------------- */

void web_api_acks_list(web_request *req, web_reply *rep) {
  web_console *c = req->c;
  ack_record *acks = NULL;
  size_t n = 0;
  if (!c->journal || journal_acks_list(c->journal, web_query(req, "driver"),
                                       &acks, &n) != LPSA_OK) {
    web_reply_error(rep, 500, "journal",
                    "cannot read the acknowledgements from the journal in %s",
                    c->state_dir);
    return;
  }
  json_object *found = candidates(req, rep, acks, n);
  if (!found) {
    ack_records_free(acks, n);
    return;
  }
  const char **seen = ack_edit_last_runs(c->journal, acks, n);
  char today[11];
  host_local_date(web_console_run_now(c), today);
  json_object *root = ack_list_json(acks, n, today, seen);
  free(seen);
  ack_records_free(acks, n);
  json_object_object_add(root, "today", str(today));
  json_object_object_add(root, "driver", str(c->driver_name));
  json_object_object_add(root, "findings", found);
  web_reply_json(rep, 200, root);
}

/* ---- writes ------------------------------------------------------------- */

/* The body's lastpass_id and code (and until, note), or NULL after
 * answering 400. */
static json_object *ack_body(web_request *req, web_reply *rep,
                             ack_edit_request *r, int with_dates) {
  json_object *body = web_request_json(req, rep);
  if (!body)
    return NULL;
  int bad = 0;
  r->lastpass_id = web_json_str(body, "lastpass_id", rep, &bad);
  if (!bad)
    r->code = web_json_str(body, "code", rep, &bad);
  if (!bad && with_dates)
    r->until = web_json_str(body, "until", rep, &bad);
  if (!bad && with_dates)
    r->note = web_json_str(body, "note", rep, &bad);
  if (!bad && (!r->lastpass_id || !*r->lastpass_id || !r->code || !*r->code)) {
    web_reply_error(rep, 400, "bad_request",
                    "give the LastPass company's \"lastpass_id\" and the "
                    "finding's rule \"code\"");
    bad = 1;
  }
  if (bad) {
    json_object_put(body);
    return NULL;
  }
  if (r->until && !*r->until)
    r->until = NULL; /* an empty date field: no end */
  if (r->note && !*r->note)
    r->note = NULL;
  return body;
}

static int journal_ready(web_request *req, web_reply *rep) {
  if (req->c->journal && req->c->driver_name)
    return 1;
  web_reply_error(rep, 503, "unavailable",
                  "this console was started without a driver or a journal, "
                  "so it cannot record acknowledgements");
  return 0;
}

static ack_edit_request request_of(web_request *req) {
  ack_edit_request r = {.driver = req->c->driver_name,
                        .who = req->session.user,
                        .now = web_console_run_now(req->c),
                        .until_label = "until",
                        .state_dir = req->c->state_dir};
  return r;
}

static void edit_failed(web_reply *rep, ack_edit_status st, const char *err) {
  web_reply_error(rep,
                  st == ACK_EDIT_NOT_FOUND ? 404
                  : st == ACK_EDIT_JOURNAL ? 500
                                           : 400,
                  st == ACK_EDIT_NOT_FOUND ? "not_found"
                  : st == ACK_EDIT_JOURNAL ? "journal"
                                           : "bad_request",
                  "%s", err);
}

/* ---- POST /api/v1/acks -------------------------------------------------- */

void web_api_ack_add(web_request *req, web_reply *rep) {
  if (!journal_ready(req, rep))
    return;
  ack_edit_request r = request_of(req);
  json_object *body = ack_body(req, rep, &r, 1);
  if (!body)
    return;
  ack_edit_added added;
  char err[2048];
  ack_edit_status st =
      ack_edit_add(req->c->journal, &r, &added, err, sizeof err);
  if (st != ACK_EDIT_OK) {
    edit_failed(rep, st, err);
    json_object_put(body);
    return;
  }
  json_object *d = json_object_new_object();
  json_object_object_add(d, "driver", str(r.driver));
  json_object_object_add(d, "code", str(r.code));
  json_object_object_add(d, "lastpass_name", str(added.lastpass_name));
  json_object_object_add(d, "until", str(r.until));
  json_object_object_add(d, "note", str(r.note));
  json_object_object_add(d, "run_id", json_object_new_int64(added.run_id));
  web_request_audit(req, "ack.add", r.lastpass_id, d);
  json_object_put(d);
  char msg[1024];
  snprintf(msg, sizeof msg,
           "acknowledged %s of %s (%s) as run %lld showed it%s%s: it still "
           "shows in every report, but no longer makes a run exit 1 nor "
           "notifies, until %s or the finding changes",
           r.code, added.lastpass_name, r.lastpass_id, added.run_id,
           r.until ? ", until " : "", r.until ? r.until : "",
           r.until ? "it expires" : "it is removed");
  json_object *root = json_object_new_object();
  json_object_object_add(root, "message", str(msg));
  json_object_object_add(root, "id", json_object_new_int64(added.id));
  json_object_object_add(root, "run_id", json_object_new_int64(added.run_id));
  json_object_object_add(root, "by", str(r.who));
  web_reply_json(rep, 201, root);
  json_object_put(body);
}

/* ---- DELETE /api/v1/acks ------------------------------------------------ */

void web_api_ack_remove(web_request *req, web_reply *rep) {
  if (!journal_ready(req, rep))
    return;
  ack_edit_request r = request_of(req);
  json_object *body = ack_body(req, rep, &r, 0);
  if (!body)
    return;
  char err[2048];
  ack_edit_status st = ack_edit_remove(req->c->journal, &r, err, sizeof err);
  if (st != ACK_EDIT_OK) {
    edit_failed(rep, st, err);
    json_object_put(body);
    return;
  }
  json_object *d = json_object_new_object();
  json_object_object_add(d, "driver", str(r.driver));
  json_object_object_add(d, "code", str(r.code));
  web_request_audit(req, "ack.remove", r.lastpass_id, d);
  json_object_put(d);
  char msg[512];
  snprintf(msg, sizeof msg,
           "removed the acknowledgement of %s for LastPass company %s: the "
           "finding counts again from the next run",
           r.code, r.lastpass_id);
  json_object *root = json_object_new_object();
  json_object_object_add(root, "message", str(msg));
  web_reply_json(rep, 200, root);
  json_object_put(body);
}
