/* SPDX-License-Identifier: MIT */
/*
 * plan_doc.c — rendering a plan and reading it back, strictly: a plan is
 * what gets written to customers' bills, so a file that is not exactly
 * what lpsa wrote is refused rather than guessed at.
 */
#include "plan_doc.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "approval.h"
#include "civil.h"
#include "digest.h"
#include "lpsa/model.h"
#include "plan_key.h"
#include "report.h"

#define PLAN_MAX_BYTES (64L * 1024 * 1024)

/* ---- rendering ---------------------------------------------------------- */

static json_object *str_or_null(const char *s) {
  return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *findings_json(const finding_list *l, int holds_only) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < l->n; i++) {
    const finding *f = &l->items[i];
    if (holds_only && (!approval_is_hold(f->code) || f->sev != SEV_WARNING))
      continue;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "code", json_object_new_string(f->code));
    if (!holds_only)
      json_object_object_add(o, "severity",
                             json_object_new_string(severity_name(f->sev)));
    json_object_object_add(o, "message", json_object_new_string(f->message));
    json_object_array_add(arr, o);
  }
  return arr;
}

/* A company has a change when its count would move. */
static int has_change(const outcome *o) {
  return o->has_line && o->has_target && o->new_quantity != o->old_quantity &&
         (o->status == ST_PLANNED || o->status == ST_HELD);
}

static json_object *change_json(const outcome *o) {
  json_object *c = json_object_new_object();
  json_object_object_add(c, "psa_company_id", str_or_null(o->psa_company_id));
  json_object_object_add(c, "agreement_id", str_or_null(o->agreement_id));
  json_object_object_add(c, "line_id", str_or_null(o->line_id));
  json_object_object_add(c, "product_id", str_or_null(o->product_id));
  json_object_object_add(c, "product", str_or_null(o->product));
  json_object_object_add(c, "old", json_object_new_int64(o->old_quantity));
  json_object_object_add(c, "new", json_object_new_int64(o->new_quantity));
  json_object_object_add(c, "effective_date", str_or_null(o->effective_date));
  json_object_object_add(c, "held",
                         json_object_new_boolean(o->status == ST_HELD));
  json_object_object_add(c, "hold", findings_json(&o->findings, 1));
  json_object_object_add(c, "approved_by", str_or_null(o->approved_by));
  return c;
}

static json_object *company_json(const outcome *o) {
  json_object *c = json_object_new_object();
  json_object_object_add(c, "lastpass_id",
                         json_object_new_string(o->lastpass_id));
  json_object_object_add(c, "lastpass_name",
                         json_object_new_string(o->lastpass_name));
  json_object_object_add(c, "sku", json_object_new_string(o->sku));
  json_object_object_add(c, "seats", json_object_new_int64(o->seats));
  json_object_object_add(c, "seats_known",
                         json_object_new_boolean(o->seats_known));
  json_object_object_add(c, "suspended", json_object_new_boolean(o->suspended));
  json_object_object_add(
      c, "status", json_object_new_string(outcome_status_name(o->status)));
  json_object_object_add(c, "psa_company_id", str_or_null(o->psa_company_id));
  json_object_object_add(c, "agreement_id", str_or_null(o->agreement_id));
  json_object_object_add(c, "line_id", str_or_null(o->line_id));
  json_object_object_add(c, "product", str_or_null(o->product));
  json_object_object_add(c, "product_id", str_or_null(o->product_id));
  json_object_object_add(c, "period_start", str_or_null(o->period_start));
  json_object_object_add(c, "old_quantity",
                         o->has_line ? json_object_new_int64(o->old_quantity)
                                     : NULL);
  json_object_object_add(c, "new_quantity",
                         o->has_target ? json_object_new_int64(o->new_quantity)
                                       : NULL);
  json_object_object_add(c, "effective_date", str_or_null(o->effective_date));
  json_object_object_add(c, "approved_by", str_or_null(o->approved_by));
  json_object_object_add(c, "rules", findings_json(&o->findings, 0));
  json_object_object_add(c, "change", has_change(o) ? change_json(o) : NULL);
  return c;
}

