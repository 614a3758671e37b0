/* SPDX-License-Identifier: MIT */
/*
 * jsonpsa.c — a complete lpsa driver whose "PSA" is one JSON file.
 *
 * Two jobs: it is the template a driver author copies (one C file, one
 * exported symbol written by LPSA_DRIVER_DEFINE, everything else static),
 * and it is the PSA the host's own tests sync against. The file looks like
 * this:
 *
 *   {"companies":[{"id":"c1","name":"Acme","active":true}],
 *    "agreements":[{"id":"a1","company_id":"c1","name":"Managed services",
 *                   "type":"Managed","active":true,"prorate":false,
 *                   "period_start":"2026-11-01","period_end":"2026-11-30"}],
 *    "products":[{"id":"p1","code":"LASTPASS-BUS","name":"LastPass Business"}],
 *    "lines":[{"id":"l1","agreement_id":"a1","product_id":"p1",
 *              "quantity":12,"cancelled":false}],
 *    "fail":{"set_quantity":["l7"],"snapshot":false},
 *    "writes":0}
 *
 * Semantics, as a real PSA driver would have them:
 *   - a configured product matches a product's code (ignoring case) or id;
 *   - inactive agreements and cancelled lines are not emitted;
 *   - "period":"missing" gives LPSA_PERIOD_MISSING, a period_start gives
 *     LPSA_PERIOD_CURRENT, otherwise LPSA_PERIOD_NONE;
 *   - set_quantity re-reads the file, checks the line, writes only when the
 *     value differs, replaces the file atomically and reads it back; every
 *     write increments "writes" and records the line's "effective_date";
 *   - "fail" makes the PSA misbehave on purpose, for tests: a snapshot that
 *     fails, lines whose update is refused (LPSA_ERR_REMOTE), accepted but
 *     not applied ("ignore_write") or changed by another writer too
 *     ("other_writer"); set_quantity reports what it read back (verified).
 *     Example: "fail":{"set_quantity":["l7"],"ignore_write":["l8"],
 *     "other_writer":["l9"],"snapshot":false}.
 * Config keys: file (required), write_delay_ms and after_write_delay_ms
 * (sleep before / after each write, so a test can kill the host in the
 * middle of an apply: before the PSA changed, or after it changed but before
 * the host heard of it).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lpsa/lpsa.h"

#define MAX_WRITE_DELAY_MS 600000L

/* The release, from CMake's project(VERSION) through lpsa_add_driver(). */
#ifndef LPSA_DRIVER_VERSION
#define LPSA_DRIVER_VERSION "1.0.0"
#endif

/* The instance: the SDK's opaque struct lpsa_driver_ctx, defined here, so
 * the host's lpsa_driver_ctx * is this driver's jp_ctx * without casts. */
typedef struct lpsa_driver_ctx jp_ctx;
struct lpsa_driver_ctx {
  const lpsa_host_api *api;
  lpsa_host *host;
  char *file;
  long write_delay_ms;
  long after_write_delay_ms;
};

/* ---- reading the file --------------------------------------------------- */

/* The whole file in a NUL-terminated buffer the caller frees, or NULL with
 * errno set. */
static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, used = 0;
  char *buf = malloc(cap);
  while (buf) {
    used += fread(buf + used, 1, cap - used - 1, f);
    if (used < cap - 1)
      break;
    char *grown = realloc(buf, cap * 2);
    if (!grown) {
      free(buf);
      buf = NULL;
      errno = ENOMEM;
      break;
    }
    buf = grown;
    cap *= 2;
  }
  int failed = buf && ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    errno = EIO;
    return NULL;
  }
  if (buf)
    buf[used] = '\0', *len = used;
  return buf;
}

