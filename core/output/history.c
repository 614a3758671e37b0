/* SPDX-License-Identifier: MIT */
/*
 * history.c — printing the journal's runs, one run and one company.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_load.h"
#include "text_escape.h"
#include "zone.h"

/* Text from LastPass, the PSA or a person, as a table shows it: escaped
 * (text_escape.h), cut to fit buf. */
static const char *esc(const char *s, char *buf, size_t cap) {
  text_escape(s ? s : "", 0, buf, cap);
  return buf;
}

/* A UTC time of the journal in the zone in use. */
static const char *when(const char *utc, char *buf, size_t cap) {
  char e[64];
  return zone_local_text(esc(utc, e, sizeof e), buf, cap);
}

static json_object *str_or_null(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

static json_object *summary_of(const char *json) {
  json_object *o = json && *json ? json_tokener_parse(json) : NULL;
  return o ? o : json_object_new_object();
}

static long long summary_get(json_object *s, const char *key) {
  json_object *v;
  return json_object_object_get_ex(s, key, &v) ? json_object_get_int64(v) : 0;
}

/* ---- the runs ------------------------------------------------------------ */

static json_object *run_row_json(const journal_run_info *r) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "run_id", json_object_new_int64(r->id));
  json_object_object_add(o, "started", str_or_null(r->started));
  json_object_object_add(o, "finished", str_or_null(r->finished));
  json_object_object_add(o, "driver", str_or_null(r->driver));
  json_object_object_add(o, "mode", str_or_null(r->mode));
  json_object_object_add(o, "result", str_or_null(r->result));
  json_object_object_add(o, "exit_code",
                         r->has_exit_code ? json_object_new_int(r->exit_code)
                                          : NULL);
  json_object_object_add(o, "summary", summary_of(r->summary));
  return o;
}

json_object *history_runs_json(const journal_run_info *runs, size_t n) {
  json_object *root = json_object_new_object();
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < n; i++)
    json_object_array_add(arr, run_row_json(&runs[i]));
  json_object_object_add(root, "schema",
                         json_object_new_string("lpsa.history/1"));
  json_object_object_add(root, "runs", arr);
  return root;
}

void history_print_runs(FILE *out, const journal_run_info *runs, size_t n) {
  fprintf(out, "%-6s %-23s %-12s %-8s %-12s %s\n", "RUN", "STARTED", "DRIVER",
          "MODE", "RESULT", "UPDATED/PLANNED/HELD/ERRORS");
  for (size_t i = 0; i < n; i++) {
    const journal_run_info *r = &runs[i];
    json_object *s = summary_of(r->summary);
    char acked[48] = "";
    if (summary_get(s, "acknowledged"))
      snprintf(acked, sizeof acked, " (%lld acknowledged)",
               summary_get(s, "acknowledged"));
    char t[64], d[256], mo[64], re[64];
    fprintf(out, "%-6lld %-23s %-12s %-8s %-12s %lld/%lld/%lld/%lld%s\n", r->id,
            when(r->started, t, sizeof t), esc(r->driver, d, sizeof d),
            esc(r->mode, mo, sizeof mo), esc(r->result, re, sizeof re),
            summary_get(s, "updated"), summary_get(s, "planned"),
            summary_get(s, "held"), summary_get(s, "errors"), acked);
    json_object_put(s);
  }
  if (n)
    fputs("\n`lpsa-host history --run N` shows one run.\n", out);
}

/* ---- changes ------------------------------------------------------------- */

json_object *history_changes_json(const journal_change *changes, size_t n) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < n; i++) {
    const journal_change *c = &changes[i];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "change_id", json_object_new_int64(c->id));
    json_object_object_add(o, "run_id", json_object_new_int64(c->run_id));
    json_object_object_add(o, "ts", json_object_new_string(c->ts));
    json_object_object_add(o, "driver", json_object_new_string(c->driver));
    json_object_object_add(o, "lastpass_id",
                           json_object_new_string(c->lastpass_id));
    json_object_object_add(o, "lastpass_name",
                           json_object_new_string(c->lastpass_name));
    json_object_object_add(o, "psa_company_id",
                           json_object_new_string(c->psa_company_id));
    json_object_object_add(o, "agreement_id",
                           json_object_new_string(c->agreement_id));
    json_object_object_add(o, "line_id", json_object_new_string(c->line_id));
    json_object_object_add(o, "product", json_object_new_string(c->product));
    json_object_object_add(o, "old_quantity",
                           json_object_new_int64(c->old_quantity));
    json_object_object_add(o, "new_quantity",
                           json_object_new_int64(c->new_quantity));
    json_object_object_add(o, "effective_date",
                           json_object_new_string(c->effective_date));
    json_object_object_add(o, "state", json_object_new_string(c->state));
    json_object_object_add(o, "observed",
                           c->has_observed ? json_object_new_int64(c->observed)
                                           : NULL);
    json_object_object_add(o, "message", json_object_new_string(c->message));
    json_object_object_add(
        o, "resolved_by",
        c->resolved_by ? json_object_new_int64(c->resolved_by) : NULL);
    json_object_object_add(
        o, "approved_by",
        c->approved_by[0] ? json_object_new_string(c->approved_by) : NULL);
    json_object_array_add(arr, o);
  }
  return arr;
}

