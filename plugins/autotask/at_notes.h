/* SPDX-License-Identifier: MIT */
/*
 * at_notes.h — the notes a snapshot attaches to companies (lpsa_note: a
 * record that cannot be billed safely, a contract adjusted mid-period).
 *
 * Notes are found while reading, before the company they concern is known
 * to be emitted, and the host only takes a note about an emitted company:
 * so they are kept here and handed over once everything else is emitted.
 */
#ifndef AT_NOTES_H
#define AT_NOTES_H

#include <stddef.h>

#include "at_ctx.h"

typedef struct at_note {
  lpsa_note_kind kind;
  long long company_id;
  long long agreement_id; /* 0: none */
  long long line_id;      /* 0: none */
  char *message;
} at_note;

typedef struct at_notes {
  at_note *items;
  size_t n, cap;
} at_notes;

/* Copies message. 0, or -1 when out of memory. */
int at_notes_add(at_notes *notes, lpsa_note_kind kind, long long company_id,
                 long long agreement_id, long long line_id,
                 const char *message);

/* Hands every note to the host (add_note), in the order they were added.
 * LPSA_OK, or the host's refusal with err filled. */
int at_notes_emit(const at_notes *notes, const at_ctx *ctx, lpsa_snapshot *snap,
                  char *err, size_t errlen);

void at_notes_free(at_notes *notes);

#endif
