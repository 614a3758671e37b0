/* SPDX-License-Identifier: MIT */
/*
 * records.c — normalising one fixture record (or PUT body) of each type into
 * its full wire form: types checked, defaults filled, references resolved,
 * derived fields computed (see dataset.h for the rules, records.h for the
 * calls).
 *
 * Each record is rebuilt field by field in the order the reference lists, so
 * answers look alike whatever the fixture author wrote first; the normaliser
 * (`nz`) carries the input record, the output record and the first error.
 */
#include "records.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "textcmp.h"

#define DEFAULT_START "2025-01-01T00:00:00Z"
#define DEFAULT_NEXT_INVOICE "2026-12-01T00:00:00Z"
#define DEFAULT_UPDATED "2026-01-15T10:00:00Z"
#define DEFAULT_MEMBER "lpsademo"

typedef struct nz {
  json_object *in, *out;
  char where[96]; /* "agreements[3] (id 5001)" */
  char *err;
  size_t errlen;
  int failed;
  int nomem;
} nz;

/* ---- small helpers ----------------------------------------------------- */

static void nz_fail(nz *z, const char *fmt, ...) {
  if (z->failed)
    return;
  z->failed = 1;
  char what[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  snprintf(z->err, z->errlen, "%s: %s", z->where, what);
}

static void nz_nomem(nz *z) {
  if (!z->failed)
    snprintf(z->err, z->errlen, "out of memory");
  z->failed = z->nomem = 1;
}

json_object *cw_json_number(double v) {
  if (fabs(v) < 1e15 && v == floor(v))
    return json_object_new_int64((int64_t)v);
  char text[40];
  snprintf(text, sizeof(text), "%.15g", v);
  return json_object_new_double_s(v, text);
}

/* Adds `v` (a new reference, NULL for null) to the output record. Returns
 * `v` when it was stored, NULL when it was dropped (after an earlier error,
 * or out of memory). */
static json_object *put(nz *z, const char *key, json_object *v, int is_null) {
  if (z->failed) {
    json_object_put(v);
    return NULL;
  }
  if ((!v && !is_null) || json_object_object_add(z->out, key, v)) {
    json_object_put(v);
    nz_nomem(z);
    return NULL;
  }
  return v;
}

/* The input member `key`: *present tells absent from null. */
static json_object *in(nz *z, const char *key, int *present) {
  json_object *v = NULL;
  *present = json_object_object_get_ex(z->in, key, &v);
  return v;
}

static int is_number(json_object *v) {
  return json_object_is_type(v, json_type_int) ||
         json_object_is_type(v, json_type_double);
}

static long req_int(nz *z, const char *key) {
  int present;
  json_object *v = in(z, key, &present);
  if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 1) {
    nz_fail(z, "%s must be a positive whole number", key);
    return 0;
  }
  long id = (long)json_object_get_int64(v);
  put(z, key, json_object_new_int64(id), 0);
  return id;
}

static double opt_num(nz *z, const char *key, double dflt) {
  int present;
  json_object *v = in(z, key, &present);
  if (v && !is_number(v)) {
    nz_fail(z, "%s must be a number", key);
    return 0;
  }
  double d = v ? json_object_get_double(v) : dflt;
  put(z, key, cw_json_number(d), 0);
  return d;
}

/* A number that may be null on the wire (ConnectWise's schema lets an
 * addition's quantity be null): absent takes `dflt`, null stays null. */
static void opt_nullable_num(nz *z, const char *key, double dflt) {
  int present;
  json_object *v = in(z, key, &present);
  if (v && !is_number(v)) {
    nz_fail(z, "%s must be a number or null", key);
    return;
  }
  if (present && !v) {
    put(z, key, NULL, 1);
    return;
  }
  put(z, key, cw_json_number(v ? json_object_get_double(v) : dflt), 0);
}

static int opt_bool(nz *z, const char *key, int dflt) {
  int present;
  json_object *v = in(z, key, &present);
  if (v && !json_object_is_type(v, json_type_boolean)) {
    nz_fail(z, "%s must be true or false", key);
    return 0;
  }
  int b = v ? json_object_get_boolean(v) : dflt;
  put(z, key, json_object_new_boolean(b), 0);
  return b;
}

