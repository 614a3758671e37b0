/* SPDX-License-Identifier: MIT */
/*
 * ats_filter.c — parsing and evaluating Autotask query filters.
 *
 * The JSON is checked once into a small tree of typed nodes; evaluation is
 * then a plain walk. Values are borrowed from the filter JSON, which the
 * tree keeps a reference to.
 */
#include "ats_filter.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ats_value.h"

typedef enum op {
  OP_AND,
  OP_OR,
  OP_EQ,
  OP_NOTEQ,
  OP_GT,
  OP_GTE,
  OP_LT,
  OP_LTE,
  OP_BEGINS,
  OP_ENDS,
  OP_CONTAINS,
  OP_EXIST,
  OP_NOTEXIST,
  OP_IN,
  OP_NOTIN
} op;

static const struct {
  const char *name;
  op op;
} op_names[] = {{"and", OP_AND},
                {"or", OP_OR},
                {"eq", OP_EQ},
                {"noteq", OP_NOTEQ},
                {"gt", OP_GT},
                {"gte", OP_GTE},
                {"lt", OP_LT},
                {"lte", OP_LTE},
                {"beginsWith", OP_BEGINS},
                {"endsWith", OP_ENDS},
                {"contains", OP_CONTAINS},
                {"exist", OP_EXIST},
                {"notExist", OP_NOTEXIST},
                {"in", OP_IN},
                {"notIn", OP_NOTIN}};

typedef struct node node;
struct node {
  op op;
  const ats_field *field; /* NULL for groups and UDF conditions */
  const char *udf;        /* UDF name (borrowed) */
  ats_value *values;
  size_t n_values;
  node **kids;
  size_t n_kids;
};

struct ats_filter {
  json_object *json; /* keeps borrowed strings alive */
  node *root;
};

typedef struct parser {
  const ats_entity *e;
  char *err;
  size_t errlen;
  size_t or_count;
  int failed;
} parser;

static void fail(parser *p, const char *fmt, ...) {
  if (p->failed)
    return;
  p->failed = 1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err, p->errlen, fmt, ap);
  va_end(ap);
}

static void node_free(node *n) {
  if (!n)
    return;
  for (size_t i = 0; i < n->n_kids; i++)
    node_free(n->kids[i]);
  free(n->kids);
  free(n->values);
  free(n);
}

/* A member of a condition object, its key matched case-insensitively. */
static json_object *member(json_object *o, const char *key) {
  json_object_object_foreach(o, k, v) {
    if (strcasecmp(k, key) == 0)
      return v;
  }
  return NULL;
}

static int lookup_op(const char *s, op *out) {
  for (size_t i = 0; s && i < sizeof op_names / sizeof op_names[0]; i++)
    if (strcasecmp(op_names[i].name, s) == 0) {
      *out = op_names[i].op;
      return 0;
    }
  return -1;
}

static node *parse_condition(parser *p, json_object *c, int depth);

static node *parse_group(parser *p, node *n, json_object *items, int depth) {
  if (!json_object_is_type(items, json_type_array) ||
      json_object_array_length(items) == 0) {
    fail(p, "Invalid query syntax. An 'and'/'or' group needs a non-empty "
            "'items' array.");
    return NULL;
  }
  size_t len = json_object_array_length(items);
  n->kids = calloc(len, sizeof *n->kids);
  if (!n->kids) {
    fail(p, "out of memory");
    return NULL;
  }
  for (size_t i = 0; i < len && !p->failed; i++) {
    n->kids[i] =
        parse_condition(p, json_object_array_get_idx(items, i), depth + 1);
    n->n_kids = i + 1;
  }
  if (n->op == OP_OR)
    p->or_count += len;
  return p->failed ? NULL : n;
}

static int resolve_field(parser *p, node *n, json_object *c) {
  json_object *f = member(c, "field"), *udf = member(c, "udf");
  const char *name = f ? json_object_get_string(f) : NULL;
  if (!name || !*name || !json_object_is_type(f, json_type_string)) {
    fail(p, "Invalid query syntax. Every condition needs a 'field'.");
    return -1;
  }
  if (udf && json_object_get_boolean(udf)) {
    if (!(p->e->caps & ATS_HAS_UDFS)) {
      fail(p, "The %s entity has no user-defined fields.", p->e->name);
      return -1;
    }
    n->udf = name;
    return 0;
  }
  n->field = ats_schema_field(p->e, name);
  if (!n->field || n->field->type == ATS_T_UDFS) {
    fail(p, "Unable to find %s in the %s entity.", name, p->e->name);
    return -1;
  }
  return 0;
}

