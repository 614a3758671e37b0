/* SPDX-License-Identifier: MIT */
/*
 * hps_post.c — POST /api/RecurringInvoice: Halo's update by posting whole
 * objects.
 *
 * The body is a JSON array. An element with an existing "id" updates that
 * invoice: its scalar members replace the stored ones, and when it has
 * "lines", the invoice's lines become EXACTLY the posted ones: a posted
 * line with an id of this invoice is updated with the posted members, one
 * without an id (or id 0) is created, and every stored line the post
 * omits is DROPPED (kept in the state's "dropped_lines" so tests see it).
 * An element without an id creates an invoice. A line whose quantity Halo
 * computes (recurring_invoice_quantity_type not 0) keeps its stored
 * qty_order whatever is posted. Each element's effect is recorded in the
 * state's "writes": {"invoice","changes":[{"line","from","to"}],
 * "dropped":[ids],"created":[ids],"lines_posted"}.
 * Answer: the saved object for one element, an array for several; 400 for
 * a body that is not an array of objects or a new line without _itemid,
 * 404 for an unknown invoice id.
 *
 * Domain faults (a fault rule's action): ignore_write (answers the stored
 * invoice, saves nothing), other_writer (saves, then another writer sets
 * every changed line to the posted quantity + the rule's "delta", default
 * 1), lose_lines (saves only the posted lines whose quantity changed).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hps_api.h"

static json_object *line_of(json_object *lines, long long id) {
  return hps_find(lines, id);
}

static double qty(json_object *line) {
  json_object *q = NULL;
  if (!json_object_object_get_ex(line, "qty_order", &q) || !q)
    return NAN;
  json_type t = json_object_get_type(q);
  return t == json_type_int || t == json_type_double ? json_object_get_double(q)
                                                     : NAN;
}

/* Merge the posted members of `from` into `to` (ihid and id stay). */
static void merge(json_object *to, json_object *from) {
  json_object_object_foreach(from, key, val) {
    if (strcmp(key, "id") == 0 || strcmp(key, "ihid") == 0)
      continue;
    json_object *copy = NULL;
    if (json_object_deep_copy(val, &copy, NULL) == 0)
      json_object_object_add(to, key, copy);
  }
}

static json_object *ids_array(void) {
  return json_object_new_array();
}

typedef struct post_ctx {
  hps_api *api;
  const char *action;
  long delta;
  char err[256];
  int status;
} post_ctx;

/* The new line list of `inv` from the posted `posted` lines. NULL with
 * ctx->status set on a bad line. */
static json_object *new_lines(post_ctx *c, json_object *inv,
                              json_object *posted, json_object *record) {
  long long ihid = hps_int(inv, "id", 0);
  json_object *old = NULL;
  json_object_object_get_ex(inv, "lines", &old);
  json_object *lines = json_object_new_array();
  json_object *changes = ids_array(), *created = ids_array();
  for (size_t i = 0; i < json_object_array_length(posted); i++) {
    json_object *p = json_object_array_get_idx(posted, i);
    if (!json_object_is_type(p, json_type_object)) {
      snprintf(c->err, sizeof c->err, "lines[%zu] is not an object", i);
      goto bad;
    }
    long long id = hps_int(p, "id", 0);
    json_object *stored = id ? line_of(old, id) : NULL;
    if (id && !stored) {
      snprintf(c->err, sizeof c->err,
               "line %lld does not belong to recurring invoice %lld", id, ihid);
      goto bad;
    }
    json_object *line = NULL;
    if (stored) {
      if (json_object_deep_copy(stored, &line, NULL) != 0)
        goto bad;
      double before = qty(stored);
      merge(line, p);
      if (hps_int(stored, "recurring_invoice_quantity_type", 0) != 0) {
        /* Halo computes this quantity: the posted one does not stick. */
        json_object *q = NULL, *copy = NULL;
        json_object_object_get_ex(stored, "qty_order", &q);
        json_object_deep_copy(q, &copy, NULL);
        json_object_object_add(line, "qty_order", copy);
      }
      double after = qty(line);
      if (!(before == after) && !(isnan(before) && isnan(after))) {
        json_object *ch = json_object_new_object();
        json_object_object_add(ch, "line", json_object_new_int64(id));
        json_object_object_add(
            ch, "from", isnan(before) ? NULL : json_object_new_double(before));
        json_object_object_add(
            ch, "to", isnan(after) ? NULL : json_object_new_double(after));
        json_object_array_add(changes, ch);
      } else if (c->action && strcmp(c->action, "lose_lines") == 0) {
        json_object_put(line);
        continue; /* Halo misbehaving: an unchanged line is lost */
      }
    } else {
      if (hps_int(p, "_itemid", LLONG_MIN) == LLONG_MIN) {
        snprintf(c->err, sizeof c->err,
                 "lines[%zu]: _itemid is required for a new line", i);
        goto bad;
      }
      if (json_object_deep_copy(p, &line, NULL) != 0)
        goto bad;
      long long nid = c->api->db.next_line_id++;
      json_object_object_add(line, "id", json_object_new_int64(nid));
      json_object_array_add(created, json_object_new_int64(nid));
    }
    json_object_object_add(line, "ihid", json_object_new_int64(ihid));
    json_object_array_add(lines, line);
  }
  json_object *dropped = ids_array();
  for (size_t i = 0; old && i < json_object_array_length(old); i++) {
    json_object *o = json_object_array_get_idx(old, i);
    long long id = hps_int(o, "id", 0);
    if (line_of(lines, id))
      continue;
    json_object_array_add(dropped, json_object_new_int64(id));
    json_object *gone = NULL;
    json_object_deep_copy(o, &gone, NULL);
    json_object_array_add(c->api->db.dropped, gone);
  }
  json_object_object_add(record, "changes", changes);
  json_object_object_add(record, "dropped", dropped);
  json_object_object_add(record, "created", created);
  json_object_object_add(
      record, "lines_posted",
      json_object_new_int64((int64_t)json_object_array_length(posted)));
  return lines;
bad:
  c->status = 400;
  json_object_put(lines);
  json_object_put(changes);
  json_object_put(created);
  return NULL;
}