/* Number of UTF-8 code points in s. */
static size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* A string member (dflt NULL: null); max 0 = no length limit. Returns the
 * stored text (owned by the output record) or NULL. */
static const char *opt_str(nz *z, const char *key, const char *dflt,
                           size_t max) {
  int present;
  json_object *v = in(z, key, &present);
  if (v && !json_object_is_type(v, json_type_string)) {
    nz_fail(z, "%s must be a string", key);
    return NULL;
  }
  const char *s = v ? json_object_get_string(v) : present ? NULL : dflt;
  if (s && max && utf8_len(s) > max) {
    nz_fail(z, "%s is longer than %zu characters", key, max);
    return NULL;
  }
  json_object *o = put(z, key, s ? json_object_new_string(s) : NULL, !s);
  return o ? json_object_get_string(o) : NULL;
}

/* A date member in canonical form (dflt NULL: null). */
static const char *opt_date(nz *z, const char *key, const char *dflt) {
  int present;
  json_object *v = in(z, key, &present);
  char canon[CW_DATE_LEN];
  if (v && (!json_object_is_type(v, json_type_string) ||
            cw_date_parse(json_object_get_string(v), canon))) {
    nz_fail(z, "%s must be a date such as 2026-11-01T00:00:00Z", key);
    return NULL;
  }
  const char *s = v ? canon : present ? NULL : dflt;
  json_object *o = put(z, key, s ? json_object_new_string(s) : NULL, !s);
  return o ? json_object_get_string(o) : NULL;
}

/* One of a fixed set of words (case-insensitive in, canonical out). */
static const char *opt_enum(nz *z, const char *key, const char *const *words,
                            const char *dflt) {
  int present;
  json_object *v = in(z, key, &present);
  const char *s = dflt;
  if (v) {
    s = NULL;
    for (size_t i = 0; words[i] && json_object_is_type(v, json_type_string);
         i++)
      if (strcasecmp(json_object_get_string(v), words[i]) == 0)
        s = words[i];
    if (!s) {
      char list[160] = "";
      for (size_t i = 0; words[i]; i++)
        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                 i ? ", " : "", words[i]);
      nz_fail(z, "%s must be one of %s", key, list);
      return NULL;
    }
  }
  put(z, key, json_object_new_string(s), 0);
  return s;
}

/* A reference object {id, name}, defaulted when absent. */
static void opt_ref(nz *z, const char *key, long dflt_id,
                    const char *dflt_name) {
  int present;
  json_object *v = in(z, key, &present), *id = NULL, *name = NULL;
  if (v && (!json_object_is_type(v, json_type_object) ||
            (json_object_object_get_ex(v, "id", &id) &&
             !json_object_is_type(id, json_type_int)) ||
            (json_object_object_get_ex(v, "name", &name) &&
             !json_object_is_type(name, json_type_string)))) {
    nz_fail(z, "%s must be an object {\"id\":N,\"name\":\"...\"}", key);
    return;
  }
  json_object *o = json_object_new_object();
  if (!o) {
    nz_nomem(z);
    return;
  }
  put(z, key, o, 0);
  if (z->failed)
    return;
  if (json_object_object_add(
          o, "id",
          json_object_new_int64(id ? json_object_get_int64(id) : dflt_id)) ||
      json_object_object_add(
          o, "name",
          json_object_new_string(name ? json_object_get_string(name)
                                      : dflt_name)))
    nz_nomem(z);
}

/* _info: kept when given (an object), else a plausible default. */
static void opt_info(nz *z) {
  int present;
  json_object *v = in(z, "_info", &present), *o = NULL;
  if (v && !json_object_is_type(v, json_type_object)) {
    nz_fail(z, "_info must be an object");
    return;
  }
  if (v) {
    if (json_object_deep_copy(v, &o, NULL))
      o = NULL;
  } else if ((o = json_object_new_object())) {
    if (json_object_object_add(o, "lastUpdated",
                               json_object_new_string(DEFAULT_UPDATED)) ||
        json_object_object_add(o, "updatedBy",
                               json_object_new_string(DEFAULT_MEMBER)) ||
        json_object_object_add(o, "dateEntered",
                               json_object_new_string(DEFAULT_START)) ||
        json_object_object_add(o, "enteredBy",
                               json_object_new_string(DEFAULT_MEMBER))) {
      json_object_put(o);
      o = NULL;
    }
  }
  put(z, "_info", o, 0);
}