static int is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Parse text[0..len) as one JSON object: the object, or NULL and why. */
static json_object *parse_object(const char *text, size_t len,
                                 const char **why) {
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    *why = "out of memory";
    return NULL;
  }
  json_object *doc = json_tokener_parse_ex(tok, text, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t end = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  while (doc && end < len && is_space(text[end]))
    end++;
  *why = jerr == json_tokener_continue  ? "the file ends too early"
         : jerr != json_tokener_success ? json_tokener_error_desc(jerr)
         : end != len                   ? "text after the object"
         : !json_object_is_type(doc, json_type_object) ? "not an object"
                                                       : NULL;
  if (*why) {
    json_object_put(doc);
    return NULL;
  }
  return doc;
}

/* Read and parse the file. The caller puts the document. */
static int load_doc(const jp_ctx *c, json_object **out, char *err,
                    size_t errlen) {
  size_t len = 0;
  char *text = read_all(c->file, &len);
  if (!text) {
    int e = errno;
    snprintf(err, errlen, "jsonpsa: cannot read %s: %s", c->file, strerror(e));
    return e == ENOMEM ? LPSA_ERR_NOMEM : LPSA_ERR_NETWORK;
  }
  const char *why = NULL;
  json_object *doc = parse_object(text, len, &why);
  free(text);
  if (!doc) {
    snprintf(err, errlen, "jsonpsa: %s is not a valid JSON object: %s", c->file,
             why);
    return LPSA_ERR_PROTOCOL;
  }
  *out = doc;
  return LPSA_OK;
}

/* A string member (numbers are accepted as ids and shown as text), or
 * NULL when absent or of another type. */
static const char *str_field(json_object *o, const char *key) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return NULL;
  if (json_object_is_type(v, json_type_string) ||
      json_object_is_type(v, json_type_int))
    return json_object_get_string(v);
  return NULL;
}

static int bool_field(json_object *o, const char *key, int dflt) {
  json_object *v;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return dflt;
  return json_object_get_boolean(v);
}

/* An array member; absent counts as empty (NULL with *ok = 1), another type
 * is an error (*ok = 0). */
static json_object *array_field(json_object *o, const char *key, int *ok) {
  json_object *v;
  *ok = 1;
  if (!json_object_object_get_ex(o, key, &v) || !v)
    return NULL;
  if (!json_object_is_type(v, json_type_array)) {
    *ok = 0;
    return NULL;
  }
  return v;
}

static size_t count(json_object *array) {
  return array ? json_object_array_length(array) : 0;
}

/* The records of `key`, or an error naming the file. */
static int records(const jp_ctx *c, json_object *doc, const char *key,
                   json_object **out, char *err, size_t errlen) {
  int ok;
  *out = array_field(doc, key, &ok);
  if (ok)
    return LPSA_OK;
  snprintf(err, errlen, "jsonpsa: \"%s\" in %s is not an array", key, c->file);
  return LPSA_ERR_PROTOCOL;
}

/* A line's quantity: a whole number >= 0. */
static int quantity_of(const jp_ctx *c, json_object *line, long long *q,
                       char *err, size_t errlen) {
  json_object *v;
  if (json_object_object_get_ex(line, "quantity", &v) && v &&
      json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0) {
    *q = json_object_get_int64(v);
    return LPSA_OK;
  }
  snprintf(err, errlen,
           "jsonpsa: line %s in %s has no quantity that is a whole number "
           ">= 0",
           str_field(line, "id") ? str_field(line, "id") : "(no id)", c->file);
  return LPSA_ERR_PROTOCOL;
}

/* ---- a set of ids (json-c objects are hash tables) ---------------------- */

static int set_add(json_object *set, const char *id, size_t value) {
  json_object *v = json_object_new_int64((int64_t)value);
  if (!v)
    return LPSA_ERR_NOMEM;
  if (json_object_object_add(set, id, v) != 0) {
    json_object_put(v);
    return LPSA_ERR_NOMEM;
  }
  return LPSA_OK;
}

static int set_get(json_object *set, const char *id, size_t *value) {
  json_object *v;
  if (!id || !json_object_object_get_ex(set, id, &v))
    return 0;
  if (value)
    *value = (size_t)json_object_get_int64(v);
  return 1;
}