/* The document; with_id: include m->id (it is computed without it).
 * redact: hide credentials in every string, as the report does (a
 * LastPass company may be named with one); NULL when reading a plan back,
 * whose strings are already what the file holds. */
static json_object *doc_json(const plan_meta *m, const run_result *r,
                             int with_id, const lpsa_log *redact) {
  json_object *root = json_object_new_object();
  json_object_object_add(root, "schema", json_object_new_string(PLAN_SCHEMA));
  if (with_id)
    json_object_object_add(root, "plan_id", json_object_new_string(m->id));
  json_object_object_add(root, "created", json_object_new_string(m->created));
  json_object *d = json_object_new_object();
  json_object_object_add(d, "section", str_or_null(m->driver));
  json_object_object_add(d, "name", str_or_null(m->driver_name));
  json_object_object_add(d, "version", str_or_null(m->driver_version));
  json_object_object_add(d, "psa", str_or_null(m->psa));
  json_object_object_add(root, "driver", d);
  json_object *c = json_object_new_object();
  json_object_object_add(c, "path", str_or_null(m->config_path));
  json_object_object_add(c, "sha256", json_object_new_string(m->config_digest));
  json_object_object_add(root, "configuration", c);
  json_object *mp = json_object_new_object();
  json_object_object_add(mp, "path", str_or_null(m->mapping_path));
  json_object_object_add(mp, "sha256",
                         json_object_new_string(m->mapping_digest));
  json_object_object_add(mp, "rows", json_object_new_int64(m->mapping_rows));
  json_object_object_add(root, "mapping", mp);
  json_object *cy = json_object_new_object();
  json_object_object_add(cy, "start", json_object_new_string(m->cycle_start));
  json_object_object_add(cy, "end", json_object_new_string(m->cycle_end));
  json_object_object_add(root, "billing_cycle", cy);
  json_object_object_add(root, "as_of", json_object_new_string(m->as_of));
  json_object_object_add(root, "made_by_run",
                         json_object_new_int64(m->made_by_run));
  json_object_object_add(root, "made_by", str_or_null(m->made_by));
  size_t planned, held;
  plan_count(r, &planned, &held);
  json_object *s = json_object_new_object();
  json_object_object_add(s, "companies", json_object_new_int64((int64_t)r->n));
  json_object_object_add(s, "changes", json_object_new_int64((int64_t)planned));
  json_object_object_add(s, "held", json_object_new_int64((int64_t)held));
  json_object_object_add(root, "summary", s);
  json_object *list = json_object_new_array();
  for (size_t i = 0; i < r->n; i++)
    json_object_array_add(list, company_json(&r->outcomes[i]));
  json_object_object_add(root, "companies", list);
  json_object_object_add(root, "findings", findings_json(&r->findings, 0));
  if (redact)
    report_redact_tree(root, redact);
  return root;
}

