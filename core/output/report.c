/* SPDX-License-Identifier: MIT */
/*
 * report.c — the run report as a table and as JSON.
 *
 * Much of a report comes from elsewhere (company names from LastPass and the
 * PSA, error texts quoting a server's answer): every string is redacted
 * (m->redact) in both forms, and escaped in the table (text_escape.h).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "text_escape.h"
#include "zone.h"

static json_object *str_or_null(const char *s) {
  return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *ack_json(const finding_ack *a) {
  if (!a)
    return NULL;
  json_object *o = json_object_new_object();
  json_object_object_add(o, "by", json_object_new_string(a->by));
  json_object_object_add(o, "at", json_object_new_string(a->at));
  json_object_object_add(o, "until", str_or_null(a->until));
  json_object_object_add(o, "note", str_or_null(a->note));
  json_object_object_add(o, "state",
                         json_object_new_string(ack_state_name(a->state)));
  return o;
}

static json_object *rules_json(const finding_list *l) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; arr && i < l->n; i++) {
    const finding *it = &l->items[i];
    json_object *f = json_object_new_object();
    json_object_object_add(f, "code", json_object_new_string(it->code));
    json_object_object_add(f, "severity",
                           json_object_new_string(severity_name(it->sev)));
    json_object_object_add(f, "message", json_object_new_string(it->message));
    json_object_object_add(
        f, "acknowledged",
        json_object_new_boolean(it->ack && it->ack->state == ACK_APPLIES));
    json_object_object_add(f, "acknowledgement", ack_json(it->ack));
    json_object_array_add(arr, f);
  }
  return arr;
}

void report_counts_free(report_count *c, size_t n) {
  for (size_t i = 0; c && i < n; i++)
    free((char *)c[i].label);
  free(c);
}

static json_object *summary_json(const run_result *r) {
  run_summary s;
  run_result_summarize(r, &s);
  json_object *o = json_object_new_object();
  json_object_object_add(o, "companies",
                         json_object_new_int64((int64_t)s.companies));
  json_object_object_add(o, "updated",
                         json_object_new_int64((int64_t)s.updated));
  json_object_object_add(o, "unchanged",
                         json_object_new_int64((int64_t)s.unchanged));
  json_object_object_add(o, "planned",
                         json_object_new_int64((int64_t)s.planned));
  json_object_object_add(o, "skipped",
                         json_object_new_int64((int64_t)s.skipped));
  json_object_object_add(o, "held", json_object_new_int64((int64_t)s.held));
  json_object_object_add(o, "errors", json_object_new_int64((int64_t)s.errors));
  json_object_object_add(o, "acknowledged",
                         json_object_new_int64((int64_t)s.acknowledged));
  return o;
}

char *report_summary_json(const run_result *r) {
  json_object *o = summary_json(r);
  char *s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
  json_object_put(o);
  return s;
}

static json_object *company_json(const outcome *o) {
  json_object *c = json_object_new_object();
  json_object_object_add(c, "lastpass_id",
                         json_object_new_string(o->lastpass_id));
  json_object_object_add(c, "lastpass_name",
                         json_object_new_string(o->lastpass_name));
  json_object_object_add(c, "sku", json_object_new_string(o->sku));
  json_object_object_add(c, "seats", json_object_new_int64(o->seats));
  json_object_object_add(c, "psa_company_id", str_or_null(o->psa_company_id));
  json_object_object_add(c, "psa_company_name",
                         str_or_null(o->psa_company_name));
  json_object_object_add(c, "agreement_id", str_or_null(o->agreement_id));
  json_object_object_add(c, "line_id", str_or_null(o->line_id));
  json_object_object_add(c, "product", str_or_null(o->product));
  json_object_object_add(c, "old_quantity",
                         o->has_line ? json_object_new_int64(o->old_quantity)
                                     : NULL);
  json_object_object_add(c, "new_quantity",
                         o->has_target ? json_object_new_int64(o->new_quantity)
                                       : NULL);
  json_object_object_add(c, "effective_date", str_or_null(o->effective_date));
  json_object_object_add(
      c, "status", json_object_new_string(outcome_status_name(o->status)));
  json_object_object_add(c, "approved_by", str_or_null(o->approved_by));
  json_object_object_add(c, "rules", rules_json(&o->findings));
  return c;
}

void report_redact_tree(json_object *o, const lpsa_log *log) {
  switch (json_object_get_type(o)) {
  case json_type_string: {
    const char *s = json_object_get_string(o);
    char *clean = log_redact(log, s);
    if (clean && strcmp(clean, s) != 0)
      json_object_set_string(o, clean);
    else if (!clean)
      json_object_set_string(o, "(redacted: out of memory)");
    free(clean);
    break;
  }
  case json_type_array:
    for (size_t i = 0; i < json_object_array_length(o); i++)
      report_redact_tree(json_object_array_get_idx(o, i), log);
    break;
  case json_type_object: {
    json_object_object_foreach(o, key, val) {
      (void)key;
      report_redact_tree(val, log);
    }
    break;
  }
  default:
    break;
  }
}

static json_object *build_json(const report_meta *m, const run_result *r);

json_object *report_json(const report_meta *m, const run_result *r) {
  json_object *root = build_json(m, r);
  if (root && m->redact)
    report_redact_tree(root, m->redact);
  return root;
}

static json_object *build_json(const report_meta *m, const run_result *r) {
  json_object *root = json_object_new_object();
  if (!root)
    return NULL;
  json_object_object_add(root, "schema",
                         json_object_new_string("lpsa.report/1"));
  json_object_object_add(
      root, "run_id", m->run_id > 0 ? json_object_new_int64(m->run_id) : NULL);
  json_object_object_add(root, "driver", str_or_null(m->driver));
  json_object_object_add(root, "driver_version",
                         str_or_null(m->driver_version));
  json_object_object_add(
      root, "mode", json_object_new_string(m->dry_run ? "dry-run" : "apply"));
  json_object_object_add(root, "started", str_or_null(m->started));
  json_object_object_add(root, "finished", str_or_null(m->finished));
  json_object_object_add(root, "exit_code", json_object_new_int(m->exit_code));
  json_object_object_add(root, "aborted", str_or_null(m->aborted));
  json_object *cycle = NULL;
  if (m->cycle_start && *m->cycle_start) {
    cycle = json_object_new_object();
    json_object_object_add(cycle, "start",
                           json_object_new_string(m->cycle_start));
    json_object_object_add(cycle, "end", str_or_null(m->cycle_end));
  }
  json_object_object_add(root, "billing_cycle", cycle);
  json_object *terms = NULL;
  if (m->terms) {
    terms = json_object_new_object();
    json_object_object_add(terms, "psa", str_or_null(m->terms->psa));
    json_object_object_add(terms, "company", str_or_null(m->terms->company));
    json_object_object_add(terms, "agreement",
                           str_or_null(m->terms->agreement));
    json_object_object_add(terms, "line", str_or_null(m->terms->line));
    json_object_object_add(terms, "product", str_or_null(m->terms->product));
  }
  json_object_object_add(root, "terms", terms);
  json_object_object_add(root, "summary", summary_json(r));
  json_object *req = json_object_new_object();
  json_object *by = json_object_new_object();
  for (size_t i = 0; i < m->n_counts; i++)
    json_object_object_add(
        by, m->counts[i].label,
        json_object_new_int64((int64_t)m->counts[i].requests));
  json_object_object_add(req, "total",
                         json_object_new_int64((int64_t)m->total_requests));
  json_object_object_add(req, "by_endpoint", by);
  if (m->concurrency) {
    const report_concurrency *k = m->concurrency;
    json_object *cj = json_object_new_object();
    json_object_object_add(cj, "max", json_object_new_int64(k->max));
    json_object_object_add(cj, "peak", json_object_new_int64(k->peak));
    json_object_object_add(cj, "halved", json_object_new_int64(k->halved));
    json_object_object_add(
        cj, "smallest", k->halved ? json_object_new_int64(k->smallest) : NULL);
    json_object_object_add(req, "concurrency", cj);
  }
  json_object_object_add(root, "requests", req);
  json_object *companies = json_object_new_array();
  for (size_t i = 0; i < r->n; i++)
    json_object_array_add(companies, company_json(&r->outcomes[i]));
  json_object_object_add(root, "companies", companies);
  json_object_object_add(root, "findings", rules_json(&r->findings));
  json_object_object_add(root, "plan_id", str_or_null(m->plan_id));
  return root;
}

/* -- the table for people ------------------------------------------------ */

