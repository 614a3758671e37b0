/* SPDX-License-Identifier: MIT */
/*
 * orderby.c — parsing orderBy and a stable merge sort that carries the
 * ordering as context (qsort cannot), see orderby.h.
 */
#include "orderby.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "jsonpath.h"
#include "textcmp.h"

#define MAX_KEYS 8

struct cw_orderby {
  const cw_field *field[MAX_KEYS];
  int desc[MAX_KEYS];
  int n;
};

static const cw_field ID_FIELD = {"id", CW_T_INT, 1};

void cw_orderby_free(cw_orderby *o) {
  free(o);
}

/* Copies the next blank-separated word of [*s, end) into buf. */
static size_t next_word(const char **s, const char *end, char *buf,
                        size_t cap) {
  while (*s < end && isspace((unsigned char)**s))
    (*s)++;
  size_t n = 0;
  while (*s < end && !isspace((unsigned char)**s)) {
    if (n + 1 < cap)
      buf[n++] = **s;
    (*s)++;
  }
  buf[n] = '\0';
  return n;
}

/* One "field [dir]" item in [s, end). */
static int parse_item(cw_orderby *o, const char *s, const char *end,
                      const cw_schema *schema, char *err, size_t errlen) {
  char name[128], dir[32], extra[32];
  if (!next_word(&s, end, name, sizeof(name))) {
    snprintf(err, errlen,
             "orderBy: an empty item; write field [asc|desc] separated by "
             "commas, e.g. name desc, id asc");
    return -1;
  }
  next_word(&s, end, dir, sizeof(dir));
  const cw_field *f = cw_schema_find(schema, name);
  if (!f || f->type == CW_T_OBJECT || f->type == CW_T_ARRAY) {
    snprintf(err, errlen,
             "orderBy: %s '%s' for a %s; name a field such as "
             "id, name or company/id",
             f ? "cannot sort by the object" : "unknown field", name,
             schema->resource);
    return -1;
  }
  if ((dir[0] && strcasecmp(dir, "asc") && strcasecmp(dir, "desc")) ||
      next_word(&s, end, extra, sizeof(extra))) {
    snprintf(err, errlen,
             "orderBy: after '%s' expected asc or desc, e.g. name desc", name);
    return -1;
  }
  if (o->n == MAX_KEYS) {
    snprintf(err, errlen, "orderBy: at most %d fields", MAX_KEYS);
    return -1;
  }
  o->field[o->n] = f;
  o->desc[o->n] = strcasecmp(dir, "desc") == 0;
  o->n++;
  return 0;
}

int cw_orderby_parse(const char *text, const cw_schema *s, cw_orderby **out,
                     char *err, size_t errlen) {
  *out = NULL;
  if (!text || strspn(text, " \t") == strlen(text))
    return 0;
  cw_orderby *o = calloc(1, sizeof(*o));
  if (!o)
    return -2;
  while (*text) {
    size_t n = strcspn(text, ",");
    if (parse_item(o, text, text + n, s, err, errlen)) {
      free(o);
      return -1;
    }
    text += n;
    if (*text == ',')
      text++;
  }
  *out = o;
  return 0;
}

int cw_orderby_is_id_asc(const cw_orderby *o) {
  return !o ||
         (o->n == 1 && strcmp(o->field[0]->path, "id") == 0 && !o->desc[0]);
}

/* SQL Server order of two values of one field; null sorts first. */
static int compare_field(const cw_field *f, json_object *a, json_object *b) {
  json_object *va = cw_json_path(a, f->path), *vb = cw_json_path(b, f->path);
  if (!va || !vb)
    return (va != NULL) - (vb != NULL);
  switch (f->type) {
  case CW_T_INT:
  case CW_T_NUM: {
    double x = json_object_get_double(va), y = json_object_get_double(vb);
    return x < y ? -1 : x > y;
  }
  case CW_T_BOOL:
    return json_object_get_boolean(va) - json_object_get_boolean(vb);
  case CW_T_DATE: {
    char ca[CW_DATE_LEN], cb[CW_DATE_LEN];
    const char *sa = json_object_get_string(va),
               *sb = json_object_get_string(vb);
    return strcmp(cw_date_parse(sa, ca) ? sa : ca,
                  cw_date_parse(sb, cb) ? sb : cb);
  }
  default:
    return cw_text_cmp(json_object_get_string(va), json_object_get_string(vb));
  }
}

static int compare(const cw_orderby *o, json_object *a, json_object *b) {
  for (int i = 0; o && i < o->n; i++) {
    int c = compare_field(o->field[i], a, b);
    if (c)
      return o->desc[i] ? -c : c;
  }
  return compare_field(&ID_FIELD, a, b);
}

static void merge_sort(const cw_orderby *o, json_object **a, json_object **tmp,
                       size_t n) {
  if (n < 2)
    return;
  size_t h = n / 2;
  merge_sort(o, a, tmp, h);
  merge_sort(o, a + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = compare(o, a[j], a[i]) < 0 ? a[j++] : a[i++];
  while (i < h)
    tmp[k++] = a[i++];
  while (j < n)
    tmp[k++] = a[j++];
  memcpy(a, tmp, n * sizeof(*a));
}

int cw_orderby_sort(const cw_orderby *o, json_object **recs, size_t n) {
  if (n < 2)
    return 0;
  json_object **tmp = malloc(n * sizeof(*tmp));
  if (!tmp)
    return -1;
  merge_sort(o, recs, tmp, n);
  free(tmp);
  return 0;
}
