/* SPDX-License-Identifier: MIT */
/*
 * cw_json.h — turning ConnectWise JSON records into plain structs, strictly.
 *
 * A snapshot must never be built from a record the driver misread, so every
 * field the sync relies on is type-checked: an id must be a JSON integer, a
 * quantity a JSON number (a string "5" is refused, not converted), a flag a
 * boolean. Fields the sync does not need are not looked at. Absent and null
 * optional fields read as NULL / 0.
 *
 * Strings in the records point into the json_object they came from and live
 * as long as it does.
 */
#ifndef CW_JSON_H
#define CW_JSON_H

#include <stddef.h>

#include <json-c/json.h>

/* company/companies: fields=id,identifier,name,deletedFlag,status/id */
typedef struct cw_company_rec {
  long long id;
  const char *identifier;
  const char *name;
  int deleted;         /* deletedFlag */
  long long status_id; /* status/id, 0 when the company has no status */
  const char *status;  /* status/name, or NULL */
} cw_company_rec;

/* company/companies/statuses: a company's status member carries only id and
 * name; whether the status means inactive is this record's inactiveFlag. */
typedef struct cw_status_rec {
  long long id;
  const char *name;
  int inactive; /* inactiveFlag */
} cw_status_rec;

/* An addition's quantity, read exactly from the JSON text (a double would
 * round 12.0000000000000001 to 12): lpsa bills whole seats only. */
typedef enum cw_qty_kind {
  CW_QTY_WHOLE = 0, /* a whole number >= 0 in `whole` */
  CW_QTY_NULL,      /* null or absent: ConnectWise's schema allows it */
  CW_QTY_FRACTION,  /* not a whole number (33.4, 1.55, 3.000001, NaN) */
  CW_QTY_NEGATIVE,  /* below zero */
  CW_QTY_TOO_LARGE  /* beyond 10^15: no real seat count */
} cw_qty_kind;

typedef struct cw_qty {
  cw_qty_kind kind;
  long long whole; /* CW_QTY_WHOLE only */
  char text[48];   /* the number as ConnectWise wrote it, for messages */
} cw_qty;

/* finance/agreements */
typedef struct cw_agreement_rec {
  long long id;
  long long company_id; /* company/id, required */
  const char *name;
  const char *type;   /* type/name, or NULL */
  const char *status; /* agreementStatus, or NULL when not asked for */
  int cancelled;      /* cancelledFlag */
  int prorate;        /* prorateFlag */
} cw_agreement_rec;

/* finance/agreements/{id}/additions */
typedef struct cw_addition_rec {
  long long id;
  long long product_id; /* product/id; 0 when the addition has no product */
  const char *product_identifier;
  cw_qty quantity; /* a JSON number or null (another type is refused) */
  const char *cancelled_date; /* NULL when null or absent */
  long long agreement_id;     /* agreementId, 0 when absent */
  const char *description;
} cw_addition_rec;

/* procurement/catalog */
typedef struct cw_catalog_rec {
  long long id;
  const char *identifier; /* required */
  const char *description;
  int inactive; /* inactiveFlag */
} cw_catalog_rec;

/* Parse a body that must be a JSON array (a list answer). On success *out is
 * the array (the caller puts it). LPSA_ERR_PROTOCOL with a message naming
 * `what` when the body is not JSON or not an array. */
int cw_json_list(const char *body, size_t len, const char *what,
                 json_object **out, char *err, size_t errlen);
/* Same for a body that must be one JSON object. */
int cw_json_object(const char *body, size_t len, const char *what,
                   json_object **out, char *err, size_t errlen);

/* Each returns LPSA_OK or LPSA_ERR_PROTOCOL with one line in err. */
int cw_company_from_json(json_object *o, cw_company_rec *out, char *err,
                         size_t errlen);
int cw_agreement_from_json(json_object *o, cw_agreement_rec *out, char *err,
                           size_t errlen);
int cw_addition_from_json(json_object *o, cw_addition_rec *out, char *err,
                          size_t errlen);
int cw_catalog_from_json(json_object *o, cw_catalog_rec *out, char *err,
                         size_t errlen);
int cw_status_from_json(json_object *o, cw_status_rec *out, char *err,
                        size_t errlen);

/* A JSON integer as an exact int64. Returns 0 and *out; -1 when v is not a
 * JSON integer; -2 when it is beyond int64 (json-c clamps such values
 * silently: 9223372036854775808 would read as 9223372036854775807). */
int cw_json_int64(json_object *v, long long *out);

/* Read quantity member `v` (NULL: absent or null) exactly into *out.
 * LPSA_OK, or LPSA_ERR_PROTOCOL when v is not a number at all. */
int cw_qty_read(json_object *v, cw_qty *out);
/* The same from the text of a JSON number ("33.4", "3.3e1", "12.0"). */
void cw_qty_parse(const char *text, cw_qty *out);

/* Does an addition whose cancelledDate is `cancelled_date` (NULL: never) no
 * longer bill on day `as_of` ("YYYY-MM-DD")? A cancelledDate at or before
 * as_of's midnight UTC means cancelled (ConnectWise's condition
 * cancelledDate>[as_ofT00:00:00Z] keeps the rest). Returns 1/0, or -1 when
 * the date cannot be read. */
int cw_addition_cancelled(const char *cancelled_date, const char *as_of);

/* Seconds since the epoch of an ISO-8601 timestamp ("2026-11-01T00:00:00Z",
 * optional fraction, Z or +hh:mm/-hh:mm or no zone meaning UTC, or a bare
 * date). Returns 0 and *out, or -1. */
int cw_parse_timestamp(const char *s, long long *out);

/* The login/companyinfo answer: LPSA_OK with *codebase (malloc'ed, ending
 * in '/') or *unknown = 1 for the `null` body of an unknown company, or
 * LPSA_ERR_PROTOCOL. */
int cw_companyinfo_parse(const char *body, size_t len, char **codebase,
                         int *unknown, char *err, size_t errlen);

/* Is `cb` a plausible codebase ("v4_6_release/"): letters, digits, '_',
 * '.', '-' and one trailing '/'? */
int cw_codebase_valid(const char *cb);

#endif
