/* SPDX-License-Identifier: MIT */
/*
 * metrics.c — rendering and writing the Prometheus text file.
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"

size_t metrics_escape_label(const char *value, char *out, size_t cap) {
  size_t n = 0;
  for (const char *p = value ? value : ""; *p; p++) {
    const char *rep = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : NULL;
    if (*p == '\n')
      rep = "\\n";
    size_t len = rep ? 2 : 1;
    if (n + len < cap)
      memcpy(out + n, rep ? rep : p, len);
    n += len;
  }
  if (cap)
    out[n < cap ? n : cap - 1] = '\0';
  return n;
}

/* The text being built (an open_memstream). */
typedef struct text {
  char *buf;
  size_t len;
  FILE *f;
} text;

static void emit(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void emit(text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(t->f, fmt, ap);
  va_end(ap);
}

static void header(text *t, const char *name, const char *help) {
  emit(t, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One label value, escaped. */
static void emit_label(text *t, const char *name, const char *value,
                       int first) {
  size_t need = metrics_escape_label(value, NULL, 0);
  char *esc = malloc(need + 1);
  if (!esc) {
    emit(t, "%s%s=\"\"", first ? "" : ",", name);
    return;
  }
  metrics_escape_label(value, esc, need + 1);
  emit(t, "%s%s=\"%s\"", first ? "" : ",", name, esc);
  free(esc);
}

static json_object *member(json_object *o, const char *key) {
  json_object *v = NULL;
  return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *string_member(json_object *o, const char *key) {
  json_object *v = member(o, key);
  return v && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : "";
}

static void run_metrics(text *t, const metrics_run *m) {
  header(t, "lpsa_last_run_timestamp_seconds",
         "Unix time at which the last run finished.");
  emit(t, "lpsa_last_run_timestamp_seconds %lld\n", (long long)m->finished);
  header(t, "lpsa_last_run_duration_seconds", "How long the last run took.");
  emit(t, "lpsa_last_run_duration_seconds %.3f\n", m->duration_s);
  header(t, "lpsa_last_run_exit_code",
         "Exit code of the last run: 0 in step, 1 some companies need a "
         "person, 2 configuration error, 3 aborted or stopped.");
  emit(t, "lpsa_last_run_exit_code %d\n", m->exit_code);
  header(t, "lpsa_last_run_success", "1 when the last run exited 0, else 0.");
  emit(t, "lpsa_last_run_success %d\n", m->exit_code == 0);
  if (m->run_id > 0) {
    header(t, "lpsa_last_run_id", "The journal's number of the last run.");
    emit(t, "lpsa_last_run_id %lld\n", m->run_id);
  }
  header(t, "lpsa_last_run_info",
         "The last run's driver, driver version and mode (always 1).");
  emit(t, "lpsa_last_run_info{");
  emit_label(t, "driver", m->driver, 1);
  emit_label(t, "driver_version", string_member(m->report, "driver_version"),
             0);
  emit_label(t, "mode", string_member(m->report, "mode"), 0);
  emit(t, "} 1\n");
}

static void company_metrics(text *t, const metrics_run *m) {
  /* The report's company statuses and the summary keys that count them. */
  static const char *const statuses[][2] = {
      {"updated", "updated"}, {"unchanged", "unchanged"},
      {"planned", "planned"}, {"skipped", "skipped"},
      {"held", "held"},       {"error", "errors"}};
  json_object *summary = member(m->report, "summary");
  header(t, "lpsa_companies",
         "LastPass managed companies by outcome in the last run.");
  for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
    json_object *v = member(summary, statuses[i][1]);
    emit(t, "lpsa_companies{status=\"%s\"} %lld\n", statuses[i][0],
         v ? (long long)json_object_get_int64(v) : 0LL);
  }
}

/* "lastpass managed-companies" -> lastpass / managed-companies;
 * "GET host/path" (a label the transport derived) -> the driver / the label.
 * LastPass requests are always labelled "lastpass ...", so an unlabelled
 * request is the PSA's. */
static void split_endpoint(const char *label, const char *driver, char *service,
                           size_t cap, const char **endpoint) {
  size_t word = strcspn(label, " ");
  int method = word > 0 && label[word] == ' ';
  for (size_t i = 0; method && i < word; i++)
    method = label[i] >= 'A' && label[i] <= 'Z';
  if (method || label[word] != ' ') {
    snprintf(service, cap, "%s", driver ? driver : "");
    *endpoint = label;
    return;
  }
  snprintf(service, cap, "%.*s", (int)word, label);
  *endpoint = label + word + 1;
}

static void request_metrics(text *t, const metrics_run *m) {
  json_object *by = member(member(m->report, "requests"), "by_endpoint");
  header(t, "lpsa_last_run_api_requests",
         "HTTP requests the last run sent, by service and endpoint.");
  if (!by || !json_object_is_type(by, json_type_object))
    return;
  json_object_object_foreach(by, label, count) {
    char service[128];
    const char *endpoint;
    split_endpoint(label, m->driver, service, sizeof service, &endpoint);
    emit(t, "lpsa_last_run_api_requests{");
    emit_label(t, "service", service, 1);
    emit_label(t, "endpoint", endpoint, 0);
    emit(t, "} %lld\n", (long long)json_object_get_int64(count));
  }
}

/* Findings counted by (code, severity); printed sorted by code, then
 * severity, so the file's lines stay in place from run to run. */
typedef struct tally {
  const char **code, **sev;
  long long *n;
  size_t len, cap;
  int oom;
} tally;

static void tally_add(tally *tl, const char *code, const char *sev) {
  for (size_t i = 0; i < tl->len; i++)
    if (strcmp(tl->code[i], code) == 0 && strcmp(tl->sev[i], sev) == 0) {
      tl->n[i]++;
      return;
    }
  if (tl->len == tl->cap) {
    size_t cap = tl->cap ? tl->cap * 2 : 16;
    const char **c = realloc(tl->code, cap * sizeof *c);
    if (c)
      tl->code = c;
    const char **s = realloc(tl->sev, cap * sizeof *s);
    if (s)
      tl->sev = s;
    long long *n = realloc(tl->n, cap * sizeof *n);
    if (n)
      tl->n = n;
    if (!c || !s || !n) {
      tl->oom = 1;
      return;
    }
    tl->cap = cap;
  }
  tl->code[tl->len] = code;
  tl->sev[tl->len] = sev;
  tl->n[tl->len++] = 1;
}

static void tally_rules(tally *tl, json_object *rules) {
  if (!rules || !json_object_is_type(rules, json_type_array))
    return;
  for (size_t i = 0; i < json_object_array_length(rules); i++) {
    json_object *f = json_object_array_get_idx(rules, i);
    tally_add(tl, string_member(f, "code"), string_member(f, "severity"));
  }
}

/* Insertion sort: a run has a few dozen distinct codes at most. */
static void sort_tally(tally *tl) {
  for (size_t i = 1; i < tl->len; i++) {
    for (size_t k = i; k > 0; k--) {
      int c = strcmp(tl->code[k - 1], tl->code[k]);
      if (c < 0 || (c == 0 && strcmp(tl->sev[k - 1], tl->sev[k]) <= 0))
        break;
      const char *code = tl->code[k], *sev = tl->sev[k];
      long long n = tl->n[k];
      tl->code[k] = tl->code[k - 1];
      tl->sev[k] = tl->sev[k - 1];
      tl->n[k] = tl->n[k - 1];
      tl->code[k - 1] = code;
      tl->sev[k - 1] = sev;
      tl->n[k - 1] = n;
    }
  }
}

/* 0, or -1 when out of memory. */
static int finding_metrics(text *t, const metrics_run *m) {
  tally tl = {0};
  json_object *companies = member(m->report, "companies");
  if (companies && json_object_is_type(companies, json_type_array))
    for (size_t i = 0; i < json_object_array_length(companies); i++)
      tally_rules(&tl,
                  member(json_object_array_get_idx(companies, i), "rules"));
  tally_rules(&tl, member(m->report, "findings"));
  sort_tally(&tl);
  header(t, "lpsa_rule_findings",
         "Rule findings of the last run, by rule code and severity.");
  for (size_t i = 0; i < tl.len; i++) {
    emit(t, "lpsa_rule_findings{");
    emit_label(t, "code", tl.code[i], 1);
    emit_label(t, "severity", tl.sev[i], 0);
    emit(t, "} %lld\n", tl.n[i]);
  }
  free(tl.code);
  free(tl.sev);
  free(tl.n);
  return tl.oom ? -1 : 0;
}

char *metrics_render(const metrics_run *m) {
  text t = {0};
  if (!(t.f = open_memstream(&t.buf, &t.len)))
    return NULL;
  run_metrics(&t, m);
  company_metrics(&t, m);
  request_metrics(&t, m);
  int oom = finding_metrics(&t, m) != 0 || ferror(t.f);
  if (fclose(t.f) != 0 || oom) {
    free(t.buf);
    return NULL;
  }
  return t.buf;
}

int metrics_write_file(const char *path, const char *text, char *err,
                       size_t errlen) {
  char why[1024];
  /* 0644, unlike every other file lpsa writes: node_exporter's textfile
   * collector reads it as another user. It holds counts, rule codes and the
   * driver's name, never a company name or a credential. */
  if (atomic_write_file(path, text, strlen(text), 0644, why, sizeof why) == 0)
    return 0;
  snprintf(err, errlen, "metrics_file: %s", why);
  return -1;
}
