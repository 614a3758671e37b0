/* SPDX-License-Identifier: MIT */
/*
 * recovery.c — resolving interrupted changes and noticing manual edits.
 */
#include "recovery.h"

#include <stdio.h>
#include <string.h>

#include "apply.h"

int recovery_resolve(journal *j, const char *driver, long long run_id,
                     const lpsa_snapshot *snap, const lpsa_terms *t,
                     run_result *res) {
  journal_pending *p;
  size_t n;
  if (journal_pending_list(j, driver, &p, &n) != LPSA_OK)
    return -1;
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    long l = snapshot_find_line(snap, p[i].line_id);
    const char *state = "resolved-unknown", *verdict;
    long long now = -1;
    if (l >= 0) {
      now = snap->lines[l].quantity;
      if (now == p[i].new_quantity)
        state = "resolved-applied";
      else if (now == p[i].old_quantity)
        state = "resolved-not-applied";
    }
    if (strcmp(state, "resolved-applied") == 0)
      verdict = "so it was applied";
    else if (strcmp(state, "resolved-not-applied") == 0)
      verdict = "so it was not applied";
    else
      verdict = "which is neither value: check it";
    if (journal_resolve(j, p[i].change_id, run_id, state, now, verdict) !=
        LPSA_OK) {
      rc = -1;
      break;
    }
    if (now == p[i].new_quantity)
      journal_line_set(j, driver, p[i].line_id, now, run_id);
    char shown[32];
    if (l >= 0)
      snprintf(shown, sizeof shown, "%lld", now);
    else
      snprintf(shown, sizeof shown, "no such %s", t->line);
    /* A count that is neither value needs a person: an error, not a
     * warning, so the run does not report everything in step. */
    severity sev =
        strcmp(state, "resolved-unknown") == 0 ? SEV_ERROR : SEV_WARNING;
    rc = findings_add(
        &res->findings, "INTERRUPTED_CHANGE", sev,
        "run %lld %s setting %s %s of \"%s\" from %lld to "
        "%lld; %s shows %s now, %s; this run continues from the "
        "count %s shows",
        p[i].run_id,
        p[i].unconfirmed ? "could not confirm" : "was interrupted while",
        t->line, p[i].line_id, p[i].lastpass_name, p[i].old_quantity,
        p[i].new_quantity, t->psa, shown, verdict, t->psa);
  }
  journal_pending_free(p, n);
  return rc;
}

long long recovery_in_flight_ms(journal *j, const char *driver,
                                const lpsa_snapshot *snap, const lpsa_terms *t,
                                long long now_ms, char *what, size_t cap) {
  journal_pending *p;
  size_t n;
  if (journal_pending_list(j, driver, &p, &n) != LPSA_OK)
    return -1;
  /* An HTTP timeout is at most an hour: a clock set back cannot make a
   * run wait longer than that. */
  const long long longest = 3600LL * 1000 + RECOVERY_MARGIN_MS;
  long long wait = 0;
  for (size_t i = 0; i < n; i++) {
    if (!p[i].in_flight_until)
      continue; /* never sent: nothing can land */
    long l = snapshot_find_line(snap, p[i].line_id);
    if (l >= 0 && snap->lines[l].quantity == p[i].new_quantity)
      continue; /* it landed */
    long long left = p[i].in_flight_until + RECOVERY_MARGIN_MS - now_ms;
    if (left > longest)
      left = longest;
    if (left > wait) {
      wait = left;
      snprintf(what, cap, "run %lld's write of %s %s of \"%s\" (%lld to %lld)",
               p[i].run_id, t->line, p[i].line_id, p[i].lastpass_name,
               p[i].old_quantity, p[i].new_quantity);
    }
  }
  journal_pending_free(p, n);
  return wait;
}

int recovery_check_drift(journal *j, const char *driver, run_result *res) {
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    long long last, last_run;
    if (!o->has_line ||
        !journal_line_get(j, driver, o->line_id, &last, &last_run) ||
        last == o->old_quantity)
      continue;
    int rc =
        o->status == ST_PLANNED || o->status == ST_HELD
            ? findings_add(&o->findings, "CHANGED_IN_PSA", SEV_WARNING,
                           "the count was %lld when lpsa last saw or set it "
                           "(run %lld) and someone changed it to %lld in the "
                           "PSA since; it %s %lld from LastPass",
                           last, last_run, o->old_quantity,
                           o->status == ST_HELD ? "would be set to"
                                                : "is set to",
                           o->new_quantity)
            : findings_add(&o->findings, "CHANGED_IN_PSA", SEV_INFO,
                           "the count was %lld when lpsa last saw or set it "
                           "(run %lld) and someone changed it to %lld in the "
                           "PSA since",
                           last, last_run, o->old_quantity);
    if (rc)
      return -1;
  }
  return 0;
}

int recovery_not_applied(journal *j, const char *driver,
                         const char *cycle_start, const lpsa_terms *t,
                         outcome *o) {
  if (!o->line_id || !o->has_target ||
      (o->status != ST_PLANNED && o->status != ST_HELD))
    return 0;
  const char *period = apply_billing_period(o, cycle_start);
  journal_not_applied na;
  int found = journal_find_not_applied(j, driver, o->line_id, period, &na);
  if (found <= 0)
    return found;
  o->status = ST_ERROR;
  return findings_add(&o->findings, "WRITE_FAILED", SEV_ERROR,
                      "%s did not apply the change as documented: check %s %s "
                      "(run %lld set %s %s from %lld to %lld; it was accepted, "
                      "but the %s still showed %lld); lpsa does not write "
                      "this %s again in the billing period starting %s, so "
                      "%lld is not written now",
                      t->psa, t->agreement, o->agreement_id, na.run_id, t->line,
                      o->line_id, na.old_quantity, na.new_quantity, t->line,
                      na.observed, t->line, period, o->new_quantity)
             ? -1
             : 1;
}

int recovery_check_not_applied(journal *j, const char *driver,
                               const char *cycle_start, const lpsa_terms *t,
                               run_result *res) {
  for (size_t i = 0; i < res->n; i++)
    if (recovery_not_applied(j, driver, cycle_start, t, &res->outcomes[i]) < 0)
      return -1;
  return 0;
}

int recovery_remember(journal *j, const char *driver, long long run_id,
                      const run_result *res) {
  if (journal_begin(j) != LPSA_OK)
    return -1;
  for (size_t i = 0; i < res->n; i++) {
    const outcome *o = &res->outcomes[i];
    /* Lines apply wrote or re-read were remembered with that count. */
    if (o->has_line && !o->line_recorded &&
        !findings_has(&o->findings, "WRITE_FAILED"))
      journal_line_set(j, driver, o->line_id, o->old_quantity, run_id);
  }
  return journal_commit(j) == LPSA_OK ? 0 : -1;
}