/* Another writer changes every line this post changed. */
static void other_writer(post_ctx *c, json_object *inv, json_object *record) {
  json_object *changes = NULL, *lines = NULL;
  json_object_object_get_ex(record, "changes", &changes);
  json_object_object_get_ex(inv, "lines", &lines);
  for (size_t i = 0; changes && i < json_object_array_length(changes); i++) {
    json_object *ch = json_object_array_get_idx(changes, i);
    json_object *l = line_of(lines, hps_int(ch, "line", 0));
    double to = qty(l);
    if (l && !isnan(to))
      json_object_object_add(l, "qty_order",
                             json_object_new_double(to + (double)c->delta));
  }
  json_object_object_add(record, "other_writer", json_object_new_boolean(1));
}

/* Apply one element; its saved object, or NULL with c->status set. */
static json_object *apply_one(post_ctx *c, json_object *el) {
  hps_db *db = &c->api->db;
  if (!json_object_is_type(el, json_type_object)) {
    snprintf(c->err, sizeof c->err, "each element must be an object");
    c->status = 400;
    return NULL;
  }
  long long id = hps_int(el, "id", 0);
  json_object *inv = id ? hps_find(db->invoices, id) : NULL;
  if (id && !inv) {
    snprintf(c->err, sizeof c->err, "Recurring invoice %lld not found", id);
    c->status = 404;
    return NULL;
  }
  if (c->action && strcmp(c->action, "ignore_write") == 0 && inv)
    return json_object_get(inv);
  json_object *record = json_object_new_object();
  if (!inv) {
    inv = json_object_new_object();
    id = db->next_invoice_id++;
    json_object_object_add(inv, "id", json_object_new_int64(id));
    json_object_object_add(inv, "lines", json_object_new_array());
    json_object_array_add(db->invoices, inv);
    json_object_object_add(record, "created_invoice",
                           json_object_new_boolean(1));
  }
  json_object_object_add(record, "invoice", json_object_new_int64(id));
  json_object *posted = NULL;
  if (json_object_object_get_ex(el, "lines", &posted) && posted) {
    if (!json_object_is_type(posted, json_type_array)) {
      snprintf(c->err, sizeof c->err, "lines must be an array");
      c->status = 400;
      json_object_put(record);
      return NULL;
    }
    json_object *lines = new_lines(c, inv, posted, record);
    if (!lines) {
      json_object_put(record);
      return NULL;
    }
    json_object_object_add(inv, "lines", lines);
  }
  json_object_object_foreach(el, key, val) {
    if (strcmp(key, "id") == 0 || strcmp(key, "lines") == 0 ||
        json_object_is_type(val, json_type_array) ||
        json_object_is_type(val, json_type_object))
      continue;
    json_object *copy = NULL;
    if (json_object_deep_copy(val, &copy, NULL) == 0)
      json_object_object_add(inv, key, copy);
  }
  if (c->action && strcmp(c->action, "other_writer") == 0)
    other_writer(c, inv, record);
  json_object_array_add(db->writes, record);
  return json_object_get(inv);
}

void hps_post_invoices(hps_api *api, const sim_request *r, sim_response *resp) {
  json_object *body = json_tokener_parse(r->body ? r->body : "");
  if (!body || !json_object_is_type(body, json_type_array) ||
      json_object_array_length(body) == 0) {
    json_object_put(body);
    hps_error(resp, 400,
              "The request body must be a JSON array of recurring invoices");
    return;
  }
  post_ctx c = {.api = api,
                .action = r->fault_action,
                .delta = hps_rule_int(r, "delta", 1)};
  size_t n = json_object_array_length(body);
  json_object *saved = json_object_new_array();
  for (size_t i = 0; i < n && !c.status; i++) {
    json_object *one = apply_one(&c, json_object_array_get_idx(body, i));
    if (one)
      json_object_array_add(saved, one);
  }
  json_object_put(body);
  if (c.status) {
    json_object_put(saved);
    hps_error(resp, c.status, c.err);
    return;
  }
  if (n == 1) {
    json_object *only = json_object_get(json_object_array_get_idx(saved, 0));
    json_object_put(saved);
    saved = only;
  }
  sim_respond_json(resp, 200, saved);
  json_object_put(saved);
}