/* ---- open / close ------------------------------------------------------- */

static int parse_delay(const lpsa_config_value *v, long *out, char *err,
                       size_t errlen) {
  char *end = NULL;
  errno = 0;
  long ms = strtol(v->value, &end, 10);
  if (errno || end == v->value || *end || ms < 0 || ms > MAX_WRITE_DELAY_MS) {
    snprintf(err, errlen,
             "jsonpsa: %s = %s (line %d) is not a number of "
             "milliseconds from 0 to %ld",
             v->key, v->value, v->line, MAX_WRITE_DELAY_MS);
    return LPSA_ERR_INVALID;
  }
  *out = ms;
  return LPSA_OK;
}

static int jp_open(const lpsa_host_api *api, lpsa_host *host,
                   const lpsa_config_value *config, size_t n_config,
                   lpsa_driver_ctx **out, char *err, size_t errlen) {
  if (!api || api->abi_major != LPSA_ABI_MAJOR) {
    snprintf(err, errlen, "jsonpsa: this host speaks another driver ABI");
    return LPSA_ERR_UNSUPPORTED;
  }
  const char *file = NULL;
  long delay = 0, after_delay = 0;
  for (size_t i = 0; i < n_config; i++) {
    if (strcmp(config[i].key, "file") == 0)
      file = config[i].value;
    else if (strcmp(config[i].key, "write_delay_ms") == 0) {
      int rc = parse_delay(&config[i], &delay, err, errlen);
      if (rc != LPSA_OK)
        return rc;
    } else if (strcmp(config[i].key, "after_write_delay_ms") == 0) {
      int rc = parse_delay(&config[i], &after_delay, err, errlen);
      if (rc != LPSA_OK)
        return rc;
    }
  }
  /* `file` is LPSA_KEY_REQUIRED: the host has refused a section without
   * it, with the file and line, so it is not checked again here. Opened
   * without it all the same, the driver fails on first use. */
  jp_ctx *c = calloc(1, sizeof *c);
  if (!c || !(c->file = strdup(file ? file : ""))) {
    free(c);
    snprintf(err, errlen, "jsonpsa: out of memory");
    return LPSA_ERR_NOMEM;
  }
  c->api = api;
  c->host = host;
  c->write_delay_ms = delay;
  c->after_write_delay_ms = after_delay;
  *out = c;
  return LPSA_OK;
}

static void jp_close(lpsa_driver_ctx *ctx) {
  jp_ctx *c = ctx;
  if (!c)
    return;
  free(c->file);
  free(c);
}

/* ---- snapshot ----------------------------------------------------------- */

/* What one snapshot has emitted so far, to filter what follows. */
typedef struct emitted {
  json_object *companies;  /* id -> 0 */
  json_object *agreements; /* id -> 0 */
  json_object *products;   /* PSA product id -> request product index */
} emitted;

static int builder_failed(const jp_ctx *c, int rc, const char *what,
                          const char *id, char *err, size_t errlen) {
  snprintf(err, errlen, "jsonpsa: the host refused %s %s from %s: %s", what,
           id ? id : "(no id)", c->file, c->api->status_str(rc));
  return rc;
}

/* Companies outside the request whose active agreements carry a line of a
 * mapped product: emitting them costs nothing here, and lets the host report
 * billing it does not manage (ORPHAN_BILLING). */
