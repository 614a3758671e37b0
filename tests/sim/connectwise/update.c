/* SPDX-License-Identifier: MIT */
/*
 * update.c — the write side: PATCH (JSON Patch) and PUT of one agreement
 * addition, the only records the driver may change.
 *
 * Both build the new addition apart, validate it with the fixture rules
 * (dataset.h: types, product from the catalog, derived prices), and only
 * then swap it into the dataset, so a refused update changes nothing. Every
 * quantity change is journalled in the dataset's "changes".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "call.h"
#include "dates.h"
#include "records.h"
#include "reply.h"

/* The member that answers for API changes in _info.updatedBy. */
#define API_MEMBER "ApiMember"

/* The addition's index in the dataset, or -1 with a 404 already sent. */
static long find_addition(cw_call *c, long agreement_id, long id) {
  char msg[160];
  cw_dataset *d = &c->sim->data;
  if (!cw_dataset_find(d->agreements, agreement_id)) {
    snprintf(msg, sizeof(msg), "Agreement with id %ld was not found.",
             agreement_id);
    cw_reply_error(c->resp, 404, "NotFound", msg, NULL);
    return -1;
  }
  long i = cw_dataset_index(d->additions, id);
  json_object *a =
      i < 0 ? NULL : json_object_array_get_idx(d->additions, (size_t)i);
  json_object *aid = NULL;
  if (!a || !json_object_object_get_ex(a, "agreementId", &aid) ||
      json_object_get_int64(aid) != agreement_id) {
    snprintf(msg, sizeof(msg),
             "Addition with id %ld was not found on agreement %ld.", id,
             agreement_id);
    cw_reply_error(c->resp, 404, "NotFound", msg, NULL);
    return -1;
  }
  return i;
}

/* The parsed JSON body, or NULL with 415/400 already sent. */
static json_object *read_body(cw_call *c) {
  const char *ct = c->req->header(c->req->header_ctx, "Content-Type");
  if (!ct || !strstr(ct, "json")) {
    char msg[200];
    snprintf(msg, sizeof(msg),
             "The request entity's media type '%.60s' is not supported for "
             "this resource; send application/json.",
             ct ? ct : "");
    cw_reply_error(c->resp, 415, "UnsupportedMediaType", msg, NULL);
    return NULL;
  }
  json_tokener *tok = json_tokener_new();
  json_object *body =
      tok ? json_tokener_parse_ex(tok, c->req->body, (int)c->req->body_len)
          : NULL;
  int ok = tok && json_tokener_get_error(tok) == json_tokener_success &&
           json_tokener_get_parse_end(tok) == c->req->body_len;
  json_tokener_free(tok);
  if (!ok) {
    json_object_put(body);
    cw_reply_invalid(c->resp, "The request body is not valid JSON.", "addition",
                     "body");
    return NULL;
  }
  return body;
}

static json_object *quantity_of(json_object *a) {
  json_object *q = NULL;
  json_object_object_get_ex(a, "quantity", &q);
  return q; /* NULL for null: the schema lets a quantity be null */
}

static json_object *copy_of(json_object *v) {
  json_object *c = NULL;
  return v && json_object_deep_copy(v, &c, NULL) ? NULL : c;
}

/* Stamps _info.lastUpdated/updatedBy on the new record. */
static int stamp(cw_call *c, json_object *rec, json_object *old) {
  json_object *info = NULL, *copy = NULL;
  char now[CW_DATE_LEN];
  cw_date_format((time_t)c->req->now, now);
  if (json_object_object_get_ex(old, "_info", &info) && info &&
      json_object_deep_copy(info, &copy, NULL))
    return -1;
  if (!copy && !(copy = json_object_new_object()))
    return -1;
  if (json_object_object_add(rec, "_info", copy) ||
      json_object_object_add(copy, "lastUpdated",
                             json_object_new_string(now)) ||
      json_object_object_add(copy, "updatedBy",
                             json_object_new_string(API_MEMBER)))
    return -1;
  return 0;
}

/* Appends a journal entry when the quantity changed. */
static int journal(cw_call *c, const char *method, json_object *old,
                   json_object *rec, long agreement_id, long id) {
  json_object *from = quantity_of(old), *to = quantity_of(rec);
  if (json_object_equal(from, to) ||
      (from && to &&
       json_object_get_double(from) == json_object_get_double(to)))
    return 0;
  char at[CW_DATE_LEN];
  cw_date_format((time_t)c->req->now, at);
  json_object *e = json_object_new_object();
  if (!e ||
      json_object_object_add(e, "additionId", json_object_new_int64(id)) ||
      json_object_object_add(e, "agreementId",
                             json_object_new_int64(agreement_id)) ||
      json_object_object_add(e, "method", json_object_new_string(method)) ||
      json_object_object_add(e, "from", copy_of(from)) ||
      json_object_object_add(e, "to", copy_of(to)) ||
      json_object_object_add(e, "at", json_object_new_string(at)) ||
      json_object_array_add(c->sim->data.changes, e)) {
    json_object_put(e);
    return -1;
  }
  return 0;
}

/* Validates `draft` into the new addition, swaps it in and answers it. */
static void commit(cw_call *c, const char *method, long index,
                   json_object *draft, long agreement_id, long id) {
  char err[512];
  cw_dataset *d = &c->sim->data;
  json_object *old = json_object_array_get_idx(d->additions, (size_t)index);
  json_object *rec = NULL, *out = NULL;
  int rc = cw_addition_build(d, draft, &rec, err, sizeof(err));
  if (rc == -1) {
    cw_reply_invalid(c->resp, err, "addition", "body");
    return;
  }
  if (rc || stamp(c, rec, old) ||
      journal(c, method, old, rec, agreement_id, id) ||
      json_object_deep_copy(rec, &out, NULL)) {
    json_object_put(rec);
    cw_reply_nomem(c->resp);
    return;
  }
  /* The index by agreement stays valid: id and agreementId are unchanged. */
  json_object_array_put_idx(d->additions, (size_t)index, rec);
  cw_finish_record(c, &cw_schema_addition, out);
  cw_reply_json(c->resp, 200, out);
}

