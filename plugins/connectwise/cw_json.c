/* SPDX-License-Identifier: MIT */
/*
 * cw_json.c — strict readers for the ConnectWise records the driver uses
 * (see cw_json.h for the policy).
 */
#include "cw_json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cw_buf.h"
#include "lpsa/status.h"

/* --- field access ------------------------------------------------------- */

static const char *type_name(json_object *v) {
  switch (json_object_get_type(v)) {
  case json_type_null:
    return "null";
  case json_type_boolean:
    return "a boolean";
  case json_type_double:
    return "a fractional number";
  case json_type_int:
    return "a number";
  case json_type_object:
    return "an object";
  case json_type_array:
    return "a list";
  case json_type_string:
    return "a string";
  }
  return "something else";
}

/* The context of the record being read, for messages. */
typedef struct rd {
  const char *kind; /* "company", "addition"... */
  long long id;     /* 0 until known */
  char *err;
  size_t errlen;
} rd;

static int bad(rd *r, const char *field, json_object *v, const char *want) {
  if (r->id > 0)
    snprintf(r->err, r->errlen,
             "ConnectWise sent %s %lld with \"%s\" as %s instead of %s",
             r->kind, r->id, field, v ? type_name(v) : "missing", want);
  else
    snprintf(r->err, r->errlen,
             "ConnectWise sent a record (%s) with \"%s\" as %s instead of %s",
             r->kind, field, v ? type_name(v) : "missing", want);
  return LPSA_ERR_PROTOCOL;
}

/* Member `key` of o, or NULL when absent or null. */
static json_object *member(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(o, key, &v))
    return NULL;
  return json_object_get_type(v) == json_type_null ? NULL : v;
}

int cw_json_int64(json_object *v, long long *out) {
  if (!v || json_object_get_type(v) != json_type_int)
    return -1;
  int64_t i = json_object_get_int64(v);
  /* json-c keeps values past INT64_MAX as uint64 (and clamps past that):
   * get_int64 then answers INT64_MAX for all of them. */
  if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
    return -2;
  *out = (long long)i;
  return 0;
}

/* A number too large for an id: the answer cannot be trusted. */
static int beyond_int64(rd *r, const char *field, json_object *v) {
  const char *text = json_object_to_json_string(v);
  if (r->id > 0)
    snprintf(r->err, r->errlen,
             "ConnectWise sent %s %lld with \"%s\" as %.40s, beyond the "
             "largest id (9223372036854775807): the answer cannot be trusted",
             r->kind, r->id, field, text);
  else
    snprintf(r->err, r->errlen,
             "ConnectWise sent a record (%s) with \"%s\" as %.40s, beyond the "
             "largest id (9223372036854775807): the answer cannot be trusted",
             r->kind, field, text);
  return LPSA_ERR_PROTOCOL;
}

static int get_id(rd *r, json_object *o, const char *key, const char *label,
                  long long *out) {
  json_object *v = member(o, key);
  long long id = 0;
  int rc = cw_json_int64(v, &id);
  if (rc == -2)
    return beyond_int64(r, label, v);
  if (rc)
    return bad(r, label, v, "a whole-number id");
  if (id <= 0)
    return bad(r, label, v, "a positive id");
  *out = id;
  return LPSA_OK;
}

static int get_opt_id(rd *r, json_object *o, const char *key, long long *out) {
  *out = 0;
  json_object *v = member(o, key);
  if (!v)
    return LPSA_OK;
  return get_id(r, o, key, key, out);
}

static int get_str(rd *r, json_object *o, const char *key, const char *label,
                   const char **out) {
  *out = NULL;
  json_object *v = member(o, key);
  if (!v)
    return LPSA_OK;
  if (json_object_get_type(v) != json_type_string)
    return bad(r, label, v, "a string");
  *out = json_object_get_string(v);
  return LPSA_OK;
}