static ats_type node_type(const node *n) {
  return n->field ? n->field->type : ATS_T_STR;
}

static int read_one(parser *p, const node *n, json_object *j, ats_value *out) {
  if (ats_value_read(node_type(n), j, out) == 0)
    return 0;
  const char *name = n->field ? n->field->name : n->udf;
  fail(p, "Invalid value '%s' for field %s (%s expected).",
       j ? json_object_get_string(j) : "null", name,
       ats_type_name(node_type(n)));
  return -1;
}

/* Orders values with nulls first (qsort/bsearch over in-lists). */
static int cmp_values(const void *a, const void *b) {
  const ats_value *x = a, *y = b;
  if (x->is_null || y->is_null)
    return y->is_null - x->is_null;
  return ats_value_cmp(x, y);
}

static int parse_values(parser *p, node *n, json_object *c) {
  json_object *v = member(c, "value");
  if (n->op == OP_EXIST || n->op == OP_NOTEXIST)
    return 0;
  if (n->op == OP_IN || n->op == OP_NOTIN) {
    if (!json_object_is_type(v, json_type_array) ||
        json_object_array_length(v) == 0) {
      fail(p, "Invalid query syntax. '%s' needs a non-empty array 'value'.",
           n->op == OP_IN ? "in" : "notIn");
      return -1;
    }
    size_t len = json_object_array_length(v);
    n->values = calloc(len, sizeof *n->values);
    if (!n->values) {
      fail(p, "out of memory");
      return -1;
    }
    for (size_t i = 0; i < len; i++)
      if (read_one(p, n, json_object_array_get_idx(v, i), &n->values[i]))
        return -1;
    n->n_values = len;
    /* sorted once, so matching a 500-value list is a binary search */
    qsort(n->values, len, sizeof *n->values, cmp_values);
    if (n->op == OP_IN)
      p->or_count += len;
    return 0;
  }
  if (json_object_is_type(v, json_type_array)) {
    fail(p, "Invalid query syntax. Only 'in' and 'notIn' take an array.");
    return -1;
  }
  n->values = calloc(1, sizeof *n->values);
  if (!n->values) {
    fail(p, "out of memory");
    return -1;
  }
  n->n_values = 1;
  if (read_one(p, n, v, &n->values[0]))
    return -1;
  if ((n->op == OP_BEGINS || n->op == OP_ENDS || n->op == OP_CONTAINS) &&
      (node_type(n) != ATS_T_STR || n->values[0].is_null)) {
    fail(p, "Invalid query syntax. The string operators need a string field "
            "and a value.");
    return -1;
  }
  if (n->values[0].is_null && n->op != OP_EQ && n->op != OP_NOTEQ) {
    fail(p, "Invalid query syntax. A 'value' is required.");
    return -1;
  }
  return 0;
}

static node *parse_condition(parser *p, json_object *c, int depth) {
  if (depth > 32) {
    fail(p, "Invalid query syntax. Filter nested too deeply.");
    return NULL;
  }
  if (!json_object_is_type(c, json_type_object)) {
    fail(p, "Invalid query syntax. A condition must be an object.");
    return NULL;
  }
  json_object *o = member(c, "op");
  node *n = calloc(1, sizeof *n);
  if (!n) {
    fail(p, "out of memory");
    return NULL;
  }
  if (!o || lookup_op(json_object_get_string(o), &n->op) != 0) {
    fail(p, "Invalid query syntax. Unknown operator '%s'.",
         o ? json_object_get_string(o) : "");
    free(n);
    return NULL;
  }
  if (n->op == OP_AND || n->op == OP_OR) {
    if (parse_group(p, n, member(c, "items"), depth))
      return n;
  } else if (resolve_field(p, n, c) == 0 && parse_values(p, n, c) == 0) {
    return n;
  }
  node_free(n);
  return NULL;
}

