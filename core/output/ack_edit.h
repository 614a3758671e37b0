/* SPDX-License-Identifier: MIT */
/*
 * ack_edit.h — adding, removing and listing acknowledgements with the
 * checks a person's input needs, shared by `lpsa-host ack` and the web
 * console: the date is a real YYYY-MM-DD not in the past, the company and
 * the finding are in the newest report of the driver, a note (info) is not
 * acknowledged; the journal (journal_acks.h) keeps who and when.
 */
#ifndef LPSA_CORE_ACK_EDIT_H
#define LPSA_CORE_ACK_EDIT_H

#include <stddef.h>
#include <time.h>

#include "ack.h"
#include "journal.h"

typedef enum ack_edit_status {
  ACK_EDIT_OK = 0,
  ACK_EDIT_BAD_INPUT, /* a bad date, or nothing such to acknowledge */
  ACK_EDIT_NOT_FOUND, /* remove: none in force */
  ACK_EDIT_JOURNAL    /* the journal could not be read or written */
} ack_edit_status;

typedef struct ack_edit_request {
  const char *driver, *lastpass_id, *code;
  const char *until;       /* "YYYY-MM-DD" or NULL: no end */
  const char *note;        /* or NULL */
  const char *who;         /* the person: Unix user or web user */
  time_t now;              /* the clock of runs */
  const char *until_label; /* how the person wrote the date: "--until" */
  const char *state_dir;   /* for the journal's error messages */
} ack_edit_request;

/* What was added, for the person's confirmation. */
typedef struct ack_edit_added {
  long long id, run_id;
  char lastpass_name[256];
} ack_edit_added;

/* Acknowledge finding r->code of r->lastpass_id as the newest run of
 * r->driver showed it. On failure, one line saying what to do in err. */
ack_edit_status ack_edit_add(journal *j, const ack_edit_request *r,
                             ack_edit_added *out, char *err, size_t errlen);
/* Remove the acknowledgement in force for (driver, lastpass_id, code). */
ack_edit_status ack_edit_remove(journal *j, const ack_edit_request *r,
                                char *err, size_t errlen);

/* How the newest run of each ack's driver saw acks[i] (ack_list.h's
 * last_run): a new array of n, NULL when out of memory. */
const char **ack_edit_last_runs(journal *j, const ack_record *acks, size_t n);

/* A real calendar date written YYYY-MM-DD. */
int ack_edit_valid_date(const char *s);

#endif
