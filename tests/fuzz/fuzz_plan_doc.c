/* SPDX-License-Identifier: MIT */
/*
 * fuzz_plan_doc.c — libFuzzer target for the plan file parser
 * (core/output/plan_doc.c: plan_doc_parse), which `apply PLAN` trusts with
 * what it writes to customers' bills.
 *
 * Beyond "no crash, no leak": a refused input leaves the document empty
 * and says why, naming the file; an accepted one keeps the promises the
 * replay relies on (a planned or held change has a line, an agreement and
 * a company; counts are never negative; every finding has a code), and
 * rendering it again gives back exactly the same id, so the content digest
 * is stable, with a tag that verifies. (Inputs are not signed: the tag is
 * checked apart, by plan_doc_verify(), after the parse this target
 * explores.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan_doc.h"

static void check(const plan_doc *p) {
  for (size_t i = 0; i < p->res.n; i++) {
    const outcome *o = &p->res.outcomes[i];
    if (!o->lastpass_id || !*o->lastpass_id || !o->lastpass_name || !o->sku)
      abort();
    if (o->old_quantity < 0 || o->new_quantity < 0 || o->seats < 0)
      abort();
    if (o->status == ST_UPDATED)
      abort();
    if (o->status == ST_PLANNED && o->has_target &&
        o->new_quantity != o->old_quantity &&
        (!o->line_id || !o->agreement_id || !o->psa_company_id))
      abort();
    for (size_t k = 0; k < o->findings.n; k++)
      if (!o->findings.items[k].code || !*o->findings.items[k].code ||
          !o->findings.items[k].message)
        abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  plan_doc p;
  char err[2048] = "";
  if (plan_doc_parse((const char *)data, size, "fuzz.json", &p, err,
                     sizeof err) != 0) {
    if (p.res.n || p.res.outcomes || p.codes || strncmp(err, "fuzz.json", 9))
      abort();
    return 0;
  }
  check(&p);
  char id[PLAN_ID_LEN];
  memcpy(id, p.meta.id, sizeof id);
  static const plan_key key = {{42}};
  char *again = plan_doc_render(&p.meta, &p.res, &key, NULL);
  if (!again || strcmp(id, p.meta.id) != 0)
    abort();
  plan_doc q;
  if (plan_doc_parse(again, strlen(again), "fuzz.json", &q, err, sizeof err) ||
      plan_doc_verify(&q, &key, "fuzz.json", err, sizeof err))
    abort();
  plan_doc_free(&q);
  free(again);
  plan_doc_free(&p);
  return 0;
}