ats_filter *ats_filter_parse(const ats_entity *e, json_object *filter,
                             char *err, size_t errlen) {
  parser p = {e, err, errlen, 0, 0};
  if (!json_object_is_type(filter, json_type_array) ||
      json_object_array_length(filter) == 0) {
    fail(&p, "Invalid query syntax. A filter is required.");
    return NULL;
  }
  ats_filter *f = calloc(1, sizeof *f);
  node *root = calloc(1, sizeof *root);
  if (!f || !root) {
    free(f);
    free(root);
    fail(&p, "out of memory");
    return NULL;
  }
  root->op = OP_AND;
  f->root = root;
  f->json = json_object_get(filter);
  if (!parse_group(&p, root, filter, 0) || p.failed) {
    ats_filter_free(f);
    return NULL;
  }
  if (p.or_count > ATS_FILTER_MAX_OR) {
    fail(&p, "Invalid query syntax. Queries are limited to 500 or fewer 'OR' "
             "conditions.");
    ats_filter_free(f);
    return NULL;
  }
  return f;
}

void ats_filter_free(ats_filter *f) {
  if (!f)
    return;
  node_free(f->root);
  json_object_put(f->json);
  free(f);
}

/* The item's value for the node, null when absent or unreadable. */
static json_object *udf_value(json_object *item, const char *name) {
  json_object *udfs;
  if (!json_object_object_get_ex(item, "userDefinedFields", &udfs) ||
      !json_object_is_type(udfs, json_type_array))
    return NULL;
  for (size_t i = 0; i < json_object_array_length(udfs); i++) {
    json_object *u = json_object_array_get_idx(udfs, i), *n, *v;
    if (json_object_object_get_ex(u, "name", &n) &&
        strcasecmp(json_object_get_string(n), name) == 0)
      return json_object_object_get_ex(u, "value", &v) ? v : NULL;
  }
  return NULL;
}

static void item_value(const node *n, json_object *item, ats_value *out) {
  json_object *j = NULL;
  if (n->udf)
    j = udf_value(item, n->udf);
  else
    json_object_object_get_ex(item, n->field->name, &j);
  if (ats_value_read(node_type(n), j, out) != 0)
    out->is_null = 1;
}

static int eq(const ats_value *a, const ats_value *b) {
  if (a->is_null || b->is_null)
    return a->is_null && b->is_null;
  return ats_value_cmp(a, b) == 0;
}

static int in_list(const node *n, const ats_value *v) {
  return bsearch(v, n->values, n->n_values, sizeof *v, cmp_values) != NULL;
}

static int match_node(const node *n, json_object *item);

static int match_group(const node *n, json_object *item) {
  for (size_t i = 0; i < n->n_kids; i++) {
    int m = match_node(n->kids[i], item);
    if (n->op == OP_OR && m)
      return 1;
    if (n->op == OP_AND && !m)
      return 0;
  }
  return n->op == OP_AND;
}

static int match_node(const node *n, json_object *item) {
  if (n->op == OP_AND || n->op == OP_OR)
    return match_group(n, item);
  ats_value v;
  item_value(n, item, &v);
  const ats_value *want = n->values;
  switch (n->op) {
  case OP_EXIST:
    return !v.is_null;
  case OP_NOTEXIST:
    return v.is_null;
  case OP_EQ:
    return eq(&v, want);
  case OP_NOTEQ:
    return !eq(&v, want);
  case OP_IN: /* null matches a null in the list, as eq does */
    return in_list(n, &v);
  case OP_NOTIN:
    return !in_list(n, &v);
  default:
    break;
  }
  if (v.is_null)
    return 0;
  switch (n->op) {
  case OP_GT:
    return ats_value_cmp(&v, want) > 0;
  case OP_GTE:
    return ats_value_cmp(&v, want) >= 0;
  case OP_LT:
    return ats_value_cmp(&v, want) < 0;
  case OP_LTE:
    return ats_value_cmp(&v, want) <= 0;
  case OP_BEGINS:
    return ats_str_begins(v.s, want->s);
  case OP_ENDS:
    return ats_str_ends(v.s, want->s);
  case OP_CONTAINS:
    return ats_str_contains(v.s, want->s);
  default:
    return 0;
  }
}

int ats_filter_match(const ats_filter *f, json_object *item) {
  return match_node(f->root, item);
}

int ats_filter_eq_int(const ats_filter *f, const char *field, int64_t *value) {
  const node *root = f->root;
  for (size_t i = 0; root && i < root->n_kids; i++) {
    const node *k = root->kids[i];
    if (k->op == OP_EQ && k->field && k->field->type == ATS_T_INT &&
        k->n_values == 1 && !k->values[0].is_null &&
        strcasecmp(k->field->name, field) == 0) {
      *value = k->values[0].i;
      return 1;
    }
  }
  return 0;
}
