/* SPDX-License-Identifier: MIT */
/*
 * ats_render.c — turning stored items into wire items.
 */
#include "ats_render.h"

#include <stdio.h>
#include <string.h>

#include "ats_value.h"

int ats_render_mask(const ats_entity *e, json_object *include,
                    unsigned char *mask, char *err, size_t len) {
  size_t n = json_object_is_type(include, json_type_array)
                 ? json_object_array_length(include)
                 : 0;
  memset(mask, n ? 0 : 1, ATS_MAX_FIELDS);
  if (include && !json_object_is_type(include, json_type_array) &&
      !json_object_is_type(include, json_type_null)) {
    snprintf(err, len, "IncludeFields must be an array of field names.");
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    const char *name =
        json_object_get_string(json_object_array_get_idx(include, i));
    const ats_field *f = ats_schema_field(e, name);
    if (!f) {
      snprintf(err, len, "Unable to find %s in the %s entity.",
               name ? name : "null", e->name);
      return -1;
    }
    mask[f - e->fields] = 1;
  }
  /* Autotask sends userDefinedFields whatever IncludeFields names. */
  for (size_t i = 0; i < e->n_fields; i++)
    if (e->fields[i].type == ATS_T_UDFS)
      mask[i] = 1;
  return 0;
}

static json_object *wire_value(const ats_field *f, json_object *v,
                               const ats_render_opts *opt) {
  ats_value val;
  if (f->type == ATS_T_UDFS)
    return v ? json_object_get(v) : json_object_new_array();
  if (!v || ats_value_read(f->type, v, &val) != 0 || val.is_null)
    return NULL;
  if (f->type == ATS_T_DATE) {
    char buf[40];
    ats_date_format(val.i, opt->style, buf, sizeof buf);
    return json_object_new_string(buf);
  }
  if (opt->wrong_types) {
    if (f->type == ATS_T_BOOL)
      return json_object_new_int((int)val.i);
    if (f->type == ATS_T_INT || f->type == ATS_T_DEC)
      return json_object_new_string(json_object_get_string(v));
  }
  return json_object_get(v);
}

/* The item's "wire" overrides of the fields in the mask; 0 or -1. */
static int apply_wire(const ats_entity *e, json_object *item,
                      const unsigned char *mask, json_object *out) {
  json_object *wire = NULL;
  if (!json_object_object_get_ex(item, "wire", &wire) ||
      !json_object_is_type(wire, json_type_object))
    return 0;
  json_object_object_foreach(wire, key, v) {
    const ats_field *f = ats_schema_field(e, key);
    if (!f || !mask[f - e->fields])
      continue;
    if (json_object_object_add(out, f->name, json_object_get(v)) != 0) {
      json_object_put(v);
      return -1;
    }
  }
  return 0;
}

json_object *ats_render_item(const ats_entity *e, json_object *item,
                             const unsigned char *mask,
                             const ats_render_opts *opt) {
  json_object *out = json_object_new_object();
  for (size_t i = 0; out && i < e->n_fields; i++) {
    const ats_field *f = &e->fields[i];
    json_object *v = NULL;
    if (!mask[i] || (opt->missing_fields && strcmp(f->name, "id") != 0))
      continue;
    json_object_object_get_ex(item, f->name, &v);
    json_object *w = wire_value(f, v, opt);
    if ((!w && v && f->type == ATS_T_UDFS) ||
        json_object_object_add(out, f->name, w) != 0) {
      json_object_put(w);
      json_object_put(out);
      return NULL;
    }
  }
  if (out && !opt->missing_fields && apply_wire(e, item, mask, out) != 0) {
    json_object_put(out);
    return NULL;
  }
  return out;
}