static const char *dash(const char *s) {
  return s && *s ? s : "-";
}

static void print_changes(FILE *out, const journal_change *changes, size_t n,
                          int with_run) {
  if (with_run)
    fprintf(out, "  %-23s %-6s %-12s %-10s %-10s %13s %-20s %-12s %s\n", "DATE",
            "RUN", "DRIVER", "AGREEMENT", "LINE", "OLD -> NEW", "STATE",
            "APPROVED BY", "NOTE");
  else
    fprintf(out, "  %-8s %-30s %-10s %-10s %13s %-20s %-12s %s\n", "CHANGE",
            "COMPANY", "AGREEMENT", "LINE", "OLD -> NEW", "STATE",
            "APPROVED BY", "NOTE");
  for (size_t i = 0; i < n; i++) {
    const journal_change *c = &changes[i];
    char qty[64];
    snprintf(qty, sizeof qty, "%lld -> %lld", c->old_quantity, c->new_quantity);
    char t[64], d[256], ag[256], li[256], st[64], ap[256], name[512], msg[4096];
    esc(dash(c->agreement_id), ag, sizeof ag);
    esc(dash(c->line_id), li, sizeof li);
    esc(c->state, st, sizeof st);
    esc(dash(c->approved_by), ap, sizeof ap);
    esc(c->message, msg, sizeof msg);
    if (with_run)
      fprintf(out, "  %-23s %-6lld %-12s %-10s %-10s %13s %-20s %-12s %s\n",
              when(c->ts, t, sizeof t), c->run_id, esc(c->driver, d, sizeof d),
              ag, li, qty, st, ap, msg);
    else
      fprintf(out, "  %-8lld %-30.30s %-10s %-10s %13s %-20s %-12s %s\n", c->id,
              esc(c->lastpass_name, name, sizeof name), ag, li, qty, st, ap,
              msg);
  }
}

/* ---- one run ------------------------------------------------------------- */

/* The report counts the companies already in step; the history names them
 * too, so that it shows every company of the run. */
static void print_in_step(FILE *out, const run_result *res) {
  size_t n = 0;
  for (size_t i = 0; i < res->n; i++)
    n += res->outcomes[i].status == ST_UNCHANGED;
  if (!n)
    return;
  fprintf(out, "\nAlready in step (%zu):\n", n);
  for (size_t i = 0; i < res->n; i++) {
    const outcome *o = &res->outcomes[i];
    if (o->status != ST_UNCHANGED)
      continue;
    char name[512], psa[256], line[256];
    fprintf(out, "  %-32.32s PSA %-10s line %-10s %lld\n",
            esc(o->lastpass_name, name, sizeof name),
            esc(dash(o->psa_company_id), psa, sizeof psa),
            esc(dash(o->line_id), line, sizeof line), o->old_quantity);
  }
}

/* A report-shaped document for a run that stored none (it never
 * finished): what the journal knows. */
static json_object *bare_report(const journal_run_info *run) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "schema", json_object_new_string("lpsa.report/1"));
  json_object_object_add(o, "run_id", json_object_new_int64(run->id));
  json_object_object_add(o, "driver", str_or_null(run->driver));
  json_object_object_add(o, "driver_version", str_or_null(run->driver_version));
  json_object_object_add(o, "mode", str_or_null(run->mode));
  json_object_object_add(o, "started", str_or_null(run->started));
  json_object_object_add(o, "finished", str_or_null(run->finished));
  json_object_object_add(
      o, "exit_code",
      run->has_exit_code ? json_object_new_int(run->exit_code) : NULL);
  json_object_object_add(
      o, "aborted",
      json_object_new_string("the run did not finish: no report was stored"));
  json_object_object_add(o, "summary", summary_of(run->summary));
  json_object_object_add(o, "companies", json_object_new_array());
  json_object_object_add(o, "findings", json_object_new_array());
  return o;
}

json_object *history_run_json(const journal_run_info *run,
                              const journal_change *changes, size_t n,
                              const history_run_extra *extra) {
  json_object *doc = run->report ? json_tokener_parse(run->report) : NULL;
  if (!doc || !json_object_is_type(doc, json_type_object)) {
    json_object_put(doc);
    doc = bare_report(run);
  }
  if (!doc)
    return NULL;
  json_object_object_add(doc, "result", str_or_null(run->result));
  json_object_object_add(doc, "changes", history_changes_json(changes, n));
  if (extra && extra->plan_id)
    json_object_object_add(doc, "plan_id", str_or_null(extra->plan_id));
  if (extra && extra->plan)
    json_object_object_add(doc, "plan", json_object_get(extra->plan));
  return doc;
}