/* What the table shows of a string from elsewhere: credentials hidden,
 * then escaped. A new string (the caller frees); NULL when out of memory. */
static char *shown(const report_meta *m, const char *s) {
  char *clean = log_redact(m->redact, s ? s : "");
  char *out = clean ? text_escape_dup(clean, 0) : NULL;
  free(clean);
  return out;
}

/* Print `s` as shown(), with a fallback when memory ran out. */
static void put_shown(FILE *out, const report_meta *m, const char *s) {
  char *v = shown(m, s);
  fputs(v ? v : "(out of memory)", out);
  free(v);
}

/* Print `s` in a column of `width` characters (UTF-8 code points, so that
 * "Müller" lines up with "Muller"), cut with "~" when longer, then a space. */
static void cell_raw(FILE *out, const char *s, size_t width) {
  size_t chars = 0, i = 0, cut = 0;
  if (!s)
    s = "-";
  for (; s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == width)
      cut = i; /* the start of the last character that fits */
  if (chars > width) {
    fwrite(s, 1, cut, out);
    fputc('~', out);
    chars = width;
  } else {
    fputs(s, out);
  }
  for (; chars < width; chars++)
    fputc(' ', out);
  fputc(' ', out);
}

/* A cell holding a string from elsewhere (NULL shows "-"). */
static void cell(FILE *out, const report_meta *m, const char *s, size_t width) {
  char *v = s ? shown(m, s) : NULL;
  cell_raw(out, s && !v ? "?" : v, width);
  free(v);
}