/* The content digest: SHA-256 of the document without its id. */
static int content_digest(const plan_meta *m, const run_result *r,
                          const lpsa_log *redact, char hex[DIGEST_HEX_LEN]) {
  json_object *body = doc_json(m, r, 0, redact);
  if (!body)
    return -1;
  const char *text = json_object_to_json_string_ext(
      body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  int rc = text ? digest_sha256_hex(text, strlen(text), hex) : -1;
  json_object_put(body);
  return rc;
}

/* "2026-11-25T12:00:00Z" -> "20261125-120000". */
static void compact_time(const char *iso, char out[16]) {
  size_t k = 0;
  for (size_t i = 0; iso[i] && k < 15; i++) {
    if (iso[i] >= '0' && iso[i] <= '9')
      out[k++] = iso[i];
    if (k == 8 && iso[i] == 'T')
      out[k++] = '-';
  }
  out[k] = '\0';
}

static void make_id(const char *created, const char *hex,
                    char id[PLAN_ID_LEN]) {
  char when[16];
  compact_time(created, when);
  snprintf(id, PLAN_ID_LEN, "%s-%.12s", when, hex);
}

/* The text the tag is made of: the document with its id, without its tag,
 * as compact JSON. -1 when out of memory. */
static int tag_of(const plan_key *key, json_object *doc,
                  char hex[PLAN_TAG_HEX_LEN]) {
  const char *text = json_object_to_json_string_ext(
      doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  return text ? plan_key_tag(key, text, strlen(text), hex) : -1;
}

char *plan_doc_render(plan_meta *m, const run_result *r, const plan_key *key,
                      const lpsa_log *redact) {
  char hex[DIGEST_HEX_LEN];
  if (content_digest(m, r, redact, hex))
    return NULL;
  make_id(m->created, hex, m->id);
  json_object *doc = doc_json(m, r, 1, redact);
  if (!doc)
    return NULL;
  if (tag_of(key, doc, m->tag)) {
    json_object_put(doc);
    return NULL;
  }
  json_object_object_add(doc, "tag", json_object_new_string(m->tag));
  const char *text = json_object_to_json_string_ext(
      doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
  char *out = NULL;
  if (text) {
    size_t len = strlen(text);
    if ((out = malloc(len + 2))) {
      memcpy(out, text, len);
      out[len] = '\n';
      out[len + 1] = '\0';
    }
  }
  json_object_put(doc);
  return out;
}

/* ---- parsing ------------------------------------------------------------ */

typedef struct parser {
  const char *name;
  char *err;
  size_t errlen;
  int failed;
  plan_doc *doc;
} parser;

static void fail(parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(parser *p, const char *fmt, ...) {
  if (p->failed++)
    return;
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  snprintf(p->err, p->errlen,
           "%s is not a plan lpsa-host can apply: %s; make a new one with "
           "`lpsa-host plan`",
           p->name, what);
}

static json_object *member(parser *p, json_object *o, const char *where,
                           const char *key, json_type type, int nullable) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v)) {
    fail(p, "%s has no \"%s\"", where, key);
    return NULL;
  }
  if (!v) {
    if (!nullable)
      fail(p, "%s.%s is null", where, key);
    return NULL;
  }
  if (!json_object_is_type(v, type)) {
    fail(p, "%s.%s has the wrong type", where, key);
    return NULL;
  }
  return v;
}

/* A string member copied (NULL when null or empty and nullable). */
static char *str_dup(parser *p, json_object *o, const char *where,
                     const char *key, int nullable) {
  json_object *v = member(p, o, where, key, json_type_string, nullable);
  if (!v)
    return NULL;
  const char *s = json_object_get_string(v);
  if (!*s && !nullable) {
    fail(p, "%s.%s is empty", where, key);
    return NULL;
  }
  char *copy = strdup(s);
  if (!copy)
    fail(p, "out of memory");
  return copy;
}

static void str_fixed(parser *p, json_object *o, const char *where,
                      const char *key, char *out, size_t cap, size_t exact) {
  json_object *v = member(p, o, where, key, json_type_string, 0);
  if (!v)
    return;
  const char *s = json_object_get_string(v);
  if ((exact && strlen(s) != exact) || strlen(s) >= cap) {
    fail(p, "%s.%s \"%.40s\" is not well formed", where, key, s);
    return;
  }
  strcpy(out, s);
}

static long long int_of(parser *p, json_object *o, const char *where,
                        const char *key, int *present, long long min) {
  json_object *v = member(p, o, where, key, json_type_int, present != NULL);
  if (present)
    *present = v != NULL;
  if (!v)
    return 0;
  long long n = json_object_get_int64(v);
  if (n < min)
    fail(p, "%s.%s is %lld, below %lld", where, key, n, min);
  return n;
}

static int bool_of(parser *p, json_object *o, const char *where,
                   const char *key) {
  json_object *v = member(p, o, where, key, json_type_boolean, 0);
  return v ? json_object_get_boolean(v) : 0;
}

static int is_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return s[n] == '\0';
}