/* Copies input members the normaliser did not produce (extra wire fields). */
static void keep_extras(nz *z) {
  json_object_object_foreach(z->in, k, v) {
    json_object *copy = NULL;
    if (z->failed || json_object_object_get_ex(z->out, k, NULL))
      continue;
    if (v && json_object_deep_copy(v, &copy, NULL)) {
      nz_nomem(z);
      return;
    }
    put(z, k, copy, v == NULL);
  }
}

static long rec_id(json_object *rec) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, "id", &v);
  return (long)json_object_get_int64(v);
}

static const char *rec_str(json_object *rec, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, key, &v);
  return v ? json_object_get_string(v) : NULL;
}

static double rec_num(json_object *rec, const char *key) {
  json_object *v = NULL;
  json_object_object_get_ex(rec, key, &v);
  return json_object_get_double(v);
}

/* ---- one normaliser per record type ------------------------------------ */

static const char *const PRODUCT_CLASSES[] = {
    "Agreement", "Bundle", "Inventory", "NonInventory", "Service", NULL};
static const char *const AGREEMENT_STATUSES[] = {"Active", "Cancelled",
                                                 "Expired", "Inactive", NULL};
static const char *const BILL_CUSTOMER[] = {"Billable", "DoNotBill", "NoCharge",
                                            NULL};
static const char *const PERIOD_TYPES[] = {"Current", "Future", "Both",
                                           "Undefined", NULL};

static void norm_catalog(nz *z, cw_nameset *seen) {
  req_int(z, "id");
  const char *ident = opt_str(z, "identifier", NULL, 60);
  if (!z->failed && (!ident || !*ident))
    nz_fail(z, "identifier is required");
  opt_str(z, "description", ident ? ident : "", 60);
  opt_bool(z, "inactiveFlag", 0);
  opt_enum(z, "productClass", PRODUCT_CLASSES, "NonInventory");
  opt_num(z, "price", 0);
  opt_num(z, "cost", 0);
  opt_bool(z, "recurringFlag", 0);
  opt_info(z);
  if (z->failed || !ident)
    return;
  if (cw_nameset_has(seen, ident))
    nz_fail(z, "identifier %s is used by another catalog item", ident);
  else if (cw_nameset_add(seen, ident))
    nz_nomem(z);
}

/* The identifier ConnectWise users derive from a name: letters and digits
 * only, at most 30 characters. */
static void derive_identifier(const char *name, char *out, size_t cap) {
  size_t n = 0;
  for (; *name && n + 1 < cap && n < 30; name++)
    if (isalnum((unsigned char)*name))
      out[n++] = *name;
  out[n] = '\0';
  if (n == 0)
    snprintf(out, cap, "Company");
}

/* A derived identifier made unique by a numeric suffix (still <= 30). */
static int unique_identifier(cw_nameset *seen, const char *name, char *out,
                             size_t cap) {
  char base[40];
  derive_identifier(name, base, sizeof(base));
  snprintf(out, cap, "%s", base);
  for (int i = 2; cw_nameset_has(seen, out); i++) {
    char suffix[16];
    int sl = snprintf(suffix, sizeof(suffix), "%d", i);
    snprintf(out, cap, "%.*s%s", 30 - sl, base, suffix);
  }
  return cw_nameset_add(seen, out);
}

/* The status named by id or by name in d->statuses. */
static json_object *find_status(const cw_dataset *d, json_object *id,
                                json_object *name) {
  for (size_t i = 0; i < json_object_array_length(d->statuses); i++) {
    json_object *st = json_object_array_get_idx(d->statuses, i);
    if (id ? rec_id(st) == json_object_get_int64(id)
           : cw_text_cmp(rec_str(st, "name"), json_object_get_string(name)) ==
                 0)
      return st;
  }
  return NULL;
}

/* status {id, name}: a reference to d->statuses, by id or by name; absent:
 * the default status. An id that is not in the list is kept (a status
 * deleted since, which a driver must not read as active), with the name
 * given or "Unknown". */
