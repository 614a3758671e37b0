/* SPDX-License-Identifier: MIT */
/*
 * hp_invoice.c — the update body and its verification (see hp_invoice.h).
 */
#include "hp_invoice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_json.h"

static json_object *find_line(json_object *lines, long long id) {
  size_t n = lines ? json_object_array_length(lines) : 0;
  for (size_t i = 0; i < n; i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    long long got;
    if (hp_id(hp_member(l, "id"), &got) == 0 && got == id)
      return l;
  }
  return NULL;
}

char *hp_invoice_update_body(json_object *invoice, long long line_id,
                             long long target, char *err, size_t errlen) {
  json_object *lines = hp_member(invoice, "lines");
  json_object *id = hp_member(invoice, "id");
  long long ihid;
  if (!id || hp_id(id, &ihid) != 0 || !lines ||
      !json_object_is_type(lines, json_type_array)) {
    snprintf(err, errlen, "the recurring invoice as read has no id or lines");
    return NULL;
  }
  size_t n = json_object_array_length(lines);
  json_object *copy = json_object_new_array_ext((int)n);
  int found = 0;
  for (size_t i = 0; copy && i < n; i++) {
    json_object *l = json_object_array_get_idx(lines, i), *dup = NULL;
    long long lid;
    if (hp_id(hp_member(l, "id"), &lid) != 0) {
      snprintf(err, errlen,
               "line %zu of recurring invoice %lld has no id: posting it "
               "back would create a new line, so nothing was written",
               i + 1, ihid);
      json_object_put(copy);
      return NULL;
    }
    if (json_object_deep_copy(l, &dup, NULL) != 0) {
      json_object_put(copy);
      copy = NULL;
      break;
    }
    if (lid == line_id) {
      found = 1;
      json_object_object_add(dup, "qty_order", json_object_new_int64(target));
    }
    json_object_array_add(copy, dup);
  }
  if (!copy) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (!found) {
    json_object_put(copy);
    snprintf(err, errlen, "line %lld is not on recurring invoice %lld", line_id,
             ihid);
    return NULL;
  }
  json_object *el = json_object_new_object(), *body = json_object_new_array();
  json_object *id_copy = NULL;
  json_object_deep_copy(id, &id_copy, NULL);
  json_object_object_add(el, "id", id_copy);
  json_object_object_add(el, "lines", copy);
  json_object_array_add(body, el);
  const char *text = json_object_to_json_string_ext(
      body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  char *out = text ? strdup(text) : NULL;
  json_object_put(body);
  if (!out)
    snprintf(err, errlen, "out of memory");
  return out;
}

int hp_invoice_verify(json_object *saved, json_object *posted,
                      long long line_id, double *after, char *missing,
                      size_t cap) {
  if (cap)
    missing[0] = '\0';
  json_object *lines = hp_member(saved, "lines");
  if (!lines || !json_object_is_type(lines, json_type_array))
    return HP_VERIFY_NO_LINES;
  json_object *before = hp_member(posted, "lines");
  size_t n = before ? json_object_array_length(before) : 0, gone = 0;
  for (size_t i = 0; i < n; i++) {
    long long id;
    if (hp_id(hp_member(json_object_array_get_idx(before, i), "id"), &id) != 0)
      continue;
    if (find_line(lines, id))
      continue;
    size_t used = strlen(missing);
    if (used + 24 < cap)
      snprintf(missing + used, cap - used, "%s%lld", gone ? ", " : "", id);
    gone++;
  }
  json_object *mine = find_line(lines, line_id);
  if (!mine || hp_qty(mine, after) != HP_QTY_OK)
    return gone ? HP_VERIFY_DROPPED : HP_VERIFY_NO_LINE;
  return gone ? HP_VERIFY_DROPPED : HP_VERIFY_OK;
}

json_object *hp_invoice_in_answer(json_object *doc) {
  if (json_object_is_type(doc, json_type_object))
    return doc;
  if (json_object_is_type(doc, json_type_array) &&
      json_object_array_length(doc) == 1 &&
      json_object_is_type(json_object_array_get_idx(doc, 0), json_type_object))
    return json_object_array_get_idx(doc, 0);
  return NULL;
}
