/* SPDX-License-Identifier: MIT */
/*
 * at_picklist.c — parsing entityInformation/fields picklists (see
 * at_picklist.h).
 */
#include "at_picklist.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "at_json.h"

static int malformed(char *err, size_t errlen, const char *field,
                     const char *what) {
  snprintf(err, errlen,
           "Autotask sent field information for %s that does not match the "
           "API: %s",
           field, what);
  return -1;
}

/* A picklist value: "12" or 12. */
static int read_value(json_object *v, long long *out) {
  if (v && json_object_is_type(v, json_type_string)) {
    const char *s = json_object_get_string(v);
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (!*s || *end || errno)
      return -1;
    *out = n;
    return 0;
  }
  return at_json_value_int(v, out) == AT_FIELD_OK ? 0 : -1;
}

static int read_items(json_object *list, const char *field, at_picklist *out,
                      char *err, size_t errlen) {
  size_t n = json_object_array_length(list);
  out->items = calloc(n ? n : 1, sizeof *out->items);
  if (!out->items)
    return malformed(err, errlen, field, "out of memory");
  for (size_t i = 0; i < n; i++) {
    json_object *pv = json_object_array_get_idx(list, i), *v;
    const char *label = NULL;
    at_pick *p = &out->items[out->n];
    if (!at_json_lookup(pv, "value", &v) || read_value(v, &p->value))
      return malformed(err, errlen, field, "a picklist value is not a number");
    if (at_json_string(pv, "label", &label) != AT_FIELD_OK)
      return malformed(err, errlen, field, "a picklist value has no label");
    int active = 1;
    at_field f = at_json_bool(pv, "isActive", &active);
    if (f == AT_FIELD_WRONG_TYPE)
      return malformed(err, errlen, field, "isActive is not a boolean");
    p->active = f == AT_FIELD_OK ? active : 1;
    p->label = strdup(label);
    if (!p->label)
      return malformed(err, errlen, field, "out of memory");
    out->n++;
  }
  return 0;
}

int at_picklist_parse(json_object *root, const char *field, at_picklist *out,
                      char *err, size_t errlen) {
  json_object *fields;
  memset(out, 0, sizeof *out);
  if (!at_json_lookup(root, "fields", &fields) || !fields ||
      !json_object_is_type(fields, json_type_array))
    return malformed(err, errlen, field, "no \"fields\" array");
  size_t n = json_object_array_length(fields);
  for (size_t i = 0; i < n; i++) {
    json_object *f = json_object_array_get_idx(fields, i), *list;
    const char *name = NULL;
    if (at_json_string(f, "name", &name) != AT_FIELD_OK)
      return malformed(err, errlen, field, "a field has no name");
    if (strcasecmp(name, field) != 0)
      continue;
    int is_pick = 0;
    if (at_json_bool(f, "isPickList", &is_pick) == AT_FIELD_WRONG_TYPE)
      return malformed(err, errlen, field, "isPickList is not a boolean");
    if (!at_json_lookup(f, "picklistValues", &list) || !list) {
      /* Autotask sends picklistValues only for picklists. */
      return 0;
    }
    if (!json_object_is_type(list, json_type_array))
      return malformed(err, errlen, field, "picklistValues is not an array");
    out->found = 1;
    if (read_items(list, field, out, err, errlen)) {
      at_picklist_free(out);
      return -1;
    }
    return 0;
  }
  return 0;
}

void at_picklist_free(at_picklist *p) {
  if (!p)
    return;
  for (size_t i = 0; i < p->n; i++)
    free(p->items[i].label);
  free(p->items);
  memset(p, 0, sizeof *p);
}

const char *at_picklist_label(const at_picklist *p, long long value) {
  for (size_t i = 0; p && i < p->n; i++)
    if (p->items[i].value == value)
      return p->items[i].label;
  return NULL;
}

/* Compare ignoring case and leading/trailing blanks. */
static int same_label(const char *a, const char *b) {
  while (isspace((unsigned char)*a))
    a++;
  while (isspace((unsigned char)*b))
    b++;
  size_t la = strlen(a), lb = strlen(b);
  while (la && isspace((unsigned char)a[la - 1]))
    la--;
  while (lb && isspace((unsigned char)b[lb - 1]))
    lb--;
  return la == lb && strncasecmp(a, b, la) == 0;
}

int at_picklist_value(const at_picklist *p, const char *label,
                      long long *value) {
  int hits = 0;
  for (size_t i = 0; p && i < p->n; i++) {
    if (same_label(p->items[i].label, label)) {
      if (hits++ == 0)
        *value = p->items[i].value;
      else if (p->items[i].value == *value)
        hits--; /* the same value listed twice is no ambiguity */
    }
  }
  return hits > 1 ? -1 : hits;
}
