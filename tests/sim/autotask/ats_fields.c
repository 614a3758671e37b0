/* SPDX-License-Identifier: MIT */
/*
 * ats_fields.c — the metadata documents of entityInformation.
 *
 * Builders add every member with ats_add() (which takes ownership even on
 * failure) and OR the results, so one check at the end covers every
 * allocation.
 */
#include "ats_fields.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ats_item.h"
#include "ats_picklist.h"

static json_object *boolean(int v) {
  return json_object_new_boolean(v);
}

static json_object *string(const char *s) {
  return json_object_new_string(s ? s : "");
}

/* Wraps v as {key: v}; takes ownership of v. */
static json_object *wrap(const char *key, json_object *v) {
  json_object *o = json_object_new_object();
  if (!o) {
    json_object_put(v);
    return NULL;
  }
  if (ats_add(o, key, v)) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

json_object *ats_fields_info(const ats_entity *e) {
  json_object *i = json_object_new_object();
  if (!i)
    return NULL;
  int bad = ats_add(i, "name", string(e->name)) |
            ats_add(i, "canCreate", boolean((e->caps & ATS_CAN_CREATE) != 0)) |
            ats_add(i, "canDelete", boolean(0)) |
            ats_add(i, "canQuery", boolean((e->caps & ATS_CAN_QUERY) != 0)) |
            ats_add(i, "canUpdate", boolean((e->caps & ATS_CAN_UPDATE) != 0)) |
            ats_add(i, "hasUserDefinedFields",
                    boolean((e->caps & ATS_HAS_UDFS) != 0)) |
            ats_add(i, "supportsWebhookCallouts", boolean(0));
  if (bad) {
    json_object_put(i);
    return NULL;
  }
  return wrap("info", i);
}

static json_object *picklist_entry(json_object *p, int order) {
  json_object *o = json_object_new_object(), *active;
  if (!o)
    return NULL;
  int is_active = !json_object_object_get_ex(p, "isActive", &active) ||
                  json_object_get_boolean(active);
  int bad = ats_add(o, "value", string(ats_item_str(p, "value"))) |
            ats_add(o, "label", string(ats_item_str(p, "label"))) |
            ats_add(o, "isDefaultValue", boolean(0)) |
            ats_add(o, "sortOrder", json_object_new_int(order)) |
            ats_add(o, "parentValue", string("")) |
            ats_add(o, "isActive", boolean(is_active)) |
            ats_add(o, "isSystem", boolean(0));
  if (bad) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

static json_object *picklist_values(ats_db *db, const ats_entity *e,
                                    const ats_field *f) {
  json_object *list = ats_picklist_list(ats_db_picklists(db), e->name, f->name);
  json_object *out = json_object_new_array();
  for (size_t i = 0; out && list && i < json_object_array_length(list); i++) {
    json_object *entry =
        picklist_entry(json_object_array_get_idx(list, i), (int)i);
    if (!entry || json_object_array_add(out, entry)) {
      json_object_put(entry);
      json_object_put(out);
      return NULL;
    }
  }
  return out;
}

static json_object *field_info(ats_db *db, const ats_entity *e,
                               const ats_field *f) {
  json_object *picks = NULL;
  if (f->picklist && !(picks = picklist_values(db, e, f)))
    return NULL;
  json_object *o = json_object_new_object();
  if (!o) {
    json_object_put(picks);
    return NULL;
  }
  int bad = ats_add(o, "name", string(f->name)) |
            ats_add(o, "dataType", string(ats_type_name(f->type))) |
            ats_add(o, "length",
                    json_object_new_int(f->type == ATS_T_STR ? 100 : 0)) |
            ats_add(o, "isRequired", boolean(f->required)) |
            ats_add(o, "isReadOnly", boolean(f->read_only)) |
            ats_add(o, "isQueryable", boolean(1)) |
            ats_add(o, "isReference", boolean(f->reference != NULL)) |
            ats_add(o, "referenceEntityType", string(f->reference)) |
            ats_add(o, "isPickList", boolean(f->picklist));
  /* picklistValues is null for fields that are not picklists */
  if (picks)
    bad |= ats_add(o, "picklistValues", picks);
  else
    bad |= json_object_object_add(o, "picklistValues", NULL);
  bad |= ats_add(o, "picklistParentValueField", string("")) |
         ats_add(o, "isSupportedWebhookField", boolean(0));
  if (bad) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

json_object *ats_fields_list(ats_db *db, const ats_entity *e) {
  json_object *arr = json_object_new_array();
  for (size_t i = 0; arr && i < e->n_fields; i++) {
    if (e->fields[i].type == ATS_T_UDFS)
      continue; /* user-defined fields have their own call */
    json_object *f = field_info(db, e, &e->fields[i]);
    if (!f || json_object_array_add(arr, f)) {
      json_object_put(f);
      json_object_put(arr);
      return NULL;
    }
  }
  return arr ? wrap("fields", arr) : NULL;
}

static int seen(json_object *arr, const char *name) {
  for (size_t i = 0; i < json_object_array_length(arr); i++) {
    const char *n = ats_item_str(json_object_array_get_idx(arr, i), "name");
    if (n && strcasecmp(n, name) == 0)
      return 1;
  }
  return 0;
}

static json_object *udf_info(const char *name) {
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  int bad = ats_add(o, "name", string(name)) |
            ats_add(o, "label", string(name)) |
            ats_add(o, "dataType", string("string")) |
            ats_add(o, "isRequired", boolean(0)) |
            ats_add(o, "isReadOnly", boolean(0)) |
            ats_add(o, "isQueryable", boolean(1)) |
            ats_add(o, "isPickList", boolean(0));
  if (bad) {
    json_object_put(o);
    return NULL;
  }
  return o;
}

static int add_udfs_of(json_object *arr, json_object *item) {
  json_object *udfs;
  if (!json_object_object_get_ex(item, "userDefinedFields", &udfs))
    return 0;
  for (size_t j = 0; j < json_object_array_length(udfs); j++) {
    const char *name = ats_item_str(json_object_array_get_idx(udfs, j), "name");
    if (!name || seen(arr, name))
      continue;
    json_object *u = udf_info(name);
    if (!u || json_object_array_add(arr, u)) {
      json_object_put(u);
      return -1;
    }
  }
  return 0;
}

json_object *ats_fields_udfs(ats_db *db, const ats_entity *e) {
  json_object *arr = json_object_new_array(), *items = ats_db_items(db, e);
  for (size_t i = 0; arr && i < json_object_array_length(items); i++)
    if (add_udfs_of(arr, json_object_array_get_idx(items, i)) != 0) {
      json_object_put(arr);
      return NULL;
    }
  return arr ? wrap("fields", arr) : NULL;
}
