/* SPDX-License-Identifier: MIT */
/*
 * ack.c — acknowledgement data and the fingerprint of a finding.
 */
#include "ack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dup_or_null(const char *s, char **out) {
  *out = NULL;
  return !s || (*out = strdup(s)) != NULL;
}

finding_ack *finding_ack_new(const char *by, const char *at, const char *until,
                             const char *note, ack_state state) {
  finding_ack *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->state = state;
  if (!dup_or_null(by ? by : "", &a->by) ||
      !dup_or_null(at ? at : "", &a->at) || !dup_or_null(until, &a->until) ||
      !dup_or_null(note, &a->note)) {
    finding_ack_free(a);
    return NULL;
  }
  return a;
}

void finding_ack_free(finding_ack *a) {
  if (!a)
    return;
  free(a->by);
  free(a->at);
  free(a->until);
  free(a->note);
  free(a);
}

const char *ack_state_name(ack_state s) {
  static const char *const names[] = {"applies", "changed", "expired"};
  return s <= ACK_EXPIRED ? names[s] : "changed";
}

void ack_records_free(ack_record *a, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(a[i].driver);
    free(a[i].lastpass_id);
    free(a[i].lastpass_name);
    free(a[i].code);
    free(a[i].fingerprint);
    free(a[i].message);
    free(a[i].who);
    free(a[i].created);
    free(a[i].until);
    free(a[i].note);
  }
  free(a);
}

void ack_subject_of(const outcome *o, const char *code, ack_subject *s) {
  memset(s, 0, sizeof *s);
  s->code = code;
  s->psa_company_id = o->psa_company_id;
  s->line_id = o->line_id;
  s->seats = o->seats;
  s->has_old = o->has_line;
  s->old_quantity = o->old_quantity;
  s->has_new = o->has_target;
  s->new_quantity = o->new_quantity;
}

int ack_fingerprint(const ack_subject *s, char *out, size_t cap) {
  char old[32] = "-", new_q[32] = "-";
  if (s->has_old)
    snprintf(old, sizeof old, "%lld", s->old_quantity);
  if (s->has_new)
    snprintf(new_q, sizeof new_q, "%lld", s->new_quantity);
  int n = snprintf(out, cap, "%s|psa=%s|line=%s|seats=%lld|old=%s|new=%s",
                   s->code ? s->code : "",
                   s->psa_company_id ? s->psa_company_id : "",
                   s->line_id ? s->line_id : "", s->seats, old, new_q);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}