static int add_billing_companies(const jp_ctx *c, json_object *doc,
                                 const emitted *em, json_object *wanted,
                                 char *err, size_t errlen) {
  json_object *agreements, *lines;
  int rc = records(c, doc, "agreements", &agreements, err, errlen);
  if (rc == LPSA_OK)
    rc = records(c, doc, "lines", &lines, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < count(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    if (bool_field(l, "cancelled", 0) ||
        !set_get(em->products, str_field(l, "product_id"), NULL))
      continue;
    const char *ag = str_field(l, "agreement_id");
    for (size_t k = 0; rc == LPSA_OK && ag && k < count(agreements); k++) {
      json_object *a = json_object_array_get_idx(agreements, k);
      const char *id = str_field(a, "id"), *co = str_field(a, "company_id");
      if (id && co && strcmp(id, ag) == 0 && bool_field(a, "active", 1) &&
          !set_get(wanted, co, NULL))
        rc = set_add(wanted, co, 0);
    }
  }
  return rc;
}

static int emit_companies(const jp_ctx *c, json_object *doc,
                          const lpsa_snapshot_request *req, lpsa_snapshot *snap,
                          emitted *em, char *err, size_t errlen) {
  json_object *wanted = json_object_new_object(), *list;
  if (!wanted)
    return LPSA_ERR_NOMEM;
  int rc = records(c, doc, "companies", &list, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < req->n_company_ids; i++)
    rc = set_add(wanted, req->company_ids[i], i);
  if (rc == LPSA_OK && !(req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY))
    rc = add_billing_companies(c, doc, em, wanted, err, errlen);
  int all = (req->flags & LPSA_SNAPSHOT_ALL_COMPANIES) != 0;
  for (size_t i = 0; rc == LPSA_OK && i < count(list); i++) {
    json_object *o = json_object_array_get_idx(list, i);
    const char *id = str_field(o, "id");
    if (!id || !(all || set_get(wanted, id, NULL)))
      continue;
    lpsa_company co = LPSA_INIT(lpsa_company);
    co.id = id;
    co.name = str_field(o, "name");
    co.active = bool_field(o, "active", 1);
    rc = c->api->add_company(snap, &co);
    if (rc != LPSA_OK)
      rc = builder_failed(c, rc, "company", id, err, errlen);
    else
      rc = set_add(em->companies, id, 0);
  }
  json_object_put(wanted);
  return rc;
}

/* A product matches a configured ref by code (ignoring case) or by id. */
static json_object *find_product(json_object *list, const char *ref) {
  for (size_t i = 0; i < count(list); i++) {
    json_object *p = json_object_array_get_idx(list, i);
    const char *code = str_field(p, "code"), *id = str_field(p, "id");
    if ((code && strcasecmp(code, ref) == 0) || (id && strcmp(id, ref) == 0))
      return p;
  }
  return NULL;
}

static int resolve_products(const jp_ctx *c, json_object *doc,
                            const lpsa_snapshot_request *req,
                            lpsa_snapshot *snap, emitted *em, char *err,
                            size_t errlen) {
  json_object *list;
  int rc = records(c, doc, "products", &list, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < req->n_products; i++) {
    json_object *p = find_product(list, req->products[i].ref);
    const char *id = p ? str_field(p, "id") : NULL;
    if (!id)
      continue;
    rc = c->api->product_found(snap, i, id, str_field(p, "name"));
    if (rc != LPSA_OK)
      rc = builder_failed(c, rc, "product", id, err, errlen);
    else if (!set_get(em->products, id, NULL)) /* first SKU keeps it */
      rc = set_add(em->products, id, i);
  }
  return rc;
}

static void fill_period(json_object *o, lpsa_agreement *a) {
  const char *period = str_field(o, "period");
  a->period_start = str_field(o, "period_start");
  a->period_end = str_field(o, "period_end");
  if (period && strcmp(period, "missing") == 0) {
    a->period = LPSA_PERIOD_MISSING;
    a->period_start = a->period_end = NULL;
  } else if (a->period_start) {
    a->period = LPSA_PERIOD_CURRENT;
  } else {
    a->period = LPSA_PERIOD_NONE;
    a->period_end = NULL;
  }
}

static int emit_agreements(const jp_ctx *c, json_object *doc,
                           lpsa_snapshot *snap, emitted *em, char *err,
                           size_t errlen) {
  json_object *list;
  int rc = records(c, doc, "agreements", &list, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < count(list); i++) {
    json_object *o = json_object_array_get_idx(list, i);
    lpsa_agreement a = LPSA_INIT(lpsa_agreement);
    a.id = str_field(o, "id");
    a.company_id = str_field(o, "company_id");
    if (!a.id || !set_get(em->companies, a.company_id, NULL) ||
        !bool_field(o, "active", 1))
      continue;
    a.name = str_field(o, "name");
    a.type = str_field(o, "type");
    a.prorate = bool_field(o, "prorate", 0);
    a.note = str_field(o, "note");
    fill_period(o, &a);
    rc = c->api->add_agreement(snap, &a);
    if (rc != LPSA_OK)
      rc = builder_failed(c, rc, "agreement", a.id, err, errlen);
    else
      rc = set_add(em->agreements, a.id, 0);
  }
  return rc;
}

static int emit_lines(const jp_ctx *c, json_object *doc, lpsa_snapshot *snap,
                      emitted *em, char *err, size_t errlen) {
  json_object *list;
  int rc = records(c, doc, "lines", &list, err, errlen);
  for (size_t i = 0; rc == LPSA_OK && i < count(list); i++) {
    json_object *o = json_object_array_get_idx(list, i);
    lpsa_line l = LPSA_INIT(lpsa_line);
    l.id = str_field(o, "id");
    l.agreement_id = str_field(o, "agreement_id");
    if (!l.id || bool_field(o, "cancelled", 0) ||
        !set_get(em->agreements, l.agreement_id, NULL) ||
        !set_get(em->products, str_field(o, "product_id"), &l.product))
      continue;
    rc = quantity_of(c, o, &l.quantity, err, errlen);
    if (rc != LPSA_OK)
      break;
    l.description = str_field(o, "description");
    rc = c->api->add_line(snap, &l);
    if (rc != LPSA_OK)
      rc = builder_failed(c, rc, "line", l.id, err, errlen);
  }
  return rc;
}

static int snapshot_failure_requested(const jp_ctx *c, json_object *doc,
                                      char *err, size_t errlen) {
  json_object *fail;
  if (!json_object_object_get_ex(doc, "fail", &fail) || !fail ||
      !bool_field(fail, "snapshot", 0))
    return LPSA_OK;
  snprintf(err, errlen,
           "jsonpsa: %s refuses to be read (fail.snapshot is true)", c->file);
  return LPSA_ERR_REMOTE;
}

static int jp_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *req,
                       lpsa_snapshot *snap, char *err, size_t errlen) {
  jp_ctx *c = ctx;
  if (!req || !snap) {
    snprintf(err, errlen, "jsonpsa: snapshot needs a request and a snapshot");
    return LPSA_ERR_INVALID;
  }
  json_object *doc = NULL;
  int rc = load_doc(c, &doc, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  emitted em = {json_object_new_object(), json_object_new_object(),
                json_object_new_object()};
  if (!em.companies || !em.agreements || !em.products)
    rc = LPSA_ERR_NOMEM;
  if (rc == LPSA_OK)
    rc = snapshot_failure_requested(c, doc, err, errlen);
  /* Products first: they decide which unrequested companies bill them. */
  int companies_only = (req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY) != 0;
  if (rc == LPSA_OK && !companies_only)
    rc = resolve_products(c, doc, req, snap, &em, err, errlen);
  if (rc == LPSA_OK)
    rc = emit_companies(c, doc, req, snap, &em, err, errlen);
  if (rc == LPSA_OK && !companies_only) {
    rc = emit_agreements(c, doc, snap, &em, err, errlen);
    if (rc == LPSA_OK)
      rc = emit_lines(c, doc, snap, &em, err, errlen);
  }
  if (rc == LPSA_ERR_NOMEM)
    snprintf(err, errlen, "jsonpsa: out of memory");
  json_object_put(em.companies);
  json_object_put(em.agreements);
  json_object_put(em.products);
  json_object_put(doc);
  return rc;
}

/* ---- set_quantity ------------------------------------------------------- */

static json_object *find_line(json_object *doc, const char *id) {
  int ok;
  json_object *list = array_field(doc, "lines", &ok);
  for (size_t i = 0; id && i < count(list); i++) {
    json_object *o = json_object_array_get_idx(list, i);
    const char *lid = str_field(o, "id");
    if (lid && strcmp(lid, id) == 0)
      return o;
  }
  return NULL;
}

/* LPSA_OK when the line is still the one the snapshot described. */
static int check_line(const jp_ctx *c, json_object *line,
                      const lpsa_line_ref *ref, char *err, size_t errlen) {
  const char *agreement = line ? str_field(line, "agreement_id") : NULL;
  const char *product = line ? str_field(line, "product_id") : NULL;
  if (!line || bool_field(line, "cancelled", 0)) {
    snprintf(err, errlen, "jsonpsa: line %s no longer exists in %s%s",
             ref->line_id, c->file, line ? " (cancelled)" : "");
    return LPSA_ERR_CONFLICT;
  }
  if (ref->agreement_id &&
      (!agreement || strcmp(agreement, ref->agreement_id) != 0)) {
    snprintf(err, errlen, "jsonpsa: line %s is no longer on agreement %s in %s",
             ref->line_id, ref->agreement_id, c->file);
    return LPSA_ERR_CONFLICT;
  }
  if (ref->product_id && (!product || strcmp(product, ref->product_id) != 0)) {
    snprintf(
        err, errlen, "jsonpsa: line %s now carries product %s, not %s, in %s",
        ref->line_id, product ? product : "(none)", ref->product_id, c->file);
    return LPSA_ERR_CONFLICT;
  }
  return LPSA_OK;
}

/* 1 when line `id` is listed in the document's fail.<key>. */
static int fail_listed(json_object *doc, const char *key, const char *id) {
  json_object *fail;
  int ok;
  if (!json_object_object_get_ex(doc, "fail", &fail) || !fail)
    return 0;
  json_object *ids = array_field(fail, key, &ok);
  for (size_t i = 0; i < count(ids); i++) {
    const char *s = json_object_get_string(json_object_array_get_idx(ids, i));
    if (s && strcmp(s, id) == 0)
      return 1;
  }
  return 0;
}

static int write_refused(const jp_ctx *c, json_object *doc, const char *id,
                         char *err, size_t errlen) {
  if (!fail_listed(doc, "set_quantity", id))
    return LPSA_OK;
  snprintf(err, errlen,
           "jsonpsa: %s refused the update of line %s "
           "(listed in fail.set_quantity)",
           c->file, id);
  return LPSA_ERR_REMOTE;
}

/* What the file holds after a write of `target` (fail.ignore_write: the
 * write is accepted but nothing changes; fail.other_writer: another writer
 * changes the line too, so it ends at neither value). */
static long long written_value(json_object *doc, const char *id,
                               long long before, long long target) {
  if (fail_listed(doc, "ignore_write", id))
    return before;
  if (fail_listed(doc, "other_writer", id))
    return target + 1 == before ? target + 2 : target + 1;
  return target;
}

/* ABI 1.1: `after` was read back after the write; a 1.0 host's result has
 * no room for the flag (LPSA_HAS_FIELD reads the result's size). */
static void mark_verified(lpsa_set_result *out) {
  if (LPSA_HAS_FIELD(out, verified))
    out->verified = 1;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static int write_fd_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/* Make the rename itself durable. */
static void sync_dir_of(const char *path) {
  char *dir = strdup(path);
  if (!dir)
    return;
  char *slash = strrchr(dir, '/');
  if (slash)
    *(slash == dir ? slash + 1 : slash) = '\0';
  int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  free(dir);
}

/* Replace the file by write-to-temporary, fsync, rename: a reader (or a
 * crash) sees the old file or the new one, never half of one. */
static int write_doc(const jp_ctx *c, json_object *doc, char *err,
                     size_t errlen) {
  const char *text = json_object_to_json_string_ext(
      doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
  size_t tlen = strlen(c->file) + 16;
  char *tmp = text ? malloc(tlen) : NULL;
  if (!tmp) {
    snprintf(err, errlen, "jsonpsa: out of memory");
    return LPSA_ERR_NOMEM;
  }
  snprintf(tmp, tlen, "%s.tmp.XXXXXX", c->file);
  int fd = mkstemp(tmp);
  int ok = fd >= 0;
  struct stat st;
  if (ok && stat(c->file, &st) == 0)
    fchmod(fd, st.st_mode & 07777);
  ok = ok && write_fd_all(fd, text, strlen(text)) == 0 &&
       write_fd_all(fd, "\n", 1) == 0 && fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0 && close(fd) != 0 && ok)
    ok = 0, saved = errno;
  if (ok && rename(tmp, c->file) != 0)
    ok = 0, saved = errno;
  if (!ok && fd >= 0)
    unlink(tmp);
  free(tmp);
  if (!ok) {
    snprintf(err, errlen, "jsonpsa: cannot write %s: %s", c->file,
             strerror(saved));
    return LPSA_ERR_REMOTE;
  }
  sync_dir_of(c->file);
  return LPSA_OK;
}

static int put(json_object *o, const char *key, json_object *v) {
  if (!v || json_object_object_add(o, key, v) != 0) {
    json_object_put(v);
    return LPSA_ERR_NOMEM;
  }
  return LPSA_OK;
}

/* Change the document in memory: the quantity, the effective date and the
 * write counter. */
static int apply_change(json_object *doc, json_object *line,
                        const lpsa_line_ref *ref, long long target) {
  json_object *w;
  int64_t writes = json_object_object_get_ex(doc, "writes", &w) && w
                       ? json_object_get_int64(w)
                       : 0;
  const char *effective = ref->period_start ? ref->period_start : ref->as_of;
  int rc = put(line, "quantity", json_object_new_int64(target));
  if (rc == LPSA_OK && effective)
    rc = put(line, "effective_date", json_object_new_string(effective));
  if (rc == LPSA_OK)
    rc = put(doc, "writes", json_object_new_int64(writes + 1));
  return rc;
}

/* Read the line back from the file just written. */
static int read_back(const jp_ctx *c, const lpsa_line_ref *ref,
                     long long target, lpsa_set_result *out, char *err,
                     size_t errlen) {
  long long *after = &out->after;
  json_object *doc = NULL;
  int rc = load_doc(c, &doc, err, errlen);
  json_object *line = rc == LPSA_OK ? find_line(doc, ref->line_id) : NULL;
  if (rc == LPSA_OK && !line) {
    snprintf(err, errlen, "jsonpsa: line %s vanished from %s after writing",
             ref->line_id, c->file);
    rc = LPSA_ERR_PROTOCOL;
  }
  if (rc == LPSA_OK)
    rc = quantity_of(c, line, after, err, errlen);
  if (rc == LPSA_OK)
    mark_verified(out);
  if (rc == LPSA_OK && *after != target) {
    snprintf(err, errlen, "jsonpsa: wrote %lld to line %s but read back %lld",
             target, ref->line_id, *after);
    rc = LPSA_ERR_PROTOCOL;
  }
  json_object_put(doc);
  return rc;
}

static int jp_set_quantity(lpsa_driver_ctx *ctx, const lpsa_line_ref *ref,
                           long long target, lpsa_set_result *out, char *err,
                           size_t errlen) {
  jp_ctx *c = ctx;
  out->wrote = 0;
  if (!ref || !ref->line_id || target < 0) {
    snprintf(err, errlen,
             "jsonpsa: set_quantity needs a line and a target "
             ">= 0");
    return LPSA_ERR_INVALID;
  }
  json_object *doc = NULL;
  int rc = load_doc(c, &doc, err, errlen);
  json_object *line = rc == LPSA_OK ? find_line(doc, ref->line_id) : NULL;
  if (rc == LPSA_OK)
    rc = check_line(c, line, ref, err, errlen);
  if (rc == LPSA_OK)
    rc = quantity_of(c, line, &out->before, err, errlen);
  if (rc == LPSA_OK && out->before == target) {
    out->after = out->before; /* already right: write nothing */
    json_object_put(doc);
    return LPSA_OK;
  }
  if (rc == LPSA_OK)
    rc = write_refused(c, doc, ref->line_id, err, errlen);
  if (rc == LPSA_OK && c->write_delay_ms)
    sleep_ms(c->write_delay_ms);
  if (rc == LPSA_OK &&
      (rc = apply_change(
           doc, line, ref,
           written_value(doc, ref->line_id, out->before, target))) != LPSA_OK)
    snprintf(err, errlen, "jsonpsa: out of memory");
  if (rc == LPSA_OK)
    rc = write_doc(c, doc, err, errlen);
  json_object_put(doc);
  if (rc != LPSA_OK)
    return rc;
  out->wrote = 1;
  if (c->after_write_delay_ms)
    sleep_ms(c->after_write_delay_ms);
  c->api->log(c->host, LPSA_LOG_DEBUG, "jsonpsa: line %s: %lld -> %lld",
              ref->line_id, out->before, target);
  return read_back(c, ref, target, out, err, errlen);
}

/* ---- check -------------------------------------------------------------- */

static int writable_here(const char *file) {
  char *dir = strdup(file);
  if (!dir)
    return 0;
  char *slash = strrchr(dir, '/');
  if (slash)
    *(slash == dir ? slash + 1 : slash) = '\0';
  int ok = access(file, W_OK) == 0 && access(slash ? dir : ".", W_OK) == 0;
  free(dir);
  return ok;
}

static int jp_check(lpsa_driver_ctx *ctx, char *err, size_t errlen) {
  jp_ctx *c = ctx;
  char what[512];
  json_object *doc = NULL;
  int rc = load_doc(c, &doc, err, errlen);
  json_object_put(doc);
  snprintf(what, sizeof what, "read %s as JSON", c->file);
  c->api->check_item(c->host, what, rc == LPSA_OK, rc == LPSA_OK ? NULL : err);
  if (rc != LPSA_OK)
    return rc;
  snprintf(what, sizeof what, "write %s (atomically, through its directory)",
           c->file);
  if (writable_here(c->file)) {
    c->api->check_item(c->host, what, 1, NULL);
    return LPSA_OK;
  }
  snprintf(err, errlen,
           "jsonpsa: %s or its directory is not writable by this user: "
           "grant write access to both",
           c->file);
  c->api->check_item(c->host, what, 0, err);
  return LPSA_ERR_PERMISSION;
}

/* ---- the descriptor: the only thing this file exports ------------------- */

static const lpsa_terms terms = {"JSON PSA", "company", "agreement", "line",
                                 "product"};

static const lpsa_config_key keys[] = {
    {"file", LPSA_KEY_REQUIRED, "the JSON file holding the PSA"},
    {"write_delay_ms", 0,
     "milliseconds to wait before each write (tests of interrupted runs)"},
    {"after_write_delay_ms", 0,
     "milliseconds to wait after each write, before answering the host"},
    {NULL, 0, NULL}};

/* The descriptor and the exported lpsa_driver_entry(): magic, ABI numbers
 * and struct_size come from the SDK headers this file is compiled with. A
 * PSA that carries credentials in headers of its own names them in
 * .sensitive_headers (a NULL-terminated list), and the host hides their
 * values everywhere; this one talks no HTTP. */
LPSA_DRIVER_DEFINE(.name = "jsonpsa", .version = LPSA_DRIVER_VERSION,
                   .description =
                       "A PSA kept in one JSON file (template and test driver)",
                   .terms = &terms, .config_keys = keys, .open = jp_open,
                   .close = jp_close, .snapshot = jp_snapshot,
                   .set_quantity = jp_set_quantity, .check = jp_check);