/* The PSA's word for a column, upper case. */
static void heading(FILE *out, const char *word, size_t width) {
  char up[64];
  size_t i = 0;
  for (; word && word[i] && i < sizeof up - 1; i++)
    up[i] = (char)(word[i] >= 'a' && word[i] <= 'z' ? word[i] - 32 : word[i]);
  up[i] = '\0';
  cell_raw(out, up, width);
}

static void print_changes(FILE *out, const report_meta *m, const run_result *r,
                          outcome_status st, const char *title) {
  size_t n = 0;
  for (size_t i = 0; i < r->n; i++)
    n += r->outcomes[i].status == st;
  if (!n)
    return;
  fprintf(out, "%s (%zu):\n", title, n);
  fputs("  ", out);
  cell_raw(out, "LASTPASS COMPANY", 32);
  cell_raw(out, "PSA ID", 10);
  heading(out, m->terms->agreement, 10);
  size_t line_w = strlen(m->terms->line) > 10 ? strlen(m->terms->line) : 10;
  heading(out, m->terms->line, line_w);
  heading(out, m->terms->product, 24);
  if (st == ST_HELD)
    fprintf(out, "%6s %6s  %-10s %s\n", "OLD", "NEW", "EFFECTIVE", "WHY");
  else
    fprintf(out, "%6s %6s  %s\n", "OLD", "NEW", "EFFECTIVE");
  for (size_t i = 0; i < r->n; i++) {
    const outcome *o = &r->outcomes[i];
    if (o->status != st)
      continue;
    fputs("  ", out);
    cell(out, m, o->lastpass_name, 32);
    cell(out, m, o->psa_company_id, 10);
    cell(out, m, o->agreement_id, 10);
    cell(out, m, o->line_id, line_w);
    cell(out, m, o->product, 24);
    fprintf(out, "%6lld %6lld  ", o->old_quantity, o->new_quantity);
    if (st != ST_HELD) {
      put_shown(out, m, o->effective_date ? o->effective_date : "-");
      fputc('\n', out);
      continue;
    }
    /* Why it is held: the codes of its warnings and errors. */
    cell(out, m, o->effective_date ? o->effective_date : "-", 10);
    const char *sep = "";
    for (size_t k = 0; k < o->findings.n; k++)
      if (o->findings.items[k].sev != SEV_INFO) {
        fprintf(out, "%s%s", sep, o->findings.items[k].code);
        sep = ", ";
      }
    fputc('\n', out);
  }
  fputc('\n', out);
}

/* " [acknowledged by ...]" after a finding, or why an acknowledgement of
 * it no longer applies. */
static void print_ack(FILE *out, const report_meta *m, const finding_ack *a) {
  if (!a)
    return;
  char day[11];
  snprintf(day, sizeof day, "%s", a->at);
  /* The note and the name are a person's words: shown escaped too. */
  if (a->state == ACK_APPLIES) {
    fputs(" [acknowledged by ", out);
    put_shown(out, m, a->by);
    fprintf(out, " on %s", day);
    if (a->until)
      fprintf(out, ", until %s", a->until);
    if (a->note) {
      fputs(": \"", out);
      put_shown(out, m, a->note);
      fputc('"', out);
    }
    fputc(']', out);
  } else if (a->state == ACK_EXPIRED) {
    fputs(" [the acknowledgement by ", out);
    put_shown(out, m, a->by);
    fprintf(out, " on %s expired on %s]", day, a->until ? a->until : "?");
  } else {
    fputs(" [acknowledged by ", out);
    put_shown(out, m, a->by);
    fprintf(out,
            " on %s with other counts: it no longer applies; check, then "
            "acknowledge again]",
            day);
  }
}

