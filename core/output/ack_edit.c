/* SPDX-License-Identifier: MIT */
/*
 * ack_edit.c — the checks and journal writes behind `lpsa-host ack` and the
 * console's Acknowledgements page (ack_edit.h).
 */
#include "ack_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "clock.h"
#include "host_api.h"
#include "journal_acks.h"
#include "journal_history.h"
#include "lpsa/driver.h"
#include "report_load.h"

int ack_edit_valid_date(const char *s) {
  int y, m, d;
  char tail;
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= civil_days_in_month(y, m);
}

static const outcome *find_company(const run_result *res, const char *id) {
  for (size_t i = 0; i < res->n; i++)
    if (strcmp(res->outcomes[i].lastpass_id, id) == 0)
      return &res->outcomes[i];
  return NULL;
}

static const finding *find_code(const outcome *o, const char *code) {
  for (size_t k = 0; k < o->findings.n; k++)
    if (strcmp(o->findings.items[k].code, code) == 0)
      return &o->findings.items[k];
  return NULL;
}

/* The company's codes, for an error message. */
static void codes_of(const outcome *o, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t k = 0; k < o->findings.n; k++) {
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%s (%s)", used ? ", " : "",
             o->findings.items[k].code,
             severity_name(o->findings.items[k].sev));
  }
}

/* The finding in the report, or an error in err. */
static ack_edit_status record(journal *j, const ack_edit_request *r,
                              const journal_run_info *run,
                              const report_loaded *rl, ack_edit_added *out,
                              char *err, size_t errlen) {
  const outcome *o = find_company(&rl->res, r->lastpass_id);
  const finding *f = o ? find_code(o, r->code) : NULL;
  char codes[1024];
  if (!o) {
    snprintf(err, errlen,
             "the newest run of %s (run %lld) lists no LastPass company %s; "
             "`lpsa-host history --run %lld` shows its companies",
             r->driver, run->id, r->lastpass_id, run->id);
    return ACK_EDIT_BAD_INPUT;
  }
  if (!f) {
    codes_of(o, codes, sizeof codes);
    snprintf(err, errlen,
             "LastPass company %s (%s) has no finding %s in run %lld%s%s",
             r->lastpass_id, o->lastpass_name, r->code, run->id,
             codes[0] ? "; it has: " : ": it has no finding", codes);
    return ACK_EDIT_BAD_INPUT;
  }
  if (f->sev == SEV_INFO) {
    snprintf(err, errlen,
             "%s of LastPass company %s is a note (info): it never makes a "
             "run exit 1, so there is nothing to acknowledge",
             r->code, r->lastpass_id);
    return ACK_EDIT_BAD_INPUT;
  }
  ack_subject subj;
  ack_subject_of(o, f->code, &subj);
  char print[1024], at[32];
  clock_utc_text(r->now, at);
  ack_record rec = {.driver = (char *)r->driver,
                    .lastpass_id = o->lastpass_id,
                    .lastpass_name = o->lastpass_name,
                    .code = (char *)f->code,
                    .fingerprint = print,
                    .message = f->message,
                    .who = (char *)r->who,
                    .created = at,
                    .until = (char *)r->until,
                    .note = (char *)r->note,
                    .run_id = run->id};
  if (ack_fingerprint(&subj, print, sizeof print) != 0 ||
      journal_ack_add(j, &rec, &out->id) != LPSA_OK) {
    snprintf(err, errlen,
             "cannot record the acknowledgement in the journal in %s",
             r->state_dir);
    return ACK_EDIT_JOURNAL;
  }
  out->run_id = run->id;
  snprintf(out->lastpass_name, sizeof out->lastpass_name, "%s",
           o->lastpass_name ? o->lastpass_name : "");
  return ACK_EDIT_OK;
}