static int get_bool(rd *r, json_object *o, const char *key, int *out) {
  *out = 0;
  json_object *v = member(o, key);
  if (!v)
    return LPSA_OK;
  if (json_object_get_type(v) != json_type_boolean)
    return bad(r, key, v, "true or false");
  *out = json_object_get_boolean(v) ? 1 : 0;
  return LPSA_OK;
}

/* A nested reference object such as "company": {"id": 1}, NULL if absent. */
static int get_ref(rd *r, json_object *o, const char *key, json_object **out) {
  *out = member(o, key);
  if (*out && json_object_get_type(*out) != json_type_object)
    return bad(r, key, *out, "an object");
  return LPSA_OK;
}

static int need_object(rd *r, json_object *o) {
  if (o && json_object_get_type(o) == json_type_object)
    return LPSA_OK;
  snprintf(r->err, r->errlen,
           "ConnectWise sent %s where a record (%s) was expected",
           o ? type_name(o) : "null", r->kind);
  return LPSA_ERR_PROTOCOL;
}

/* --- whole bodies --------------------------------------------------------- */

static int is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int parse_body(const char *body, size_t len, const char *what,
                      json_type want, json_object **out, char *err,
                      size_t errlen) {
  *out = NULL;
  json_tokener *tok = json_tokener_new();
  if (!tok) {
    snprintf(err, errlen, "out of memory reading %s", what);
    return LPSA_ERR_NOMEM;
  }
  json_object *o = NULL;
  if (body && len && len <= (size_t)0x7fffffff)
    o = json_tokener_parse_ex(tok, body, (int)len);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  size_t used = json_tokener_get_parse_end(tok);
  json_tokener_free(tok);
  /* Only whitespace may follow the document. */
  for (size_t i = used; o && i < len; i++)
    if (!is_ws(body[i])) {
      json_object_put(o);
      o = NULL;
      break;
    }
  if (!o || jerr != json_tokener_success) {
    json_object_put(o);
    snprintf(err, errlen,
             "ConnectWise sent %s that is not valid JSON (%s): the answer "
             "was cut off or garbled",
             what,
             !len                           ? "empty"
             : jerr != json_tokener_success ? json_tokener_error_desc(jerr)
                                            : "trailing data");
    return LPSA_ERR_PROTOCOL;
  }
  if (json_object_get_type(o) != want) {
    snprintf(err, errlen, "ConnectWise sent %s for %s instead of %s",
             type_name(o), what,
             want == json_type_array ? "a list" : "an object");
    json_object_put(o);
    return LPSA_ERR_PROTOCOL;
  }
  *out = o;
  return LPSA_OK;
}

int cw_json_list(const char *body, size_t len, const char *what,
                 json_object **out, char *err, size_t errlen) {
  return parse_body(body, len, what, json_type_array, out, err, errlen);
}

int cw_json_object(const char *body, size_t len, const char *what,
                   json_object **out, char *err, size_t errlen) {
  return parse_body(body, len, what, json_type_object, out, err, errlen);
}

/* --- records -------------------------------------------------------------- */

int cw_company_from_json(json_object *o, cw_company_rec *out, char *err,
                         size_t errlen) {
  rd r = {"company", 0, err, errlen};
  memset(out, 0, sizeof *out);
  json_object *status = NULL;
  int rc = need_object(&r, o);
  if (!rc)
    rc = get_id(&r, o, "id", "id", &out->id);
  r.id = out->id;
  if (!rc)
    rc = get_str(&r, o, "identifier", "identifier", &out->identifier);
  if (!rc)
    rc = get_str(&r, o, "name", "name", &out->name);
  if (!rc)
    rc = get_bool(&r, o, "deletedFlag", &out->deleted);
  if (!rc)
    rc = get_ref(&r, o, "status", &status);
  if (!rc && status)
    rc = get_opt_id(&r, status, "id", &out->status_id);
  if (!rc && status)
    rc = get_str(&r, status, "name", "status/name", &out->status);
  return rc;
}