/* Problems and notes grouped by rule code, most severe first. */
static void print_findings(FILE *out, const report_meta *m, const run_result *r,
                           severity sev, const char *title) {
  const char *codes[64];
  size_t n_codes = 0, total = 0;
  for (size_t i = 0; i < r->findings.n; i++)
    if (r->findings.items[i].sev == sev)
      total++;
  for (size_t i = 0; i < r->n; i++)
    for (size_t k = 0; k < r->outcomes[i].findings.n; k++)
      if (r->outcomes[i].findings.items[k].sev == sev)
        total++;
  if (!total)
    return;
  fprintf(out, "%s:\n", title);
  /* Collect the codes in first-seen order. */
  for (size_t pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < (pass ? r->n : 1); i++) {
      const finding_list *l = pass ? &r->outcomes[i].findings : &r->findings;
      for (size_t k = 0; k < l->n; k++) {
        if (l->items[k].sev != sev)
          continue;
        size_t c = 0;
        while (c < n_codes && strcmp(codes[c], l->items[k].code) != 0)
          c++;
        if (c == n_codes && n_codes < 64)
          codes[n_codes++] = l->items[k].code;
      }
    }
  }
  for (size_t c = 0; c < n_codes; c++) {
    fprintf(out, "  %s\n", codes[c]);
    for (size_t k = 0; k < r->findings.n; k++)
      if (r->findings.items[k].sev == sev &&
          strcmp(r->findings.items[k].code, codes[c]) == 0) {
        fputs("    - ", out);
        put_shown(out, m, r->findings.items[k].message);
        fputc('\n', out);
      }
    for (size_t i = 0; i < r->n; i++) {
      const outcome *o = &r->outcomes[i];
      for (size_t k = 0; k < o->findings.n; k++)
        if (o->findings.items[k].sev == sev &&
            strcmp(o->findings.items[k].code, codes[c]) == 0) {
          fputs("    - ", out);
          put_shown(out, m, o->lastpass_name);
          fputs(" (LastPass ", out);
          put_shown(out, m, o->lastpass_id);
          if (o->psa_company_id) {
            fputs(", PSA ", out);
            put_shown(out, m, o->psa_company_id);
          }
          fputs("): ", out);
          put_shown(out, m, o->findings.items[k].message);
          print_ack(out, m, o->findings.items[k].ack);
          fputc('\n', out);
        }
    }
  }
  fputc('\n', out);
}

void report_text(FILE *out, const report_meta *m, const run_result *r) {
  fprintf(out, "lpsa %s with ", m->dry_run ? "dry-run" : "apply");
  put_shown(out, m, m->driver ? m->driver : "?");
  fputc(' ', out);
  put_shown(out, m, m->driver_version ? m->driver_version : "");
  if (m->run_id > 0)
    fprintf(out, " (run %lld)", m->run_id);
  char started[64];
  fprintf(out, ", started %s\n",
          zone_local_text(m->started, started, sizeof started));
  if (m->cycle_start && *m->cycle_start) {
    fputs("LastPass billing cycle ", out);
    put_shown(out, m, m->cycle_start);
    fputs(" .. ", out);
    put_shown(out, m, m->cycle_end ? m->cycle_end : "?");
    fputc('\n', out);
  }
  fputc('\n', out);
  if (m->aborted) {
    fputs("ABORTED: ", out);
    put_shown(out, m, m->aborted);
    fputs("\n\n", out);
  }
  print_changes(out, m, r, ST_UPDATED, "Updated");
  print_changes(out, m, r, ST_PLANNED,
                m->planned_title ? m->planned_title
                : m->dry_run     ? "Planned (dry run: nothing was written)"
                                 : "Planned but not written");
  print_changes(out, m, r, ST_HELD, "Held for a person");
  print_findings(out, m, r, SEV_ERROR, "Errors (not updated; what to do)");
  print_findings(out, m, r, SEV_WARNING, "Warnings");
  print_findings(out, m, r, SEV_INFO, "Notes");
  run_summary s;
  run_result_summarize(r, &s);
  char acked[64] = "";
  if (s.acknowledged)
    snprintf(acked, sizeof acked, " (%zu acknowledged)", s.acknowledged);
  fprintf(out,
          "Summary: %zu companies: %zu updated, %zu planned, %zu already in "
          "step, %zu skipped, %zu held, %zu errors%s; %lu API requests.\n",
          s.companies, s.updated, s.planned, s.unchanged, s.skipped, s.held,
          s.errors, acked, m->total_requests);
  const report_concurrency *k = m->concurrency;
  if (k && k->halved)
    fprintf(out,
            "Concurrency: at most %u requests at once (max_concurrency %u); "
            "throttled answers halved it %u time(s), down to %u.\n",
            k->peak, k->max, k->halved, k->smallest);
  else if (k)
    fprintf(out,
            "Concurrency: at most %u requests at once (max_concurrency %u).\n",
            k->peak, k->max);
}

char *report_text_string(const report_meta *m, const run_result *r) {
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  if (!mem)
    return NULL;
  report_text(mem, m, r);
  if (fclose(mem) != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}
