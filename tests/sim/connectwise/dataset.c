/*
 * dataset.c — loading (validating and normalising) fixtures, dumping them,
 * and finding records (see dataset.h for the format).
 *
 * Each record is rebuilt field by field in the order the reference lists, so
 * answers look alike whatever the fixture author wrote first; the normaliser
 * (`nz`) carries the input record, the output record and the first error.
 */
#include "dataset.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "nameset.h"
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

long cw_dataset_index(json_object *records, long id) {
  size_t lo = 0, hi = records ? json_object_array_length(records) : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    long rid = rec_id(json_object_array_get_idx(records, mid));
    if (rid == id)
      return (long)mid;
    if (rid < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

json_object *cw_dataset_find(json_object *records, long id) {
  long i = cw_dataset_index(records, id);
  return i < 0 ? NULL : json_object_array_get_idx(records, (size_t)i);
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

static void norm_catalog(nz *z) {
  req_int(z, "id");
  const char *ident = opt_str(z, "identifier", NULL, 25);
  if (!z->failed && (!ident || !*ident))
    nz_fail(z, "identifier is required");
  opt_str(z, "description", ident ? ident : "", 60);
  opt_bool(z, "inactiveFlag", 0);
  opt_enum(z, "productClass", PRODUCT_CLASSES, "NonInventory");
  opt_num(z, "price", 0);
  opt_num(z, "cost", 0);
  opt_bool(z, "recurringFlag", 0);
  opt_info(z);
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

static void norm_company(nz *z, cw_nameset *seen) {
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
  opt_ref(z, "status", 1, "Active");
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
  opt_num(z, "quantity", 1);
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

/* ---- loading ----------------------------------------------------------- */

typedef void (*normaliser)(nz *z, const cw_dataset *d, cw_nameset *seen);

static void nz_catalog(nz *z, const cw_dataset *d, cw_nameset *seen) {
  (void)d;
  norm_catalog(z);
  const char *ident = rec_str(z->out, "identifier");
  if (z->failed || !ident)
    return;
  if (cw_nameset_has(seen, ident))
    nz_fail(z, "identifier %s is used by another catalog item", ident);
  else if (cw_nameset_add(seen, ident))
    nz_nomem(z);
}

static void nz_company(nz *z, const cw_dataset *d, cw_nameset *seen) {
  (void)d;
  norm_company(z, seen);
}

static void nz_agreement(nz *z, const cw_dataset *d, cw_nameset *seen) {
  (void)seen;
  norm_agreement(z, d);
}

static void nz_addition(nz *z, const cw_dataset *d, cw_nameset *seen) {
  (void)seen;
  norm_addition(z, d);
}

static int by_id(const void *a, const void *b) {
  long x = rec_id(*(json_object *const *)a);
  long y = rec_id(*(json_object *const *)b);
  return x < y ? -1 : x > y;
}

/* Normalises fixture[key] into a new sorted array *out. 0, -1, -2. */
static int load_list(json_object *fixture, const char *key, normaliser fn,
                     const cw_dataset *d, json_object **out, char *err,
                     size_t errlen) {
  json_object *list = NULL;
  nz z = {0};
  z.err = err;
  z.errlen = errlen;
  *out = json_object_new_array();
  if (!*out)
    return -2;
  if (json_object_object_get_ex(fixture, key, &list) && list &&
      !json_object_is_type(list, json_type_array)) {
    snprintf(err, errlen, "fixture: %s must be an array", key);
    return -1;
  }
  cw_nameset seen = {0};
  size_t n = list ? json_object_array_length(list) : 0;
  for (size_t i = 0; i < n && !z.failed; i++) {
    z.in = json_object_array_get_idx(list, i);
    snprintf(z.where, sizeof(z.where), "fixture: %s[%zu]", key, i);
    if (!json_object_is_type(z.in, json_type_object)) {
      nz_fail(&z, "must be an object");
      break;
    }
    if (!(z.out = json_object_new_object()) ||
        json_object_array_add(*out, z.out)) {
      json_object_put(z.out);
      nz_nomem(&z);
      break;
    }
    fn(&z, d, &seen);
    keep_extras(&z);
  }
  cw_nameset_free(&seen);
  if (z.failed)
    return z.nomem ? -2 : -1;
  json_object_array_sort(*out, by_id);
  for (size_t i = 1; i < n; i++) {
    long id = rec_id(json_object_array_get_idx(*out, i));
    if (rec_id(json_object_array_get_idx(*out, i - 1)) == id) {
      snprintf(err, errlen, "fixture: %s: id %ld appears twice", key, id);
      return -1;
    }
  }
  return 0;
}

/* Fills parentAgreement/name and refuses unknown or self parents. */
static int link_parents(cw_dataset *d, char *err, size_t errlen) {
  for (size_t i = 0; i < json_object_array_length(d->agreements); i++) {
    json_object *a = json_object_array_get_idx(d->agreements, i), *p = NULL;
    if (!json_object_object_get_ex(a, "parentAgreement", &p) || !p)
      continue;
    json_object *parent = cw_dataset_find(d->agreements, rec_id(p));
    if (!parent || parent == a) {
      snprintf(err, errlen,
               "fixture: agreement %ld: parentAgreement %ld is not another "
               "agreement",
               rec_id(a), rec_id(p));
      return -1;
    }
    if (json_object_object_add(p, "name",
                               json_object_new_string(rec_str(parent, "name"))))
      return -2;
  }
  return 0;
}

static int denied_valid(json_object *denied, char *err, size_t errlen) {
  if (!json_object_is_type(denied, json_type_array)) {
    snprintf(err, errlen, "fixture: denied must be an array of strings");
    return -1;
  }
  for (size_t i = 0; i < json_object_array_length(denied); i++)
    if (!json_object_is_type(json_object_array_get_idx(denied, i),
                             json_type_string)) {
      snprintf(err, errlen,
               "fixture: denied[%zu] must be a string such as "
               "\"finance/agreements\"",
               i);
      return -1;
    }
  return 0;
}

/* Copies fixture[key] (an array) or makes an empty one. */
static int copy_array(json_object *fixture, const char *key,
                      json_object **out) {
  json_object *v = NULL;
  *out = NULL;
  if (json_object_object_get_ex(fixture, key, &v) && v)
    return json_object_deep_copy(v, out, NULL) ? -2 : 0;
  return (*out = json_object_new_array()) ? 0 : -2;
}

static long addition_agreement(const cw_dataset *d, size_t i) {
  json_object *v = NULL;
  json_object_object_get_ex(json_object_array_get_idx(d->additions, i),
                            "agreementId", &v);
  return (long)json_object_get_int64(v);
}

typedef struct agr_key {
  long agreement;
  size_t index;
} agr_key;

static int by_agreement_key(const void *a, const void *b) {
  const agr_key *x = a, *y = b;
  if (x->agreement != y->agreement)
    return x->agreement < y->agreement ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Builds by_agreement, so that listing one agreement's additions is a binary
 * search rather than a scan of every addition (datasets reach 10^4 and more).
 */
static int index_additions(cw_dataset *d) {
  size_t n = json_object_array_length(d->additions);
  agr_key *keys = malloc((n ? n : 1) * sizeof(*keys));
  d->by_agreement = malloc((n ? n : 1) * sizeof(size_t));
  if (!keys || !d->by_agreement) {
    free(keys);
    return -2;
  }
  for (size_t i = 0; i < n; i++)
    keys[i] = (agr_key){addition_agreement(d, i), i};
  qsort(keys, n, sizeof(*keys), by_agreement_key);
  for (size_t i = 0; i < n; i++)
    d->by_agreement[i] = keys[i].index;
  free(keys);
  return 0;
}

void cw_dataset_additions_of(const cw_dataset *d, long agreement_id,
                             size_t *first, size_t *count) {
  size_t n = json_object_array_length(d->additions), lo = 0, hi = n;
  while (lo < hi) { /* the first entry with agreementId >= agreement_id */
    size_t mid = lo + (hi - lo) / 2;
    if (addition_agreement(d, d->by_agreement[mid]) < agreement_id)
      lo = mid + 1;
    else
      hi = mid;
  }
  *first = lo;
  size_t end = lo;
  while (end < n && addition_agreement(d, d->by_agreement[end]) == agreement_id)
    end++;
  *count = end - lo;
}

void cw_dataset_free(cw_dataset *d) {
  json_object_put(d->companies);
  json_object_put(d->agreements);
  json_object_put(d->additions);
  json_object_put(d->catalog);
  json_object_put(d->denied);
  json_object_put(d->changes);
  free(d->by_agreement);
  memset(d, 0, sizeof(*d));
}

int cw_dataset_load(cw_dataset *d, json_object *fixture, char *err,
                    size_t errlen) {
  int rc;
  if (!json_object_is_type(fixture, json_type_object)) {
    snprintf(err, errlen,
             "fixture: the top level must be a JSON object with "
             "companies, agreements, additions and catalog");
    return -1;
  }
  if ((rc = load_list(fixture, "catalog", nz_catalog, d, &d->catalog, err,
                      errlen)) ||
      (rc = load_list(fixture, "companies", nz_company, d, &d->companies, err,
                      errlen)) ||
      (rc = load_list(fixture, "agreements", nz_agreement, d, &d->agreements,
                      err, errlen)) ||
      (rc = link_parents(d, err, errlen)) ||
      (rc = load_list(fixture, "additions", nz_addition, d, &d->additions, err,
                      errlen)) ||
      (rc = copy_array(fixture, "denied", &d->denied)) ||
      (rc = denied_valid(d->denied, err, errlen)) ||
      (rc = copy_array(fixture, "changes", &d->changes)) ||
      (rc = index_additions(d))) {
    if (rc == -2)
      snprintf(err, errlen, "fixture: out of memory");
    cw_dataset_free(d);
    return rc;
  }
  return 0;
}

json_object *cw_dataset_dump(const cw_dataset *d) {
  json_object *o = json_object_new_object();
  const struct {
    const char *key;
    json_object *v;
  } parts[] = {{"companies", d->companies}, {"agreements", d->agreements},
               {"additions", d->additions}, {"catalog", d->catalog},
               {"denied", d->denied},       {"changes", d->changes}};
  for (size_t i = 0; o && i < sizeof(parts) / sizeof(parts[0]); i++) {
    json_object *copy = NULL;
    if ((parts[i].v && json_object_deep_copy(parts[i].v, &copy, NULL)) ||
        json_object_object_add(o, parts[i].key,
                               copy ? copy : json_object_new_array())) {
      json_object_put(copy);
      json_object_put(o);
      return NULL;
    }
  }
  return o;
}

int cw_addition_build(const cw_dataset *d, json_object *in, json_object **out,
                      char *err, size_t errlen) {
  nz z = {0};
  z.err = err;
  z.errlen = errlen;
  z.in = in;
  snprintf(z.where, sizeof(z.where), "addition");
  *out = NULL;
  if (!(z.out = json_object_new_object()))
    return -2;
  norm_addition(&z, d);
  keep_extras(&z);
  if (z.failed) {
    json_object_put(z.out);
    return z.nomem ? -2 : -1;
  }
  *out = z.out;
  return 0;
}
