/* SPDX-License-Identifier: MIT */
/*
 * at_notes.c — notes kept until their companies are emitted (see
 * at_notes.h).
 */
#include "at_notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_vec.h"

int at_notes_add(at_notes *notes, lpsa_note_kind kind, long long company_id,
                 long long agreement_id, long long line_id,
                 const char *message) {
  at_note n = {kind, company_id, agreement_id, line_id, strdup(message)};
  if (!n.message || at_vec_push((void **)&notes->items, &notes->n, &notes->cap,
                                sizeof n, &n)) {
    free(n.message);
    return -1;
  }
  return 0;
}

int at_notes_emit(const at_notes *notes, const at_ctx *ctx, lpsa_snapshot *snap,
                  char *err, size_t errlen) {
  for (size_t i = 0; i < notes->n; i++) {
    const at_note *n = &notes->items[i];
    char company[24], agreement[24], line[24];
    snprintf(company, sizeof company, "%lld", n->company_id);
    snprintf(agreement, sizeof agreement, "%lld", n->agreement_id);
    snprintf(line, sizeof line, "%lld", n->line_id);
    lpsa_note rec = LPSA_INIT(lpsa_note);
    rec.kind = n->kind;
    rec.company_id = company;
    rec.agreement_id = n->agreement_id ? agreement : NULL;
    rec.line_id = n->line_id ? line : NULL;
    rec.message = n->message;
    int rc = ctx->api->add_note(snap, &rec);
    if (rc != LPSA_OK) {
      snprintf(err, errlen,
               "the host refused a note about Autotask company %lld: %s",
               n->company_id, ctx->api->status_str(rc));
      return rc;
    }
  }
  return LPSA_OK;
}

void at_notes_free(at_notes *notes) {
  for (size_t i = 0; i < notes->n; i++)
    free(notes->items[i].message);
  free(notes->items);
  memset(notes, 0, sizeof *notes);
}
