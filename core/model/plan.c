/* SPDX-License-Identifier: MIT */
/*
 * plan.c — owning and counting a plan.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

const char *plan_doc_code(plan_doc *p, const char *code) {
  for (size_t i = 0; i < p->n_codes; i++)
    if (strcmp(p->codes[i], code) == 0)
      return p->codes[i];
  if (p->n_codes == p->cap_codes) {
    size_t cap = p->cap_codes ? p->cap_codes * 2 : 16;
    char **grown = realloc(p->codes, cap * sizeof *grown);
    if (!grown)
      return NULL;
    p->codes = grown;
    p->cap_codes = cap;
  }
  char *copy = strdup(code);
  if (copy)
    p->codes[p->n_codes++] = copy;
  return copy;
}

void plan_meta_free(plan_meta *m) {
  free(m->driver);
  free(m->driver_name);
  free(m->driver_version);
  free(m->psa);
  free(m->config_path);
  free(m->mapping_path);
  free(m->made_by);
  memset(m, 0, sizeof *m);
}

void plan_doc_free(plan_doc *p) {
  plan_meta_free(&p->meta);
  run_result_free(&p->res);
  for (size_t i = 0; i < p->n_codes; i++)
    free(p->codes[i]);
  free(p->codes);
  memset(p, 0, sizeof *p);
}

void plan_count(const run_result *res, size_t *planned, size_t *held) {
  *planned = *held = 0;
  for (size_t i = 0; i < res->n; i++) {
    const outcome *o = &res->outcomes[i];
    if (o->status == ST_PLANNED)
      (*planned)++;
    else if (o->status == ST_HELD && o->has_target)
      (*held)++;
  }
}