/* Sends 400 naming the operation; returns -1 for chaining. */
static int bad_op(cw_call *c, size_t i, const char *what, const char *field) {
  char msg[512];
  snprintf(msg, sizeof(msg),
           "Patch operation %zu: %s. Send a JSON Patch array such as "
           "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":12}].",
           i, what);
  cw_reply_invalid(c->resp, msg, "addition", field ? field : "body");
  return -1;
}

/* Applies operation i of the patch to `draft`. 0, or -1 with 400/409 sent. */
static int apply_op(cw_call *c, json_object *draft, json_object *op, size_t i) {
  json_object *jop = NULL, *jpath = NULL, *value = NULL;
  char what[200];
  if (!json_object_is_type(op, json_type_object) ||
      !json_object_object_get_ex(op, "op", &jop) ||
      !json_object_is_type(jop, json_type_string) ||
      !json_object_object_get_ex(op, "path", &jpath) ||
      !json_object_is_type(jpath, json_type_string))
    return bad_op(c, i, "each operation needs string members op and path",
                  NULL);
  const char *name = json_object_get_string(jop);
  const char *path = json_object_get_string(jpath);
  if (*path == '/')
    path++;
  const cw_field *f =
      strchr(path, '/') ? NULL : cw_schema_find(&cw_schema_addition, path);
  if (!f) {
    snprintf(what, sizeof(what), "an addition has no field '%.60s'", path);
    return bad_op(c, i, what, path);
  }
  if (f->read_only) {
    snprintf(what, sizeof(what), "%s cannot be changed", f->path);
    return bad_op(c, i, what, f->path);
  }
  int has_value = json_object_object_get_ex(op, "value", &value);
  if (strcasecmp(name, "test") == 0) {
    json_object *cur = NULL;
    json_object_object_get_ex(draft, f->path, &cur);
    if (!has_value || !json_object_equal(cur, value)) {
      snprintf(what, sizeof(what),
               "Patch operation %zu: test failed: %s has changed", i, f->path);
      cw_reply_error(c->resp, 409, "InvalidObject", what, NULL);
      return -1;
    }
    return 0;
  }
  if (strcasecmp(name, "replace") && strcasecmp(name, "add")) {
    snprintf(what, sizeof(what),
             "op '%.20s' is not supported on an addition; use replace", name);
    return bad_op(c, i, what, f->path);
  }
  if (!has_value)
    return bad_op(c, i, "replace needs a value", f->path);
  json_object *copy = NULL;
  if ((value && json_object_deep_copy(value, &copy, NULL)) ||
      json_object_object_add(draft, f->path, copy)) {
    json_object_put(copy);
    cw_reply_nomem(c->resp);
    return -1;
  }
  return 0;
}

void cw_serve_patch(cw_call *c, long agreement_id, long id) {
  long index = find_addition(c, agreement_id, id);
  if (index < 0)
    return;
  json_object *body = read_body(c);
  if (!body)
    return;
  json_object *draft = NULL;
  if (!json_object_is_type(body, json_type_array)) {
    cw_reply_invalid(c->resp,
                     "The body must be a JSON Patch array of operations, such "
                     "as [{\"op\":\"replace\",\"path\":\"quantity\","
                     "\"value\":12}].",
                     "addition", "body");
  } else if (json_object_deep_copy(json_object_array_get_idx(
                                       c->sim->data.additions, (size_t)index),
                                   &draft, NULL)) {
    cw_reply_nomem(c->resp);
  } else {
    int failed = 0;
    for (size_t i = 0; !failed && i < json_object_array_length(body); i++)
      failed = apply_op(c, draft, json_object_array_get_idx(body, i), i);
    if (!failed)
      commit(c, "PATCH", index, draft, agreement_id, id);
  }
  json_object_put(draft);
  json_object_put(body);
}

void cw_serve_put(cw_call *c, long agreement_id, long id) {
  long index = find_addition(c, agreement_id, id);
  if (index < 0)
    return;
  json_object *body = read_body(c);
  if (!body)
    return;
  json_object *product = NULL;
  if (!json_object_is_type(body, json_type_object)) {
    cw_reply_invalid(c->resp, "The body must be a whole addition object.",
                     "addition", "body");
  } else if (!json_object_object_get_ex(body, "product", &product) ||
             !product) {
    json_object *errors = json_object_new_array();
    json_object *item = cw_error_item(
        "MissingRequiredField", "product is required", "addition", "product");
    if (!errors || !item || json_object_array_add(errors, item)) {
      json_object_put(item);
      json_object_put(errors);
      cw_reply_nomem(c->resp);
    } else {
      cw_reply_error(c->resp, 400, "InvalidObject",
                     "addition object is invalid: product is required", errors);
    }
  } else if (json_object_object_add(body, "id", json_object_new_int64(id)) ||
             json_object_object_add(body, "agreementId",
                                    json_object_new_int64(agreement_id))) {
    cw_reply_nomem(c->resp);
  } else {
    /* Derived and server-owned members come from the server, not the body. */
    json_object_object_del(body, "_info");
    commit(c, "PUT", index, body, agreement_id, id);
  }
  json_object_put(body);
}
