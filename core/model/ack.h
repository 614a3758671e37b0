/* SPDX-License-Identifier: MIT */
/*
 * ack.h — acknowledgements: a person has seen a standing finding of one
 * company (`lpsa-host ack ID CODE`). The finding still shows in every
 * report, marked, but no longer makes the run exit 1 nor sends a
 * `notify_on = problems` notification, until the acknowledgement expires
 * or the finding changes.
 *
 * A finding is identified across runs by its fingerprint: the rule code,
 * the PSA company and line, the LastPass seat count and the PSA's old and
 * new quantity. Another code, or any other count, is another finding, which
 * the acknowledgement does not cover.
 */
#ifndef LPSA_CORE_ACK_H
#define LPSA_CORE_ACK_H

#include <stddef.h>

#include "outcome.h"

typedef enum ack_state {
  ACK_APPLIES = 0, /* the finding is the acknowledged one, not expired */
  ACK_CHANGED,     /* acknowledged, but the counts differ now */
  ACK_EXPIRED      /* the same finding, past the acknowledgement's date */
} ack_state;

/* What a report says about the acknowledgement of one finding. */
typedef struct finding_ack {
  char *by;    /* who acknowledged it */
  char *at;    /* when, UTC "YYYY-MM-DDTHH:MM:SSZ" */
  char *until; /* last day it applies, "YYYY-MM-DD", or NULL: no end */
  char *note;  /* or NULL */
  ack_state state;
} finding_ack;

/* A copy of the four strings (NULLs kept); NULL when out of memory. */
finding_ack *finding_ack_new(const char *by, const char *at, const char *until,
                             const char *note, ack_state state);
void finding_ack_free(finding_ack *a);
const char *ack_state_name(ack_state s); /* applies | changed | expired */

/* One stored acknowledgement (the journal's acks table). */
typedef struct ack_record {
  long long id;
  char *driver;        /* the [driver.NAME] whose run showed the finding */
  char *lastpass_id;   /* the LastPass company */
  char *lastpass_name; /* for people */
  char *code;          /* the rule code */
  char *fingerprint;   /* ack_fingerprint() of the finding acknowledged */
  char *message;       /* the finding's message then, for people */
  char *who, *created; /* who acknowledged it, and when (UTC) */
  char *until;         /* "YYYY-MM-DD" or NULL */
  char *note;          /* or NULL */
  long long run_id;    /* the run whose report showed the finding */
} ack_record;
void ack_records_free(ack_record *a, size_t n);

/* The values that identify a finding. */
typedef struct ack_subject {
  const char *code;
  const char *psa_company_id; /* NULL when none */
  const char *line_id;        /* NULL when none */
  long long seats;
  int has_old;
  long long old_quantity;
  int has_new;
  long long new_quantity;
} ack_subject;

/* The subject of finding `code` of outcome `o`. */
void ack_subject_of(const outcome *o, const char *code, ack_subject *s);
/* The fingerprint text into out; 0, or -1 when it does not fit. */
int ack_fingerprint(const ack_subject *s, char *out, size_t cap);

#endif