void history_print_run(FILE *out, const journal_run_info *run,
                       const journal_change *changes, size_t n,
                       const history_run_extra *extra) {
  char mo[64], d[256], v[128], re[64], t0[64], t1[64];
  fprintf(out, "run %lld: %s with %s %s, result %s", run->id,
          esc(run->mode, mo, sizeof mo), esc(run->driver, d, sizeof d),
          esc(run->driver_version, v, sizeof v),
          esc(run->result, re, sizeof re));
  if (run->has_exit_code)
    fprintf(out, " (exit %d)", run->exit_code);
  fprintf(out, "\nstarted %s, finished %s\n", when(run->started, t0, sizeof t0),
          run->finished ? when(run->finished, t1, sizeof t1) : "never");
  if (extra && extra->plan_id)
    fprintf(out, "applied the saved plan %s\n",
            esc(extra->plan_id, v, sizeof v));
  fputc('\n', out);
  report_loaded rl;
  char err[256];
  if (run->report && report_load(run->report, &rl, err, sizeof err) == 0) {
    report_text(out, &rl.meta, &rl.res);
    print_in_step(out, &rl.res);
    report_loaded_free(&rl);
  } else if (run->report) {
    fprintf(out, "(%s)\n", err);
  } else {
    fprintf(out,
            "No report was stored: the run did not finish (%s). The "
            "journal recorded these changes; the next run resolved any "
            "left open against the PSA.\n",
            re);
  }
  fputc('\n', out);
  if (!n) {
    fputs("The journal recorded no change for this run.\n", out);
    return;
  }
  fprintf(out, "Journal: the changes of this run%s (%zu):\n",
          run->report ? ", and those it resolved" : "", n);
  print_changes(out, changes, n, 0);
}

/* ---- one company --------------------------------------------------------- */

static const char *entry_str(json_object *entry, const char *key) {
  json_object *v;
  return entry && json_object_object_get_ex(entry, key, &v) && v
             ? json_object_get_string(v)
             : NULL;
}

static const char *company_name(const journal_change *changes, size_t n,
                                json_object *entry) {
  const char *name = entry_str(entry, "lastpass_name");
  return name ? name : n ? changes[n - 1].lastpass_name : NULL;
}

json_object *history_company_json(const char *lastpass_id,
                                  const journal_change *changes, size_t n,
                                  const journal_run_info *latest,
                                  json_object *entry) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "schema",
                         json_object_new_string("lpsa.history-company/1"));
  json_object_object_add(o, "lastpass_id", json_object_new_string(lastpass_id));
  json_object_object_add(o, "lastpass_name",
                         str_or_null(company_name(changes, n, entry)));
  json_object *last = NULL;
  if (latest && entry) {
    last = json_object_new_object();
    json_object_object_add(last, "run_id", json_object_new_int64(latest->id));
    json_object_object_add(last, "started", str_or_null(latest->started));
    json_object_object_add(last, "driver", str_or_null(latest->driver));
    json_object_object_add(last, "mode", str_or_null(latest->mode));
    json_object_object_add(last, "company", json_object_get(entry));
  }
  json_object_object_add(o, "latest", last);
  json_object_object_add(o, "changes", history_changes_json(changes, n));
  return o;
}

void history_print_company(FILE *out, const char *lastpass_id,
                           const journal_change *changes, size_t n,
                           const journal_run_info *latest, json_object *entry) {
  const char *name = company_name(changes, n, entry);
  char id[256], nm[512], t[64], d[256], mo[64], psa[256], line[256], st[64];
  fprintf(out, "LastPass company %s%s%s%s\n", esc(lastpass_id, id, sizeof id),
          name ? " (" : "", name ? esc(name, nm, sizeof nm) : "",
          name ? ")" : "");
  if (latest && entry) {
    json_object *seats = NULL, *old = NULL, *new_q = NULL;
    json_object_object_get_ex(entry, "seats", &seats);
    json_object_object_get_ex(entry, "old_quantity", &old);
    json_object_object_get_ex(entry, "new_quantity", &new_q);
    fprintf(out,
            "Newest run listing it: run %lld (%s, %s, %s): LastPass %lld "
            "seats; PSA %s line %s: %s",
            latest->id, when(latest->started, t, sizeof t),
            esc(latest->driver, d, sizeof d), esc(latest->mode, mo, sizeof mo),
            (long long)json_object_get_int64(seats),
            esc(dash(entry_str(entry, "psa_company_id")), psa, sizeof psa),
            esc(dash(entry_str(entry, "line_id")), line, sizeof line),
            old ? json_object_get_string(old) : "-");
    if (new_q && old &&
        json_object_get_int64(new_q) != json_object_get_int64(old))
      fprintf(out, " -> %s", json_object_get_string(new_q));
    fprintf(out, " (%s)\n",
            esc(dash(entry_str(entry, "status")), st, sizeof st));
  } else {
    fputs("No stored report lists it.\n", out);
  }
  fputc('\n', out);
  if (!n) {
    fputs("The journal holds no change of its count.\n", out);
    return;
  }
  fprintf(out, "Changes of its count (%zu), oldest first:\n", n);
  print_changes(out, changes, n, 1);
}