int cw_agreement_from_json(json_object *o, cw_agreement_rec *out, char *err,
                           size_t errlen) {
  rd r = {"agreement", 0, err, errlen};
  memset(out, 0, sizeof *out);
  json_object *company = NULL, *type = NULL;
  int rc = need_object(&r, o);
  if (!rc)
    rc = get_id(&r, o, "id", "id", &out->id);
  r.id = out->id;
  if (!rc)
    rc = get_ref(&r, o, "company", &company);
  if (!rc && !company)
    rc = bad(&r, "company", NULL, "the agreement's company");
  if (!rc)
    rc = get_id(&r, company, "id", "company/id", &out->company_id);
  if (!rc)
    rc = get_str(&r, o, "name", "name", &out->name);
  if (!rc)
    rc = get_ref(&r, o, "type", &type);
  if (!rc && type)
    rc = get_str(&r, type, "name", "type/name", &out->type);
  if (!rc)
    rc = get_str(&r, o, "agreementStatus", "agreementStatus", &out->status);
  if (!rc)
    rc = get_bool(&r, o, "cancelledFlag", &out->cancelled);
  if (!rc)
    rc = get_bool(&r, o, "prorateFlag", &out->prorate);
  return rc;
}

int cw_addition_from_json(json_object *o, cw_addition_rec *out, char *err,
                          size_t errlen) {
  rd r = {"addition", 0, err, errlen};
  memset(out, 0, sizeof *out);
  json_object *product = NULL, *q = NULL;
  int rc = need_object(&r, o);
  if (!rc)
    rc = get_id(&r, o, "id", "id", &out->id);
  r.id = out->id;
  /* A missing product or quantity is one record's problem (the caller
   * reports it for that company); a value of the wrong type means the
   * answer as a whole cannot be read. */
  if (!rc)
    rc = get_ref(&r, o, "product", &product);
  if (!rc && product)
    rc = get_opt_id(&r, product, "id", &out->product_id);
  if (!rc && product)
    rc = get_str(&r, product, "identifier", "product/identifier",
                 &out->product_identifier);
  if (!rc) {
    q = member(o, "quantity");
    if (cw_qty_read(q, &out->quantity))
      rc = bad(&r, "quantity", q, "a number");
  }
  if (!rc)
    rc = get_str(&r, o, "cancelledDate", "cancelledDate", &out->cancelled_date);
  if (!rc)
    rc = get_opt_id(&r, o, "agreementId", &out->agreement_id);
  if (!rc)
    rc = get_str(&r, o, "description", "description", &out->description);
  return rc;
}

int cw_status_from_json(json_object *o, cw_status_rec *out, char *err,
                        size_t errlen) {
  rd r = {"company status", 0, err, errlen};
  memset(out, 0, sizeof *out);
  int rc = need_object(&r, o);
  if (!rc)
    rc = get_id(&r, o, "id", "id", &out->id);
  r.id = out->id;
  if (!rc)
    rc = get_str(&r, o, "name", "name", &out->name);
  if (!rc)
    rc = get_bool(&r, o, "inactiveFlag", &out->inactive);
  return rc;
}

int cw_catalog_from_json(json_object *o, cw_catalog_rec *out, char *err,
                         size_t errlen) {
  rd r = {"catalog item", 0, err, errlen};
  memset(out, 0, sizeof *out);
  int rc = need_object(&r, o);
  if (!rc)
    rc = get_id(&r, o, "id", "id", &out->id);
  r.id = out->id;
  if (!rc)
    rc = get_str(&r, o, "identifier", "identifier", &out->identifier);
  if (!rc && !out->identifier)
    rc = bad(&r, "identifier", NULL, "a string");
  if (!rc)
    rc = get_str(&r, o, "description", "description", &out->description);
  if (!rc)
    rc = get_bool(&r, o, "inactiveFlag", &out->inactive);
  return rc;
}