ack_edit_status ack_edit_add(journal *j, const ack_edit_request *r,
                             ack_edit_added *out, char *err, size_t errlen) {
  char today[11];
  host_local_date(r->now, today);
  memset(out, 0, sizeof *out);
  if (r->until && !ack_edit_valid_date(r->until)) {
    snprintf(err, errlen,
             "%s %s: write the last day the acknowledgement applies as "
             "YYYY-MM-DD",
             r->until_label, r->until);
    return ACK_EDIT_BAD_INPUT;
  }
  if (r->until && strcmp(r->until, today) < 0) {
    snprintf(err, errlen,
             "%s %s is in the past (today is %s); give a later day, or none "
             "for no end",
             r->until_label, r->until, today);
    return ACK_EDIT_BAD_INPUT;
  }
  journal_run_info run;
  int found = journal_latest_report(j, r->driver, &run);
  if (found <= 0) {
    if (found < 0)
      snprintf(err, errlen, "cannot read the runs from the journal in %s",
               r->state_dir);
    else
      snprintf(err, errlen,
               "no run of driver %s has a report in the journal yet; run "
               "`lpsa-host --dry-run` (or make a plan) first, then "
               "acknowledge what it shows",
               r->driver);
    return found < 0 ? ACK_EDIT_JOURNAL : ACK_EDIT_BAD_INPUT;
  }
  report_loaded rl;
  char why[256];
  ack_edit_status st;
  if (report_load(run.report, &rl, why, sizeof why) != 0) {
    snprintf(err, errlen, "run %lld: %s", run.id, why);
    st = ACK_EDIT_JOURNAL;
  } else {
    st = record(j, r, &run, &rl, out, err, errlen);
    report_loaded_free(&rl);
  }
  journal_run_info_clear(&run);
  return st;
}

ack_edit_status ack_edit_remove(journal *j, const ack_edit_request *r,
                                char *err, size_t errlen) {
  char at[32];
  clock_utc_text(r->now, at);
  int removed;
  if (journal_ack_remove(j, r->driver, r->lastpass_id, r->code, r->who, at,
                         &removed) != LPSA_OK) {
    snprintf(err, errlen, "cannot update the journal in %s", r->state_dir);
    return ACK_EDIT_JOURNAL;
  }
  if (!removed) {
    snprintf(err, errlen,
             "no acknowledgement of %s for LastPass company %s (driver %s) "
             "is in force; `lpsa-host ack --list` lists them",
             r->code, r->lastpass_id, r->driver);
    return ACK_EDIT_NOT_FOUND;
  }
  return ACK_EDIT_OK;
}

/* How the newest run of the ack's driver saw it. */
static const char *seen_in(journal *j, const ack_record *ack,
                           const char **cached_driver, report_loaded *rl,
                           int *have) {
  if (!*cached_driver || strcmp(*cached_driver, ack->driver) != 0) {
    if (*have)
      report_loaded_free(rl);
    *have = 0;
    *cached_driver = ack->driver;
    journal_run_info run;
    char err[256];
    if (journal_latest_report(j, ack->driver, &run) == 1) {
      *have = report_load(run.report, rl, err, sizeof err) == 0;
      journal_run_info_clear(&run);
    }
  }
  if (!*have || rl->meta.run_id <= ack->run_id)
    return NULL;
  const outcome *o = find_company(&rl->res, ack->lastpass_id);
  const finding *f = o ? find_code(o, ack->code) : NULL;
  if (!f)
    return "gone";
  return f->ack ? ack_state_name(f->ack->state) : NULL;
}

const char **ack_edit_last_runs(journal *j, const ack_record *acks, size_t n) {
  const char **seen = calloc(n ? n : 1, sizeof *seen);
  const char *cached = NULL;
  report_loaded rl;
  int have = 0;
  for (size_t i = 0; seen && i < n; i++)
    seen[i] = seen_in(j, &acks[i], &cached, &rl, &have);
  if (have)
    report_loaded_free(&rl);
  return seen;
}
