/* SPDX-License-Identifier: MIT */
/*
 * ack_match.c — acknowledgements laid over a run's findings.
 */
#include "ack_match.h"

#include <string.h>

static const ack_record *find_ack(const ack_record *acks, size_t n,
                                  const char *lastpass_id, const char *code) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(acks[i].lastpass_id, lastpass_id) == 0 &&
        strcmp(acks[i].code, code) == 0)
      return &acks[i];
  return NULL;
}

int acks_match(const ack_record *acks, size_t n, const char *as_of,
               run_result *res) {
  for (size_t i = 0; n && i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    for (size_t k = 0; k < o->findings.n; k++) {
      finding *f = &o->findings.items[k];
      const ack_record *a = find_ack(acks, n, o->lastpass_id, f->code);
      if (!a)
        continue;
      ack_subject subj;
      ack_subject_of(o, f->code, &subj);
      char print[1024];
      ack_state state = ACK_CHANGED;
      if (ack_fingerprint(&subj, print, sizeof print) == 0 &&
          strcmp(print, a->fingerprint) == 0)
        /* Dates as "YYYY-MM-DD" compare as text. */
        state = a->until && as_of && strcmp(as_of, a->until) > 0 ? ACK_EXPIRED
                                                                 : ACK_APPLIES;
      finding_ack_free(f->ack);
      f->ack = finding_ack_new(a->who, a->created, a->until, a->note, state);
      if (!f->ack)
        return -1;
    }
  }
  return 0;
}
