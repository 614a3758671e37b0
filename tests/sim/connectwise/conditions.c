/* SPDX-License-Identifier: MIT */
/*
 * conditions.c — tokenizer, recursive-descent parser and evaluator of the
 * ConnectWise `conditions` language (grammar and semantics in conditions.h).
 */
#include "conditions.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dates.h"
#include "jsonpath.h"
#include "textcmp.h"

/* Deeper nesting than this is refused: no real filter needs it and the
 * parser recurses once per level. */
#define MAX_DEPTH 32

static const char SYNTAX_HELP[] =
    "Syntax: field operator value, joined by and/or with optional "
    "parentheses, e.g. company/id=250 and agreementStatus=\"Active\"; "
    "operators = != < <= > >= contains like in, not contains, not like, "
    "not in; strings in double or single quotes, dates in [brackets] such as "
    "[2026-11-01T00:00:00Z], numbers bare, true, false, null, lists as "
    "(1,2,3).";

typedef enum tok_kind {
  TK_END,
  TK_WORD,
  TK_STR,
  TK_NUM,
  TK_DATE,
  TK_OP,
  TK_LP,
  TK_RP,
  TK_COMMA
} tok_kind;

typedef struct token {
  tok_kind kind;
  size_t pos;
  char *text; /* owned: the word, unescaped string, number, date or operator */
} token;

typedef enum op {
  OP_EQ,
  OP_NE,
  OP_LT,
  OP_LE,
  OP_GT,
  OP_GE,
  OP_CONTAINS,
  OP_LIKE,
  OP_IN
} op;

typedef enum value_kind { V_NULL, V_NUM, V_STR, V_BOOL, V_DATE } value_kind;

typedef struct value {
  value_kind kind;
  double num;
  int b;
  char *str; /* owned; V_STR text or V_DATE canonical date */
} value;

typedef enum node_kind { N_AND, N_OR, N_CMP } node_kind;

struct cw_cond {
  node_kind kind;
  cw_cond *left, *right; /* N_AND, N_OR */
  const cw_field *field; /* N_CMP */
  op op;
  int negate; /* the `not` of not like / not contains / not in */
  value *values;
  size_t n_values;
};

typedef struct parser {
  const char *src;
  size_t pos;
  token tok;
  const cw_schema *schema;
  char *err;
  size_t errlen;
  int failed;
  int nomem;
  int depth;
} parser;

/* ---- errors ------------------------------------------------------------ */

