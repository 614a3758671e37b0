/* SPDX-License-Identifier: MIT */
/*
 * hps_db.c — loading and validating the halopsa-sim dataset (see hps_db.h).
 */
#include "hps_db.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

long long hps_int(json_object *o, const char *key, long long dflt) {
  json_object *v = NULL;
  if (!o || !json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_int))
    return dflt;
  return json_object_get_int64(v);
}

int hps_true(json_object *o, const char *key) {
  json_object *v = NULL;
  return o && json_object_object_get_ex(o, key, &v) &&
         json_object_is_type(v, json_type_boolean) &&
         json_object_get_boolean(v);
}

const char *hps_str(json_object *o, const char *key) {
  json_object *v = NULL;
  if (!o || !json_object_object_get_ex(o, key, &v) ||
      !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

json_object *hps_find(json_object *list, long long id) {
  size_t n = list ? json_object_array_length(list) : 0;
  for (size_t i = 0; i < n; i++) {
    json_object *r = json_object_array_get_idx(list, i);
    if (hps_int(r, "id", LLONG_MIN) == id)
      return r;
  }
  return NULL;
}

/* The array member `key` of root, created empty when absent. */
static json_object *array_member(json_object *root, const char *key, char *err,
                                 size_t cap) {
  json_object *v = NULL;
  if (!json_object_object_get_ex(root, key, &v) || !v) {
    v = json_object_new_array();
    if (!v || json_object_object_add(root, key, v)) {
      snprintf(err, cap, "out of memory");
      return NULL;
    }
    return v;
  }
  if (!json_object_is_type(v, json_type_array)) {
    snprintf(err, cap, "\"%s\" must be an array", key);
    return NULL;
  }
  return v;
}

static void set_default(json_object *o, const char *key, json_object *value) {
  if (json_object_object_get_ex(o, key, NULL)) {
    json_object_put(value);
    return;
  }
  json_object_object_add(o, key, value);
}

/* Every record of `list` is an object with an integer id, unique. */
static int check_ids(json_object *list, const char *what, char *err,
                     size_t cap) {
  size_t n = json_object_array_length(list);
  for (size_t i = 0; i < n; i++) {
    json_object *r = json_object_array_get_idx(list, i);
    long long id = hps_int(r, "id", LLONG_MIN);
    if (!json_object_is_type(r, json_type_object) || id == LLONG_MIN) {
      snprintf(err, cap, "%s[%zu] needs an integer \"id\"", what, i);
      return -1;
    }
    for (size_t k = 0; k < i; k++)
      if (hps_int(json_object_array_get_idx(list, k), "id", 0) == id) {
        snprintf(err, cap, "%s: id %lld appears twice", what, id);
        return -1;
      }
  }
  return 0;
}

static int fill_lines(hps_db *db, json_object *inv, char *err, size_t cap) {
  long long ihid = hps_int(inv, "id", 0);
  json_object *lines = NULL;
  if (!json_object_object_get_ex(inv, "lines", &lines) || !lines) {
    lines = json_object_new_array();
    json_object_object_add(inv, "lines", lines);
  }
  if (!json_object_is_type(lines, json_type_array)) {
    snprintf(err, cap, "invoice %lld: \"lines\" must be an array", ihid);
    return -1;
  }
  for (size_t i = 0; i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    long long id = hps_int(l, "id", LLONG_MIN);
    if (!json_object_is_type(l, json_type_object) || id == LLONG_MIN) {
      snprintf(err, cap, "invoice %lld: line %zu needs an integer \"id\"", ihid,
               i);
      return -1;
    }
    if (id >= db->next_line_id)
      db->next_line_id = id + 1;
    json_object_object_add(l, "ihid", json_object_new_int64(ihid));
    set_default(l, "isinactive", json_object_new_boolean(0));
    set_default(l, "recurring_invoice_quantity_type", json_object_new_int(0));
    set_default(l, "unit_price", json_object_new_double(0));
    set_default(l, "item_code", json_object_new_string(""));
    json_object *item = hps_find(db->items, hps_int(l, "_itemid", LLONG_MIN));
    const char *name = hps_str(item, "name");
    set_default(l, "item_shortdescription",
                json_object_new_string(name ? name : ""));
  }
  return 0;
}

/* Line ids are unique over the whole dataset (Halo's are table ids). */
static int check_line_ids(json_object *invoices, char *err, size_t cap) {
  json_object *seen = json_object_new_object();
  char key[32];
  int rc = 0;
  for (size_t i = 0; i < json_object_array_length(invoices) && !rc; i++) {
    json_object *lines = NULL;
    json_object_object_get_ex(json_object_array_get_idx(invoices, i), "lines",
                              &lines);
    for (size_t k = 0; k < json_object_array_length(lines) && !rc; k++) {
      snprintf(key, sizeof key, "%lld",
               hps_int(json_object_array_get_idx(lines, k), "id", 0));
      if (json_object_object_get_ex(seen, key, NULL)) {
        snprintf(err, cap, "line id %s appears twice", key);
        rc = -1;
      }
      json_object_object_add(seen, key, NULL);
    }
  }
  json_object_put(seen);
  return rc;
}

int hps_db_load(hps_db *db, json_object *doc, char *err, size_t cap) {
  memset(db, 0, sizeof *db);
  if (!doc || !json_object_is_type(doc, json_type_object)) {
    snprintf(err, cap, "the dataset must be a JSON object");
    return -1;
  }
  db->root = json_object_get(doc);
  db->next_line_id = 1;
  db->next_invoice_id = 1;
  if (!(db->clients = array_member(doc, "clients", err, cap)) ||
      !(db->items = array_member(doc, "items", err, cap)) ||
      !(db->invoices = array_member(doc, "invoices", err, cap)) ||
      !(db->writes = array_member(doc, "writes", err, cap)) ||
      !(db->dropped = array_member(doc, "dropped_lines", err, cap)) ||
      check_ids(db->clients, "clients", err, cap) ||
      check_ids(db->items, "items", err, cap) ||
      check_ids(db->invoices, "invoices", err, cap))
    goto fail;
  for (size_t i = 0; i < json_object_array_length(db->clients); i++) {
    json_object *c = json_object_array_get_idx(db->clients, i);
    set_default(c, "name", json_object_new_string(""));
    set_default(c, "inactive", json_object_new_boolean(0));
    set_default(c, "toplevel_id", json_object_new_int(1));
  }
  for (size_t i = 0; i < json_object_array_length(db->items); i++) {
    json_object *it = json_object_array_get_idx(db->items, i);
    set_default(it, "name", json_object_new_string(""));
    set_default(it, "description", json_object_new_string(""));
    set_default(it, "internalreference", json_object_new_string(""));
  }
  for (size_t i = 0; i < json_object_array_length(db->invoices); i++) {
    json_object *inv = json_object_array_get_idx(db->invoices, i);
    long long id = hps_int(inv, "id", 0);
    long long client = hps_int(inv, "client_id", LLONG_MIN);
    if (!hps_find(db->clients, client)) {
      snprintf(err, cap, "invoice %lld names no existing client_id", id);
      goto fail;
    }
    if (id >= db->next_invoice_id)
      db->next_invoice_id = id + 1;
    set_default(inv, "disabled", json_object_new_boolean(0));
    set_default(inv, "contract_id", json_object_new_int(0));
    set_default(inv, "startdate", NULL);
    set_default(inv, "enddate", NULL);
    if (fill_lines(db, inv, err, cap))
      goto fail;
  }
  if (check_line_ids(db->invoices, err, cap))
    goto fail;
  return 0;
fail:
  hps_db_free(db);
  return -1;
}

void hps_db_free(hps_db *db) {
  json_object_put(db->root);
  memset(db, 0, sizeof *db);
}
