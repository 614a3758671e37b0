/* SPDX-License-Identifier: MIT */
/*
 * ats_db.c — loading, normalising and holding the simulated dataset.
 *
 * Loading is where a fixture's conveniences (labels for picklists, loose
 * types, missing ids, unit counts instead of unit rows) become the canonical
 * form every other part relies on: json ints and doubles, "...Z" datetimes,
 * arrays sorted by id.
 */
#include "ats_db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ats_date.h"
#include "ats_item.h"
#include "ats_picklist.h"
#include "ats_units.h"
#include "ats_value.h"

#define ATS_MAX_ENTITIES 16

struct ats_db {
  json_object *root;
  int64_t now;
  int64_t next_id[ATS_MAX_ENTITIES];
  ats_index *units_by_service; /* ContractServiceUnits by contractServiceID */
};

static void say(char *err, size_t len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, len, fmt, ap);
  va_end(ap);
}

static size_t entity_index(const ats_entity *e) {
  for (size_t i = 0; i < ats_schema_count(); i++)
    if (ats_schema_at(i) == e)
      return i;
  return 0;
}

json_object *ats_db_root(ats_db *db) {
  return db->root;
}

json_object *ats_db_items(ats_db *db, const ats_entity *e) {
  json_object *arr = NULL;
  json_object_object_get_ex(db->root, e->key, &arr);
  return arr;
}

json_object *ats_db_picklists(ats_db *db) {
  json_object *p = NULL;
  json_object_object_get_ex(db->root, "picklists", &p);
  return p;
}

int64_t ats_db_now(const ats_db *db) {
  return db->now;
}