static void company_status(nz *z, const cw_dataset *d) {
  int present;
  json_object *v = in(z, "status", &present), *id = NULL, *name = NULL;
  if (v && (!json_object_is_type(v, json_type_object) ||
            (json_object_object_get_ex(v, "id", &id) &&
             !json_object_is_type(id, json_type_int)) ||
            (json_object_object_get_ex(v, "name", &name) &&
             !json_object_is_type(name, json_type_string)) ||
            (!id && !name))) {
    nz_fail(z, "status must be an object {\"id\":N} or {\"name\":\"...\"}");
    return;
  }
  json_object *st = NULL;
  if (v)
    st = find_status(d, id, name);
  for (size_t i = 0; !v && i < json_object_array_length(d->statuses); i++) {
    json_object *f = NULL, *cand = json_object_array_get_idx(d->statuses, i);
    if (json_object_object_get_ex(cand, "defaultFlag", &f) &&
        json_object_get_boolean(f))
      st = cand;
  }
  if (!st && (!v || !id)) {
    nz_fail(z, "status %s is not one of the statuses",
            name ? json_object_get_string(name) : "(default)");
    return;
  }
  json_object *o = json_object_new_object();
  put(z, "status", o, 0);
  if (!z->failed &&
      (json_object_object_add(
           o, "id",
           json_object_new_int64(st ? rec_id(st)
                                    : json_object_get_int64(id))) ||
       json_object_object_add(
           o, "name",
           json_object_new_string(st     ? rec_str(st, "name")
                                  : name ? json_object_get_string(name)
                                         : "Unknown"))))
    nz_nomem(z);
}

static void norm_status(nz *z, cw_nameset *seen) {
  req_int(z, "id");
  const char *name = opt_str(z, "name", NULL, 50);
  if (!z->failed && (!name || !*name))
    nz_fail(z, "name is required");
  opt_bool(z, "defaultFlag", 0);
  opt_bool(z, "inactiveFlag", 0);
  opt_bool(z, "notifyFlag", 0);
  opt_bool(z, "disallowSavingFlag", 0);
  opt_str(z, "notificationMessage", NULL, 0);
  opt_bool(z, "customNoteFlag", 0);
  opt_bool(z, "cancelOpenTracksFlag", 0);
  opt_info(z);
  if (z->failed)
    return;
  if (cw_nameset_has(seen, name))
    nz_fail(z, "status name %s is used by another status", name);
  else if (cw_nameset_add(seen, name))
    nz_nomem(z);
}

static void norm_company(nz *z, const cw_dataset *d, cw_nameset *seen) {
  req_int(z, "id");
  int present;
  json_object *ident = in(z, "identifier", &present);
  const char *name = opt_str(z, "name", NULL, 50);
  if (!z->failed && (!name || !*name))
    nz_fail(z, "name is required");
  if (z->failed)
    return;
  if (ident) {
    const char *s = opt_str(z, "identifier", NULL, 30);
    if (!z->failed && (!s || !*s))
      nz_fail(z, "identifier must not be empty");
    else if (!z->failed && cw_nameset_has(seen, s))
      nz_fail(z, "identifier %s is used by another company", s);
    else if (!z->failed && cw_nameset_add(seen, s))
      nz_nomem(z);
  } else {
    char derived[40];
    if (unique_identifier(seen, name, derived, sizeof(derived)))
      nz_nomem(z);
    put(z, "identifier", json_object_new_string(derived), 0);
  }
  company_status(z, d);
  int has_types;
  json_object *types = in(z, "types", &has_types), *copy = NULL;
  if (types && !json_object_is_type(types, json_type_array))
    nz_fail(z, "types must be an array");
  else if (types ? json_object_deep_copy(types, &copy, NULL) != 0
                 : !(copy = json_tokener_parse(
                         "[{\"id\":1,\"name\":\"Client\"}]")))
    nz_nomem(z);
  put(z, "types", copy, 0);
  opt_bool(z, "deletedFlag", 0);
  opt_info(z);
}