static void parse_findings(parser *p, json_object *arr, const char *where,
                           finding_list *out) {
  if (!arr)
    return;
  for (size_t i = 0; !p->failed && i < json_object_array_length(arr); i++) {
    json_object *f = json_object_array_get_idx(arr, i);
    if (!json_object_is_type(f, json_type_object)) {
      fail(p, "%s[%zu] is not an object", where, i);
      return;
    }
    json_object *code = member(p, f, where, "code", json_type_string, 0);
    json_object *sevj = member(p, f, where, "severity", json_type_string, 0);
    json_object *msg = member(p, f, where, "message", json_type_string, 0);
    if (p->failed)
      return;
    const char *sv = json_object_get_string(sevj);
    int sev = -1;
    for (int k = SEV_INFO; k <= SEV_ERROR; k++)
      if (strcmp(sv, severity_name((severity)k)) == 0)
        sev = k;
    const char *c = json_object_get_string(code);
    if (sev < 0 || !*c) {
      fail(p, "%s[%zu] has no rule code or severity", where, i);
      return;
    }
    const char *owned = plan_doc_code(p->doc, c);
    if (!owned || findings_add(out, owned, (severity)sev, "%s",
                               json_object_get_string(msg))) {
      fail(p, "out of memory");
      return;
    }
  }
}

static int status_of(const char *name) {
  for (int s = ST_UNCHANGED; s <= ST_ERROR; s++)
    if (strcmp(name, outcome_status_name((outcome_status)s)) == 0)
      return s;
  return -1;
}