json_object *ats_db_find(ats_db *db, const ats_entity *e, int64_t id) {
  json_object *arr = ats_db_items(db, e);
  size_t lo = 0, hi = json_object_array_length(arr);
  while (lo < hi) { /* arrays stay sorted by id */
    size_t mid = lo + (hi - lo) / 2;
    json_object *it = json_object_array_get_idx(arr, mid);
    int64_t v = 0;
    ats_item_int(it, "id", &v);
    if (v == id)
      return it;
    if (v < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

int ats_db_append(ats_db *db, const ats_entity *e, json_object *item,
                  int64_t *id) {
  size_t k = entity_index(e);
  int64_t next = db->next_id[k];
  if (ats_item_set_int(item, "id", next) != 0 ||
      json_object_array_add(ats_db_items(db, e), item) != 0) {
    json_object_put(item);
    return -1;
  }
  db->next_id[k] = next + 1;
  if (id)
    *id = next;
  return 0;
}

ats_index *ats_db_index(ats_db *db, const ats_entity *e) {
  /* A unit row keeps its contract service for life: the one field worth
   * an index (every units query names it). */
  if (strcmp(e->name, "ContractServiceUnits") != 0)
    return NULL;
  if (!db->units_by_service)
    db->units_by_service = ats_index_new("contractServiceID");
  return db->units_by_service;
}

int ats_db_denied(ats_db *db, const ats_entity *e) {
  json_object *d;
  if (!json_object_object_get_ex(db->root, "denied", &d))
    return 0;
  for (size_t i = 0; i < json_object_array_length(d); i++)
    if (strcasecmp(json_object_get_string(json_object_array_get_idx(d, i)),
                   e->name) == 0)
      return 1;
  return 0;
}

void ats_db_free(ats_db *db) {
  if (!db)
    return;
  ats_index_free(db->units_by_service);
  json_object_put(db->root);
  free(db);
}

/* ---- loading ------------------------------------------------------------ */

static int load_now(ats_db *db, const ats_db_options *opt, char *err,
                    size_t len) {
  json_object *j;
  if (opt && opt->has_now) {
    db->now = ats_day_floor(opt->now);
  } else if (json_object_object_get_ex(db->root, "now", &j) &&
             !json_object_is_type(j, json_type_null)) {
    if (ats_date_parse(json_object_get_string(j), &db->now) != 0) {
      say(err, len, "\"now\" is not a date: %s", json_object_get_string(j));
      return -1;
    }
    db->now = ats_day_floor(db->now);
  } else {
    db->now = ats_day_floor((int64_t)time(NULL));
  }
  return ats_item_set_date(db->root, "now", db->now);
}

/* Replaces default lists by the document's own ones. */
static int overlay_picklists(json_object *all, json_object *given, char *err,
                             size_t len) {
  if (!json_object_is_type(given, json_type_object)) {
    say(err, len, "\"picklists\" must be an object");
    return -1;
  }
  json_object_object_foreach(given, key, list) {
    if (!json_object_is_type(list, json_type_array)) {
      say(err, len, "picklists.%s must be an array", key);
      return -1;
    }
    if (json_object_object_add(all, key, json_object_get(list)) != 0) {
      json_object_put(list);
      say(err, len, "out of memory");
      return -1;
    }
  }
  return 0;
}

static int load_picklists(ats_db *db, const ats_db_options *opt, char *err,
                          size_t len) {
  json_object *j, *given = NULL;
  int offset = 0;
  if (opt && opt->has_picklist_offset)
    offset = opt->picklist_offset;
  else if (json_object_object_get_ex(db->root, "picklistOffset", &j))
    offset = json_object_get_int(j);
  json_object *all = ats_picklist_defaults(offset);
  if (!all) {
    say(err, len, "out of memory");
    return -1;
  }
  if (json_object_object_get_ex(db->root, "picklists", &given) &&
      overlay_picklists(all, given, err, len) != 0) {
    json_object_put(all);
    return -1;
  }
  if (ats_add(db->root, "picklistOffset", json_object_new_int(offset)) ||
      ats_add(db->root, "picklists", all)) {
    say(err, len, "out of memory");
    return -1;
  }
  return 0;
}

static int normalize_picklist(ats_db *db, const ats_entity *e,
                              const ats_field *f, json_object *item,
                              json_object *v, const char *where, char *err,
                              size_t len) {
  int num;
  const char *label = json_object_get_string(v);
  if (ats_picklist_value(ats_db_picklists(db), e->name, f->name, label, &num)) {
    say(err, len, "%s.%s: '%s' is not a label of the %s.%s picklist", where,
        f->name, label, e->name, f->name);
    return -1;
  }
  return ats_item_set_int(item, f->name, num);
}

static int normalize_value(ats_db *db, const ats_entity *e, const ats_field *f,
                           json_object *item, json_object *v, const char *where,
                           char *err, size_t len) {
  ats_value val;
  if (f->picklist && json_object_is_type(v, json_type_string) &&
      ats_value_read(ATS_T_INT, v, &val) != 0)
    return normalize_picklist(db, e, f, item, v, where, err, len);
  if (f->type == ATS_T_UDFS) {
    if (v && !json_object_is_type(v, json_type_array)) {
      say(err, len, "%s.userDefinedFields must be an array", where);
      return -1;
    }
    return 0;
  }
  if (ats_value_read(f->type, v, &val) != 0) {
    say(err, len, "%s.%s: '%s' is not a valid %s", where, f->name,
        json_object_get_string(v), ats_type_name(f->type));
    return -1;
  }
  if (val.is_null)
    return ats_item_set_null(item, f->name);
  switch (f->type) {
  case ATS_T_INT:
    return ats_item_set_int(item, f->name, val.i);
  case ATS_T_DEC:
    return ats_item_set_dec(item, f->name, val.d);
  case ATS_T_DATE:
    return ats_item_set_date(item, f->name, val.i);
  case ATS_T_BOOL:
    return ats_item_set_bool(item, f->name, (int)val.i);
  case ATS_T_STR:
    return ats_item_set_str(item, f->name, val.s);
  case ATS_T_UDFS:
    break;
  }
  return 0;
}

/* Renames keys to their schema spelling, then converts every known field.
 * The item is rebuilt so the renaming never mutates a map while walking it. */
static json_object *normalize_item(ats_db *db, const ats_entity *e,
                                   json_object *in, const char *where,
                                   char *err, size_t len) {
  if (!json_object_is_type(in, json_type_object)) {
    say(err, len, "%s must be an object", where);
    return NULL;
  }
  json_object *out = json_object_new_object();
  if (!out) {
    say(err, len, "out of memory");
    return NULL;
  }
  json_object_object_foreach(in, key, v) {
    const ats_field *f = ats_schema_field(e, key);
    json_object_object_add(out, f ? f->name : key, json_object_get(v));
    if (f && normalize_value(db, e, f, out, v, where, err, len) != 0) {
      json_object_put(out);
      return NULL;
    }
  }
  return out;
}

static int cmp_id(const void *a, const void *b) {
  int64_t x = 0, y = 0;
  ats_item_int(*(json_object *const *)a, "id", &x);
  ats_item_int(*(json_object *const *)b, "id", &y);
  return (x > y) - (x < y);
}

static int64_t id_at(json_object *arr, size_t i) {
  int64_t id = 0;
  ats_item_int(json_object_array_get_idx(arr, i), "id", &id);
  return id;
}

/* Gives ids to items without one, then sorts the array by id. */
static int number_items(ats_db *db, size_t k, json_object *arr, char *err,
                        size_t len, const char *key) {
  int64_t max = 0, id;
  size_t n = json_object_array_length(arr);
  for (size_t i = 0; i < n; i++)
    if (ats_item_int(json_object_array_get_idx(arr, i), "id", &id) == 0 &&
        id > max)
      max = id;
  for (size_t i = 0; i < n; i++) {
    json_object *it = json_object_array_get_idx(arr, i);
    if (ats_item_int(it, "id", &id) != 0 && ats_item_set_int(it, "id", ++max)) {
      say(err, len, "out of memory");
      return -1;
    }
  }
  json_object_array_sort(arr, cmp_id);
  for (size_t i = 1; i < n; i++)
    if ((id = id_at(arr, i)) == id_at(arr, i - 1)) {
      say(err, len, "%s: id %lld appears twice", key, (long long)id);
      return -1;
    }
  db->next_id[k] = max + 1;
  return 0;
}

static int load_entity(ats_db *db, size_t k, char *err, size_t len) {
  const ats_entity *e = ats_schema_at(k);
  json_object *given = NULL, *arr = json_object_new_array();
  if (!arr) {
    say(err, len, "out of memory");
    return -1;
  }
  json_object_object_get_ex(db->root, e->key, &given);
  if (given && !json_object_is_type(given, json_type_array)) {
    say(err, len, "\"%s\" must be an array", e->key);
    json_object_put(arr);
    return -1;
  }
  for (size_t i = 0; given && i < json_object_array_length(given); i++) {
    char where[64];
    snprintf(where, sizeof where, "%s[%zu]", e->key, i);
    json_object *it = normalize_item(db, e, json_object_array_get_idx(given, i),
                                     where, err, len);
    if (!it || json_object_array_add(arr, it) != 0) {
      json_object_put(it);
      json_object_put(arr);
      return -1;
    }
  }
  json_object_object_add(db->root, e->key, arr);
  return number_items(db, k, arr, err, len, e->key);
}

static int load_denied(ats_db *db, char *err, size_t len) {
  json_object *d;
  if (!json_object_object_get_ex(db->root, "denied", &d))
    return 0;
  if (!json_object_is_type(d, json_type_array)) {
    say(err, len, "\"denied\" must be an array of entity names");
    return -1;
  }
  for (size_t i = 0; i < json_object_array_length(d); i++) {
    const char *name = json_object_get_string(json_object_array_get_idx(d, i));
    if (!ats_schema_entity(name)) {
      say(err, len, "\"denied\": unknown entity '%s'", name ? name : "");
      return -1;
    }
  }
  return 0;
}

ats_db *ats_db_load(json_object *doc, const ats_db_options *opt, char *err,
                    size_t errlen) {
  if (!json_object_is_type(doc, json_type_object)) {
    say(err, errlen, "the dataset must be a JSON object");
    return NULL;
  }
  ats_db *db = calloc(1, sizeof *db);
  if (!db || json_object_deep_copy(doc, &db->root, NULL) != 0) {
    free(db);
    say(err, errlen, "out of memory");
    return NULL;
  }
  int bad = load_now(db, opt, err, errlen) ||
            load_picklists(db, opt, err, errlen) ||
            load_denied(db, err, errlen);
  for (size_t k = 0; !bad && k < ats_schema_count(); k++)
    bad = load_entity(db, k, err, errlen);
  if (!bad)
    bad = ats_units_fill(db, err, errlen);
  if (bad) {
    ats_db_free(db);
    return NULL;
  }
  return db;
}
