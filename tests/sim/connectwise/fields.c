/* SPDX-License-Identifier: MIT */
/*
 * fields.c — a tree of selected member names, applied to records (see
 * fields.h). "company,company/id" selects all of company: a whole member
 * wins over a part of it.
 */
#include "fields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonpath.h"

struct cw_fields {
  char *name;     /* NULL at the root */
  int whole;      /* the whole member is selected */
  cw_fields *kid; /* first child */
  cw_fields *next;
};

void cw_fields_free(cw_fields *f) {
  while (f) {
    cw_fields *next = f->next;
    cw_fields_free(f->kid);
    free(f->name);
    free(f);
    f = next;
  }
}

/* The child of `parent` named `name` (case-insensitively), created if new. */
static cw_fields *child(cw_fields *parent, const char *name, size_t n) {
  cw_fields **link = &parent->kid;
  for (; *link; link = &(*link)->next)
    if (strlen((*link)->name) == n && strncasecmp((*link)->name, name, n) == 0)
      return *link;
  cw_fields *c = calloc(1, sizeof(*c));
  if (!c || !(c->name = strndup(name, n))) {
    free(c);
    return NULL;
  }
  *link = c;
  return c;
}

/* Adds one path ("company/id") of n bytes, surrounding blanks trimmed. */
static int add_path(cw_fields *root, const char *s, size_t n) {
  while (n && isspace((unsigned char)*s))
    s++, n--;
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  cw_fields *node = root;
  while (n) {
    const char *slash = memchr(s, '/', n);
    size_t seg = slash ? (size_t)(slash - s) : n;
    if (seg && !(node = child(node, s, seg)))
      return -1;
    if (!slash)
      break;
    s += seg + 1;
    n -= seg + 1;
  }
  if (node != root)
    node->whole = 1;
  return 0;
}

int cw_fields_parse(const char *text, cw_fields **out) {
  *out = NULL;
  if (!text || strspn(text, " \t,") == strlen(text))
    return 0;
  cw_fields *root = calloc(1, sizeof(*root));
  if (!root)
    return -1;
  while (*text) {
    size_t n = strcspn(text, ",");
    if (add_path(root, text, n)) {
      cw_fields_free(root);
      return -1;
    }
    text += n;
    if (*text == ',')
      text++;
  }
  *out = root;
  return 0;
}

static json_object *select_members(const cw_fields *node, json_object *obj);

/* The selection `node` applied to one member value. */
static json_object *select_value(const cw_fields *node, json_object *v,
                                 int *err) {
  json_object *copy = NULL;
  if (!v)
    return NULL; /* null stays null */
  if (node->whole || json_object_is_type(v, json_type_object) == 0) {
    if (json_object_is_type(v, json_type_array) && !node->whole) {
      /* customFields/caption: apply to every element */
      copy = json_object_new_array();
      for (size_t i = 0; copy && i < json_object_array_length(v); i++) {
        json_object *e =
            select_value(node, json_object_array_get_idx(v, i), err);
        if (*err || json_object_array_add(copy, e)) {
          json_object_put(e);
          *err = 1;
        }
      }
    } else if (json_object_deep_copy(v, &copy, NULL) != 0) {
      copy = NULL;
    }
  } else {
    copy = select_members(node, v);
  }
  if (!copy)
    *err = 1;
  return copy;
}

static json_object *select_members(const cw_fields *node, json_object *obj) {
  json_object *out = json_object_new_object();
  if (!out)
    return NULL;
  for (const cw_fields *c = node->kid; c; c = c->next) {
    const char *name = NULL;
    json_object *v = cw_json_member(obj, c->name, &name);
    if (!name)
      continue; /* the record has no such member */
    int err = 0;
    json_object *sel = select_value(c, v, &err);
    if (err || json_object_object_add(out, name, sel)) {
      json_object_put(sel);
      json_object_put(out);
      return NULL;
    }
  }
  return out;
}

json_object *cw_fields_apply(const cw_fields *f, json_object *rec) {
  if (!f) {
    json_object *copy = NULL;
    return json_object_deep_copy(rec, &copy, NULL) == 0 ? copy : NULL;
  }
  return select_members(f, rec);
}