/* --- interpretation ----------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (long long)doe - 719468;
}

static int read_digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    char c = (*p)[i];
    if (c < '0' || c > '9')
      return -1;
    v = v * 10 + (c - '0');
  }
  *p += n;
  *out = v;
  return 0;
}

int cw_parse_timestamp(const char *s, long long *out) {
  int y, mo, d, h = 0, mi = 0, sec = 0, zh = 0, zm = 0, sign = 0;
  const char *p = s;
  if (!s || read_digits(&p, 4, &y) || *p++ != '-' || read_digits(&p, 2, &mo) ||
      *p++ != '-' || read_digits(&p, 2, &d))
    return -1;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    p++;
    if (read_digits(&p, 2, &h) || *p++ != ':' || read_digits(&p, 2, &mi))
      return -1;
    if (*p == ':') {
      p++;
      if (read_digits(&p, 2, &sec))
        return -1;
      if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
          ;
    }
    if (*p == 'Z' || *p == 'z')
      p++;
    else if (*p == '+' || *p == '-') {
      sign = *p++ == '-' ? -1 : 1;
      if (read_digits(&p, 2, &zh))
        return -1;
      if (*p == ':')
        p++;
      if (read_digits(&p, 2, &zm))
        return -1;
    }
  }
  if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      sec > 60 || zh > 23 || zm > 59)
    return -1;
  long long t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL +
                h * 3600LL + mi * 60LL + sec;
  t -= sign * (zh * 3600LL + zm * 60LL);
  *out = t;
  return 0;
}

int cw_addition_cancelled(const char *cancelled_date, const char *as_of) {
  long long when, day;
  if (!cancelled_date)
    return 0;
  if (cw_parse_timestamp(cancelled_date, &when) ||
      cw_parse_timestamp(as_of, &day))
    return -1;
  return when <= day;
}

/* --- quantities ---------------------------------------------------------- */

#define QTY_MAX 1000000000000000LL /* 10^15 */

void cw_qty_parse(const char *text, cw_qty *out) {
  memset(out, 0, sizeof *out);
  snprintf(out->text, sizeof out->text, "%s", text ? text : "");
  const char *p = text ? text : "";
  int neg = *p == '-';
  p += neg;
  /* Significant digits (leading zeros dropped) and the decimal exponent:
   * value = digits * 10^exp. At most 40 digits are kept; a longer mantissa
   * is refused as too large or kept as a fraction, never rounded. */
  char digits[41];
  size_t nd = 0;
  long long exp = 0;
  int nonzero_lost = 0, any = 0;
  for (; *p >= '0' && *p <= '9'; p++, any = 1) {
    if (nd == 0 && *p == '0')
      continue;
    if (nd < 40)
      digits[nd++] = *p;
    else
      exp++;
  }
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++, any = 1) {
      if (nd == 0 && *p == '0') {
        exp--;
        continue;
      }
      if (nd < 40) {
        digits[nd++] = *p;
        exp--;
      } else if (*p != '0')
        nonzero_lost = 1;
    }
  if (*p == 'e' || *p == 'E') {
    p++;
    int eneg = *p == '-';
    if (*p == '+' || *p == '-')
      p++;
    long long e = 0;
    for (; *p >= '0' && *p <= '9'; p++)
      if (e < 100000)
        e = e * 10 + (*p - '0');
    exp += eneg ? -e : e;
  }
  /* Trailing zeros of the mantissa only move the exponent. */
  while (nd > 0 && digits[nd - 1] == '0') {
    nd--;
    exp++;
  }
  if (!any || *p) { /* NaN, Infinity (json-c reads them): not a count */
    out->kind = CW_QTY_FRACTION;
    return;
  }
  if (nd == 0 && !nonzero_lost) { /* zero, "-0" too */
    out->kind = CW_QTY_WHOLE;
    return;
  }
  if (neg) {
    out->kind = CW_QTY_NEGATIVE;
    return;
  }
  if (exp < 0 || nonzero_lost) {
    out->kind = CW_QTY_FRACTION;
    return;
  }
  if ((long long)nd + exp > 16) {
    out->kind = CW_QTY_TOO_LARGE;
    return;
  }
  long long v = 0;
  for (size_t i = 0; i < nd; i++)
    v = v * 10 + (digits[i] - '0');
  for (long long i = 0; i < exp; i++)
    v *= 10;
  out->kind = v > QTY_MAX ? CW_QTY_TOO_LARGE : CW_QTY_WHOLE;
  out->whole = v;
}