/* Records the first error with its 1-based position and the syntax help. */
static void fail(parser *p, size_t pos, const char *fmt, ...) {
  if (p->failed)
    return;
  p->failed = 1;
  char what[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  snprintf(p->err, p->errlen, "conditions: %s at position %zu. %s", what,
           pos + 1, SYNTAX_HELP);
}

static void out_of_memory(parser *p) {
  p->nomem = 1;
  p->failed = 1;
}

/* ---- tokenizer --------------------------------------------------------- */

static int set_token(parser *p, tok_kind kind, size_t pos, const char *text,
                     size_t n) {
  p->tok.kind = kind;
  p->tok.pos = pos;
  p->tok.text = strndup(text, n);
  if (!p->tok.text) {
    out_of_memory(p);
    return -1;
  }
  return 0;
}

static int is_word_start(char c) {
  return isalpha((unsigned char)c) || c == '_';
}

static int is_word_char(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '/';
}

/* A quoted string: backslash escapes the quote characters and itself; any
 * other backslash stands for itself (so "C:\temp" survives). */
static int lex_string(parser *p, size_t start) {
  char q = p->src[start];
  size_t len = strlen(p->src + start);
  char *buf = malloc(len + 1);
  if (!buf) {
    out_of_memory(p);
    return -1;
  }
  size_t n = 0, i = start + 1;
  for (;;) {
    char c = p->src[i];
    if (c == '\0') {
      free(buf);
      fail(p, start, "unterminated string starting with %c", q);
      return -1;
    }
    if (c == '\\' && (p->src[i + 1] == '"' || p->src[i + 1] == '\'' ||
                      p->src[i + 1] == '\\')) {
      buf[n++] = p->src[i + 1];
      i += 2;
      continue;
    }
    i++;
    if (c == q)
      break;
    buf[n++] = c;
  }
  buf[n] = '\0';
  p->tok.kind = TK_STR;
  p->tok.pos = start;
  p->tok.text = buf;
  p->pos = i;
  return 0;
}

static int lex_date(parser *p, size_t start) {
  const char *close = strchr(p->src + start, ']');
  if (!close) {
    fail(p, start, "missing ] after a date");
    return -1;
  }
  char inner[64], canon[CW_DATE_LEN];
  size_t n = (size_t)(close - (p->src + start + 1));
  if (n >= sizeof(inner) || (memcpy(inner, p->src + start + 1, n),
                             inner[n] = '\0', cw_date_parse(inner, canon))) {
    fail(p, start, "[%.*s] is not a date like [2026-11-01T00:00:00Z]",
         (int)(n < 40 ? n : 40), p->src + start + 1);
    return -1;
  }
  p->pos = (size_t)(close - p->src) + 1;
  return set_token(p, TK_DATE, start, canon, strlen(canon));
}

static int lex_number(parser *p, size_t start) {
  size_t i = start;
  if (p->src[i] == '-' || p->src[i] == '+')
    i++;
  size_t digits = 0;
  while (isdigit((unsigned char)p->src[i]))
    i++, digits++;
  if (p->src[i] == '.') {
    i++;
    while (isdigit((unsigned char)p->src[i]))
      i++, digits++;
  }
  if (digits == 0 || is_word_char(p->src[i]) || p->src[i] == '.') {
    fail(p, start, "malformed number");
    return -1;
  }
  p->pos = i;
  return set_token(p, TK_NUM, start, p->src + start, i - start);
}

static int lex_operator(parser *p, size_t start) {
  const char *s = p->src + start;
  size_t n = 0;
  if (s[0] == '=')
    n = 1;
  else if (s[0] == '!' && s[1] == '=')
    n = 2;
  else if (s[0] == '<' || s[0] == '>')
    n = s[1] == '=' ? 2 : 1;
  if (n == 0 || (s[0] == '<' && s[1] == '>')) {
    fail(p, start, "unknown operator starting with '%c'", s[0]);
    return -1;
  }
  p->pos = start + n;
  return set_token(p, TK_OP, start, s, n);
}

/* Reads the next token into p->tok (freeing the previous one). */
static int lex(parser *p) {
  free(p->tok.text);
  p->tok.text = NULL;
  while (isspace((unsigned char)p->src[p->pos]))
    p->pos++;
  size_t start = p->pos;
  char c = p->src[start];
  p->tok.pos = start;
  switch (c) {
  case '\0':
    p->tok.kind = TK_END;
    return 0;
  case '(':
  case ')':
  case ',':
    p->pos++;
    return set_token(p,
                     c == '('   ? TK_LP
                     : c == ')' ? TK_RP
                                : TK_COMMA,
                     start, p->src + start, 1);
  case '"':
  case '\'':
    return lex_string(p, start);
  case '[':
    return lex_date(p, start);
  case '=':
  case '!':
  case '<':
  case '>':
    return lex_operator(p, start);
  default:
    break;
  }
  if (isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.')
    return lex_number(p, start);
  if (is_word_start(c)) {
    size_t i = start;
    while (is_word_char(p->src[i]))
      i++;
    p->pos = i;
    return set_token(p, TK_WORD, start, p->src + start, i - start);
  }
  fail(p, start, "unexpected character '%c'", c);
  return -1;
}

static int is_keyword(const token *t, const char *kw) {
  return t->kind == TK_WORD && strcasecmp(t->text, kw) == 0;
}

static int is_reserved(const token *t) {
  static const char *const words[] = {
      "and", "or", "not", "like", "contains", "in", "true", "false", "null"};
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if (is_keyword(t, words[i]))
      return 1;
  return 0;
}

/* A short description of the current token for messages. */
static const char *tok_desc(const token *t) {
  return t->kind == TK_END ? "end of conditions" : t->text;
}

/* ---- nodes and values -------------------------------------------------- */

void cw_cond_free(cw_cond *c) {
  if (!c)
    return;
  cw_cond_free(c->left);
  cw_cond_free(c->right);
  for (size_t i = 0; i < c->n_values; i++)
    free(c->values[i].str);
  free(c->values);
  free(c);
}

static cw_cond *new_node(parser *p, node_kind kind) {
  cw_cond *c = calloc(1, sizeof(*c));
  if (!c)
    out_of_memory(p);
  else
    c->kind = kind;
  return c;
}

/* Reads one literal into *v (not consuming a following token). */
static int read_literal(parser *p, value *v) {
  const token *t = &p->tok;
  memset(v, 0, sizeof(*v));
  switch (t->kind) {
  case TK_STR:
  case TK_DATE:
    v->kind = t->kind == TK_STR ? V_STR : V_DATE;
    v->str = strdup(t->text);
    if (!v->str) {
      out_of_memory(p);
      return -1;
    }
    return 0;
  case TK_NUM:
    v->kind = V_NUM;
    v->num = strtod(t->text, NULL);
    return 0;
  case TK_WORD:
    if (is_keyword(t, "true") || is_keyword(t, "false")) {
      v->kind = V_BOOL;
      v->b = is_keyword(t, "true");
      return 0;
    }
    if (is_keyword(t, "null")) {
      v->kind = V_NULL;
      return 0;
    }
    fail(p, t->pos, "expected a value but found '%s' (quote strings: \"%s\")",
         t->text, t->text);
    return -1;
  default:
    fail(p, t->pos, "expected a value but found '%s'", tok_desc(t));
    return -1;
  }
}

static const char *op_name(op o, int negate) {
  static const char *const names[] = {"=",  "!=",       "<",    "<=", ">",
                                      ">=", "contains", "like", "in"};
  if (negate)
    return o == OP_CONTAINS ? "not contains"
           : o == OP_LIKE   ? "not like"
                            : "not in";
  return names[o];
}

/* Turns a quoted number or boolean into the field's type, as SQL Server's
 * implicit conversion would; refuses what the server refuses. */
static int coerce(parser *p, const cw_field *f, op o, int negate, value *v,
                  size_t pos) {
  const char *opn = op_name(o, negate);
  if (v->kind == V_NULL) {
    if (o != OP_EQ && o != OP_NE) {
      fail(p, pos, "null can only be compared with = or !=");
      return -1;
    }
    return 0;
  }
  switch (f->type) {
  case CW_T_INT:
  case CW_T_NUM:
    if (o == OP_CONTAINS || o == OP_LIKE) {
      fail(p, pos, "%s applies to strings; %s is a %s", opn, f->path,
           cw_type_name(f->type));
      return -1;
    }
    if (v->kind == V_STR) {
      char *end;
      double d = strtod(v->str, &end);
      if (*v->str == '\0' || *end != '\0') {
        fail(p, pos, "%s is a %s; \"%s\" is not a number", f->path,
             cw_type_name(f->type), v->str);
        return -1;
      }
      free(v->str);
      v->str = NULL;
      v->kind = V_NUM;
      v->num = d;
    }
    if (v->kind != V_NUM) {
      fail(p, pos, "%s is a %s and cannot be compared with that value", f->path,
           cw_type_name(f->type));
      return -1;
    }
    return 0;
  case CW_T_STR:
    if (v->kind != V_STR) {
      fail(p, pos, "%s is a string: put the value in quotes", f->path);
      return -1;
    }
    return 0;
  case CW_T_BOOL:
    if (o != OP_EQ && o != OP_NE) {
      fail(p, pos, "%s is a boolean: use = or !=", f->path);
      return -1;
    }
    if (v->kind == V_STR &&
        (!strcasecmp(v->str, "true") || !strcasecmp(v->str, "false"))) {
      v->b = !strcasecmp(v->str, "true");
      free(v->str);
      v->str = NULL;
      v->kind = V_BOOL;
    }
    if (v->kind != V_BOOL) {
      fail(p, pos, "%s is a boolean: compare it with true or false", f->path);
      return -1;
    }
    return 0;
  case CW_T_DATE:
    if (o == OP_CONTAINS || o == OP_LIKE) {
      fail(p, pos, "%s applies to strings; %s is a date", opn, f->path);
      return -1;
    }
    if (v->kind != V_DATE) {
      fail(p, pos,
           "%s is a date: write dates in square brackets, e.g. "
           "[2026-11-01T00:00:00Z]",
           f->path);
      return -1;
    }
    return 0;
  case CW_T_OBJECT:
  case CW_T_ARRAY:
    break;
  }
  fail(p, pos, "%s is an %s; compare one of its fields, e.g. %s/id", f->path,
       cw_type_name(f->type), f->path);
  return -1;
}

static int add_value(parser *p, cw_cond *c, const value *v) {
  value *grown = realloc(c->values, (c->n_values + 1) * sizeof(*grown));
  if (!grown) {
    out_of_memory(p);
    return -1;
  }
  c->values = grown;
  c->values[c->n_values++] = *v;
  return 0;
}

/* Reads one literal, checks it against the field and appends it. */
static int take_value(parser *p, cw_cond *c) {
  value v;
  size_t pos = p->tok.pos;
  if (read_literal(p, &v))
    return -1;
  if (coerce(p, c->field, c->op, c->negate, &v, pos) || add_value(p, c, &v)) {
    free(v.str);
    return -1;
  }
  return lex(p);
}

/* "(" value { "," value } ")" after `in`. */
static int take_list(parser *p, cw_cond *c) {
  if (p->tok.kind != TK_LP) {
    fail(p, p->tok.pos, "in needs a list in parentheses, e.g. id in (1,2,3)");
    return -1;
  }
  if (lex(p))
    return -1;
  for (;;) {
    if (p->tok.kind == TK_WORD && is_keyword(&p->tok, "null")) {
      fail(p, p->tok.pos, "null cannot appear in an in list");
      return -1;
    }
    if (take_value(p, c))
      return -1;
    if (p->tok.kind == TK_RP)
      return lex(p);
    if (p->tok.kind != TK_COMMA) {
      fail(p, p->tok.pos, "expected , or ) in the in list but found '%s'",
           tok_desc(&p->tok));
      return -1;
    }
    if (lex(p))
      return -1;
  }
}

/* Reads the operator after a field into c->op / c->negate. */
static int take_operator(parser *p, cw_cond *c) {
  static const struct {
    const char *text;
    op op;
  } symbols[] = {{"=", OP_EQ},  {"!=", OP_NE}, {"<", OP_LT},
                 {"<=", OP_LE}, {">", OP_GT},  {">=", OP_GE}};
  if (p->tok.kind == TK_OP) {
    for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
      if (strcmp(p->tok.text, symbols[i].text) == 0)
        c->op = symbols[i].op;
    return lex(p);
  }
  if (is_keyword(&p->tok, "not")) {
    c->negate = 1;
    if (lex(p))
      return -1;
  }
  if (is_keyword(&p->tok, "contains"))
    c->op = OP_CONTAINS;
  else if (is_keyword(&p->tok, "like"))
    c->op = OP_LIKE;
  else if (is_keyword(&p->tok, "in"))
    c->op = OP_IN;
  else if (c->negate) {
    fail(p, p->tok.pos,
         "not must be followed by contains, like or in, not '%s'",
         tok_desc(&p->tok));
    return -1;
  } else {
    fail(p, p->tok.pos, "expected an operator after %s but found '%s'",
         c->field->path, tok_desc(&p->tok));
    return -1;
  }
  return lex(p);
}

static cw_cond *parse_expr(parser *p);

static cw_cond *parse_comparison(parser *p) {
  if (p->tok.kind != TK_WORD || is_reserved(&p->tok)) {
    fail(p, p->tok.pos, "expected a field name or ( but found '%s'",
         tok_desc(&p->tok));
    return NULL;
  }
  const cw_field *f = cw_schema_find(p->schema, p->tok.text);
  if (!f) {
    fail(p, p->tok.pos, "unknown field '%s' for a %s", p->tok.text,
         p->schema->resource);
    return NULL;
  }
  cw_cond *c = new_node(p, N_CMP);
  if (!c)
    return NULL;
  c->field = f;
  if (lex(p) || take_operator(p, c) ||
      (c->op == OP_IN ? take_list(p, c) : take_value(p, c))) {
    cw_cond_free(c);
    return NULL;
  }
  return c;
}

static cw_cond *parse_primary(parser *p) {
  if (p->tok.kind != TK_LP)
    return parse_comparison(p);
  if (++p->depth > MAX_DEPTH) {
    fail(p, p->tok.pos, "parentheses nested more than %d deep", MAX_DEPTH);
    return NULL;
  }
  size_t open = p->tok.pos;
  if (lex(p))
    return NULL;
  cw_cond *c = parse_expr(p);
  if (!c)
    return NULL;
  if (p->tok.kind != TK_RP) {
    fail(p, p->tok.pos, "missing ) for the ( at position %zu", open + 1);
    cw_cond_free(c);
    return NULL;
  }
  p->depth--;
  if (lex(p)) {
    cw_cond_free(c);
    return NULL;
  }
  return c;
}

/* Parses `sub { kw sub }` into a left-leaning tree of `kind` nodes. */
static cw_cond *parse_chain(parser *p, const char *kw, node_kind kind,
                            cw_cond *(*sub)(parser *)) {
  cw_cond *left = sub(p);
  while (left && is_keyword(&p->tok, kw)) {
    if (lex(p)) {
      cw_cond_free(left);
      return NULL;
    }
    cw_cond *right = sub(p);
    cw_cond *node = right ? new_node(p, kind) : NULL;
    if (!node) {
      cw_cond_free(left);
      cw_cond_free(right);
      return NULL;
    }
    node->left = left;
    node->right = right;
    left = node;
  }
  return left;
}

static cw_cond *parse_and(parser *p) {
  return parse_chain(p, "and", N_AND, parse_primary);
}

static cw_cond *parse_expr(parser *p) {
  return parse_chain(p, "or", N_OR, parse_and);
}

int cw_cond_parse(const char *text, const cw_schema *schema, cw_cond **out,
                  char *err, size_t errlen) {
  parser p = {0};
  p.src = text ? text : "";
  p.schema = schema;
  p.err = err;
  p.errlen = errlen;
  *out = NULL;
  if (errlen)
    err[0] = '\0';
  cw_cond *c = NULL;
  if (lex(&p) == 0 && p.tok.kind != TK_END) {
    c = parse_expr(&p);
    if (c && p.tok.kind != TK_END)
      fail(&p, p.tok.pos, "expected and, or or the end but found '%s'",
           tok_desc(&p.tok));
  }
  free(p.tok.text);
  if (p.failed) {
    cw_cond_free(c);
    return p.nomem ? -2 : -1;
  }
  *out = c;
  return 0;
}

/* ---- evaluation -------------------------------------------------------- */

/* Compares the record's (non-null) value with a literal: <0, 0, >0. */
static int compare(const cw_field *f, json_object *jv, const value *v) {
  switch (f->type) {
  case CW_T_INT:
  case CW_T_NUM: {
    double d = json_object_get_double(jv);
    return d < v->num ? -1 : d > v->num ? 1 : 0;
  }
  case CW_T_BOOL:
    return json_object_get_boolean(jv) - v->b;
  case CW_T_DATE: {
    char canon[CW_DATE_LEN];
    const char *s = json_object_get_string(jv);
    if (cw_date_parse(s, canon) == 0)
      s = canon;
    return strcmp(s, v->str);
  }
  default:
    return cw_text_cmp(json_object_get_string(jv), v->str);
  }
}

static int match_cmp(const cw_cond *c, json_object *rec) {
  json_object *jv = cw_json_path(rec, c->field->path);
  const value *v = &c->values[0];
  if (v->kind == V_NULL)
    return c->op == OP_EQ ? jv == NULL : jv != NULL;
  if (!jv) /* null semantics: see conditions.h */
    return c->op == OP_NE || c->negate;
  int r = 0;
  switch (c->op) {
  case OP_EQ:
    r = compare(c->field, jv, v) == 0;
    break;
  case OP_NE:
    r = compare(c->field, jv, v) != 0;
    break;
  case OP_LT:
    r = compare(c->field, jv, v) < 0;
    break;
  case OP_LE:
    r = compare(c->field, jv, v) <= 0;
    break;
  case OP_GT:
    r = compare(c->field, jv, v) > 0;
    break;
  case OP_GE:
    r = compare(c->field, jv, v) >= 0;
    break;
  case OP_CONTAINS:
    r = cw_text_contains(json_object_get_string(jv), v->str);
    break;
  case OP_LIKE:
    r = cw_text_like(json_object_get_string(jv), v->str);
    break;
  case OP_IN:
    for (size_t i = 0; i < c->n_values && !r; i++)
      r = compare(c->field, jv, &c->values[i]) == 0;
    break;
  }
  return c->negate ? !r : r;
}

int cw_cond_match(const cw_cond *c, json_object *record) {
  if (!c)
    return 1;
  switch (c->kind) {
  case N_AND:
    return cw_cond_match(c->left, record) && cw_cond_match(c->right, record);
  case N_OR:
    return cw_cond_match(c->left, record) || cw_cond_match(c->right, record);
  case N_CMP:
    break;
  }
  return match_cmp(c, record);
}
