/* SPDX-License-Identifier: MIT */
/*
 * hp_json.c — reading HaloPSA records (see hp_json.h).
 */
#include "hp_json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_object *hp_member(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!o || !json_object_is_type(o, json_type_object) ||
      !json_object_object_get_ex(o, key, &v))
    return NULL;
  return v;
}

int hp_id_text(const char *text, long long *out) {
  if (!text || !*text)
    return -1;
  const char *p = text + (*text == '-');
  if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 18)
    return -1;
  errno = 0;
  long long v = strtoll(text, NULL, 10);
  if (errno)
    return -1;
  *out = v;
  return 0;
}

int hp_id(json_object *v, long long *out) {
  if (!v)
    return -1;
  if (json_object_is_type(v, json_type_int)) {
    errno = 0;
    long long n = json_object_get_int64(v);
    if (errno)
      return -1;
    *out = n;
    return 0;
  }
  if (json_object_is_type(v, json_type_string))
    return hp_id_text(json_object_get_string(v), out);
  return -1;
}

int hp_bool(json_object *o, const char *key, int dflt) {
  json_object *v = hp_member(o, key);
  if (!v)
    return dflt;
  if (json_object_is_type(v, json_type_boolean))
    return json_object_get_boolean(v);
  if (json_object_is_type(v, json_type_int))
    return json_object_get_int64(v) != 0;
  return dflt;
}

const char *hp_string(json_object *o, const char *key) {
  json_object *v = hp_member(o, key);
  return v && json_object_is_type(v, json_type_string)
             ? json_object_get_string(v)
             : NULL;
}

int hp_qty(json_object *line, double *out) {
  json_object *v = hp_member(line, "qty_order");
  if (!v)
    return HP_QTY_NULL;
  if (!json_object_is_type(v, json_type_int) &&
      !json_object_is_type(v, json_type_double))
    return HP_QTY_NOT_NUMBER;
  double q = json_object_get_double(v);
  if (!isfinite(q))
    return HP_QTY_NOT_NUMBER;
  *out = q;
  return HP_QTY_OK;
}

int hp_qty_whole(double q, long long *out) {
  if (!(q >= 0 && q <= 1e12) || floor(q) != q)
    return 0;
  *out = (long long)q;
  return 1;
}

int hp_date(const char *text, char out[11]) {
  out[0] = '\0';
  int y, m, d;
  char tail;
  if (!text || strlen(text) < 10 ||
      sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) < 3 || text[4] != '-' ||
      text[7] != '-' || m < 1 || m > 12 || d < 1 || d > 31 || y <= 1900)
    return 0;
  memcpy(out, text, 10);
  out[10] = '\0';
  return 1;
}

void hp_line_read(json_object *o, hp_line *out) {
  memset(out, 0, sizeof *out);
  out->json = o;
  out->has_id = hp_id(hp_member(o, "id"), &out->id) == 0;
  out->has_item = hp_id(hp_member(o, "_itemid"), &out->item_id) == 0;
  out->qty_state = hp_qty(o, &out->qty);
  out->inactive = hp_bool(o, "isinactive", 0);
  json_object *t = hp_member(o, "recurring_invoice_quantity_type");
  if (t && (json_object_is_type(t, json_type_int) ||
            json_object_is_type(t, json_type_double))) {
    out->qty_type = json_object_get_int64(t);
    out->qty_type_set = out->qty_type != 0;
  } else if (t && json_object_is_type(t, json_type_string)) {
    /* A name instead of a number: set unless empty. */
    out->qty_type_set = json_object_get_string_len(t) > 0;
  }
  hp_date(hp_string(o, "enddate"), out->end);
  out->description = hp_string(o, "item_shortdescription");
}

int hp_invoice_read(json_object *o, hp_invoice *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  out->json = o;
  if (!json_object_is_type(o, json_type_object) ||
      hp_id(hp_member(o, "id"), &out->id) != 0) {
    snprintf(err, errlen, "a recurring invoice without a readable id");
    return -1;
  }
  if (hp_id(hp_member(o, "client_id"), &out->client_id) != 0) {
    snprintf(err, errlen, "recurring invoice %lld has no readable client_id",
             out->id);
    return -1;
  }
  out->disabled = hp_bool(o, "disabled", 0);
  hp_date(hp_string(o, "startdate"), out->start);
  hp_date(hp_string(o, "enddate"), out->end);
  json_object *lines = hp_member(o, "lines");
  out->lines =
      lines && json_object_is_type(lines, json_type_array) ? lines : NULL;
  return 0;
}

int hp_invoice_active(const hp_invoice *inv, const char *as_of) {
  if (inv->disabled)
    return 0;
  return !inv->end[0] || !as_of || strcmp(inv->end, as_of) >= 0;
}

int hp_line_live(const hp_line *l, const char *as_of) {
  if (l->inactive)
    return 0;
  return !l->end[0] || !as_of || strcmp(l->end, as_of) >= 0;
}

int hp_wrapped_list(json_object *doc, const char *key, json_object **list,
                    long long *count) {
  *list = NULL;
  *count = -1;
  if (json_object_is_type(doc, json_type_array)) {
    *list = doc;
    return 0;
  }
  json_object *arr = hp_member(doc, key);
  if (!arr || !json_object_is_type(arr, json_type_array))
    return -1;
  *list = arr;
  json_object *n = hp_member(doc, "record_count");
  if (n && json_object_is_type(n, json_type_int) &&
      json_object_get_int64(n) >= 0)
    *count = json_object_get_int64(n);
  return 0;
}