int cw_qty_read(json_object *v, cw_qty *out) {
  memset(out, 0, sizeof *out);
  if (!v) {
    out->kind = CW_QTY_NULL;
    snprintf(out->text, sizeof out->text, "null");
    return LPSA_OK;
  }
  json_type t = json_object_get_type(v);
  if (t == json_type_int) {
    long long i = 0;
    if (cw_json_int64(v, &i) == -2) {
      cw_qty_parse(json_object_to_json_string(v), out);
      out->kind = CW_QTY_TOO_LARGE;
      return LPSA_OK;
    }
    char text[32];
    snprintf(text, sizeof text, "%lld", i);
    cw_qty_parse(text, out);
    return LPSA_OK;
  }
  if (t != json_type_double)
    return LPSA_ERR_PROTOCOL;
  /* json-c keeps the text of a parsed double: read that, not the double. */
  cw_qty_parse(json_object_get_string(v), out);
  return LPSA_OK;
}

int cw_codebase_valid(const char *cb) {
  size_t n = cb ? strlen(cb) : 0;
  if (n < 2 || n > 64 || cb[n - 1] != '/' || cb[0] == '.')
    return 0;
  for (size_t i = 0; i + 1 < n; i++) {
    char c = cb[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok || (c == '.' && cb[i + 1] == '.'))
      return 0;
  }
  return 1;
}

int cw_companyinfo_parse(const char *body, size_t len, char **codebase,
                         int *unknown, char *err, size_t errlen) {
  *codebase = NULL;
  *unknown = 0;
  /* An unknown company id is answered with the JSON literal null. */
  size_t lo = 0, hi = body ? len : 0;
  while (lo < hi && is_ws(body[lo]))
    lo++;
  while (hi > lo && is_ws(body[hi - 1]))
    hi--;
  if (hi - lo == 4 && !memcmp(body + lo, "null", 4)) {
    *unknown = 1;
    return LPSA_OK;
  }
  json_object *o = NULL;
  char ignored[256]; /* the message is not used: a bad body means "no codebase"
                      */
  if (len && parse_body(body, len, "login/companyinfo", json_type_object, &o,
                        ignored, sizeof ignored) == LPSA_ERR_NOMEM)
    return LPSA_ERR_NOMEM;
  const char *cb = NULL;
  json_object *v = NULL;
  if (o && json_object_object_get_ex(o, "Codebase", &v) &&
      json_object_get_type(v) == json_type_string)
    cb = json_object_get_string(v);
  if (!cb || !*cb) {
    json_object_put(o);
    snprintf(err, errlen,
             "ConnectWise's login/companyinfo answer has no Codebase: set "
             "codebase (e.g. v4_6_release/) in the configuration");
    return LPSA_ERR_PROTOCOL;
  }
  cw_buf b;
  cw_buf_init(&b);
  cw_buf_puts(&b, cb);
  if (cb[strlen(cb) - 1] != '/')
    cw_buf_putc(&b, '/');
  char *res = cw_buf_steal(&b);
  json_object_put(o);
  if (!res)
    return LPSA_ERR_NOMEM;
  if (!cw_codebase_valid(res)) {
    snprintf(err, errlen,
             "ConnectWise's login/companyinfo names an odd codebase \"%.40s\": "
             "set codebase in the configuration",
             res);
    free(res);
    return LPSA_ERR_PROTOCOL;
  }
  *codebase = res;
  return LPSA_OK;
}
