/* SPDX-License-Identifier: MIT */
/*
 * report_load.c — lpsa.report/1 back into report_meta and run_result.
 */
#include "report_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "lpsa/model.h"

static json_object *member(json_object *o, const char *key) {
  json_object *v = NULL;
  return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* The member's string, or NULL when absent or null. */
static const char *str(json_object *o, const char *key) {
  json_object *v = member(o, key);
  return v && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : NULL;
}

static int dup_to(const char *s, char **out) {
  *out = NULL;
  return !s || (*out = strdup(s)) != NULL;
}

static severity severity_of(const char *s) {
  return s && strcmp(s, "info") == 0      ? SEV_INFO
         : s && strcmp(s, "warning") == 0 ? SEV_WARNING
                                          : SEV_ERROR;
}

static outcome_status status_of(const char *s) {
  for (int st = ST_UNCHANGED; st <= ST_ERROR; st++)
    if (s && strcmp(s, outcome_status_name((outcome_status)st)) == 0)
      return (outcome_status)st;
  return ST_ERROR;
}

static ack_state ack_state_of(const char *s) {
  return s && strcmp(s, "applies") == 0   ? ACK_APPLIES
         : s && strcmp(s, "expired") == 0 ? ACK_EXPIRED
                                          : ACK_CHANGED;
}

static int load_rules(json_object *arr, finding_list *l) {
  for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
    json_object *f = json_object_array_get_idx(arr, i);
    const char *code = str(f, "code");
    if (findings_add(l, code ? code : "?", severity_of(str(f, "severity")),
                     "%s", str(f, "message") ? str(f, "message") : ""))
      return -1;
    json_object *a = member(f, "acknowledgement");
    if (a && json_object_is_type(a, json_type_object) &&
        !(l->items[l->n - 1].ack =
              finding_ack_new(str(a, "by"), str(a, "at"), str(a, "until"),
                              str(a, "note"), ack_state_of(str(a, "state")))))
      return -1;
  }
  return 0;
}

static int load_company(json_object *c, outcome *o) {
  const char *sku = str(c, "sku");
  o->sku = sku && strcmp(sku, LPSA_SKU_LASTPASS_MFA) == 0
               ? LPSA_SKU_LASTPASS_MFA
               : LPSA_SKU_LASTPASS;
  o->seats = json_object_get_int64(member(c, "seats"));
  json_object *old = member(c, "old_quantity"),
              *new_q = member(c, "new_quantity");
  o->has_line = old != NULL;
  o->old_quantity = old ? json_object_get_int64(old) : 0;
  o->has_target = new_q != NULL;
  o->new_quantity = new_q ? json_object_get_int64(new_q) : 0;
  o->status = status_of(str(c, "status"));
  const char *id = str(c, "lastpass_id"), *name = str(c, "lastpass_name");
  if (!dup_to(id ? id : "", &o->lastpass_id) ||
      !dup_to(name ? name : "", &o->lastpass_name) ||
      !dup_to(str(c, "psa_company_id"), &o->psa_company_id) ||
      !dup_to(str(c, "psa_company_name"), &o->psa_company_name) ||
      !dup_to(str(c, "approved_by"), &o->approved_by) ||
      !dup_to(str(c, "agreement_id"), &o->agreement_id) ||
      !dup_to(str(c, "line_id"), &o->line_id) ||
      !dup_to(str(c, "product"), &o->product) ||
      !dup_to(str(c, "effective_date"), &o->effective_date))
    return -1;
  return load_rules(member(c, "rules"), &o->findings);
}

int report_load(const char *json, report_loaded *out, char *err,
                size_t errlen) {
  memset(out, 0, sizeof *out);
  json_object *doc = json ? json_tokener_parse(json) : NULL;
  const char *schema = str(doc, "schema");
  if (!doc || !schema || strcmp(schema, "lpsa.report/1") != 0) {
    snprintf(err, errlen, "the stored report is not an lpsa.report/1 document");
    json_object_put(doc);
    return -1;
  }
  out->doc = doc;
  json_object *t = member(doc, "terms");
  out->terms =
      (lpsa_terms){str(t, "psa") ? str(t, "psa") : "PSA",
                   str(t, "company") ? str(t, "company") : "company",
                   str(t, "agreement") ? str(t, "agreement") : "agreement",
                   str(t, "line") ? str(t, "line") : "line",
                   str(t, "product") ? str(t, "product") : "product"};
  report_meta *m = &out->meta;
  json_object *run_id = member(doc, "run_id");
  m->run_id = run_id ? json_object_get_int64(run_id) : 0;
  m->driver = str(doc, "driver");
  m->driver_version = str(doc, "driver_version");
  m->dry_run = str(doc, "mode") && strcmp(str(doc, "mode"), "dry-run") == 0;
  m->started = str(doc, "started");
  m->finished = str(doc, "finished");
  json_object *cycle = member(doc, "billing_cycle");
  m->cycle_start = str(cycle, "start");
  m->cycle_end = str(cycle, "end");
  m->aborted = str(doc, "aborted");
  m->plan_id = str(doc, "plan_id");
  m->exit_code = json_object_get_int(member(doc, "exit_code"));
  m->terms = &out->terms;
  json_object *req = member(doc, "requests");
  m->total_requests =
      (unsigned long)json_object_get_int64(member(req, "total"));
  json_object *by = member(req, "by_endpoint");
  size_t n = by && json_object_is_type(by, json_type_object)
                 ? (size_t)json_object_object_length(by)
                 : 0;
  if (n && !(out->counts = calloc(n, sizeof *out->counts)))
    goto nomem;
  if (n) {
    json_object_object_foreach(by, label, count) {
      out->counts[m->n_counts++] =
          (report_count){label, (unsigned long)json_object_get_int64(count)};
    }
  }
  m->counts = out->counts;
  json_object *companies = member(doc, "companies");
  for (size_t i = 0; companies && i < json_object_array_length(companies);
       i++) {
    outcome *o = run_result_add(&out->res);
    if (!o || load_company(json_object_array_get_idx(companies, i), o))
      goto nomem;
  }
  if (load_rules(member(doc, "findings"), &out->res.findings))
    goto nomem;
  return 0;
nomem:
  snprintf(err, errlen, "out of memory reading the stored report");
  report_loaded_free(out);
  return -1;
}

void report_loaded_free(report_loaded *r) {
  run_result_free(&r->res);
  free(r->counts);
  json_object_put(r->doc);
  memset(r, 0, sizeof *r);
}