/* company {id, identifier, name}, copied from the company itself. */
static void agreement_company(nz *z, const cw_dataset *d) {
  int present;
  json_object *c = in(z, "company", &present), *id = NULL;
  if (!json_object_is_type(c, json_type_object) ||
      !json_object_object_get_ex(c, "id", &id) ||
      !json_object_is_type(id, json_type_int)) {
    nz_fail(z, "company must be an object with an id");
    return;
  }
  json_object *comp = cw_dataset_find(d->companies, json_object_get_int64(id));
  if (!comp) {
    nz_fail(z, "company id %ld is not in companies",
            (long)json_object_get_int64(id));
    return;
  }
  json_object *o = json_object_new_object();
  put(z, "company", o, 0);
  if (!z->failed &&
      (json_object_object_add(o, "id", json_object_new_int64(rec_id(comp))) ||
       json_object_object_add(
           o, "identifier",
           json_object_new_string(rec_str(comp, "identifier"))) ||
       json_object_object_add(o, "name",
                              json_object_new_string(rec_str(comp, "name")))))
    nz_nomem(z);
}

/* parentAgreement: null or {id} (its name is filled in by link_parents). */
static void agreement_parent(nz *z) {
  int present;
  json_object *p = in(z, "parentAgreement", &present), *id = NULL;
  if (!p) {
    put(z, "parentAgreement", NULL, 1);
    return;
  }
  if (!json_object_object_get_ex(p, "id", &id) ||
      !json_object_is_type(id, json_type_int)) {
    nz_fail(z, "parentAgreement must be null or an object with an id");
    return;
  }
  json_object *o = json_object_new_object();
  put(z, "parentAgreement", o, 0);
  if (!z->failed &&
      json_object_object_add(o, "id",
                             json_object_new_int64(json_object_get_int64(id))))
    nz_nomem(z);
}

static void norm_agreement(nz *z, const cw_dataset *d) {
  req_int(z, "id");
  opt_str(z, "name", "Managed Services", 100);
  opt_ref(z, "type", 1, "Managed Services");
  agreement_company(z, d);
  agreement_parent(z);
  const char *status =
      opt_enum(z, "agreementStatus", AGREEMENT_STATUSES, "Active");
  opt_bool(z, "cancelledFlag", status && strcmp(status, "Cancelled") == 0);
  const char *start = opt_date(z, "startDate", DEFAULT_START);
  const char *end = opt_date(z, "endDate", NULL);
  opt_bool(z, "noEndingDateFlag", end == NULL);
  opt_ref(z, "billingCycle", 1, "Monthly");
  opt_date(z, "billStartDate", start ? start : DEFAULT_START);
  opt_bool(z, "prorateFlag", 0);
  opt_bool(z, "invoiceProratedAdditionsFlag", 0);
  opt_enum(z, "periodType", PERIOD_TYPES, "Current");
  opt_date(z, "nextInvoiceDate", DEFAULT_NEXT_INVOICE);
  opt_info(z);
}

/* product {id, identifier} resolved through the catalog; returns the item. */
static json_object *addition_product(nz *z, const cw_dataset *d) {
  int present;
  json_object *p = in(z, "product", &present), *id = NULL, *ident = NULL;
  json_object *item = NULL;
  if (json_object_is_type(p, json_type_object)) {
    if (json_object_object_get_ex(p, "id", &id) &&
        json_object_is_type(id, json_type_int))
      item = cw_dataset_find(d->catalog, json_object_get_int64(id));
    else if (json_object_object_get_ex(p, "identifier", &ident))
      for (size_t i = 0; i < json_object_array_length(d->catalog); i++) {
        json_object *c = json_object_array_get_idx(d->catalog, i);
        if (cw_text_cmp(rec_str(c, "identifier"),
                        json_object_get_string(ident)) == 0)
          item = c;
      }
  }
  if (!item) {
    nz_fail(z, "product must name a catalog item by id or identifier");
    return NULL;
  }
  json_object *o = json_object_new_object();
  put(z, "product", o, 0);
  if (!z->failed &&
      (json_object_object_add(o, "id", json_object_new_int64(rec_id(item))) ||
       json_object_object_add(
           o, "identifier",
           json_object_new_string(rec_str(item, "identifier")))))
    nz_nomem(z);
  return item;
}

