/* SPDX-License-Identifier: MIT */
/*
 * plan_replay.c — checking a saved plan before applying it.
 */
#include "plan_replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "approval.h"
#include "journal_plans.h"
#include "strmap.h"

/* "1d 2h", "3h 5m", "12m" of a number of seconds. */
static void span(long long s, char *out, size_t cap) {
  long long d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60;
  if (d)
    snprintf(out, cap, "%lldd %lldh", d, h);
  else if (h)
    snprintf(out, cap, "%lldh %lldm", h, m);
  else
    snprintf(out, cap, "%lldm", m ? m : 1);
}

static int differs(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") != 0;
}

int plan_replay_refusal(const plan_doc *p, const plan_facts *f, char *why,
                        size_t cap) {
  const plan_meta *m = &p->meta;
  char age[32], limit[32];
  if (strcasecmp(m->driver, f->driver) != 0) {
    snprintf(why, cap,
             "plan %s is for [driver.%s] and this run uses [driver.%s]: "
             "apply it with --driver %s",
             m->id, m->driver, f->driver, m->driver);
    return 1;
  }
  if (differs(m->driver_name, f->driver_name) ||
      differs(m->driver_version, f->driver_version)) {
    snprintf(why, cap,
             "plan %s was made with the driver %s %s and this run loads %s "
             "%s: make a new plan with `lpsa-host plan`",
             m->id, m->driver_name, m->driver_version ? m->driver_version : "",
             f->driver_name, f->driver_version ? f->driver_version : "");
    return 1;
  }
  if (strcmp(m->config_digest, f->config_digest) != 0) {
    snprintf(why, cap,
             "the configuration %s changed since plan %s was made (its "
             "SHA-256 is not the plan's): make a new plan with `lpsa-host "
             "plan`",
             f->config_path ? f->config_path : "file", m->id);
    return 1;
  }
  if (strcmp(m->mapping_digest, f->mapping_digest) != 0) {
    snprintf(why, cap,
             "the mapping file %s changed since plan %s was made (its "
             "SHA-256 is not the plan's): make a new plan with `lpsa-host "
             "plan`",
             f->mapping_path ? f->mapping_path : "", m->id);
    return 1;
  }
  /* A few minutes of clock skew between hosts are not a future plan. */
  if (m->created_epoch > f->now + 300) {
    snprintf(why, cap,
             "plan %s is dated %s, later than this host's clock: check the "
             "clock, or make a new plan",
             m->id, m->created);
    return 1;
  }
  if (f->now - m->created_epoch > f->max_age) {
    span(f->now - m->created_epoch, age, sizeof age);
    span(f->max_age, limit, sizeof limit);
    snprintf(why, cap,
             "plan %s was made %s ago (%s), and plans expire after "
             "plan_max_age = %s: LastPass's counts have moved on; make a new "
             "plan with `lpsa-host plan`",
             m->id, age, m->created, limit);
    return 1;
  }
  if (strcmp(f->as_of, m->cycle_start) < 0 ||
      strcmp(f->as_of, m->cycle_end) > 0) {
    snprintf(why, cap,
             "plan %s is for the LastPass billing cycle %s..%s, and today "
             "(%s) is in another one: make a new plan with `lpsa-host plan`",
             m->id, m->cycle_start, m->cycle_end, f->as_of);
    return 1;
  }
  return 0;
}

static int add_company(strmap *seen, const char *id, size_t i,
                       const char **list, size_t *n) {
  if (!id || !*id || strmap_get(seen, id, NULL))
    return 0;
  if (strmap_put(seen, id, i))
    return -1;
  list[(*n)++] = id;
  return 0;
}

int plan_replay_request(const run_result *res, const journal_pending *pending,
                        size_t n_pending, const char ***companies,
                        size_t *n_companies, const char ***agreements,
                        size_t *n_agreements) {
  size_t cap = res->n + n_pending + 1;
  *companies = calloc(cap, sizeof **companies);
  *agreements = calloc(cap, sizeof **agreements);
  *n_companies = *n_agreements = 0;
  if (!*companies || !*agreements)
    return -1;
  strmap seen = {0};
  int rc = 0;
  for (size_t i = 0; i < res->n && !rc; i++) {
    const outcome *o = &res->outcomes[i];
    if (o->status != ST_PLANNED || !o->line_id)
      continue;
    rc = add_company(&seen, o->psa_company_id, i, *companies, n_companies);
    /* Pinned or not, ask for the plan's agreement by id: the driver then
     * emits it even when it would filter it out. */
    (*agreements)[(*n_agreements)++] = o->agreement_id;
  }
  /* The lines an interrupted run left open are resolved from this
   * snapshot too (recovery.h), so their companies must be in it. */
  for (size_t i = 0; i < n_pending && !rc; i++) {
    rc = add_company(&seen, pending[i].psa_company_id, res->n + i, *companies,
                     n_companies);
    if (pending[i].agreement_id && *pending[i].agreement_id)
      (*agreements)[(*n_agreements)++] = pending[i].agreement_id;
  }
  strmap_free(&seen);
  return rc;
}

static int has_agreement(const lpsa_snapshot *snap, const char *id) {
  for (size_t i = 0; i < snap->n_agreements; i++)
    if (!differs(snap->agreements[i].id, id))
      return 1;
  return 0;
}

/* A line the snapshot lacks, though its agreement was asked for by id:
 * what was seen, in the PSA's words (a cancelled ConnectWise agreement and
 * a disabled HaloPSA invoice are not emitted; a removed addition is not on
 * its agreement). */
