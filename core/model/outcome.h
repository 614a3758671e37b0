/* SPDX-License-Identifier: MIT */
/*
 * outcome.h — what a run concluded: one outcome per LastPass company (its
 * line, old and new quantity, status and rule findings) plus the findings not
 * tied to one company. Rules and the planner fill it, apply updates it, the
 * report and the journal read it.
 */
#ifndef LPSA_CORE_OUTCOME_H
#define LPSA_CORE_OUTCOME_H

#include <stddef.h>

typedef enum severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 } severity;

typedef enum outcome_status {
  ST_UNCHANGED = 0, /* the PSA already bills the LastPass count */
  ST_PLANNED,       /* a change a dry-run would make (or not yet made) */
  ST_UPDATED,       /* a change made in this run */
  ST_SKIPPED,       /* deliberately not handled (unmapped, suspended) */
  ST_HELD,          /* a change held back by a guardrail */
  ST_ERROR          /* needs a person */
} outcome_status;

struct finding_ack; /* ack.h */

typedef struct finding {
  const char *code; /* static: a rule code such as "NO_AGREEMENT" */
  severity sev;
  char *message;
  /* A person's acknowledgement of this finding (ack.h), owned; NULL when
   * none names it. */
  struct finding_ack *ack;
} finding;

typedef struct finding_list {
  finding *items;
  size_t n, cap;
} finding_list;

typedef struct outcome {
  char *lastpass_id;
  char *lastpass_name;
  const char *sku; /* LPSA_SKU_* */
  long long seats;
  int seats_known; /* LastPass's billing report had a record of it */
  int suspended;
  char *psa_company_id;
  char *psa_company_name; /* as the PSA's snapshot names it, or NULL */
  char *agreement_id;
  char *line_id;
  char *product;    /* as the PSA names it (or the configured ref) */
  char *product_id; /* the PSA's product id on the line */
  char *period_start;
  int has_line; /* old_quantity is meaningful */
  long long old_quantity;
  int has_target; /* new_quantity is meaningful */
  long long new_quantity;
  char *effective_date;
  outcome_status status;
  finding_list findings;
  int line_recorded; /* apply already journaled the line's final count */
  /* Who released this company's held change (--approve: the Unix user; the
   * web console's user), or NULL. */
  char *approved_by;
} outcome;

typedef struct run_result {
  outcome *outcomes;
  size_t n, cap;
  finding_list findings; /* not tied to one company */
} run_result;

const char *severity_name(severity sev);
const char *outcome_status_name(outcome_status st);

/* Append a finding with a printf-formatted message. 0, or -1 on OOM. */
int findings_add(finding_list *list, const char *code, severity sev,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void findings_free(finding_list *list);
/* The highest severity in the list, or -1 when empty. */
int findings_max(const finding_list *list);
/* 1 when the list holds `code`. */
int findings_has(const finding_list *list, const char *code);

/* A new zeroed outcome at the end of `res`; NULL on OOM. */
outcome *run_result_add(run_result *res);
void run_result_free(run_result *res);

/* 1 when `o` is in error or held and each of its warnings and errors has
 * an acknowledgement that applies (ack.h): a person has seen it all. */
int outcome_acknowledged(const outcome *o);

/* Summary counts, as the report's "summary" object. `acknowledged` counts
 * the companies in error or held that outcome_acknowledged() (they are in
 * `errors` and `held` too). */
typedef struct run_summary {
  size_t companies, updated, unchanged, planned, skipped, held, errors;
  size_t acknowledged;
} run_summary;
void run_result_summarize(const run_result *res, run_summary *out);

#endif