static int same(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The change must repeat the company's line exactly. */
static void check_change(parser *p, json_object *ch, const outcome *o,
                         const char *where) {
  static const char *const ids[] = {
      "psa_company_id", "agreement_id",   "line_id",    "product_id",
      "product",        "effective_date", "approved_by"};
  const char *mine[] = {o->psa_company_id, o->agreement_id, o->line_id,
                        o->product_id,     o->product,      o->effective_date,
                        o->approved_by};
  for (size_t i = 0; i < sizeof ids / sizeof *ids && !p->failed; i++) {
    char *v = str_dup(p, ch, where, ids[i], 1);
    if (!p->failed && !same(v, mine[i]))
      fail(p, "%s.%s differs from its company's", where, ids[i]);
    free(v);
  }
  long long old = int_of(p, ch, where, "old", NULL, 0);
  long long nw = int_of(p, ch, where, "new", NULL, 0);
  int held = bool_of(p, ch, where, "held");
  member(p, ch, where, "hold", json_type_array, 0);
  if (p->failed)
    return;
  if (old != o->old_quantity || nw != o->new_quantity ||
      held != (o->status == ST_HELD))
    fail(p, "%s differs from its company's counts or status", where);
}

static void parse_company(parser *p, json_object *c, size_t i) {
  char where[48];
  snprintf(where, sizeof where, "companies[%zu]", i);
  if (!json_object_is_type(c, json_type_object)) {
    fail(p, "%s is not an object", where);
    return;
  }
  outcome *o = run_result_add(&p->doc->res);
  if (!o) {
    fail(p, "out of memory");
    return;
  }
  o->lastpass_id = str_dup(p, c, where, "lastpass_id", 0);
  o->lastpass_name = str_dup(p, c, where, "lastpass_name", 1);
  json_object *sku = member(p, c, where, "sku", json_type_string, 0);
  if (sku) {
    const char *s = json_object_get_string(sku);
    o->sku = strcmp(s, LPSA_SKU_LASTPASS) == 0       ? LPSA_SKU_LASTPASS
             : strcmp(s, LPSA_SKU_LASTPASS_MFA) == 0 ? LPSA_SKU_LASTPASS_MFA
                                                     : NULL;
    if (!o->sku)
      fail(p, "%s.sku \"%.40s\" is not a LastPass SKU", where, s);
  }
  o->seats = int_of(p, c, where, "seats", NULL, 0);
  o->seats_known = bool_of(p, c, where, "seats_known");
  o->suspended = bool_of(p, c, where, "suspended");
  json_object *st = member(p, c, where, "status", json_type_string, 0);
  int status = st ? status_of(json_object_get_string(st)) : 0;
  if (status < 0 || status == ST_UPDATED)
    fail(p, "%s.status \"%.20s\" is not a planned outcome", where,
         json_object_get_string(st));
  o->status = (outcome_status)(status < 0 ? 0 : status);
  o->psa_company_id = str_dup(p, c, where, "psa_company_id", 1);
  o->agreement_id = str_dup(p, c, where, "agreement_id", 1);
  o->line_id = str_dup(p, c, where, "line_id", 1);
  o->product = str_dup(p, c, where, "product", 1);
  o->product_id = str_dup(p, c, where, "product_id", 1);
  o->period_start = str_dup(p, c, where, "period_start", 1);
  o->old_quantity = int_of(p, c, where, "old_quantity", &o->has_line, 0);
  o->new_quantity = int_of(p, c, where, "new_quantity", &o->has_target, 0);
  o->effective_date = str_dup(p, c, where, "effective_date", 1);
  o->approved_by = str_dup(p, c, where, "approved_by", 1);
  if (!o->lastpass_name && !p->failed && !(o->lastpass_name = strdup("")))
    fail(p, "out of memory");
  char rules_where[64];
  snprintf(rules_where, sizeof rules_where, "%s.rules", where);
  parse_findings(p, member(p, c, where, "rules", json_type_array, 0),
                 rules_where, &o->findings);
  json_object *ch = member(p, c, where, "change", json_type_object, 1);
  if (p->failed)
    return;
  if (has_change(o) != (ch != NULL)) {
    fail(p, "%s.change does not match its status and counts", where);
    return;
  }
  if (ch) {
    if (!o->line_id || !o->agreement_id || !o->psa_company_id) {
      fail(p, "%s.change names no line", where);
      return;
    }
    char cw[64];
    snprintf(cw, sizeof cw, "%s.change", where);
    check_change(p, ch, o, cw);
  }
}

static void parse_meta(parser *p, json_object *root) {
  plan_meta *m = &p->doc->meta;
  json_object *schema = member(p, root, "plan", "schema", json_type_string, 0);
  if (schema && strcmp(json_object_get_string(schema), PLAN_SCHEMA) != 0) {
    fail(p, "its schema is \"%.40s\", not \"" PLAN_SCHEMA "\"",
         json_object_get_string(schema));
    return;
  }
  str_fixed(p, root, "plan", "plan_id", m->id, sizeof m->id, 0);
  str_fixed(p, root, "plan", "created", m->created, sizeof m->created, 20);
  if (!p->failed) {
    int y, mo, d, h, mi, sec;
    char z = 0;
    if (sscanf(m->created, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi,
               &sec, &z) != 7 ||
        z != 'Z' || mo < 1 || mo > 12 || d < 1 ||
        d > civil_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60) {
      fail(p, "plan.created \"%s\" is not a UTC time", m->created);
    } else {
      m->created_epoch =
          days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    }
  }
  json_object *d = member(p, root, "plan", "driver", json_type_object, 0);
  if (d) {
    m->driver = str_dup(p, d, "driver", "section", 0);
    m->driver_name = str_dup(p, d, "driver", "name", 0);
    m->driver_version = str_dup(p, d, "driver", "version", 1);
    m->psa = str_dup(p, d, "driver", "psa", 1);
  }
  json_object *c =
      member(p, root, "plan", "configuration", json_type_object, 0);
  if (c) {
    m->config_path = str_dup(p, c, "configuration", "path", 1);
    str_fixed(p, c, "configuration", "sha256", m->config_digest,
              sizeof m->config_digest, 64);
  }
  json_object *mp = member(p, root, "plan", "mapping", json_type_object, 0);
  if (mp) {
    m->mapping_path = str_dup(p, mp, "mapping", "path", 1);
    str_fixed(p, mp, "mapping", "sha256", m->mapping_digest,
              sizeof m->mapping_digest, 64);
    m->mapping_rows = int_of(p, mp, "mapping", "rows", NULL, 0);
  }
  json_object *cy =
      member(p, root, "plan", "billing_cycle", json_type_object, 0);
  if (cy) {
    str_fixed(p, cy, "billing_cycle", "start", m->cycle_start,
              sizeof m->cycle_start, 10);
    str_fixed(p, cy, "billing_cycle", "end", m->cycle_end, sizeof m->cycle_end,
              10);
  }
  str_fixed(p, root, "plan", "as_of", m->as_of, sizeof m->as_of, 10);
  m->made_by_run = int_of(p, root, "plan", "made_by_run", NULL, 0);
  m->made_by = str_dup(p, root, "plan", "made_by", 1);
  member(p, root, "plan", "summary", json_type_object, 0);
  str_fixed(p, root, "plan", "tag", m->tag, sizeof m->tag, 64);
  if (!p->failed && (!is_hex(m->config_digest, 64) ||
                     !is_hex(m->mapping_digest, 64) || !is_hex(m->tag, 64)))
    fail(p, "its digests are not SHA-256 hex");
}

int plan_doc_parse(const char *text, size_t len, const char *name,
                   plan_doc *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  parser p = {name, err, errlen, 0, out};
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    snprintf(err, errlen, "cannot read %s: out of memory", name);
    return -1;
  }
  json_object *root = json_tokener_parse_ex(tok, text, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t used = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  while (root && used < len &&
         (text[used] == ' ' || text[used] == '\n' || text[used] == '\r' ||
          text[used] == '\t'))
    used++;
  if (!root || jerr != json_tokener_success || used != len) {
    fail(&p, "it is not one JSON document (%s)",
         root ? "text after the document" : json_tokener_error_desc(jerr));
  } else if (!json_object_is_type(root, json_type_object)) {
    fail(&p, "it is not a JSON object");
  } else {
    parse_meta(&p, root);
    json_object *list =
        member(&p, root, "plan", "companies", json_type_array, 0);
    for (size_t i = 0; list && !p.failed && i < json_object_array_length(list);
         i++)
      parse_company(&p, json_object_array_get_idx(list, i), i);
    if (!p.failed)
      parse_findings(&p,
                     member(&p, root, "plan", "findings", json_type_array, 0),
                     "findings", &out->res.findings);
  }
  json_object_put(root);
  if (!p.failed) {
    /* The id carries the content's digest: an edited file is not the plan
     * that was reviewed. */
    char hex[DIGEST_HEX_LEN], id[PLAN_ID_LEN];
    if (content_digest(&out->meta, &out->res, NULL, hex)) {
      fail(&p, "out of memory");
    } else {
      make_id(out->meta.created, hex, id);
      if (strcmp(id, out->meta.id) != 0) {
        snprintf(err, errlen,
                 "%s was changed after lpsa-host made it (its content no "
                 "longer matches its plan id %s), so it is not the plan that "
                 "was reviewed; make a new one with `lpsa-host plan`",
                 name, out->meta.id);
        p.failed = 1;
      }
    }
  }
  if (p.failed) {
    plan_doc_free(out);
    return -1;
  }
  return 0;
}

int plan_doc_verify(const plan_doc *p, const plan_key *key, const char *name,
                    char *err, size_t errlen) {
  json_object *doc = doc_json(&p->meta, &p->res, 1, NULL);
  const char *text =
      doc ? json_object_to_json_string_ext(
                doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
          : NULL;
  int ok = text && plan_key_verify(key, text, strlen(text), p->meta.tag);
  json_object_put(doc);
  if (ok)
    return 0;
  snprintf(err, errlen,
           "%s: this plan was not made by this lpsa, or was edited after it "
           "was made (its tag does not verify with the plan key in "
           "state_dir): make a new one with `lpsa-host plan`",
           name);
  return -1;
}

int plan_doc_load(const char *path, const plan_key *key, plan_doc *out,
                  char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot read the plan %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size > PLAN_MAX_BYTES) {
    snprintf(err, errlen,
             "the plan %s is not a regular file of at most 64 MiB; give the "
             "path `lpsa-host plan` printed",
             path);
    fclose(f);
    return -1;
  }
  size_t len = (size_t)st.st_size;
  char *buf = malloc(len + 1);
  if (!buf) {
    fclose(f);
    snprintf(err, errlen, "cannot read the plan %s: out of memory", path);
    return -1;
  }
  size_t got = fread(buf, 1, len, f);
  fclose(f);
  if (got != len) {
    free(buf);
    snprintf(err, errlen, "cannot read the plan %s: short read", path);
    return -1;
  }
  buf[len] = '\0';
  int rc = plan_doc_parse(buf, len, path, out, err, errlen);
  free(buf);
  if (rc == 0 && plan_doc_verify(out, key, path, err, errlen) != 0) {
    plan_doc_free(out);
    rc = -1;
  }
  return rc;
}