static void norm_addition(nz *z, const cw_dataset *d) {
  req_int(z, "id");
  json_object *item = addition_product(z, d);
  if (z->failed)
    return;
  opt_nullable_num(z, "quantity", 1);
  opt_num(z, "lessIncluded", 0);
  opt_num(z, "unitPrice", rec_num(item, "price"));
  opt_num(z, "unitCost", rec_num(item, "cost"));
  opt_enum(z, "billCustomer", BILL_CUSTOMER, "Billable");
  int present;
  json_object *aid = in(z, "agreementId", &present);
  json_object *agr =
      json_object_is_type(aid, json_type_int)
          ? cw_dataset_find(d->agreements, json_object_get_int64(aid))
          : NULL;
  if (!agr) {
    nz_fail(z, "agreementId must be the id of one of the agreements");
    return;
  }
  opt_date(z, "effectiveDate", rec_str(agr, "startDate"));
  opt_date(z, "cancelledDate", NULL);
  req_int(z, "agreementId");
  const char *desc = opt_str(z, "description", rec_str(item, "description"), 0);
  opt_str(z, "invoiceDescription", desc ? desc : "", 0);
  opt_num(z, "billedQuantity", 0);
  opt_str(z, "uom", "Each", 0);
  opt_num(z, "extPrice", 0);
  opt_num(z, "extCost", 0);
  if (z->failed)
    return;
  cw_addition_recompute(z->out);
  opt_num(z, "prorateCost", rec_num(z->out, "extCost"));
  opt_num(z, "proratePrice", rec_num(z->out, "extPrice"));
  opt_bool(z, "prorateCurrentPeriodFlag", 0);
  put(z, "agreementStatus",
      json_object_new_string(rec_str(agr, "agreementStatus")), 0);
  opt_info(z);
  json_object *cf = in(z, "customFields", &present), *copy = NULL;
  if (cf && !json_object_is_type(cf, json_type_array))
    nz_fail(z, "customFields must be an array");
  else if (cf ? json_object_deep_copy(cf, &copy, NULL) != 0
              : !(copy = json_object_new_array()))
    nz_nomem(z);
  put(z, "customFields", copy, 0);
}

void cw_addition_recompute(json_object *a) {
  double q = rec_num(a, "quantity"), less = rec_num(a, "lessIncluded");
  double billed = q - less > 0 ? q - less : 0;
  /* Money rounds to cents, as ConnectWise shows it. */
  double price = round(billed * rec_num(a, "unitPrice") * 100) / 100;
  double cost = round(billed * rec_num(a, "unitCost") * 100) / 100;
  json_object_object_add(a, "billedQuantity", cw_json_number(billed));
  json_object_object_add(a, "extPrice", cw_json_number(price));
  json_object_object_add(a, "extCost", cw_json_number(cost));
}

int cw_record_normalize(cw_record_kind kind, const cw_dataset *d,
                        json_object *in, cw_nameset *seen, const char *where,
                        json_object **out, char *err, size_t errlen) {
  nz z = {0};
  z.err = err;
  z.errlen = errlen;
  z.in = in;
  snprintf(z.where, sizeof(z.where), "%s", where);
  *out = NULL;
  if (!json_object_is_type(in, json_type_object)) {
    nz_fail(&z, "must be an object");
    return -1;
  }
  if (!(z.out = json_object_new_object()))
    return -2;
  switch (kind) {
  case CW_REC_CATALOG:
    norm_catalog(&z, seen);
    break;
  case CW_REC_STATUS:
    norm_status(&z, seen);
    break;
  case CW_REC_COMPANY:
    norm_company(&z, d, seen);
    break;
  case CW_REC_AGREEMENT:
    norm_agreement(&z, d);
    break;
  case CW_REC_ADDITION:
    norm_addition(&z, d);
    break;
  }
  keep_extras(&z);
  if (z.failed) {
    json_object_put(z.out);
    return z.nomem ? -2 : -1;
  }
  *out = z.out;
  return 0;
}

int cw_addition_build(const cw_dataset *d, json_object *in, json_object **out,
                      char *err, size_t errlen) {
  return cw_record_normalize(CW_REC_ADDITION, d, in, NULL, "addition", out, err,
                             errlen);
}