static void gone(const lpsa_snapshot *snap, const outcome *o,
                 const lpsa_terms *t, const char *plan_id, char *why,
                 size_t cap) {
  if (!has_agreement(snap, o->agreement_id))
    snprintf(why, cap,
             "the %s %s of %s %s is no longer active in %s (cancelled, "
             "ended or removed since plan %s was made)",
             t->agreement, o->agreement_id, t->line, o->line_id, t->psa,
             plan_id);
  else
    snprintf(why, cap,
             "the %s %s is gone from %s %s in %s (removed or cancelled "
             "since plan %s was made)",
             t->line, o->line_id, t->agreement, o->agreement_id, t->psa,
             plan_id);
}

/* Why the line is not where the plan saw it, or NULL when it is (l >= 0). */
static const char *moved(const lpsa_snapshot *snap, const outcome *o, long l,
                         int *bad_record) {
  *bad_record = 0;
  const snap_line *line = &snap->lines[l];
  const snap_agreement *ag = &snap->agreements[line->agreement];
  const snap_company *co = &snap->companies[ag->company];
  for (size_t i = 0; i < snap->n_notes; i++)
    if (snap->notes[i].company == ag->company &&
        snap->notes[i].kind != LPSA_NOTE_MID_PERIOD) {
      *bad_record = 1;
      return snap->notes[i].message;
    }
  if (differs(ag->id, o->agreement_id) || differs(co->id, o->psa_company_id))
    return "is no longer on the plan's agreement";
  if (!co->active)
    return "belongs to a company that is inactive now";
  const snap_product *prod = &snap->products[line->product];
  if (!prod->found || differs(prod->psa_id, o->product_id))
    return "no longer carries the plan's product";
  const char *period =
      ag->period == LPSA_PERIOD_CURRENT ? ag->period_start : NULL;
  if (ag->period == LPSA_PERIOD_MISSING || differs(period, o->period_start))
    return "is in another billing period now";
  return NULL;
}

int plan_replay_done(journal *j, const char *plan_id, run_result *res) {
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    o->line_recorded = 1;
    int held = o->status == ST_HELD && o->has_target;
    if ((o->status != ST_PLANNED && !held) || !o->line_id)
      continue;
    long long by_run = 0;
    char by[128] = "";
    int done =
        journal_plan_line_done(j, plan_id, o->line_id, &by_run, by, sizeof by);
    if (done < 0)
      return -1;
    if (!done)
      continue;
    /* A held change an earlier apply released says who released it. */
    if (held && by[0] && approval_release(o, by))
      return -1;
    o->status = ST_UNCHANGED;
    if (findings_add(&o->findings, "PLAN_APPLIED", SEV_INFO,
                     "run %lld already applied this change of plan %s; "
                     "not written again",
                     by_run, plan_id))
      return -1;
  }
  return 0;
}

int plan_replay_check(journal *j, const char *driver, long long run_id,
                      const char *plan_id, const lpsa_snapshot *snap,
                      const lpsa_terms *t, run_result *res) {
  for (size_t i = 0; i < res->n; i++) {
    outcome *o = &res->outcomes[i];
    if (o->status != ST_PLANNED)
      continue;
    long l = snapshot_find_line(snap, o->line_id);
    if (l < 0) {
      char why[1024];
      gone(snap, o, t, plan_id, why, sizeof why);
      o->status = ST_SKIPPED;
      if (findings_add(&o->findings, "CHANGED_SINCE_PLAN", SEV_WARNING,
                       "%s; not written: make a new plan", why) ||
          journal_plan_line_set(j, plan_id, o->line_id, o->lastpass_id, run_id,
                                "changed", o->approved_by) != LPSA_OK)
        return -1;
      continue;
    }
    int bad = 0;
    const char *why = moved(snap, o, l, &bad);
    if (bad) {
      o->status = ST_ERROR;
      if (findings_add(&o->findings, "BAD_PSA_RECORD", SEV_ERROR, "%s", why))
        return -1;
      continue;
    }
    if (why) {
      o->status = ST_SKIPPED;
      if (findings_add(&o->findings, "CHANGED_SINCE_PLAN", SEV_WARNING,
                       "the %s %s %s in %s since plan %s was made; not "
                       "written: make a new plan",
                       t->line, o->line_id, why, t->psa, plan_id) ||
          journal_plan_line_set(j, plan_id, o->line_id, o->lastpass_id, run_id,
                                "changed", o->approved_by) != LPSA_OK)
        return -1;
      continue;
    }
    long long now = snap->lines[l].quantity;
    journal_line_set(j, driver, o->line_id, now, run_id);
    if (now == o->old_quantity)
      continue; /* as planned: apply.c writes it */
    if (now == o->new_quantity) {
      o->status = ST_UNCHANGED;
      if (findings_add(&o->findings, "CHANGED_IN_PSA", SEV_INFO,
                       "the count is already %lld, the plan's target (the "
                       "plan read %lld); nothing written",
                       now, o->old_quantity) ||
          journal_plan_line_set(j, plan_id, o->line_id, o->lastpass_id, run_id,
                                "already", o->approved_by) != LPSA_OK)
        return -1;
      continue;
    }
    o->status = ST_SKIPPED;
    if (findings_add(&o->findings, "CHANGED_SINCE_PLAN", SEV_WARNING,
                     "the count is %lld in %s now, and plan %s read %lld (to "
                     "set it to %lld): someone changed it after the plan was "
                     "made, and lpsa does not overwrite that; check it, then "
                     "make a new plan",
                     now, t->psa, plan_id, o->old_quantity, o->new_quantity) ||
        journal_plan_line_set(j, plan_id, o->line_id, o->lastpass_id, run_id,
                              "changed", o->approved_by) != LPSA_OK)
      return -1;
  }
  return 0;
}
