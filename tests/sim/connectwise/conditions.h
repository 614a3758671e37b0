/* SPDX-License-Identifier: MIT */
/*
 * conditions.h — the ConnectWise `conditions` query language.
 *
 * `conditions=company/id=250 and agreementStatus="Active"` filters a list or
 * a count. The grammar (what the reference and the public clients show):
 *
 *   expr       := and_expr { OR and_expr }
 *   and_expr   := primary { AND primary }
 *   primary    := "(" expr ")" | field operator value
 *   operator   := = | != | < | <= | > | >= | [NOT] CONTAINS | [NOT] LIKE
 *               | [NOT] IN
 *   value      := "text" | 'text' | number | [date] | true | false | null
 *               | "(" value { "," value } ")"        (after IN only)
 *
 * Keywords and field names are case-insensitive; `and` binds tighter than
 * `or`; strings take backslash escapes (\" \' \\); `like` takes `%` and `_`.
 * Text compares as SQL Server does (textcmp.h). A field holding null equals
 * only `null`, differs from every other value, and fails <, >, contains, like
 * and in (their `not` forms then succeed), which is C#'s null semantics as
 * Entity Framework applies them.
 *
 * Parsing checks every field against the resource's schema and every value
 * against the field's type, so a bad condition is a 400 before any record is
 * looked at, like the real server.
 */
#ifndef CW_CONDITIONS_H
#define CW_CONDITIONS_H

#include <json-c/json.h>
#include <stddef.h>

#include "schema.h"

typedef struct cw_cond cw_cond;

/* Parses `text` for resource `schema`. On success returns 0 and *out (NULL
 * when the text is empty or blank: everything matches). On a syntax, field or
 * type error returns -1 and a one-line message in `err` that says where and
 * what the syntax is. -2 when out of memory. */
int cw_cond_parse(const char *text, const cw_schema *schema, cw_cond **out,
                  char *err, size_t errlen);
/* 1 when `record` satisfies `c` (a NULL condition matches everything). */
int cw_cond_match(const cw_cond *c, json_object *record);
void cw_cond_free(cw_cond *c);

#endif
